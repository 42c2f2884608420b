//! What-if comparisons: how each fix changes the outcome of a scenario.
//!
//! A [`VariantKind`] is a what-if as data (no fix, a bigger pool only, a rollback at
//! 14:00, abandoned reclaim, a usage alert …). [`build`] turns a base scenario and a
//! kind into a runnable scenario with the same seed, so every variant sees the same
//! requests arrive and the same ones leak (common random numbers: the engine's draws
//! depend only on the seed and the request's number). [`run`] runs each to the end and
//! returns one [`VariantOutcome`] per row; [`best`] says which rows to mark in each
//! column and [`lesson`] puts each row's difference into one sentence with clock times.
//!
//! ```
//! use poolsim_content::{presets, variants::{self, VariantKind}};
//!
//! let base = presets::load("fast-leak")?;
//! let rows = variants::run(&base, &[VariantKind::AsItHappened {}, VariantKind::RestartAt { at_s: 300.0, downtime_s: 0.0 }])?;
//! assert_eq!(rows[1].label, "Restart at 08:05 (no rollback)");
//! // The same requests leak before the restart: both runs ran out at the same instant.
//! assert_eq!(rows[0].first_exhaustion_s, rows[1].first_exhaustion_s);
//! println!("{}", variants::lesson(&rows[0], &rows[1], base.clock_start));
//! # Ok::<(), poolsim_engine::ScenarioError>(())
//! ```

mod build;
mod kind;
mod lesson;
mod outcome;
mod table;

pub use build::{NO_FIRST_ALERT, build, first_alert_s, rollback_after_first_alert};
pub use kind::VariantKind;
pub use lesson::lesson;
pub use outcome::{BestRows, DatabaseOutcome, FailingSpan, LogTally, VariantOutcome, best, run, run_built};
/// The name given to the alert rule of [`VariantKind::UsageAlert`] (made unique if the
/// base already has a rule of that name): the engine's usual usage alert.
pub use poolsim_engine::alerts::USAGE_ALERT_NAME;
pub use table::markdown;

use crate::presets;
use crate::remedies;
use poolsim_engine::alerts::{USAGE_ALERT_ABOVE, USAGE_ALERT_FOR_S};
use poolsim_engine::scenario::Action;
use poolsim_engine::scenario::Scenario;

/// How long the June 15 "no rollback" what-if runs: 12:00 to 21:00 [s], long enough for
/// the pool of 200 to run dry again (about three hours after it is back at 16:00).
pub const JUNE_15_NO_ROLLBACK_DURATION_S: u64 = 9 * 3600;

/// The June 15, 2024 what-ifs, in table order: as it happened; no fix; a pool of 200
/// from the start and nothing else; the fixes of 15:45 without the rollback (run until
/// 21:00, when the pool of 200 has run dry again); an 80 % usage alert (how much earlier
/// would they have known?); abandoned reclaim after 60 s (outage avoided, at what
/// cost?); and a rollback with a restart five minutes after the first alert.
pub fn june_15_what_ifs() -> Vec<VariantKind> {
    vec![
        VariantKind::AsItHappened {},
        VariantKind::NoFix {},
        VariantKind::BiggerPoolOnly { max_size: 200, at_s: 0.0 },
        VariantKind::NoRollback { duration_s: Some(JUNE_15_NO_ROLLBACK_DURATION_S) },
        VariantKind::UsageAlert { above: USAGE_ALERT_ABOVE, for_s: USAGE_ALERT_FOR_S },
        VariantKind::AbandonedReclaim { timeout_ms: 60_000, from_s: 0.0 },
        VariantKind::RollbackAfterFirstAlert { reaction_s: 300.0, restart: true },
    ]
}

/// A sensible comparison for any scenario: as it happened; no fix; twice the pool and
/// nothing else; a rollback (with a restart) halfway between the start of the leak and
/// the end of the run, if anything leaks; abandoned reclaim after 60 s.
pub fn default_what_ifs(base: &Scenario) -> Vec<VariantKind> {
    let mut kinds = vec![
        VariantKind::AsItHappened {},
        VariantKind::NoFix {},
        VariantKind::BiggerPoolOnly {
            max_size: base
                .pool
                .max_size
                .saturating_mul(2)
                .min(poolsim_engine::scenario::validate::MAX_POOL_SIZE),
            at_s: 0.0,
        },
    ];
    if let Some(leak_from_s) = leak_start_s(base) {
        let at_s = ((leak_from_s + base.duration_s as f64) / 2.0).round();
        kinds.push(VariantKind::RollbackAt { at_s, restart: true });
    }
    kinds.push(VariantKind::AbandonedReclaim { timeout_ms: 60_000, from_s: 0.0 });
    kinds
}

/// As it happened, then the same run with a pool of each of `sizes` from the start and
/// nothing else: the what-ifs of a question of pool size. Each is a
/// [`VariantKind::BiggerPoolOnly`], so the sizes are meant to be above the base's.
pub fn pool_size_what_ifs(sizes: &[u32]) -> Vec<VariantKind> {
    let other_sizes = sizes.iter().map(|&max_size| VariantKind::BiggerPoolOnly { max_size, at_s: 0.0 });
    std::iter::once(VariantKind::AsItHappened {}).chain(other_sizes).collect()
}

