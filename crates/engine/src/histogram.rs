//! A bounded log-linear histogram of acquire times [µs] for whole-run percentiles.
//!
//! Memory must not grow with the number of requests, so the run keeps counts per
//! bucket instead of every wait. Buckets are exact below 128 µs; above, each power of
//! two is split into 128 equal buckets (the HdrHistogram layout), so a bucket is at most
//! 1/128 of its lower bound wide and its midpoint is within 0.4 % of any value in it.
//! At most 7,424 buckets cover all of `u64`; the vector grows only as far as the
//! largest wait seen.

use crate::time::SimDuration;

/// Sub-buckets per power of two (and the exact range below it) = 2^SUB_BITS.
const SUB_BITS: u32 = 7;
const SUB: u64 = 1 << SUB_BITS;

/// Counts of waits [µs] in log-linear buckets, plus their exact sum and maximum.
#[derive(Clone, Debug, Default)]
pub(crate) struct WaitHistogram {
    counts: Vec<u64>,
    n: u64,
    sum_us: u128,
    max_us: u64,
}

/// Bucket index of `v`: `shift·128 + (v >> shift)` with `shift = max(0, ⌊log₂ v⌋ − 7)`.
fn index_of(v: u64) -> usize {
    let log2 = 63u32.saturating_sub(v.leading_zeros());
    let shift = log2.saturating_sub(SUB_BITS);
    // At most 56·128 + 255 = 7,423: fits in usize on every target.
    (u64::from(shift) * SUB + (v >> shift)) as usize
}

/// Midpoint of bucket `i` [µs]: the value reported for every wait in it.
fn midpoint_of(i: usize) -> f64 {
    let i = i as u64;
    let shift = if i < 2 * SUB { 0 } else { i / SUB - 1 };
    let low = (i - shift * SUB) << shift;
    let width = 1u64 << shift;
    low as f64 + (width - 1) as f64 / 2.0
}

impl WaitHistogram {
    /// Count one wait.
    pub(crate) fn record(&mut self, wait: SimDuration) {
        let wait_us = wait.as_micros();
        let i = index_of(wait_us);
        if i >= self.counts.len() {
            self.counts.resize(i + 1, 0);
        }
        self.counts[i] += 1;
        self.n += 1;
        self.sum_us += u128::from(wait_us);
        self.max_us = self.max_us.max(wait_us);
    }

    /// Waits recorded.
    pub(crate) fn count(&self) -> u64 {
        self.n
    }

    /// Exact mean wait [µs]; 0 with no waits.
    pub(crate) fn mean_us(&self) -> f64 {
        if self.n == 0 { 0.0 } else { self.sum_us as f64 / self.n as f64 }
    }

    /// Exact longest wait [µs].
    pub(crate) fn max_us(&self) -> u64 {
        self.max_us
    }

    /// Nearest-rank percentile `q` (0..=1) [µs], within 0.4 % (exact below 128 µs and
    /// never above the true maximum); 0 with no waits.
    pub(crate) fn quantile_us(&self, q: f64) -> f64 {
        if self.n == 0 {
            return 0.0;
        }
        let rank = nearest_rank(q, self.n);
        let mut seen = 0u64;
        for (i, &c) in self.counts.iter().enumerate() {
            seen += c;
            if seen >= rank {
                return midpoint_of(i).min(self.max_us as f64);
            }
        }
        self.max_us as f64
    }
}

/// The 1-based nearest rank of quantile `q` among `n` values: ⌈q·n⌉, at least 1.
pub(crate) fn nearest_rank(q: f64, n: u64) -> u64 {
    let r = crate::time::ceil_u64(q.clamp(0.0, 1.0) * n as f64);
    r.clamp(1, n.max(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buckets_are_contiguous_and_tight() {
        let mut last = 0usize;
        for v in (0u64..100_000).chain([u64::MAX / 3, u64::MAX]) {
            let i = index_of(v);
            assert!(i == last || i == last + 1 || v > 100_000, "gap at {v}");
            last = i;
            let mid = midpoint_of(i);
            assert!((mid - v as f64).abs() <= v as f64 / 256.0 + 0.5, "v={v} mid={mid}");
        }
        assert!(index_of(u64::MAX) < 7_424);
    }

    #[test]
    fn percentiles_stay_within_one_percent() {
        let mut h = WaitHistogram::default();
        for v in 1..=10_000u64 {
            h.record(SimDuration::from_micros(v * 37));
        }
        for (q, exact) in [(0.5, 5_000.0 * 37.0), (0.99, 9_900.0 * 37.0), (1.0, 10_000.0 * 37.0)] {
            let got = h.quantile_us(q);
            assert!((got - exact).abs() / exact < 0.01, "q={q} got={got} exact={exact}");
        }
        assert_eq!(h.max_us(), 370_000);
        assert!((h.mean_us() - 5_000.5 * 37.0).abs() < 1e-6);
    }
}
