//! Sweeps: a scenario replicated over a grid of settings, and the smallest pool that
//! survives.
//!
//! One batch of replications says how sure one setting's outcome is; choosing a setting
//! needs many: "which pool sizes survive this leak, and how often?". A [`Sweep`] steps one
//! or two [`Knob`]s over ranges ([`Axis`]: linear or log steps), and each cell — the
//! scenario with the knobs set — is replicated as `poolsim replicate` replicates a
//! scenario: replication `i` of every cell runs with [`replication_seed`]`(seed, i)`
//! ([`super::replicate`]), so the same requests arrive and leak in every cell (common random
//! numbers across cells: neighbouring cells differ by the knob, not by luck), and a cell's
//! statistics are exactly those of `poolsim replicate` on the scenario with those settings.
//!
//! A cell's runs are the existing [`Replications`]; what a heatmap shows of them is a
//! [`SweepOutcome`], and whether a cell "survives" is a [`Survival`] rule: the pool did not
//! run out (until a given time, or for the whole run) in at least a share of the runs
//! (95 %). [`smallest_pool`] searches pool sizes for the smallest that survives.
//!
//! As with replications, the engine runs one cell's replication at a time
//! ([`Sweep::run`]); running many at once (every core, shards on other machines) is the
//! caller's business, and the results depend only on the cell and run indices.
//!
//! [`replication_seed`]: super::replication_seed

mod axis;
mod knob;
mod smallest;

use std::fmt;

use serde::Serialize;

pub use axis::{AXIS_FORM, Axis, AxisError, MAX_STEPS, Scale};
pub use knob::Knob;
pub use smallest::{PoolSearch, Probe, Searching, smallest_pool};

use super::{Metric, Outcome, Replications, Share, Stats};
use crate::scenario::{Scenario, ScenarioError};

/// The most runs (cells × replications) one sweep may ask for: a typo in a step count
/// should not start a week of work.
pub const MAX_SWEEP_RUNS: u64 = 1_000_000;

/// One or two knobs over ranges; each combination of their values is a cell.
///
/// Cells are numbered row by row: cell `row × columns + column` has the `column`-th value
/// of `x` and the `row`-th of `y` (one row without `y`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Sweep {
    /// The knob along the columns.
    pub x: Axis,
    /// The knob along the rows, if any.
    pub y: Option<Axis>,
}

/// Which axis: for messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    /// The columns' knob.
    X,
    /// The rows' knob.
    Y,
}

/// One cell of a sweep: where it is and the knob values it runs with.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Cell {
    /// Its number (see [`Sweep`]).
    pub index: usize,
    /// Its column: the index of its `x` value.
    pub column: usize,
    /// Its row: the index of its `y` value (0 without `y`).
    pub row: usize,
    /// The `x` knob's value.
    pub x: f64,
    /// The `y` knob's value.
    pub y: Option<f64>,
}

/// A sweep the scenario cannot run.
#[derive(Clone, Debug, PartialEq)]
pub enum SweepError {
    /// Both axes vary the same knob.
    SameKnob(Knob),
    /// A value of one axis is refused by [`Scenario::validate`].
    Value {
        /// Whose value.
        side: Side,
        /// The value.
        value: f64,
        /// The scenario's refusal, naming the field.
        error: ScenarioError,
    },
    /// Two values accepted alone are refused together.
    Cell {
        /// The `x` value.
        x: f64,
        /// The `y` value.
        y: f64,
        /// The scenario's refusal, naming the field.
        error: ScenarioError,
    },
}

impl fmt::Display for SweepError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::SameKnob(knob) => write!(f, "`{}` is on both axes: sweep two different knobs", knob.path()),
            Self::Value { value, error, .. } => write!(f, "{value} is refused: {error}"),
            Self::Cell { x, y, error } => write!(f, "the cell ({x}, {y}) is refused: {error}"),
        }
    }
}

impl std::error::Error for SweepError {}

impl Sweep {
    /// A sweep of `x` (and `y`); refused when both vary the same knob.
    pub fn new(x: Axis, y: Option<Axis>) -> Result<Sweep, SweepError> {
        match y {
            Some(y) if y.knob == x.knob => Err(SweepError::SameKnob(x.knob)),
            _ => Ok(Sweep { x, y }),
        }
    }

    /// Columns: the `x` values.
    pub fn columns(&self) -> usize {
        self.x.steps as usize
    }

    /// Rows: the `y` values, or 1.
    pub fn rows(&self) -> usize {
        self.y.map_or(1, |y| y.steps as usize)
    }

    /// Cells.
    pub fn len(&self) -> usize {
        self.columns() * self.rows()
    }

