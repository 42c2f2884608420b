//! Replications: the same scenario run again with other seeds, and how sure its outcome is.
//!
//! One run is one draw of chance: another seed lets other requests leak, and the pool runs
//! out a little earlier or later. Running a scenario `N` times, replication `i` with
//! [`replication_seed`]`(seed, i)`, turns each figure of the run into a distribution:
//!
//! - [`Outcome`]: what one run comes to, read from its [`Summary`](crate::Summary) and
//!   samples (first exhaustion, first timeout, failed share, time to recover, peak pending,
//!   p99 and mean wait); [`Metric`] names each figure.
//! - [`Replications`]: an accumulator of outcomes by run index. Runs can be pushed in any
//!   order and accumulators merged (threads, shards on other machines): the statistics are
//!   always computed in run-index order, so they come out the same to the bit.
//! - [`Stats`]: over the runs where a figure has a value, its mean, standard deviation,
//!   median, 5th and 95th percentiles and the 95 % confidence interval of the mean;
//!   [`Share`]: how often the pool ran out at all, with its interval.
//! - [`Difference`]: a fix against the base, run by run. Replication `i` of both uses the
//!   same seed, so the same requests arrive and leak in both (common random numbers) and
//!   the difference of each pair is the fix's doing; its mean, interval, and whether the
//!   interval excludes 0.
//!
//! The engine has no threads (it runs in the browser too): running many replications at
//! once is the caller's business (`poolsim replicate` uses every core).
//!
//! [`sweep`] replicates a scenario over a grid of settings (each cell's replication `i`
//! with the same seed) and searches for the smallest pool that survives.
//!
//! ## Definitions
//!
//! - **Percentiles** are nearest-rank (as the run's own wait percentiles): the `⌈q·n⌉`-th
//!   smallest of `n` values, so the median of an even count is the lower middle value and
//!   every percentile is a value some run really had.
//! - **The confidence interval of a mean** is Student's: `mean ± t(0.975, n − 1)·s/√n`, with
//!   `s` the sample standard deviation (divisor `n − 1`); it needs two values. The runs are
//!   independent (different seeds) and their mean is close to normal for the run counts the
//!   page and the CLI use (10 to 1,000); the interval covers the true mean in about 95 % of
//!   batches (`crates/engine/tests/replicate.rs` checks this against Erlang C). A report
//!   cuts it to the values the figure can take: a skewed figure's interval (one run with
//!   very long waits) would otherwise reach below 0.
//! - **A share's interval** is Wilson's score interval, which stays inside 0–1 and is sound
//!   for a share of 0 or 1 (the pool ran out in every run).
//! - **Significant**: the 95 % interval of the mean paired difference excludes 0.
//!
//! The t and normal quantiles come from the `distrs` crate (Hill's Algorithm 396 for t,
//! AS 241 for the normal), which has no dependency but `libm` (so native and wasm agree to
//! the bit, as the rest of the engine); `statrs` would bring in far more than two
//! quantile functions.

mod outcome;
mod runs;
mod stats;
pub mod sweep;

pub use outcome::{Metric, Outcome, OutcomeError, PerMetric};
pub use runs::{Comparison, RepeatedRun, Replications, Report};
pub use stats::{
    CONFIDENCE, Difference, Interval, Percentiles, Share, Stats, normal_quantile, student_t_quantile,
};

use crate::rng::{GOLDEN_GAMMA, mix64};
use crate::scenario::{Scenario, ScenarioError};
use crate::sim::Simulation;
use crate::time::SimTime;

/// The most replications a batch may have (the page uses 10 to 1,000).
pub const MAX_RUNS: u32 = 10_000;

/// Separates the replication seeds from the draws' own use of the seed.
const REPLICATION_SALT: u64 = 0x7265_706C_6963_6174; // "replicat"

/// Seeds stay below 2⁵³, so JSON readers that hold numbers as doubles (JavaScript, most
/// spreadsheets' import) keep them exact.
const SAFE_INTEGER_MASK: u64 = (1 << 53) - 1;

/// The seed of replication `i` of a scenario seeded `base_seed`.
///
/// Replication 0 is the scenario as it is (`base_seed`), so a single run is replication 0.
/// The others are SplitMix64 outputs of a stream keyed by the base seed (the mixing
/// function of every draw, [`crate::rng`]): well spread, reproducible, and below 2⁵³.
///
/// ```
/// use poolsim_engine::replicate::replication_seed;
/// assert_eq!(replication_seed(42, 0), 42);
/// assert_eq!(replication_seed(42, 7), replication_seed(42, 7));
/// assert_ne!(replication_seed(42, 7), replication_seed(42, 8));
/// assert_ne!(replication_seed(42, 7), replication_seed(43, 7));
/// ```
pub fn replication_seed(base_seed: u64, i: u32) -> u64 {
    if i == 0 {
        return base_seed;
    }
    let stream = mix64(base_seed ^ REPLICATION_SALT);
    mix64(stream.wrapping_add(u64::from(i).wrapping_mul(GOLDEN_GAMMA))) & SAFE_INTEGER_MASK
}

/// `scenario` as replication `i` runs it: the same, seeded [`replication_seed`]`(seed, i)`.
pub fn replication(scenario: &Scenario, i: u32) -> Scenario {
    Scenario { seed: replication_seed(scenario.seed, i), ..scenario.clone() }
}

/// Run replication `i` of `scenario` to its end and read its outcome.
pub fn run(scenario: &Scenario, i: u32) -> Result<Outcome, ScenarioError> {
    run_until(scenario, i, None)
}

/// Run replication `i` of `scenario` until `until_s` [s from the start] (`None`, or a
/// time past the end: to its end) and read its outcome so far. Its first exhaustion and
/// first timeout up to then are the whole run's; the rest counts only what happened by
/// then. A search that asks only "did it run out by then?" stops there.
pub fn run_until(scenario: &Scenario, i: u32, until_s: Option<f64>) -> Result<Outcome, ScenarioError> {
    let mut sim = Simulation::new(&replication(scenario, i))?;
    match until_s.map(SimTime::from_secs_f64).filter(|&t| t < sim.end()) {
        // Cannot fail: a new run stands at 0, never past `t`.
        Some(t) => {
            let _ = sim.advance_to(t);
        }
        None => {
            sim.run_to_end();
        }
    }
    Ok(Outcome::of(&sim))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replication_seeds_are_distinct_and_json_safe() {
        let mut seeds: Vec<u64> = (0..MAX_RUNS).map(|i| replication_seed(1, i)).collect();
        assert!(seeds.iter().skip(1).all(|&s| s < 1 << 53));
        seeds.sort_unstable();
        seeds.dedup();
        assert_eq!(seeds.len(), MAX_RUNS as usize);
    }

    #[test]
    fn replication_seeds_are_pinned() {
        // Changing them would change every published replication: pin them.
        assert_eq!(
            [replication_seed(1, 1), replication_seed(1, 2), replication_seed(0, 1)],
            [4_401_259_047_922_508, 5_822_045_875_439_325, 353_124_076_121_498]
        );
    }
}
