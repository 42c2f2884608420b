//! The callers' remedies, one place for their settings: the page's fix buttons (add jitter,
//! cap retries, fail fast) and the compare what-ifs of the same names apply the same
//! policy, so a what-if's row shows what the button would have done from the start.
//!
//! They follow Google's SRE book (chapter 22, "Addressing Cascading Failures"): randomised
//! exponential backoff, a retry budget, and a deadline the pool honours instead of
//! queueing work nobody waits for.

use poolsim_engine::{Backoff, Jitter, RetryBudget, RetryConfig};

/// The connection timeout the fail-fast remedy sets [ms]: a waiter gives up after a second,
/// before a caller's typical deadline, instead of holding its thread for HikariCP's 30 s.
pub const FAIL_FAST_TIMEOUT_MS: u64 = 1_000;
/// The share of first tries the retry-budget remedy lets callers retry: one in ten, as
/// gRPC's and Finagle's budgets advise.
pub const RETRY_BUDGET_RATIO: f64 = 0.1;
/// The first pause of the jitter remedy's exponential backoff, unless the policy's is longer [ms].
pub const JITTER_FIRST_PAUSE_MS: u64 = 100;

/// `retry` with exponential backoff and full jitter (AWS's advice): the same tries on the
/// same failures, the pauses doubling from at least [`JITTER_FIRST_PAUSE_MS`], each drawn
/// at random below its cap, so callers that failed together no longer retry together.
/// The cap is raised to the first pause if it was below it.
pub fn jittered(retry: &RetryConfig) -> RetryConfig {
    let backoff_ms = retry.backoff_ms.max(JITTER_FIRST_PAUSE_MS);
    RetryConfig {
        backoff: Backoff::Exponential,
        jitter: Jitter::Full,
        backoff_ms,
        max_backoff_ms: retry.max_backoff_ms.max(backoff_ms),
        ..retry.clone()
    }
}

/// A retry budget of `ratio` retries per first try, the other settings of `retry`'s budget
/// kept (Finagle's defaults without one: a 10 s window, 10 retries a second allowed).
pub fn budget(retry: &RetryConfig, ratio: f64) -> RetryBudget {
    RetryBudget { ratio, ..retry.budget.clone().unwrap_or_default() }
}