    /// Never: an axis has at least two values.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Cell `index` (below [`len`](Self::len)).
    pub fn cell(&self, index: usize) -> Cell {
        let (row, column) = (index / self.columns(), index % self.columns());
        let x = self.x.values().get(column).copied().unwrap_or(self.x.to);
        let y = self.y.map(|y| y.values().get(row).copied().unwrap_or(y.to));
        Cell { index, column, row, x, y }
    }

    /// Every cell, in order.
    pub fn cells(&self) -> Vec<Cell> {
        let (xs, ys) = (self.x.values(), self.y.map(|y| y.values()));
        (0..self.len())
            .map(|index| {
                let (row, column) = (index / self.columns(), index % self.columns());
                Cell { index, column, row, x: xs[column], y: ys.as_ref().map(|ys| ys[row]) }
            })
            .collect()
    }

    /// The cell whose values are `x` and `y`, if there is one.
    pub fn find(&self, x: f64, y: Option<f64>) -> Option<usize> {
        self.cells().iter().find(|c| c.x == x && c.y == y).map(|c| c.index)
    }

    /// `base` as `cell` runs it: with the knobs set to the cell's values.
    pub fn scenario(&self, base: &Scenario, cell: &Cell) -> Scenario {
        let mut s = self.x.knob.with(base, cell.x);
        if let (Some(axis), Some(y)) = (self.y, cell.y) {
            axis.knob.set(&mut s, y);
        }
        s
    }

    /// Check that `base` runs with every value of each axis and in every cell, so that
    /// nothing is refused once runs have started.
    pub fn check(&self, base: &Scenario) -> Result<(), SweepError> {
        for (side, axis) in [(Side::X, Some(self.x)), (Side::Y, self.y)] {
            let Some(axis) = axis else { continue };
            for value in axis.values() {
                axis.knob.with(base, value).validate().map_err(|error| SweepError::Value {
                    side,
                    value,
                    error,
                })?;
            }
        }
        for cell in self.cells() {
            self.scenario(base, &cell).validate().map_err(|error| SweepError::Cell {
                x: cell.x,
                y: cell.y.unwrap_or_default(),
                error,
            })?;
        }
        Ok(())
    }

    /// The scenario's own values of the knobs, `(x, y)`: its place on the grid.
    pub fn own(&self, base: &Scenario) -> (f64, Option<f64>) {
        (self.x.knob.get(base), self.y.map(|y| y.knob.get(base)))
    }

    /// Run number `n` of a sweep with `runs` runs a cell: its cell's index and its
    /// replication. Runs are numbered cell by cell, `cell × runs + run`, which is how
    /// `--shard` shares them out and the page's workers are handed them.
    pub fn cell_and_run(n: u32, runs: u32) -> (usize, u32) {
        let runs = runs.max(1);
        ((n / runs) as usize, n % runs)
    }

    /// Run replication `run` of `cell` to its end and read its outcome.
    pub fn run(&self, base: &Scenario, cell: &Cell, run: u32) -> Result<Outcome, ScenarioError> {
        super::run(&self.scenario(base, cell), run)
    }
}

/// When a cell, or a pool, "survives": the pool did not run out (its first exhaustion)
/// until `until_s`, or in the whole run, in at least `share` of the runs.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Survival {
    /// Until when [s from the start]; `None`: the whole run.
    pub until_s: Option<f64>,
    /// The share of runs that must survive, 0–1.
    pub share: f64,
}

impl Default for Survival {
    /// The whole run, in 95 % of the runs.
    fn default() -> Self {
        Survival { until_s: None, share: Self::DEFAULT_SHARE }
    }
}

impl Survival {
    /// 95 % of the runs.
    pub const DEFAULT_SHARE: f64 = 0.95;

    /// This run survived: it never ran out, or only after `until_s` (running out exactly
    /// then does not survive until then).
    pub fn survived(&self, outcome: &Outcome) -> bool {
        match (outcome.first_exhaustion_s, self.until_s) {
            (None, _) => true,
            (Some(t), Some(until)) => t > until,
            (Some(_), None) => false,
        }
    }

    /// How many of `runs` survived, with the share's interval.
    pub fn count(&self, runs: &Replications) -> Share {
        let survived = runs.iter().filter(|(_, o)| self.survived(o)).count();
        Share::new(count(survived), count(runs.len()))
    }

    /// `share` of the runs is enough: at least [`share`](Self::share).
    pub fn holds(&self, share: &Share) -> bool {
        share.share.is_some_and(|s| s >= self.share)
    }
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// What a sweep shows of each cell: how often it survived, or the mean of a figure.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SweepOutcome {
    /// The share of runs that survived ([`Survival`]).
    Survived,
    /// The mean of a figure over the runs that have it.
    Mean(Metric),
}

impl SweepOutcome {
    /// Every outcome: survived first, then each [`Metric`].
    pub fn all() -> impl Iterator<Item = SweepOutcome> {
        std::iter::once(Self::Survived).chain(Metric::ALL.into_iter().map(Self::Mean))
    }

