//! What the callers in front of the application do when a request is slow or fails: their
//! retry policy ([`RetryConfig`]: how many tries, how long to wait between them, on which
//! failures, within which budget) and an optional circuit breaker ([`BreakerConfig`]).
//! Their deadline is `traffic.deadline_ms` (see [`TrafficConfig`](super::TrafficConfig)).
//!
//! Every new field is optional and left out of the JSON written while it has its default,
//! so a scenario written before these existed reads, runs and writes back as it did: a
//! fixed pause of `backoff_ms` before each of `attempts` retries, after any failure.

use serde::{Deserialize, Deserializer, Serialize};

/// A setting that is one of a few named choices, each written in JSON as its snake-case
/// name: the one place its names are listed, for the reader, the timeline form and the
/// words.
pub trait Choice: Copy + PartialEq + Sized + 'static {
    /// Every choice, in the order a form offers them.
    const ALL: &'static [Self];
    /// Their JSON names, in the same order.
    const NAMES: &'static [&'static str];

    /// The JSON name (`exponential`).
    fn name(self) -> &'static str {
        let i = Self::ALL.iter().position(|c| *c == self).unwrap_or(0);
        Self::NAMES.get(i).copied().unwrap_or("")
    }

    /// The choice whose JSON name is `name`.
    fn from_name(name: &str) -> Option<Self> {
        let i = Self::NAMES.iter().position(|n| *n == name)?;
        Self::ALL.get(i).copied()
    }
}

/// Read a [`Choice`] from its JSON name, refusing any other with serde's words ("unknown
/// variant `linear`, expected one of …"). Written by hand, once for every choice: serde's
/// derive would add a visitor per enum and per reader to the page's bundle.
pub(super) fn deserialize_choice<'de, C: Choice, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<C, D::Error> {
    let name = String::deserialize(deserializer)?;
    C::from_name(&name).ok_or_else(|| serde::de::Error::unknown_variant(&name, C::NAMES))
}

/// `Deserialize` for a [`Choice`] enum, through [`deserialize_choice`].
macro_rules! deserialize_as_choice {
    ($($t:ty),+) => {$(
        impl<'de> Deserialize<'de> for $t {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                deserialize_choice(deserializer)
            }
        }
    )+};
}

deserialize_as_choice!(Backoff, Jitter, RetryOn);

/// How long a caller waits before each retry.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Backoff {
    /// Retry at once (`backoff_ms` is not used).
    Immediate,
    /// Wait `backoff_ms` before every retry (poolsim's behaviour before retry policies).
    #[default]
    Fixed,
    /// Wait `backoff_ms × 2ⁿ⁻¹` before retry n, at most `max_backoff_ms` (AWS SDKs, gRPC).
    Exponential,
}

impl Choice for Backoff {
    const ALL: &'static [Self] = &[Self::Immediate, Self::Fixed, Self::Exponential];
    const NAMES: &'static [&'static str] = &["immediate", "fixed", "exponential"];
}

impl Backoff {
    /// `fixed`, the default (the scenario file leaves the field out).
    pub fn is_default(&self) -> bool {
        *self == Self::Fixed
    }
}

/// Whether each pause is randomised.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Jitter {
    /// Every caller waits exactly the backoff: callers that failed together retry together.
    #[default]
    None,
    /// AWS's "full jitter": a pause drawn uniformly between 0 and the backoff, so retries
    /// that failed together spread out instead of arriving in waves.
    Full,
}

impl Choice for Jitter {
    const ALL: &'static [Self] = &[Self::None, Self::Full];
    const NAMES: &'static [&'static str] = &["none", "full"];
}

impl Jitter {
    /// `none`, the default (the scenario file leaves the field out).
    pub fn is_none(&self) -> bool {
        *self == Self::None
    }
}

/// Which failures a caller retries.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RetryOn {
    /// Only timeouts: the pool's acquire timeout, or the caller's own deadline passing.
    Timeout,
    /// Only errors that come back without waiting out a timeout: a refusal (`max_waiting`),
    /// the application down or restarting, a connection taken away by abandoned reclaim.
    Refusal,
    /// Every failure (poolsim's behaviour before retry policies).
    #[default]
    Both,
}

impl Choice for RetryOn {
    const ALL: &'static [Self] = &[Self::Timeout, Self::Refusal, Self::Both];
    const NAMES: &'static [&'static str] = &["timeout", "refusal", "both"];
}

impl RetryOn {
    /// `both`, the default (the scenario file leaves the field out).
    pub fn is_default(&self) -> bool {
        *self == Self::Both
    }
}

/// The cap on an exponential backoff by default [ms]: the AWS SDKs' 20 s.
pub const DEFAULT_MAX_BACKOFF_MS: u64 = 20_000;

fn is_default_max_backoff(ms: &u64) -> bool {
    *ms == DEFAULT_MAX_BACKOFF_MS
}

