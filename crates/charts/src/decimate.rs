//! Decimation: at most `max_points` samples to draw, whatever the length of the run.
//!
//! Consecutive samples are grouped in buckets and each bucket becomes one sample, stamped
//! at the bucket's end so the axis stays exact. How a bucket is reduced depends on what the
//! chart must not lose ([`Reduce`]): the connections chart keeps its *busiest* second, so
//! spikes and the exhaustion plateau survive and stacked series stay consistent (they come
//! from one real sample); the pending and timeouts charts keep their peaks; the acquire-time
//! chart keeps its worst wait and a gap only where nothing at all was served; the
//! throughput chart averages its rates. The database's samples are decimated the same way
//! ([`DatabaseReduce`]): its charts keep their peaks too, and so do the application
//! servers' ([`decimate_server`]).

use poolsim_engine::{AppSample, CallerSample, DatabaseSample, Sample};

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

/// How a bucket of consecutive database samples becomes the one drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DatabaseReduce {
    /// The second with the most connections open, then the most queries running.
    MostConnections,
    /// The second with the cores busiest.
    BusiestCpu,
    /// Of the seconds that finished a query, the one whose queries were stretched most; a
    /// second with no query finished (a gap) only when the whole bucket finished none.
    MostStretched,
}

/// How a bucket of consecutive callers' samples becomes the one drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CallersReduce {
    /// Every count averaged per second over the bucket (rounded); the breaker's state from
    /// the bucket's last second.
    MeanRates,
}

/// How many samples a plot `width_px` device pixels wide draws: one per two pixels, enough
/// detail at a flat cost however long the run.
pub fn points_for_width(width_px: u32) -> usize {
    (width_px / 2).max(2) as usize
}

/// At most `max_points` busiest samples from `samples`, in time order ([`Reduce::Busiest`]).
pub fn decimate(samples: &[Sample], max_points: usize) -> Vec<Sample> {
    decimate_with(samples, max_points, Reduce::Busiest)
}

/// At most `max_points` samples from `samples`, in time order, each bucket reduced by `reduce`.
pub fn decimate_with(samples: &[Sample], max_points: usize, reduce: Reduce) -> Vec<Sample> {
    buckets(samples, max_points, |chunk, last| match reduce {
        Reduce::Busiest => {
            chunk.iter().max_by_key(|s| (s.gauges.active, s.gauges.pending, s.timeouts)).copied()
        }
        Reduce::MostPending => chunk.iter().max_by_key(|s| (s.gauges.pending, s.gauges.active)).copied(),
        Reduce::MostFailures => chunk.iter().max_by_key(|s| (s.timeouts, s.failed)).copied(),
        Reduce::WorstWait => Some(worst(chunk, last, |s| s.served > 0, |s| s.acquire_p99_ms)),
        Reduce::MeanRates => Some(mean_rates(chunk, last)),
    })
}

/// At most `max_points` database samples from `samples`, in time order, each bucket
/// reduced by `reduce`.
pub fn decimate_database(
    samples: &[DatabaseSample],
    max_points: usize,
    reduce: DatabaseReduce,
) -> Vec<DatabaseSample> {
    buckets(samples, max_points, |chunk, last| match reduce {
        DatabaseReduce::MostConnections => chunk.iter().max_by_key(|s| (s.connections, s.running)).copied(),
        DatabaseReduce::BusiestCpu => {
            chunk.iter().max_by(|a, b| a.utilisation.total_cmp(&b.utilisation)).copied()
        }
        DatabaseReduce::MostStretched => Some(worst(chunk, last, |s| s.queries > 0, |s| s.stretch)),
    })
}

/// At most `max_points` callers' samples from `samples`, in time order, each bucket
/// reduced by `reduce`.
pub fn decimate_callers(
    samples: &[CallerSample],
    max_points: usize,
    reduce: CallersReduce,
) -> Vec<CallerSample> {
    buckets(samples, max_points, |chunk, last| match reduce {
        CallersReduce::MeanRates => {
            let mean = |field: fn(&CallerSample) -> u32| mean_of(chunk, field);
            Some(CallerSample {
                first_tries: mean(|c| c.first_tries),
                retries: mean(|c| c.retries),
                goodput: mean(|c| c.goodput),
                gave_up: mean(|c| c.gave_up),
                served_late: mean(|c| c.served_late),
                retries_denied: mean(|c| c.retries_denied),
                breaker_rejected: mean(|c| c.breaker_rejected),
                ..*last
            })
        }
    })
}

