//! Counters of the current one-second interval and its exact acquire-time percentiles.
//!
//! In a healthy pool almost every acquire takes 0 µs, so zero waits are only counted
//! and only non-zero waits are stored (in a `Vec` reused across intervals). Percentiles
//! are exact nearest-rank values found with `select_nth_unstable`, O(n) per interval.

use crate::histogram::nearest_rank;
use crate::time::SimDuration;

/// Acquire-time percentiles of one interval [ms].
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub(crate) struct Percentiles {
    pub(crate) p50_ms: f64,
    pub(crate) p95_ms: f64,
    pub(crate) p99_ms: f64,
    pub(crate) max_ms: f64,
}

/// What happened in the current interval.
#[derive(Clone, Debug, Default)]
pub(crate) struct Interval {
    /// Attempts that arrived (first tries and retries).
    pub(crate) arrivals: u32,
    /// Attempts that got a connection.
    pub(crate) served: u32,
    /// Attempts that timed out waiting.
    pub(crate) timeouts: u32,
    /// Attempts that failed for any reason.
    pub(crate) failed: u32,
    /// Of the arrivals, retries.
    pub(crate) retries: u32,
    /// Callers that gave up at their deadline.
    pub(crate) gave_up: u32,
    /// Attempts served (or held) after their caller gave up.
    pub(crate) served_late: u32,
    /// Retries the budget refused.
    pub(crate) retries_denied: u32,
    /// Calls the breaker failed at once.
    pub(crate) breaker_rejected: u32,
    /// Attempts the server refused: every thread busy, the accept queue full (or no
    /// instance in the balancer).
    pub(crate) turned_away: u32,
    /// Acquires that took 0 µs.
    zero_waits: u32,
    /// Acquire times above 0 [µs].
    waits_us: Vec<u64>,
}

impl Interval {
    /// Count one acquire time.
    pub(crate) fn record_wait(&mut self, wait: SimDuration) {
        if wait.is_zero() {
            self.zero_waits += 1;
        } else {
            self.waits_us.push(wait.as_micros());
        }
    }

    /// Percentiles of the interval's acquire times; all 0 when nothing was served.
    pub(crate) fn percentiles(&mut self) -> Percentiles {
        let zeros = u64::from(self.zero_waits);
        let n = zeros + self.waits_us.len() as u64;
        if self.waits_us.is_empty() {
            return Percentiles::default();
        }
        let mut out = [0.0; 3];
        // Ranks grow with q, so each selection only searches right of the previous one.
        let mut lo = 0usize;
        for (slot, q) in out.iter_mut().zip([0.50, 0.95, 0.99]) {
            let rank = nearest_rank(q, n);
            if rank <= zeros {
                continue;
            }
            // rank − zeros ≤ len because rank ≤ n.
            let idx = (rank - zeros - 1) as usize;
            let nth = crate::sort::select_nth(&mut self.waits_us[lo..], idx - lo);
            *slot = nth as f64 / 1000.0;
            lo = idx;
        }
        let max = self.waits_us[lo..].iter().copied().max().unwrap_or(0);
        Percentiles { p50_ms: out[0], p95_ms: out[1], p99_ms: out[2], max_ms: max as f64 / 1000.0 }
    }

    /// Start the next interval, keeping the wait buffer's capacity.
    pub(crate) fn reset(&mut self) {
        self.arrivals = 0;
        self.served = 0;
        self.timeouts = 0;
        self.failed = 0;
        self.retries = 0;
        self.gave_up = 0;
        self.served_late = 0;
        self.retries_denied = 0;
        self.breaker_rejected = 0;
        self.turned_away = 0;
        self.zero_waits = 0;
        self.waits_us.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_are_exact_nearest_rank_values() {
        let mut iv = Interval::default();
        for _ in 0..90 {
            iv.record_wait(SimDuration::ZERO);
        }
        for w in (1..=10u64).rev() {
            iv.record_wait(SimDuration::from_millis(w));
        }
        // 100 values: 90 zeros then 1..=10 ms. p50 = 0, p95 = 5 ms, p99 = 9 ms, max = 10 ms.
        let p = iv.percentiles();
        assert_eq!(p, Percentiles { p50_ms: 0.0, p95_ms: 5.0, p99_ms: 9.0, max_ms: 10.0 });
        iv.reset();
        assert_eq!(iv.percentiles(), Percentiles::default());
    }
}
