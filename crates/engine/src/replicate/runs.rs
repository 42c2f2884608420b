//! [`Replications`]: outcomes by run index, pushed in any order, merged from anywhere,
//! and what they come to ([`Report`], [`Comparison`]).

use std::collections::BTreeMap;
use std::fmt;

use serde::Serialize;

use super::outcome::{Metric, Outcome, PerMetric};
use super::stats::{Difference, Share, Stats};

/// The outcomes of a scenario's replications, by run index.
///
/// Kept in run-index order whatever order they came in, so two accumulators holding the
/// same runs give the same statistics to the bit, however the runs were split between
/// threads or machines and merged back.
///
/// ```
/// use poolsim_engine::replicate::{Outcome, Replications};
/// let outcome = |wait| Outcome { mean_wait_ms: wait, ..Outcome::default() };
/// let (mut a, mut b) = (Replications::new(), Replications::new());
/// a.push(2, outcome(3.0)).unwrap();
/// b.push(0, outcome(1.0)).unwrap();
/// b.push(1, outcome(2.0)).unwrap();
/// a.merge(b).unwrap();
/// assert_eq!(a.report().mean_wait_ms().mean, Some(2.0));
/// assert!(a.push(1, outcome(9.0)).is_err(), "run 1 is there already");
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Replications {
    runs: BTreeMap<u32, Outcome>,
}

/// A run index given twice (the same shard merged twice, say).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RepeatedRun {
    /// The run index.
    pub run: u32,
}

impl fmt::Display for RepeatedRun {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "run {} is there twice", self.run)
    }
}

impl std::error::Error for RepeatedRun {}

impl Replications {
    /// No runs yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Add run `run`'s outcome; a run already there is refused.
    pub fn push(&mut self, run: u32, outcome: Outcome) -> Result<(), RepeatedRun> {
        match self.runs.entry(run) {
            std::collections::btree_map::Entry::Occupied(_) => Err(RepeatedRun { run }),
            std::collections::btree_map::Entry::Vacant(slot) => {
                slot.insert(outcome);
                Ok(())
            }
        }
    }

    /// Add every run of `other`. If a run is in both, nothing is added.
    pub fn merge(&mut self, other: Replications) -> Result<(), RepeatedRun> {
        if let Some(&run) = other.runs.keys().find(|run| self.runs.contains_key(run)) {
            return Err(RepeatedRun { run });
        }
        self.runs.extend(other.runs);
        Ok(())
    }

    /// Runs held.
    pub fn len(&self) -> usize {
        self.runs.len()
    }

    /// No runs held.
    pub fn is_empty(&self) -> bool {
        self.runs.is_empty()
    }

    /// Each run's index and outcome, in run order.
    pub fn iter(&self) -> impl Iterator<Item = (u32, &Outcome)> + '_ {
        self.runs.iter().map(|(&run, outcome)| (run, outcome))
    }

    /// Run `run`'s outcome.
    pub fn get(&self, run: u32) -> Option<&Outcome> {
        self.runs.get(&run)
    }

    /// The lowest index below the highest one held that is missing (a shard left out of a
    /// merge); `None` when the runs are 0, 1, … without a gap.
    pub fn first_gap(&self) -> Option<u32> {
        (0u32..).zip(self.runs.keys()).find(|(expected, run)| expected != *run).map(|(expected, _)| expected)
    }

    /// The values of `metric` in run order, skipping runs where it did not happen.
    pub fn values(&self, metric: Metric) -> Vec<f64> {
        self.runs.values().filter_map(|o| o.get(metric)).collect()
    }

    /// What the runs come to: each figure's statistics, and how often the pool ran out.
    pub fn report(&self) -> Report {
        let count = |f: fn(&Outcome) -> bool| self.runs.values().filter(|o| f(o)).count();
        Report {
            runs: run_count(self.len()),
            ran_out: Share::new(run_count(count(Outcome::ran_out)), run_count(self.len())),
            metrics: PerMetric::from_fn(|m| {
                let (low, high) = m.bounds();
                Stats::of(&self.values(m)).within(low, high)
            }),
        }
    }

    /// `self` (a variant) against `base`, pairing runs of the same index: each figure's
    /// mean difference `self − base` over the pairs where both runs have it, and the
    /// difference in running out (1 for a run that ran out, 0 otherwise).
    pub fn compare(&self, base: &Replications) -> Comparison {
        let pairs: Vec<(&Outcome, &Outcome)> =
            self.runs.iter().filter_map(|(run, o)| base.runs.get(run).map(|b| (o, b))).collect();
        let differences = |f: &dyn Fn(&Outcome) -> Option<f64>| -> Vec<f64> {
            pairs.iter().filter_map(|(o, b)| Some(f(o)? - f(b)?)).collect()
        };
        let ran_out = |o: &Outcome| Some(if o.ran_out() { 1.0 } else { 0.0 });
        Comparison {
            pairs: run_count(pairs.len()),
            ran_out: Difference::of(&differences(&ran_out)),
            metrics: PerMetric::from_fn(|m| Difference::of(&differences(&|o: &Outcome| o.get(m)))),
        }
    }
}