/// The pools the CPU-bound pool-sizing preset (a pool of 2) is compared with.
pub const CPU_BOUND_POOL_SIZES: [u32; 3] = [8, 32, 128];

/// The pools the contended pool-sizing preset (a pool of 10) is compared with.
pub const CONTENDED_POOL_SIZES: [u32; 2] = [50, 400];

/// The preset of a retry storm on timeouts, and its twin with the callers' remedy.
pub const RETRY_STORM: (&str, &str) = ("github-2023-05-10-retry-storm", "github-2023-05-10-remedy");

/// The retry storm's what-ifs: as it happened; twice the pool (the database's cores, not
/// the pool, are the limit: nothing changes); each of the callers' remedies alone, from
/// the start: jittered exponential backoff (the same tries, spread out), a retry budget of
/// 10 % (retries refused beyond one per ten first tries), failing fast (the pool gives a
/// waiter up after a second instead of 30); and the same run with the callers of its
/// remedy twin (jittered backoff and the budget together).
pub fn retry_storm_what_ifs() -> Vec<VariantKind> {
    let mut kinds = vec![
        VariantKind::AsItHappened {},
        VariantKind::BiggerPoolOnly { max_size: 100, at_s: 0.0 },
        VariantKind::JitteredRetries {},
        VariantKind::RetryBudget { ratio: remedies::RETRY_BUDGET_RATIO },
        VariantKind::FailFast { timeout_ms: remedies::FAIL_FAST_TIMEOUT_MS },
    ];
    kinds.extend(remedy_twin(RETRY_STORM.1));
    kinds
}

/// The what-if that runs preset `name`, an incident's remedy twin, beside it.
fn remedy_twin(name: &str) -> Option<VariantKind> {
    presets::load(name).ok().map(|remedy| VariantKind::Custom { scenario: Box::new(remedy) })
}

/// The preset of health checks that call an overloaded database, and its twin with
/// shallow checks.
pub const HEALTH_CHECKS: (&str, &str) =
    ("buildkite-2016-health-checks", "buildkite-2016-health-checks-remedy");

/// The deep health checks' what-ifs: as it happened, and the same run with the shallow
/// checks of its remedy twin.
pub fn health_check_what_ifs() -> Vec<VariantKind> {
    as_it_happened_and_twin(HEALTH_CHECKS.1)
}

/// As it happened, and the same run with the remedy twin `twin`.
fn as_it_happened_and_twin(twin: &str) -> Vec<VariantKind> {
    let mut kinds = vec![VariantKind::AsItHappened {}];
    kinds.extend(remedy_twin(twin));
    kinds
}

/// The preset of a connection timeout cut to 300 ms on a loaded database (a crash loop),
/// and its twin that keeps 1 s and gives the callers jittered backoff and a retry budget.
pub const POSTHOG: (&str, &str) = ("posthog-2025-09-29", "posthog-2025-09-29-remedy");

/// The crash loop's what-ifs: as it happened, and the same run with its remedy twin.
pub fn posthog_what_ifs() -> Vec<VariantKind> {
    as_it_happened_and_twin(POSTHOG.1)
}

/// What-ifs made for one scenario.
type WhatIfs = fn() -> Vec<VariantKind>;

/// The presets that come with what-ifs of their own, and those what-ifs.
const OWN_WHAT_IFS: [(&str, WhatIfs); 6] = [
    (presets::SEED_INCIDENT, june_15_what_ifs),
    ("pool-sizing-cpu-bound", || pool_size_what_ifs(&CPU_BOUND_POOL_SIZES)),
    ("pool-sizing-contended", || pool_size_what_ifs(&CONTENDED_POOL_SIZES)),
    (RETRY_STORM.0, retry_storm_what_ifs),
    (HEALTH_CHECKS.0, health_check_what_ifs),
    (POSTHOG.0, posthog_what_ifs),
];

/// The what-ifs to offer for `base`: a preset's own when `base` is that preset unchanged
/// ([`june_15_what_ifs`] for the seed incident, [`pool_size_what_ifs`] for the pool-sizing
/// presets, [`retry_storm_what_ifs`] for the retry storm, [`health_check_what_ifs`] for
/// the deep health checks, [`posthog_what_ifs`] for the crash loop), [`default_what_ifs`] for
/// anything else.
pub fn suggested(base: &Scenario) -> Vec<VariantKind> {
    OWN_WHAT_IFS
        .iter()
        .find(|(name, _)| presets::load(name).is_ok_and(|preset| preset == *base))
        .map_or_else(|| default_what_ifs(base), |(_, what_ifs)| what_ifs())
}

/// When connections start leaking [s]: 0 for a leak from the start, else the first leaky deploy.
fn leak_start_s(s: &Scenario) -> Option<f64> {
    if s.leak.probability > 0.0 {
        return Some(0.0);
    }
    s.events
        .iter()
        .filter(|e| matches!(e.action, Action::DeployLeak { probability } if probability > 0.0))
        .map(|e| e.at_s)
        .reduce(f64::min)
}