    /// Its name: `survived`, or the metric's key.
    pub fn key(self) -> &'static str {
        match self {
            Self::Survived => "survived",
            Self::Mean(m) => m.key(),
        }
    }

    /// The outcome named `key`.
    pub fn from_key(key: &str) -> Option<SweepOutcome> {
        Self::all().find(|o| o.key() == key)
    }

    /// Every name, for a message listing what is accepted.
    pub fn keys() -> String {
        Self::all().map(SweepOutcome::key).collect::<Vec<_>>().join(", ")
    }

    /// A share of runs or of requests, 0–1.
    pub fn is_share(self) -> bool {
        matches!(self, Self::Survived | Self::Mean(Metric::FailedShare))
    }

    /// Its value over a cell's `runs`; `None` when no run has the figure (the pool never
    /// ran out: no first exhaustion to average).
    pub fn value(self, runs: &Replications, survival: &Survival) -> Option<f64> {
        match self {
            Self::Survived => survival.count(runs).share,
            Self::Mean(metric) => Stats::of(&runs.values(metric)).mean,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn axis(text: &str) -> Axis {
        Axis::parse(text).expect("an axis")
    }

    #[test]
    fn cells_go_row_by_row_and_set_both_knobs() {
        let sweep = Sweep::new(axis("pool.max_size=10..30:3"), Some(axis("traffic.rate_per_s=50..100:2")))
            .expect("two knobs");
        assert_eq!((sweep.columns(), sweep.rows(), sweep.len()), (3, 2, 6));
        let cell = sweep.cell(4);
        assert_eq!((cell.column, cell.row, cell.x, cell.y), (1, 1, 20.0, Some(100.0)));
        assert_eq!(sweep.cells()[4], cell);
        let s = sweep.scenario(&Scenario::default(), &cell);
        assert_eq!((s.pool.max_size, s.traffic.rate_per_s), (20, 100.0));
        assert_eq!(sweep.find(30.0, Some(50.0)), Some(2));
        assert_eq!(Sweep::cell_and_run(4 * 10 + 7, 10), (4, 7), "cell 4's run 7 of 10");
        assert_eq!(
            Sweep::new(axis("pool.max_size=10..30:3"), Some(axis("pool.max_size=1..3:3"))),
            Err(SweepError::SameKnob(Knob::MaxSize))
        );
    }

    #[test]
    fn a_value_the_scenario_refuses_is_named_before_any_run() {
        let sweep = Sweep::new(axis("pool.max_size=0..30:4"), None).expect("one knob");
        let e = sweep.check(&Scenario::default()).expect_err("a pool of 0");
        assert!(matches!(e, SweepError::Value { side: Side::X, value: 0.0, .. }), "{e:?}");
        assert_eq!(
            e.to_string(),
            "0 is refused: pool.max_size: must be between 1 and 100000 connections, got 0"
        );
        // Go's two idle connections: a pool of 4 would keep 4 idle (min_idle defaults to
        // max_size), which the scenario refuses naming max_idle.
        let mut go = Scenario::default();
        go.pool.max_idle = Some(2);
        let sweep = Sweep::new(axis("pool.max_size=1..4:4"), None).expect("one knob");
        let e = sweep.check(&go).expect_err("max_idle below min_idle");
        assert!(
            matches!(&e, SweepError::Value { value: 3.0, error, .. } if error.path == "pool.max_idle"),
            "{e:?}"
        );
    }

    #[test]
    fn survival_counts_runs_that_did_not_run_out_until_the_time() {
        let runs = |times: &[Option<f64>]| {
            let mut r = Replications::new();
            for (i, t) in (0u32..).zip(times) {
                r.push(i, Outcome { first_exhaustion_s: *t, ..Outcome::default() }).expect("new run");
            }
            r
        };
        let r = runs(&[None, Some(100.0), Some(200.0), Some(300.0)]);
        let whole = Survival::default();
        assert_eq!((whole.count(&r).count, whole.count(&r).of), (1, 4));
        let until = Survival { until_s: Some(200.0), share: 0.5 };
        assert_eq!(until.count(&r).count, 2, "running out at 200 s does not survive until 200 s");
        assert!(until.holds(&until.count(&r)));
        assert!(!whole.holds(&whole.count(&r)));
        let nineteen = runs(&[[None; 19].as_slice(), &[Some(1.0)]].concat());
        assert!(whole.holds(&whole.count(&nineteen)), "19 of 20 is 95 %");
        assert_eq!(SweepOutcome::Survived.value(&r, &until), Some(0.5));
        assert_eq!(SweepOutcome::Mean(Metric::FirstExhaustionS).value(&r, &until), Some(200.0));
        assert_eq!(SweepOutcome::from_key("failed_share"), Some(SweepOutcome::Mean(Metric::FailedShare)));
        assert_eq!(SweepOutcome::from_key("ran_out"), None);
    }
}
