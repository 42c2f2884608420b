//! What one run comes to: the [`Outcome`] a replication records, and the [`Metric`]s
//! that name its figures.

use std::fmt;
use std::ops::Index;

use serde::ser::SerializeMap;
use serde::{Deserialize, Serialize, Serializer};

use crate::metrics::{Milestones, Sample, Summary};
use crate::sim::Simulation;

/// One figure of an [`Outcome`]. In JSON and CSV each is named by its [`key`](Self::key).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Metric {
    /// [`Outcome::first_exhaustion_s`].
    FirstExhaustionS,
    /// [`Outcome::first_timeout_s`].
    FirstTimeoutS,
    /// [`Outcome::failed_share`].
    FailedShare,
    /// [`Outcome::time_to_recover_s`].
    TimeToRecoverS,
    /// [`Outcome::peak_pending`].
    PeakPending,
    /// [`Outcome::p99_wait_ms`].
    P99WaitMs,
    /// [`Outcome::mean_wait_ms`].
    MeanWaitMs,
}

impl Metric {
    /// How many there are.
    pub const COUNT: usize = 7;

    /// Every metric, in the order outputs list them.
    pub const ALL: [Metric; Self::COUNT] = [
        Self::FirstExhaustionS,
        Self::FirstTimeoutS,
        Self::FailedShare,
        Self::TimeToRecoverS,
        Self::PeakPending,
        Self::P99WaitMs,
        Self::MeanWaitMs,
    ];

    /// Its name in JSON and CSV: the [`Outcome`] field's.
    pub const fn key(self) -> &'static str {
        match self {
            Self::FirstExhaustionS => "first_exhaustion_s",
            Self::FirstTimeoutS => "first_timeout_s",
            Self::FailedShare => "failed_share",
            Self::TimeToRecoverS => "time_to_recover_s",
            Self::PeakPending => "peak_pending",
            Self::P99WaitMs => "p99_wait_ms",
            Self::MeanWaitMs => "mean_wait_ms",
        }
    }

    /// The metric named `key`.
    pub fn from_key(key: &str) -> Option<Metric> {
        Self::ALL.into_iter().find(|m| m.key() == key)
    }

    /// A run may lack it (`None`: it did not happen), as the milestones.
    pub const fn optional(self) -> bool {
        matches!(self, Self::FirstExhaustionS | Self::FirstTimeoutS | Self::TimeToRecoverS)
    }

    /// The values it can take, `(low, high)`: never negative, a share at most 1.
    pub const fn bounds(self) -> (f64, f64) {
        match self {
            Self::FailedShare => (0.0, 1.0),
            _ => (0.0, f64::INFINITY),
        }
    }

    /// Its position in [`ALL`](Self::ALL) (and among the outcome columns of a CSV).
    pub const fn index(self) -> usize {
        self as usize
    }
}

/// What one run comes to, the figures replications are compared on. Times are seconds
/// from the scenario start, `None` when it did not happen.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Outcome {
    /// The first time every connection was in use while a request waited
    /// ([`Milestones::first_exhaustion_s`]); `None`: the pool never ran out.
    pub first_exhaustion_s: Option<f64>,
    /// The first acquire timeout ([`Milestones::first_timeout_s`]).
    pub first_timeout_s: Option<f64>,
    /// Share of the requests that failed, 0–1 ([`RunCounts::failed_share`](crate::RunCounts)).
    pub failed_share: f64,
    /// From the start of the outage (its first timeout or refusal, whichever came first)
    /// to [`Milestones::recovered_s`] (the last failure, once 60 s passed without another):
    /// the column `poolsim compare` shows. `None` when nothing timed out or was refused, or
    /// the run was still failing at its end.
    pub time_to_recover_s: Option<f64>,
    /// The most requests waiting for a connection at the end of any simulated second
    /// (the samples' `pending`, `hikaricp_connections_pending`).
    pub peak_pending: u32,
    /// 99th percentile acquire time of the served requests [ms] ([`Summary::p99_wait_ms`]).
    pub p99_wait_ms: f64,
    /// Mean acquire time of the served requests [ms] ([`Summary::mean_wait_ms`]): the
    /// figure queueing theory predicts (Erlang C).
    pub mean_wait_ms: f64,
}

