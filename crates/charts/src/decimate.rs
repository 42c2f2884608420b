//! Decimation: at most `max_points` samples to draw, whatever the length of the run.
//!
//! Consecutive samples are grouped in buckets and each bucket becomes one sample, stamped
//! at the bucket's end so the axis stays exact. How a bucket is reduced depends on what the
//! chart must not lose ([`Reduce`]): the connections chart keeps its *busiest* second, so
//! spikes and the exhaustion plateau survive and stacked series stay consistent (they come
//! from one real sample); the pending and timeouts charts keep their peaks; the acquire-time
//! chart keeps its worst wait and a gap only where nothing at all was served; the
//! throughput chart averages its rates.

use poolsim_engine::Sample;

/// How a bucket of consecutive samples becomes the one sample drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reduce {
    /// The second with the most connections in use, then the most waiters, then timeouts.
    Busiest,
    /// The second with the most requests waiting (the pending chart's peak survives).
    MostPending,
    /// The second with the most timeouts, then the most failures.
    MostFailures,
    /// Of the seconds that served anything, the one with the worst p99 acquire time; a
    /// second with nothing served (a gap) only when the whole bucket served nothing.
    WorstWait,
    /// Arrivals, served, timeouts and failures averaged per second over the bucket
    /// (rounded); gauges from the bucket's last second.
    MeanRates,
}

/// At most `max_points` busiest samples from `samples`, in time order ([`Reduce::Busiest`]).
pub fn decimate(samples: &[Sample], max_points: usize) -> Vec<Sample> {
    decimate_with(samples, max_points, Reduce::Busiest)
}

/// At most `max_points` samples from `samples`, in time order, each bucket reduced by `reduce`.
pub fn decimate_with(samples: &[Sample], max_points: usize, reduce: Reduce) -> Vec<Sample> {
    if max_points == 0 {
        return Vec::new();
    }
    if samples.len() <= max_points {
        return samples.to_vec();
    }
    let bucket = samples.len().div_ceil(max_points);
    samples
        .chunks(bucket)
        .filter_map(|chunk| {
            let last = chunk.last()?;
            let chosen = match reduce {
                Reduce::Busiest => {
                    *chunk.iter().max_by_key(|s| (s.gauges.active, s.gauges.pending, s.timeouts))?
                }
                Reduce::MostPending => *chunk.iter().max_by_key(|s| (s.gauges.pending, s.gauges.active))?,
                Reduce::MostFailures => *chunk.iter().max_by_key(|s| (s.timeouts, s.failed))?,
                Reduce::WorstWait => chunk
                    .iter()
                    .filter(|s| s.served > 0)
                    .max_by(|a, b| a.acquire_p99_ms.total_cmp(&b.acquire_p99_ms))
                    .copied()
                    .unwrap_or(*last),
                Reduce::MeanRates => mean_rates(chunk, last),
            };
            // Stamped at the bucket's end so the axis still reaches the end of the run.
            Some(Sample { t_s: last.t_s, ..chosen })
        })
        .collect()
}

/// `last` with its per-second counters replaced by their rounded means over `chunk`.
fn mean_rates(chunk: &[Sample], last: &Sample) -> Sample {
    let n = chunk.len().max(1) as u64;
    let mean = |field: fn(&Sample) -> u32| {
        let sum: u64 = chunk.iter().map(|s| u64::from(field(s))).sum();
        u32::try_from((sum + n / 2) / n).unwrap_or(u32::MAX)
    };
    Sample {
        arrivals: mean(|s| s.arrivals),
        served: mean(|s| s.served),
        timeouts: mean(|s| s.timeouts),
        failed: mean(|s| s.failed),
        ..*last
    }
}

#[cfg(test)]
mod tests {
    use poolsim_engine::Gauges;

    use super::*;

    fn series(n: u32) -> Vec<Sample> {
        (1..=n)
            .map(|t| Sample {
                t_s: t,
                gauges: Gauges { active: t % 97, max: 100, ..Gauges::default() },
                ..Sample::default()
            })
            .collect()
    }

    #[test]
    fn long_runs_are_bounded_and_keep_their_peaks() {
        let all = series(18_000);
        let few = decimate(&all, 600);
        assert!(few.len() <= 600);
        assert_eq!(few.last().map(|s| s.t_s), Some(18_000), "the axis still reaches the end");
        assert_eq!(few.iter().map(|s| s.gauges.active).max(), Some(96), "the peak survives");
        assert!(few.windows(2).all(|w| w[0].t_s < w[1].t_s), "time order kept");
    }

    #[test]
    fn short_runs_are_untouched() {
        let all = series(300);
        assert_eq!(decimate(&all, 600), all);
        assert!(decimate(&all, 0).is_empty());
    }

    #[test]
    fn the_pending_peak_survives_even_when_another_second_was_busier() {
        // The busiest second (most in use) is not the one with the most waiters.
        let all: Vec<Sample> = (1..=100)
            .map(|t| Sample {
                t_s: t,
                gauges: Gauges {
                    active: if t == 10 { 50 } else { 40 },
                    pending: u32::from(t == 20) * 9,
                    ..Gauges::default()
                },
                ..Sample::default()
            })
            .collect();
        let few = decimate_with(&all, 2, Reduce::MostPending);
        assert_eq!(few.iter().map(|s| s.gauges.pending).max(), Some(9));
        assert_eq!(
            decimate(&all, 2).iter().map(|s| s.gauges.pending).max(),
            Some(0),
            "busiest would lose it"
        );
    }

    #[test]
    fn worst_wait_keeps_served_seconds_and_gaps_only_where_nothing_was_served() {
        let wait = |t: u32, served: u32, p99: f64| Sample {
            t_s: t,
            served,
            acquire_p99_ms: p99,
            ..Sample::default()
        };
        // Bucket 1: a starved second beside served ones; bucket 2: nothing served at all.
        let all = [
            wait(1, 5, 2.0),
            wait(2, 0, 0.0),
            wait(3, 3, 40.0),
            wait(4, 0, 0.0),
            wait(5, 0, 0.0),
            wait(6, 0, 0.0),
        ];
        let few = decimate_with(&all, 2, Reduce::WorstWait);
        assert_eq!(few.len(), 2);
        assert_eq!((few[0].t_s, few[0].served, few[0].acquire_p99_ms), (3, 3, 40.0), "worst served second");
        assert_eq!((few[1].t_s, few[1].served), (6, 0), "a gap where nothing was served");
    }

    #[test]
    fn mean_rates_average_the_counters_per_second() {
        let all: Vec<Sample> = (1..=4)
            .map(|t| Sample { t_s: t, arrivals: 10 * t, served: 10, failed: t % 2, ..Sample::default() })
            .collect();
        let few = decimate_with(&all, 1, Reduce::MeanRates);
        assert_eq!(few.len(), 1);
        assert_eq!((few[0].t_s, few[0].arrivals, few[0].served, few[0].failed), (4, 25, 10, 1));
    }
}
