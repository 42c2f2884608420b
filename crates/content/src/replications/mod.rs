//! Replications of a scenario and its what-ifs, as `poolsim replicate` and the compare
//! page's "How sure?" both run and report them: one place for what a replication of every
//! variant is ([`replication`]), what a batch of them holds ([`Batch`]), and how it is
//! written out ([`report`]: statistics as a table or Markdown; [`csv`]: one row per run;
//! [`cells`]: the compare page's table in words; [`sweep`]: a sweep's cells as CSV).
//!
//! Replication `i` runs with [`replicate::replication_seed`]`(seed, i)` (run 0 is the
//! scenario as it is); every what-if's replication `i` uses the same seed as the base's,
//! so each fix is judged over paired runs (common random numbers). The results depend only
//! on the scenario, the what-ifs and the run indices: not on how many threads or workers
//! ran them, nor on the order in which runs finished.

pub mod cells;
pub mod csv;
pub mod report;
pub mod sweep;

use poolsim_engine::Simulation;
use poolsim_engine::replicate::{self, Outcome, Replications};
use poolsim_engine::scenario::{Scenario, ScenarioError};

use crate::variants::{self, VariantKind};

/// Replications of a scenario and its what-ifs: what every output shows.
#[derive(Clone, Debug, PartialEq)]
pub struct Batch {
    /// The scenario's name.
    pub scenario: String,
    /// The seed every run's seed derives from.
    pub seed: u64,
    /// "As it happened" first, then each what-if.
    pub variants: Vec<Variant>,
}

/// One row of the comparison: its words and its runs.
#[derive(Clone, Debug, PartialEq)]
pub struct Variant {
    /// The row's words (`"Rollback at 14:00"`).
    pub label: String,
    /// Its runs' outcomes.
    pub runs: Replications,
}

impl Batch {
    /// An empty batch of `base` and the variants labelled `labels`, runs to come.
    pub fn new(base: &Scenario, labels: impl IntoIterator<Item = String>) -> Self {
        Batch {
            scenario: base.name.clone(),
            seed: base.seed,
            variants: labels.into_iter().map(|label| Variant { label, runs: Replications::new() }).collect(),
        }
    }

    /// Runs each variant holds (they all hold the same ones).
    pub fn runs(&self) -> usize {
        self.variants.first().map_or(0, |v| v.runs.len())
    }

    /// Record replication `run`: `outcomes` holds one outcome per variant, in order.
    /// Refused when a variant already holds that run.
    pub fn push(&mut self, run: u32, outcomes: &[Outcome]) -> Result<(), String> {
        if self.variants.iter().any(|v| v.runs.get(run).is_some()) {
            return Err(format!("run {run} is there twice"));
        }
        for (variant, &outcome) in self.variants.iter_mut().zip(outcomes) {
            variant.runs.push(run, outcome).map_err(|e| format!("run {run}: {e}"))?;
        }
        Ok(())
    }
}

/// Why a replication could not run: the variant's row (0 = "as it happened") and the
/// scenario's error.
#[derive(Clone, Debug, PartialEq)]
pub struct ReplicationError {
    /// The variant's row.
    pub row: usize,
    /// The seed the run had.
    pub seed: u64,
    /// What was wrong.
    pub error: ScenarioError,
}

/// Replication `i` of every variant of `base`: each built from the base with the run's
/// seed (a what-if placed after the base's first alert looks for it in this very run),
/// run to its end, and read as an [`Outcome`].
pub fn replication(base: &Scenario, kinds: &[VariantKind], i: u32) -> Result<Vec<Outcome>, ReplicationError> {
    let seeded = replicate::replication(base, i);
    kinds
        .iter()
        .enumerate()
        .map(|(row, kind)| {
            let at = |error| ReplicationError { row, seed: seeded.seed, error };
            let scenario = variants::build(&seeded, kind).map_err(at)?;
            let mut sim = Simulation::new(&scenario).map_err(at)?;
            sim.run_to_end();
            Ok(Outcome::of(&sim))
        })
        .collect()
}