impl Outcome {
    /// The outcome of a run whose summary is `summary` and samples `samples`.
    pub fn from_run(summary: &Summary, samples: &[Sample]) -> Self {
        let m = &summary.milestones;
        Outcome {
            first_exhaustion_s: m.first_exhaustion_s,
            first_timeout_s: m.first_timeout_s,
            failed_share: summary.counts.failed_share,
            time_to_recover_s: time_to_recover_s(m),
            peak_pending: samples.iter().map(|s| s.gauges.pending).max().unwrap_or(0),
            p99_wait_ms: summary.p99_wait_ms,
            mean_wait_ms: summary.mean_wait_ms,
        }
    }

    /// The outcome of `sim` so far (run it to its end first).
    pub fn of(sim: &Simulation) -> Self {
        Self::from_run(&sim.summary(), sim.samples())
    }

    /// The pool ran out at some point.
    pub fn ran_out(&self) -> bool {
        self.first_exhaustion_s.is_some()
    }

    /// The value of `metric`; `None` when it did not happen.
    pub fn get(&self, metric: Metric) -> Option<f64> {
        match metric {
            Metric::FirstExhaustionS => self.first_exhaustion_s,
            Metric::FirstTimeoutS => self.first_timeout_s,
            Metric::FailedShare => Some(self.failed_share),
            Metric::TimeToRecoverS => self.time_to_recover_s,
            Metric::PeakPending => Some(f64::from(self.peak_pending)),
            Metric::P99WaitMs => Some(self.p99_wait_ms),
            Metric::MeanWaitMs => Some(self.mean_wait_ms),
        }
    }

    /// An outcome from its values in [`Metric::ALL`] order (as a CSV row holds them),
    /// checked: finite, not negative, a share within 0–1, a whole count, and only the
    /// optional metrics missing.
    pub fn from_values(values: &PerMetric<Option<f64>>) -> Result<Outcome, OutcomeError> {
        for (metric, value) in values.iter() {
            let problem = match *value {
                None if !metric.optional() => Some("is missing"),
                Some(v) if !v.is_finite() || v < metric.bounds().0 => Some("must be a number, 0 or more"),
                Some(v) if v > metric.bounds().1 => Some("must be a share, 0 to 1"),
                Some(v) if metric == Metric::PeakPending && (v.fract() != 0.0 || v > f64::from(u32::MAX)) => {
                    Some("must be a whole number")
                }
                _ => None,
            };
            if let Some(reason) = problem {
                return Err(OutcomeError { metric, reason });
            }
        }
        let required = |m: Metric| values[m].unwrap_or(0.0);
        Ok(Outcome {
            first_exhaustion_s: values[Metric::FirstExhaustionS],
            first_timeout_s: values[Metric::FirstTimeoutS],
            failed_share: required(Metric::FailedShare),
            time_to_recover_s: values[Metric::TimeToRecoverS],
            // Checked above: a whole number within u32.
            peak_pending: required(Metric::PeakPending) as u32,
            p99_wait_ms: required(Metric::P99WaitMs),
            mean_wait_ms: required(Metric::MeanWaitMs),
        })
    }

    /// Its values in [`Metric::ALL`] order.
    pub fn values(&self) -> PerMetric<Option<f64>> {
        PerMetric::from_fn(|m| self.get(m))
    }
}

/// From the outage's start (first timeout or refusal) to its recovery [s].
fn time_to_recover_s(m: &Milestones) -> Option<f64> {
    let start = [m.first_timeout_s, m.first_refusal_s].into_iter().flatten().reduce(f64::min)?;
    m.recovered_s.filter(|&end| end >= start).map(|end| end - start)
}

/// A value [`Outcome::from_values`] refuses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OutcomeError {
    /// Whose value.
    pub metric: Metric,
    /// What is wrong with it.
    pub reason: &'static str,
}