/// A count of runs (at most [`MAX_RUNS`](super::MAX_RUNS) in practice) as `u32`.
fn run_count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// What a set of replications comes to. In JSON: `runs`, `ran_out`, then one object of
/// [`Stats`] per [`Metric`], keyed by its name.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Report {
    /// Runs.
    pub runs: u32,
    /// The runs where the pool ran out at all.
    pub ran_out: Share,
    /// Each figure's statistics over the runs where it has a value.
    #[serde(flatten)]
    pub metrics: PerMetric<Stats>,
}

impl Report {
    /// The statistics of `metric`.
    pub fn stats(&self, metric: Metric) -> &Stats {
        &self.metrics[metric]
    }

    /// The mean wait's statistics (the figure queueing theory predicts).
    pub fn mean_wait_ms(&self) -> &Stats {
        self.stats(Metric::MeanWaitMs)
    }
}

/// A variant against the base over paired runs. In JSON: `pairs`, `ran_out`, then one
/// [`Difference`] per [`Metric`], keyed by its name.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Comparison {
    /// Runs of the same index in both.
    pub pairs: u32,
    /// Ran out (1) or not (0), variant − base: −0.3 = ran out in 30 % fewer runs.
    pub ran_out: Difference,
    /// Each figure's difference, variant − base.
    #[serde(flatten)]
    pub metrics: PerMetric<Difference>,
}

impl Comparison {
    /// The difference in `metric`.
    pub fn difference(&self, metric: Metric) -> &Difference {
        &self.metrics[metric]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outcome(i: u32) -> Outcome {
        let x = f64::from(i);
        Outcome {
            first_exhaustion_s: (!i.is_multiple_of(3)).then_some(100.0 + x * 7.25),
            failed_share: x / 1000.0,
            peak_pending: i * 3 % 11,
            p99_wait_ms: 0.1 * x,
            mean_wait_ms: 1.0 / (1.0 + x),
            ..Outcome::default()
        }
    }

    #[test]
    fn any_order_and_any_split_give_the_same_report_to_the_bit() {
        let mut whole = Replications::new();
        for i in 0..50 {
            whole.push(i, outcome(i)).expect("new run");
        }
        let (mut odd, mut even) = (Replications::new(), Replications::new());
        for i in (0..50u32).rev() {
            let half = if !i.is_multiple_of(2) { &mut odd } else { &mut even };
            half.push(i, outcome(i)).expect("new run");
        }
        odd.merge(even).expect("disjoint");
        assert_eq!(odd, whole);
        assert_eq!(odd.report(), whole.report());
        let json = |r: &Replications| serde_json::to_string(&r.report()).expect("serialises");
        assert_eq!(json(&odd), json(&whole));
        assert_eq!(whole.first_gap(), None);
    }

    #[test]
    fn a_run_given_twice_is_refused_and_a_missing_one_found() {
        let mut a = Replications::new();
        a.push(0, outcome(0)).expect("new");
        a.push(2, outcome(2)).expect("new");
        assert_eq!(a.push(2, outcome(5)), Err(RepeatedRun { run: 2 }));
        assert_eq!(a.first_gap(), Some(1));
        let mut b = Replications::new();
        b.push(1, outcome(1)).expect("new");
        b.push(2, outcome(2)).expect("new");
        assert_eq!(a.clone().merge(b), Err(RepeatedRun { run: 2 }));
        assert_eq!(a.len(), 2, "a refused merge adds nothing");
    }

    #[test]
    fn the_report_counts_runs_that_ran_out_and_skips_missing_values() {
        let mut r = Replications::new();
        for i in 0..9 {
            r.push(i, outcome(i)).expect("new");
        }
        let report = r.report();
        assert_eq!(report.runs, 9);
        assert_eq!((report.ran_out.count, report.ran_out.of), (6, 9), "runs 0, 3 and 6 never ran out");
        assert_eq!(report.stats(Metric::FirstExhaustionS).n, 6);
        assert_eq!(report.stats(Metric::FirstTimeoutS), &Stats::default());
        assert_eq!(report.stats(Metric::FailedShare).n, 9);
        let json = serde_json::to_string(&report).expect("serialises");
        assert!(json.starts_with(r#"{"runs":9,"ran_out":{"count":6,"of":9,"#), "{json}");
        assert!(json.contains(r#""first_timeout_s":{"n":0,"mean":null,"#), "{json}");
    }

    #[test]
    fn paired_differences_pair_runs_by_index() {
        let (mut base, mut fix) = (Replications::new(), Replications::new());
        for i in 0..20 {
            base.push(i, outcome(i)).expect("new");
            // The fix holds out 60 s longer in every run where both ran out, and run 1 never runs out.
            let mut o = outcome(i);
            o.first_exhaustion_s = if i == 1 { None } else { o.first_exhaustion_s.map(|t| t + 60.0) };
            fix.push(i, o).expect("new");
        }
        fix.push(20, outcome(20)).expect("an unpaired run");
        let c = fix.compare(&base);
        assert_eq!(c.pairs, 20);
        let d = c.difference(Metric::FirstExhaustionS);
        assert_eq!((d.pairs, d.mean), (12, Some(60.0)));
        assert!(d.significant, "{d:?}");
        assert_eq!(c.difference(Metric::MeanWaitMs).mean, Some(0.0));
        assert!(!c.difference(Metric::MeanWaitMs).significant);
        assert_eq!(c.ran_out.mean, Some(-1.0 / 20.0));
    }
}
