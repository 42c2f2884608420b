//! The what-ifs a comparison offers, as data: each [`VariantKind`] says how to change a
//! base scenario (see [`build`](super::build)) and names itself for a table.

use poolsim_engine::time::ClockTime;
use serde::{Deserialize, Serialize};

use poolsim_engine::scenario::Scenario;

use crate::words::{Clock, percent};

/// One what-if, relative to a base scenario. JSON: `{ "kind": "rollback_at", "at_s": 7200 }`.
///
/// "The fixes" are the timeline actions [`is_fix`] recognises: resizes, restarts,
/// rollbacks and changes of leak detection, abandoned reclaim or connection timeout.
/// Kinds that say "instead of the fixes" start from [`NoFix`](Self::NoFix).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum VariantKind {
    /// The base scenario unchanged: the baseline of a comparison.
    AsItHappened {},
    /// The base without its fixes; traffic, leaks, slow-downs, alerts and notes stay.
    NoFix {},
    /// No fix but a bigger pool: `max_size` from the start (`at_s` = 0, the default), or
    /// a live resize at `at_s` [s], with neither a restart nor a rollback.
    BiggerPoolOnly {
        /// The bigger `maximumPoolSize` [connections].
        max_size: u32,
        /// When the resize happens [s from the start]; 0 = the pool was this big all along.
        #[serde(default)]
        at_s: f64,
    },
    /// Instead of the fixes, roll the leaky deploy back at `at_s` [s]. A rollback is a
    /// redeploy, so by default the application restarts then too (no downtime), which
    /// returns the leaked connections; without the restart they stay out for good.
    RollbackAt {
        /// When [s from the start].
        at_s: f64,
        /// Restart the application with the rollback (default `true`).
        #[serde(default = "yes")]
        restart: bool,
    },
    /// Instead of the fixes, restart the application at `at_s` [s] without rolling back:
    /// the leaked connections come back, the leak goes on.
    RestartAt {
        /// When [s from the start].
        at_s: f64,
        /// How long the application is down [s] (default 0).
        #[serde(default)]
        downtime_s: f64,
    },
    /// Instead of the fixes, Tomcat's `removeAbandoned`: connections out longer than
    /// `timeout_ms` [ms] are closed and their slot freed, from `from_s` [s] (0 = from the
    /// start). It also kills legitimate requests that hold a connection that long.
    AbandonedReclaim {
        /// `removeAbandonedTimeout` [ms], above 0.
        timeout_ms: u64,
        /// When reclaim is turned on [s from the start]; 0 = configured from the start.
        #[serde(default)]
        from_s: f64,
    },
    /// As it happened, plus a pool-usage alert rule `usage > above for for_s` (`above`
    /// is a share, 0.8 = 80 %; `for_s` [s]). Changes nothing but when the alarm rings:
    /// it answers "how much earlier would we have known?".
    UsageAlert {
        /// Usage threshold, a share of `max_size` between 0 and 1.
        above: f64,
        /// How long usage must stay above it [s].
        #[serde(default)]
        for_s: u64,
    },
    /// Instead of the fixes, roll back `reaction_s` [s] after the first alert fires.
    /// Two passes: the base without its fixes runs first to find when its first alert
    /// fires (an alert rule of the base must fire), then the rollback is placed
    /// `reaction_s` later: the time someone needs to read the page and roll back.
    RollbackAfterFirstAlert {
        /// Assumed reaction delay between the alert and the rollback [s].
        reaction_s: f64,
        /// Restart the application with the rollback (default `true`, see `RollbackAt`).
        #[serde(default = "yes")]
        restart: bool,
    },
    /// As it happened, but the leaky deploy is never rolled back: the other fixes only
    /// buy time. `duration_s` [s] lengthens the run so the leak can catch up again
    /// (`None` keeps the base's length).
    NoRollback {
        /// Length of the variant's run [s], at least the base's.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        duration_s: Option<u64>,
    },
    /// As it happened, but the callers retry with exponential backoff and full jitter
    /// from the start ([`remedies::jittered`](crate::remedies::jittered)): the same
    /// attempts on the same failures, the first pause at least 100 ms and doubling, each
    /// pause drawn at random below it, so callers that failed together no longer retry
    /// together. The base's callers must retry.
    JitteredRetries {},
    /// As it happened, but the callers retry within a budget from the start (Finagle's
    /// `RetryBudget`, gRPC's retry throttling): at most `ratio` retries per first try over
    /// the budget's window, plus its small allowance per second; a retry the budget cannot
    /// pay for is not sent and its request fails. The base's callers must retry.
    RetryBudget {
        /// Retries allowed per first try (0.1 = one in ten).
        ratio: f64,
    },
    /// As it happened, but the pool's connection timeout is `timeout_ms` [ms] from the
    /// start: a request waiting longer for a connection fails at once instead of queueing
    /// work its caller may no longer wait for.
    FailFast {
        /// `connectionTimeout` [ms], above 0.
        timeout_ms: u64,
    },
    /// Any edited scenario; it runs with the base's seed.
    Custom {
        /// The scenario to run.
        scenario: Box<Scenario>,
    },
}

/// serde's default for the `restart` fields.
fn yes() -> bool {
    true
}

impl VariantKind {
    /// Words for a table row, with times as clock times of a run starting at
    /// `clock_start`: `"Bigger pool only (200)"`, `"Rollback at 14:00"`.
    pub fn label(&self, clock_start: ClockTime) -> String {
        let clock = Clock::new(clock_start, 0);
        match self {
            Self::AsItHappened {} => "As it happened".to_owned(),
            Self::NoFix {} => "No fix".to_owned(),
            Self::BiggerPoolOnly { max_size, at_s } if *at_s <= 0.0 => {
                format!("Bigger pool only ({max_size})")
            }
            Self::BiggerPoolOnly { max_size, at_s } => {
                format!("Bigger pool only ({max_size} from {})", clock.at(*at_s))
            }
            Self::RollbackAt { at_s, restart: true } => format!("Rollback at {}", clock.at(*at_s)),
            Self::RollbackAt { at_s, restart: false } => {
                format!("Rollback at {} without a restart", clock.at(*at_s))
            }
            Self::RestartAt { at_s, .. } => format!("Restart at {} (no rollback)", clock.at(*at_s)),
            Self::AbandonedReclaim { timeout_ms, from_s } if *from_s <= 0.0 => {
                format!("Abandoned reclaim ({})", seconds(*timeout_ms))
            }
            Self::AbandonedReclaim { timeout_ms, from_s } => {
                format!("Abandoned reclaim ({}) from {}", seconds(*timeout_ms), clock.at(*from_s))
            }
            Self::UsageAlert { above, for_s } => {
                format!("Usage alert (> {} for {for_s} s)", percent(*above))
            }
            Self::RollbackAfterFirstAlert { reaction_s, .. } => {
                format!("Rollback {} after the first alert", crate::words::duration(*reaction_s))
            }
            Self::NoRollback { .. } => "As it happened, no rollback".to_owned(),
            Self::JitteredRetries {} => "Jittered backoff".to_owned(),
            Self::RetryBudget { ratio } => format!("Retry budget ({})", percent(*ratio)),
            Self::FailFast { timeout_ms } => format!("Fail fast (timeout {})", seconds(*timeout_ms)),
            Self::Custom { scenario } => format!("Custom: {}", scenario.name),
        }
    }
}

/// `60000` ms as `"60 s"`, `1500` ms as `"1.5 s"`.
fn seconds(ms: u64) -> String {
    if ms.is_multiple_of(1000) { format!("{} s", ms / 1000) } else { format!("{} s", ms as f64 / 1000.0) }
}