impl fmt::Display for OutcomeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}` {}", self.metric.key(), self.reason)
    }
}

impl std::error::Error for OutcomeError {}

/// One `T` per [`Metric`], in [`Metric::ALL`] order. In JSON, an object keyed by
/// [`Metric::key`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PerMetric<T>([T; Metric::COUNT]);

impl<T> PerMetric<T> {
    /// `f(metric)` for each metric.
    pub fn from_fn(mut f: impl FnMut(Metric) -> T) -> Self {
        Self(std::array::from_fn(|i| f(Metric::ALL[i])))
    }

    /// Each metric with its value, in [`Metric::ALL`] order.
    pub fn iter(&self) -> impl Iterator<Item = (Metric, &T)> + '_ {
        Metric::ALL.into_iter().zip(self.0.iter())
    }
}

impl<T> Index<Metric> for PerMetric<T> {
    type Output = T;
    fn index(&self, metric: Metric) -> &T {
        &self.0[metric.index()]
    }
}

impl<T: Serialize> Serialize for PerMetric<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(Metric::COUNT))?;
        for (metric, value) in self.iter() {
            map.serialize_entry(metric.key(), value)?;
        }
        map.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::RunCounts;

    #[test]
    fn time_to_recover_runs_from_the_first_timeout_or_refusal_to_the_recovery() {
        let m = |timeout, refusal, recovered| Milestones {
            first_timeout_s: timeout,
            first_refusal_s: refusal,
            recovered_s: recovered,
            ..Milestones::default()
        };
        assert_eq!(time_to_recover_s(&m(Some(100.0), None, Some(400.0))), Some(300.0));
        assert_eq!(time_to_recover_s(&m(Some(100.0), Some(50.0), Some(400.0))), Some(350.0));
        assert_eq!(time_to_recover_s(&m(Some(100.0), None, None)), None, "still failing");
        assert_eq!(time_to_recover_s(&m(None, None, Some(400.0))), None, "no outage");
    }

    #[test]
    fn an_outcome_reads_the_summary_and_the_busiest_second() {
        let summary = Summary {
            counts: RunCounts { failed_share: 0.25, ..RunCounts::default() },
            milestones: Milestones {
                first_exhaustion_s: Some(12.5),
                first_timeout_s: Some(42.0),
                recovered_s: Some(100.0),
                ..Milestones::default()
            },
            p99_wait_ms: 30_000.0,
            mean_wait_ms: 800.0,
            ..Summary::default()
        };
        let mut samples = [Sample::default(); 3];
        samples[1].gauges.pending = 17;
        samples[2].gauges.pending = 4;
        let o = Outcome::from_run(&summary, &samples);
        assert_eq!(
            o,
            Outcome {
                first_exhaustion_s: Some(12.5),
                first_timeout_s: Some(42.0),
                failed_share: 0.25,
                time_to_recover_s: Some(58.0),
                peak_pending: 17,
                p99_wait_ms: 30_000.0,
                mean_wait_ms: 800.0,
            }
        );
        assert!(o.ran_out());
        assert_eq!(Outcome::from_values(&o.values()), Ok(o));
    }

    #[test]
    fn values_an_outcome_cannot_have_are_refused_naming_the_metric() {
        let ok = Outcome { peak_pending: 3, ..Outcome::default() }.values();
        let with = |metric: Metric, v: Option<f64>| {
            let mut values = ok;
            values.0[metric.index()] = v;
            Outcome::from_values(&values).map_err(|e| e.to_string())
        };
        assert!(with(Metric::FirstTimeoutS, None).is_ok());
        assert_eq!(with(Metric::FailedShare, None), Err("`failed_share` is missing".to_owned()));
        assert_eq!(
            with(Metric::FailedShare, Some(1.5)),
            Err("`failed_share` must be a share, 0 to 1".to_owned())
        );
        assert_eq!(
            with(Metric::PeakPending, Some(2.5)),
            Err("`peak_pending` must be a whole number".to_owned())
        );
        assert!(with(Metric::P99WaitMs, Some(f64::NAN)).is_err());
        assert!(with(Metric::FirstExhaustionS, Some(-1.0)).is_err());
    }

    #[test]
    fn per_metric_values_are_an_object_in_metric_order() {
        let json = serde_json::to_string(&PerMetric::from_fn(|m| m.key().len())).expect("serialises");
        assert!(json.starts_with(r#"{"first_exhaustion_s":18,"first_timeout_s":15,"#), "{json}");
        assert!(Metric::ALL.into_iter().all(|m| Metric::from_key(m.key()) == Some(m)));
    }
}