/// Client retries after a failure (a timeout, a refusal, a killed request).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RetryConfig {
    /// Further attempts after the first failure (0 = no retries).
    pub attempts: u32,
    /// Pause before each retry [ms]; the first pause of an exponential backoff.
    pub backoff_ms: u64,
    /// How the pause grows from retry to retry.
    #[serde(skip_serializing_if = "Backoff::is_default")]
    pub backoff: Backoff,
    /// The longest pause of an exponential backoff [ms].
    #[serde(skip_serializing_if = "is_default_max_backoff")]
    pub max_backoff_ms: u64,
    /// Whether each pause is drawn at random up to the backoff.
    #[serde(skip_serializing_if = "Jitter::is_none")]
    pub jitter: Jitter,
    /// Which failures are retried.
    #[serde(skip_serializing_if = "RetryOn::is_default")]
    pub on: RetryOn,
    /// At most a share of the first tries may be retried; `None` = no budget.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub budget: Option<RetryBudget>,
}

impl Default for RetryConfig {
    fn default() -> Self {
        Self {
            attempts: 0,
            backoff_ms: 1000,
            backoff: Backoff::Fixed,
            max_backoff_ms: DEFAULT_MAX_BACKOFF_MS,
            jitter: Jitter::None,
            on: RetryOn::Both,
            budget: None,
        }
    }
}

impl RetryConfig {
    /// Only `attempts` and `backoff_ms` differ from their defaults: a policy as poolsim
    /// modelled retries before policies (a fixed pause, after any failure, no budget).
    pub fn is_plain(&self) -> bool {
        let plain =
            RetryConfig { attempts: self.attempts, backoff_ms: self.backoff_ms, ..RetryConfig::default() };
        *self == plain
    }
}

/// Finagle's `RetryBudget`: every first try deposits `ratio` of a retry, every retry
/// withdraws one, and deposits older than `window_s` expire; a retry the balance (plus a
/// reserve of `min_per_s × window_s`) cannot pay for is not sent, and its request fails.
/// Over any `window_s` seconds, retries ≤ `ratio` × first tries + `min_per_s × window_s`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RetryBudget {
    /// Retries allowed per first try (Finagle `percentCanRetry`: 0.2 = one retry in five requests).
    #[serde(deserialize_with = "crate::scenario::exact::f64")]
    pub ratio: f64,
    /// How long a deposit counts [s] (Finagle `ttl`).
    pub window_s: u64,
    /// Retries allowed per second whatever the traffic (Finagle `minRetriesPerSec`), so a
    /// quiet caller may still retry.
    #[serde(deserialize_with = "crate::scenario::exact::f64")]
    pub min_per_s: f64,
}

impl Default for RetryBudget {
    /// Finagle's default budget: 20 % of the requests, at least 10 retries a second, over 10 s.
    fn default() -> Self {
        Self { ratio: 0.2, window_s: 10, min_per_s: 10.0 }
    }
}

/// A caller's circuit breaker (after resilience4j's `CircuitBreaker` with a time-based
/// window): closed, it counts the calls it lets through and their failures over the last
/// `window_s` seconds; once at least `min_calls` were made and `failure_ratio` of them
/// failed it opens and fails every call at once for `open_s`; then, half open, it lets
/// `half_open_calls` calls through: if they are answered it closes, at the first failure
/// it opens again.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct BreakerConfig {
    /// Share of failed calls that opens it, above 0 and at most 1 (resilience4j
    /// `failureRateThreshold`, 50 %).
    #[serde(deserialize_with = "crate::scenario::exact::f64")]
    pub failure_ratio: f64,
    /// The window the calls and failures are counted over [s].
    pub window_s: u64,
    /// Calls the window must hold before the ratio counts (resilience4j
    /// `minimumNumberOfCalls`, 100).
    pub min_calls: u32,
    /// How long it stays open [s] (resilience4j `waitDurationInOpenState`, 60 s).
    #[serde(deserialize_with = "crate::scenario::exact::f64")]
    pub open_s: f64,
    /// Calls let through while half open (resilience4j `permittedNumberOfCallsInHalfOpenState`, 10).
    pub half_open_calls: u32,
}

impl Default for BreakerConfig {
    fn default() -> Self {
        Self { failure_ratio: 0.5, window_s: 10, min_calls: 100, open_s: 60.0, half_open_calls: 10 }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names_agree_with_serde<C: Choice + Serialize + std::fmt::Debug>() {
        assert_eq!(C::ALL.len(), C::NAMES.len());
        for (c, name) in C::ALL.iter().zip(C::NAMES) {
            assert_eq!(serde_json::to_string(c).expect("serialises"), format!("\"{name}\""));
            assert_eq!(c.name(), *name);
            assert_eq!(C::from_name(name), Some(*c));
        }
        assert_eq!(C::from_name("bogus"), None);
    }

    #[test]
    fn every_choice_is_named_as_its_json_says() {
        names_agree_with_serde::<Backoff>();
        names_agree_with_serde::<Jitter>();
        names_agree_with_serde::<RetryOn>();
    }

    #[test]
    fn a_plain_retry_is_written_as_before_policies() {
        let plain = RetryConfig { attempts: 3, backoff_ms: 500, ..RetryConfig::default() };
        assert!(plain.is_plain());
        assert_eq!(serde_json::to_string(&plain).expect("serialises"), r#"{"attempts":3,"backoff_ms":500}"#);
        let jittered = RetryConfig { jitter: Jitter::Full, ..plain };
        assert!(!jittered.is_plain());
        assert_eq!(
            serde_json::to_string(&jittered).expect("serialises"),
            r#"{"attempts":3,"backoff_ms":500,"jitter":"full"}"#
        );
    }
}