/// At most `max_points` application servers' samples from `samples`, in time order, each
/// bucket its worst: the most threads busy and attempts queued, the fewest instances in
/// the balancer, the refusals averaged per second.
pub fn decimate_server(samples: &[AppSample], max_points: usize) -> Vec<AppSample> {
    buckets(samples, max_points, |chunk, last| {
        let most = |field: fn(&AppSample) -> u32| chunk.iter().map(field).max().unwrap_or(0);
        Some(AppSample {
            threads_busy: most(|s| s.threads_busy),
            accept_queue: most(|s| s.accept_queue),
            rejected: mean_of(chunk, |s| s.rejected),
            in_balancer: chunk.iter().map(|s| s.in_balancer).min().unwrap_or(0),
            ..*last
        })
    })
}

/// A sample of one simulated second, the pool's or the database's: what the charts plot
/// against time and decimation restamps.
pub trait PerSecond: Copy {
    /// Its time: the end of its second [s from the start].
    fn t_s(&self) -> u32;
    /// The same sample at `t_s`.
    fn at(self, t_s: u32) -> Self;
}

impl PerSecond for Sample {
    fn t_s(&self) -> u32 {
        self.t_s
    }
    fn at(self, t_s: u32) -> Self {
        Self { t_s, ..self }
    }
}

impl PerSecond for CallerSample {
    fn t_s(&self) -> u32 {
        self.t_s
    }
    fn at(self, t_s: u32) -> Self {
        Self { t_s, ..self }
    }
}

impl PerSecond for AppSample {
    fn t_s(&self) -> u32 {
        self.t_s
    }
    fn at(self, t_s: u32) -> Self {
        Self { t_s, ..self }
    }
}

impl PerSecond for DatabaseSample {
    fn t_s(&self) -> u32 {
        self.t_s
    }
    fn at(self, t_s: u32) -> Self {
        Self { t_s, ..self }
    }
}

/// At most `max_points` of `samples`: each bucket of consecutive seconds becomes the sample
/// `pick` chooses from it (given the bucket and its last second), stamped at its last second.
fn buckets<T: PerSecond>(samples: &[T], max_points: usize, pick: impl Fn(&[T], &T) -> Option<T>) -> Vec<T> {
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
            // Stamped at the bucket's end so the axis still reaches the end of the run.
            Some(pick(chunk, last)?.at(last.t_s()))
        })
        .collect()
}

/// The mean of `field` over `chunk`, rounded to the nearest whole.
fn mean_of<T>(chunk: &[T], field: fn(&T) -> u32) -> u32 {
    let n = chunk.len().max(1) as u64;
    let sum: u64 = chunk.iter().map(|s| u64::from(field(s))).sum();
    u32::try_from((sum + n / 2) / n).unwrap_or(u32::MAX)
}

/// Of the seconds of `chunk` with a value (`has_value`), the one with the largest `key`;
/// `last` (a gap) when none has one.
fn worst<T: Copy>(chunk: &[T], last: &T, has_value: impl Fn(&T) -> bool, key: impl Fn(&T) -> f64) -> T {
    chunk.iter().filter(|s| has_value(s)).max_by(|a, b| key(a).total_cmp(&key(b))).copied().unwrap_or(*last)
}

/// `last` with its per-second counters replaced by their rounded means over `chunk`.
fn mean_rates(chunk: &[Sample], last: &Sample) -> Sample {
    let mean = |field: fn(&Sample) -> u32| mean_of(chunk, field);
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
    fn database_peaks_survive_and_seconds_without_queries_are_gaps_only_when_the_bucket_had_none() {
        let db = |t: u32, connections: u32, utilisation: f64, queries: u32, stretch: f64| DatabaseSample {
            t_s: t,
            connections,
            utilisation,
            queries,
            stretch,
            ..DatabaseSample::default()
        };
        let all = [
            db(1, 5, 0.2, 10, 1.1),
            db(2, 9, 0.9, 0, 1.0),
            db(3, 7, 0.5, 4, 2.5),
            db(4, 1, 0.1, 0, 1.0),
            db(5, 2, 0.0, 0, 1.0),
            db(6, 3, 0.3, 0, 1.0),
        ];
        let pick = |reduce| decimate_database(&all, 2, reduce);
        let connections = pick(DatabaseReduce::MostConnections);
        assert_eq!(connections.iter().map(|s| (s.t_s, s.connections)).collect::<Vec<_>>(), [(3, 9), (6, 3)]);
        let cpu = pick(DatabaseReduce::BusiestCpu);
        assert_eq!(cpu.iter().map(|s| s.utilisation).collect::<Vec<_>>(), [0.9, 0.3]);
        let stretch = pick(DatabaseReduce::MostStretched);
        assert_eq!((stretch[0].stretch, stretch[0].queries), (2.5, 4), "worst second that ran queries");
        assert_eq!((stretch[1].t_s, stretch[1].queries), (6, 0), "a gap where no query finished");
        assert_eq!(decimate_database(&all, 10, DatabaseReduce::BusiestCpu), all, "short runs are untouched");
        assert_eq!(points_for_width(1200), 600);
        assert_eq!(points_for_width(1), 2);
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
