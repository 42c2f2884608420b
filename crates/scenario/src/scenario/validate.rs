//! Validation: every rule a scenario (and a live action) must pass before it runs.
//!
//! Parsing already refuses unknown fields and wrong types; these rules refuse values
//! that parse but cannot run, or would run for absurdly long: a pool of 0, a negative
//! rate, a probability of 2, an event after the end. Each error names the field path
//! (`pool.max_size`, `events[3].at_s`, `alerts[0].for_s`) and says what would be accepted.
//!
//! The caps are generous: they exist so that a pasted link cannot hang a browser tab
//! or overflow the microsecond clock, not to second-guess an unusual but real setup.

use crate::scenario::ScenarioError;
use crate::scenario::{Action, ActionKind, Check, FieldValue, FieldValues, Target, TimedEvent};
use crate::scenario::{
    AlertMetric, AlertRule, DatabaseConfig, FleetConfig, PoolConfig, Scenario, TrafficConfig, WorkConfig,
};
use crate::scenario::{AppConfig, HealthCheckConfig};
use crate::scenario::{Backoff, BreakerConfig, Choice, Jitter, RetryBudget, RetryConfig};

/// Highest arrival rate accepted [requests/s].
pub const MAX_RATE_PER_S: f64 = 1_000_000.0;
/// Largest `max_size` / `min_idle` accepted [connections].
pub const MAX_POOL_SIZE: u32 = 100_000;
/// Longest run accepted [s] (7 days).
pub const MAX_DURATION_S: u64 = 7 * 24 * 3600;
/// Longest timeout, lifetime or threshold accepted [ms] (7 days).
pub const MAX_TIMEOUT_MS: u64 = MAX_DURATION_S * 1000;
/// Longest mean hold time accepted [ms] (1 hour).
pub const MAX_HOLD_MS: f64 = 3_600_000.0;
/// Longest time to open one connection accepted [ms] (1 minute).
pub const MAX_CONNECT_MS: f64 = 60_000.0;
/// Largest log-normal shape σ accepted (beyond it the mean is dominated by a few huge holds).
pub const MAX_LOGNORMAL_SIGMA: f64 = 5.0;
/// Most client retries accepted per request.
pub const MAX_RETRY_ATTEMPTS: u32 = 100;
/// Longest name, note text or alert name accepted [characters].
pub const MAX_TEXT_CHARS: usize = 500;
/// Longest scenario description accepted [characters].
pub const MAX_DESCRIPTION_CHARS: usize = 4000;
/// Most requests that may wait at once; beyond it the next is refused, whatever
/// `max_waiting` says (so a pool that waits forever cannot fill a tab's memory).
pub const MAX_WAITING: u32 = 1_000_000;
/// Most database cores accepted.
pub const MAX_CORES: u32 = 1024;
/// Largest database `max_connections` accepted (PostgreSQL's own limit is 262,143).
pub const MAX_DB_CONNECTIONS: u32 = 262_143;
/// Most application instances in a fleet.
pub const MAX_INSTANCES: u32 = 1000;
/// Longest counting window of a retry budget or a circuit breaker accepted [s] (1 hour).
pub const MAX_WINDOW_S: u64 = 3600;
/// Most request threads an instance may have.
pub const MAX_THREADS: u32 = 100_000;
/// Longest time a request that needs no database may hold its thread [ms] (1 minute).
pub const MAX_NO_DB_MS: f64 = 60_000.0;
/// Longest time between two health checks of an instance [s] (1 hour).
pub const MAX_HEALTH_INTERVAL_S: f64 = 3600.0;
/// Most checks in a row a health check may count before it acts.
pub const MAX_HEALTH_COUNT: u32 = 1000;
/// Most timeline events accepted.
pub const MAX_EVENTS: usize = 1000;
/// Most alert rules accepted.
pub const MAX_ALERTS: usize = 1000;

/// Check a whole scenario; the first problem found is returned.
pub(crate) fn scenario(s: &Scenario) -> Result<(), ScenarioError> {
    text(&s.name, "name", MAX_TEXT_CHARS)?;
    text(&s.description, "description", MAX_DESCRIPTION_CHARS)?;
    if s.duration_s == 0 || s.duration_s > MAX_DURATION_S {
        return Err(ScenarioError::new(
            "duration_s",
            format!("must be between 1 and {MAX_DURATION_S} seconds (7 days), got {}", s.duration_s),
        ));
    }
    pool(&s.pool, "pool")?;
    traffic(&s.traffic, "traffic")?;
    work(&s.work, "work")?;
    if let Some(db) = &s.database {
        database(db, "database")?;
    }
    if let Some(f) = &s.fleet
        && (f.instances == 0 || f.instances > MAX_INSTANCES)
    {
        return Err(ScenarioError::new(
            "fleet.instances",
            format!("must be between 1 and {MAX_INSTANCES} instances, got {}", f.instances),
        ));
    }
    if let Some(a) = &s.app {
        app(a, "app")?;
    }
    if let Some(h) = &s.health_check {
        if FleetConfig::instances_of(s) < 2 {
            return Err(ScenarioError::new(
                "health_check",
                "health checks take instances of a fleet out of its load balancer: give the scenario a \
                 fleet of at least 2 instances, or leave health_check out",
            ));
        }
        health_check(h, "health_check")?;
    }
    probability(s.leak.probability, "leak.probability")?;

    if s.alerts.len() > MAX_ALERTS {
        return Err(ScenarioError::new(
            "alerts",
            format!("at most {MAX_ALERTS} alert rules, got {}", s.alerts.len()),
        ));
    }
    for (i, rule) in s.alerts.iter().enumerate() {
        let path = format!("alerts[{i}]");
        alert_rule(rule, &path)?;
        if s.alerts[..i].iter().any(|earlier| earlier.name == rule.name) {
            return Err(ScenarioError::new(
                format!("{path}.name"),
                format!("the alert name `{}` is used twice; give each rule its own name", rule.name),
            ));
        }
    }

    if s.events.len() > MAX_EVENTS {
        return Err(ScenarioError::new(
            "events",
            format!("at most {MAX_EVENTS} timeline events, got {}", s.events.len()),
        ));
    }
    for (i, event) in s.events.iter().enumerate() {
        timed_event(event, s.duration_s, FleetConfig::instances_of(s), &format!("events[{i}]"))?;
    }
    Ok(())
}

/// Check one timeline entry: its time lies within the run, its action is possible, and
/// the instances it names exist in a fleet of `fleet`.
fn timed_event(event: &TimedEvent, duration_s: u64, fleet: u32, path: &str) -> Result<(), ScenarioError> {
    let at = event.at_s;
    // Exact for every accepted duration (≤ 7 days ≪ 2^53).
    let end = duration_s as f64;
    if !at.is_finite() || at < 0.0 || at > end {
        return Err(ScenarioError::new(
            format!("{path}.at_s"),
            format!("must be a time between 0 and duration_s ({duration_s} s), got {at}"),
        ));
    }
    validate_action(&event.action, path)?;
    validate_target(&event.target, event.action.kind(), fleet, path)
}

/// `path.name`, or `name` at the top.
fn field_path(path: &str, name: &str) -> String {
    if path.is_empty() { name.to_owned() } else { format!("{path}.{name}") }
}

/// Check an action's `instances` and `rollout` against a fleet of `fleet` instances,
/// naming them under `path` as [`validate_action`] does.
pub fn validate_target(t: &Target, kind: ActionKind, fleet: u32, path: &str) -> Result<(), ScenarioError> {
    if !t.is_all() && !kind.per_instance() {
        let field = if t.instances.is_some() { "instances" } else { "rollout" };
        return Err(ScenarioError::new(
            field_path(path, field),
            format!("action `{}` acts on the whole fleet, not on chosen instances", kind.name()),
        ));
    }
    if let Some(list) = &t.instances {
        if list.is_empty() {
            return Err(ScenarioError::new(
                field_path(path, "instances"),
                "lists no instance: leave it out to act on every instance",
            ));
        }
        for (i, &n) in list.iter().enumerate() {
            if n == 0 || n > fleet {
                let have = if fleet == 1 {
                    "one instance (no fleet)".to_owned()
                } else {
                    format!("instances 1 to {fleet}")
                };
                return Err(ScenarioError::new(
                    field_path(path, &format!("instances[{i}]")),
                    format!("there is no instance {n}: the scenario has {have}"),
                ));
            }
            if list[..i].contains(&n) {
                return Err(ScenarioError::new(
                    field_path(path, &format!("instances[{i}]")),
                    format!("instance {n} is listed twice"),
                ));
            }
        }
    }
    if let Some(r) = &t.rollout {
        if r.batch == 0 || r.batch > fleet {
            return Err(ScenarioError::new(
                field_path(path, "rollout.batch"),
                format!("must be between 1 and the fleet's {fleet} instances, got {}", r.batch),
            ));
        }
        if !r.every_s.is_finite() || r.every_s < 0.0 || r.every_s > MAX_DURATION_S as f64 {
            return Err(ScenarioError::new(
                field_path(path, "rollout.every_s"),
                format!("must be between 0 and {MAX_DURATION_S} seconds, got {}", r.every_s),
            ));
        }
    }
    Ok(())
}

/// Check an action's own fields, naming them under `path` (`events[3]` gives
/// `events[3].probability`; an empty path gives `probability`).
///
/// The engine calls this for live actions (fix buttons) as well as for timeline events.
pub fn validate_action(action: &Action, path: &str) -> Result<(), ScenarioError> {
    let values = action.values();
    for field in action.kind().fields() {
        if let Some(value) = values.get(field.name) {
            check(field.check, value, &values, &field_path(path, field.name))?;
        }
    }
    Ok(())
}

/// Apply the catalogue's `rule` to one field's `value` (its action's other `values` at
/// hand for rules that compare fields), naming the field by `path`.
fn check(rule: Check, value: &FieldValue, values: &FieldValues, path: &str) -> Result<(), ScenarioError> {
    let decimal = || match value {
        FieldValue::Decimal(x) => *x,
        _ => f64::NAN,
    };
    let whole = || match value {
        FieldValue::Whole(n) => *n,
        FieldValue::Count(n) => u64::from(*n),
        _ => u64::MAX,
    };
    let text = || match value {
        FieldValue::Text(s) => s.as_str(),
        _ => "",
    };
    match rule {
        Check::Any => Ok(()),
        Check::Rate => rate(decimal(), path),
        Check::Probability => probability(decimal(), path),
        Check::PoolSize => pool_size(u32::try_from(whole()).unwrap_or(u32::MAX), path),
        Check::AtMostMaxSize => match values.count("max_size") {
            Some(max_size) if whole() > u64::from(max_size) => Err(ScenarioError::new(
                path,
                format!("must not exceed max_size ({max_size}), got {}", whole()),
            )),
            _ => Ok(()),
        },
        Check::Seconds => {
            let d = decimal();
            if !d.is_finite() || d < 0.0 || d > MAX_DURATION_S as f64 {
                return Err(ScenarioError::new(
                    path,
                    format!("must be between 0 and {MAX_DURATION_S} seconds, got {d}"),
                ));
            }
            Ok(())
        }
        Check::Hold => hold(decimal(), path),
        Check::Timeout => timeout(whole(), path),
        Check::AlertName => alert_name(text(), path),
        Check::AlertAbove => alert_above(values.metric("metric"), decimal(), path),
        Check::AlertFor => alert_for(whole(), path),
        Check::Note => {
            if text().trim().is_empty() {
                return Err(ScenarioError::new(path, "a note needs some text"));
            }
            self::text(text(), path, MAX_TEXT_CHARS)
        }
        Check::RetryAttempts => retry_attempts(whole(), path),
        Check::MaxBackoff => {
            let backoff = values.choice("backoff").and_then(Backoff::from_name).unwrap_or_default();
            max_backoff(backoff, values.whole("backoff_ms").unwrap_or(0), whole(), path)
        }
        Check::Jitter => {
            let backoff = values.choice("backoff").and_then(Backoff::from_name).unwrap_or_default();
            let jitter = match value {
                FieldValue::Choice(name) => Jitter::from_name(name).unwrap_or_default(),
                _ => Jitter::None,
            };
            jitter_needs_a_pause(jitter, backoff, path)
        }
        Check::BudgetRatio => budget_ratio(decimal(), path),
        Check::Window => window(whole(), path),
        Check::FailureRatio => failure_ratio(decimal(), path),
        Check::AtLeastOne => at_least_one(whole(), path),
        Check::OpenSeconds => open_seconds(decimal(), path),
        Check::Threads => threads(whole(), path),
        Check::AcceptQueue => accept_queue(whole(), path),
    }
}

/// The application server: its threads, its accept queue, the requests that need no database.
fn app(a: &AppConfig, path: &str) -> Result<(), ScenarioError> {
    threads(u64::from(a.threads), &format!("{path}.threads"))?;
    accept_queue(u64::from(a.accept_queue), &format!("{path}.accept_queue"))?;
    probability(a.no_db_share, &format!("{path}.no_db_share"))?;
    let ms = a.no_db_ms;
    if !ms.is_finite() || ms <= 0.0 || ms > MAX_NO_DB_MS {
        return Err(ScenarioError::new(
            format!("{path}.no_db_ms"),
            format!("must be a time above 0 and at most {MAX_NO_DB_MS} ms, got {ms}"),
        ));
    }
    Ok(())
}

#[inline(never)] // called by the scenario's rules and the actions' alike: one copy
fn threads(n: u64, path: &str) -> Result<(), ScenarioError> {
    if n == 0 || n > u64::from(MAX_THREADS) {
        return Err(ScenarioError::new(
            path,
            format!("must be between 1 and {MAX_THREADS} threads (Tomcat's default is 200), got {n}"),
        ));
    }
    Ok(())
}

#[inline(never)] // called by the scenario's rules and the actions' alike: one copy
fn accept_queue(n: u64, path: &str) -> Result<(), ScenarioError> {
    if n > u64::from(MAX_WAITING) {
        return Err(ScenarioError::new(
            path,
            format!("must be at most {MAX_WAITING} connections (Tomcat's default is 100), got {n}"),
        ));
    }
    Ok(())
}

/// The balancer's health checks.
fn health_check(h: &HealthCheckConfig, path: &str) -> Result<(), ScenarioError> {
    let interval = h.interval_s;
    if !interval.is_finite() || !(0.001..=MAX_HEALTH_INTERVAL_S).contains(&interval) {
        return Err(ScenarioError::new(
            format!("{path}.interval_s"),
            format!("must be between 0.001 and {MAX_HEALTH_INTERVAL_S} seconds, got {interval}"),
        ));
    }
    // As a load balancer requires (AWS: the timeout must be smaller than the interval):
    // one check of an instance at a time.
    if h.timeout_ms == 0 || h.timeout_ms as f64 >= interval * 1000.0 {
        return Err(ScenarioError::new(
            format!("{path}.timeout_ms"),
            format!(
                "must be above 0 and below the interval ({} ms): a check ends before the next starts, got {}",
                interval * 1000.0,
                h.timeout_ms
            ),
        ));
    }
    hold(h.query_ms, &format!("{path}.query_ms"))?;
    for (n, field) in [(h.unhealthy_after, "unhealthy_after"), (h.healthy_after, "healthy_after")] {
        if n == 0 || n > MAX_HEALTH_COUNT {
            return Err(ScenarioError::new(
                format!("{path}.{field}"),
                format!("must be between 1 and {MAX_HEALTH_COUNT} checks in a row, got {n}"),
            ));
        }
    }
    if let Some(s) = h.restart_unhealthy_after_s
        && (!s.is_finite() || s <= 0.0 || s > MAX_DURATION_S as f64)
    {
        return Err(ScenarioError::new(
            format!("{path}.restart_unhealthy_after_s"),
            format!("must be above 0 and at most {MAX_DURATION_S} seconds, got {s}"),
        ));
    }
    if let Some(ms) = h.startup_timeout_ms {
        timeout(ms, &format!("{path}.startup_timeout_ms"))?;
    }
    Ok(())
}

/// Check one alert rule of a scenario.
fn alert_rule(rule: &AlertRule, path: &str) -> Result<(), ScenarioError> {
    alert(&rule.name, rule.metric, rule.above, rule.for_s, path)
}

/// Check an alert rule's fields (a scenario's rule; an `add_alert` action's fields
/// pass the same checks through the catalogue).
fn alert(name: &str, metric: AlertMetric, above: f64, for_s: u64, path: &str) -> Result<(), ScenarioError> {
    let field = |f: &str| if path.is_empty() { f.to_owned() } else { format!("{path}.{f}") };
    alert_name(name, &field("name"))?;
    alert_above(Some(metric), above, &field("above"))?;
    alert_for(for_s, &field("for_s"))
}

fn alert_name(name: &str, path: &str) -> Result<(), ScenarioError> {
    if name.trim().is_empty() {
        return Err(ScenarioError::new(path, "an alert rule needs a name (e.g. \"PoolUsageHigh\")"));
    }
    text(name, path, MAX_TEXT_CHARS)
}

fn alert_above(metric: Option<AlertMetric>, above: f64, path: &str) -> Result<(), ScenarioError> {
    if !above.is_finite() || above < 0.0 {
        return Err(ScenarioError::new(
            path,
            format!("must be a number ≥ 0 (the rule fires when the metric is above it), got {above}"),
        ));
    }
    if metric == Some(AlertMetric::Usage) && above > 1.0 {
        return Err(ScenarioError::new(
            path,
            format!("usage is a share between 0 and 1 (0.8 = 80 %), got {above}"),
        ));
    }
    Ok(())
}

fn alert_for(for_s: u64, path: &str) -> Result<(), ScenarioError> {
    if for_s > MAX_DURATION_S {
        return Err(ScenarioError::new(
            path,
            format!("must be at most {MAX_DURATION_S} seconds (7 days), got {for_s}"),
        ));
    }
    Ok(())
}

fn pool(p: &PoolConfig, path: &str) -> Result<(), ScenarioError> {
    pool_size(p.max_size, &format!("{path}.max_size"))?;
    if let Some(min_idle) = p.min_idle
        && min_idle > p.max_size
    {
        return Err(ScenarioError::new(
            format!("{path}.min_idle"),
            format!("must not exceed max_size ({}), got {min_idle}", p.max_size),
        ));
    }
    timeout(p.connection_timeout_ms, &format!("{path}.connection_timeout_ms"))?;
    if let Some(max_idle) = p.max_idle {
        let min_idle = p.effective_min_idle();
        if max_idle < min_idle {
            return Err(ScenarioError::new(
                format!("{path}.max_idle"),
                format!(
                    "must be at least min_idle ({min_idle}{}), got {max_idle}: the pool would close \
                     the idle connections it must keep",
                    if p.min_idle.is_none() { ", which defaults to max_size" } else { "" }
                ),
            ));
        }
    }
    if let Some(n) = p.max_waiting
        && n > MAX_WAITING
    {
        return Err(ScenarioError::new(
            format!("{path}.max_waiting"),
            format!("must be at most {MAX_WAITING} requests, got {n}"),
        ));
    }
    timeout(p.idle_timeout_ms, &format!("{path}.idle_timeout_ms"))?;
    timeout(p.max_lifetime_ms, &format!("{path}.max_lifetime_ms"))?;
    timeout(p.leak_detection_threshold_ms, &format!("{path}.leak_detection_threshold_ms"))?;
    timeout(p.abandoned_timeout_ms, &format!("{path}.abandoned_timeout_ms"))?;
    let c = p.connect_ms;
    if !c.is_finite() || !(0.0..=MAX_CONNECT_MS).contains(&c) {
        return Err(ScenarioError::new(
            format!("{path}.connect_ms"),
            format!("must be between 0 and {MAX_CONNECT_MS} ms, got {c}"),
        ));
    }
    Ok(())
}

fn traffic(t: &TrafficConfig, path: &str) -> Result<(), ScenarioError> {
    rate(t.rate_per_s, &format!("{path}.rate_per_s"))?;
    timeout(t.deadline_ms, &format!("{path}.deadline_ms"))?;
    retry(&t.retry, &format!("{path}.retry"))?;
    if let Some(b) = &t.breaker {
        breaker(b, &format!("{path}.breaker"))?;
    }
    Ok(())
}

/// A retry policy: the same rules as a `set_retry` action's fields, and its budget's.
fn retry(r: &RetryConfig, path: &str) -> Result<(), ScenarioError> {
    retry_attempts(u64::from(r.attempts), &format!("{path}.attempts"))?;
    timeout(r.backoff_ms, &format!("{path}.backoff_ms"))?;
    max_backoff(r.backoff, r.backoff_ms, r.max_backoff_ms, &format!("{path}.max_backoff_ms"))?;
    jitter_needs_a_pause(r.jitter, r.backoff, &format!("{path}.jitter"))?;
    if let Some(b) = &r.budget {
        budget(b, &format!("{path}.budget"))?;
    }
    Ok(())
}

fn budget(b: &RetryBudget, path: &str) -> Result<(), ScenarioError> {
    budget_ratio(b.ratio, &format!("{path}.ratio"))?;
    window(b.window_s, &format!("{path}.window_s"))?;
    rate(b.min_per_s, &format!("{path}.min_per_s"))
}

fn breaker(b: &BreakerConfig, path: &str) -> Result<(), ScenarioError> {
    failure_ratio(b.failure_ratio, &format!("{path}.failure_ratio"))?;
    window(b.window_s, &format!("{path}.window_s"))?;
    at_least_one(u64::from(b.min_calls), &format!("{path}.min_calls"))?;
    open_seconds(b.open_s, &format!("{path}.open_s"))?;
    at_least_one(u64::from(b.half_open_calls), &format!("{path}.half_open_calls"))
}

#[inline(never)] // called by the scenario's rules and the actions' alike: one copy
fn retry_attempts(n: u64, path: &str) -> Result<(), ScenarioError> {
    if n > u64::from(MAX_RETRY_ATTEMPTS) {
        return Err(ScenarioError::new(path, format!("must be at most {MAX_RETRY_ATTEMPTS}, got {n}")));
    }
    Ok(())
}

/// The cap of an exponential backoff: at most 7 days, and not below its first pause. A
/// fixed or immediate backoff has no use for it, so only its range is checked.
#[inline(never)] // called by the scenario's rules and the actions' alike: one copy
fn max_backoff(backoff: Backoff, backoff_ms: u64, max_ms: u64, path: &str) -> Result<(), ScenarioError> {
    timeout(max_ms, path)?;
    if backoff == Backoff::Exponential && max_ms < backoff_ms {
        return Err(ScenarioError::new(
            path,
            format!("must be at least backoff_ms ({backoff_ms} ms), the first pause it caps, got {max_ms}"),
        ));
    }
    Ok(())
}

#[inline(never)] // called by the scenario's rules and the actions' alike: one copy
fn jitter_needs_a_pause(jitter: Jitter, backoff: Backoff, path: &str) -> Result<(), ScenarioError> {
    if jitter == Jitter::Full && backoff == Backoff::Immediate {
        return Err(ScenarioError::new(
            path,
            "immediate retries have no pause to spread: choose a fixed or exponential backoff, or no jitter",
        ));
    }
    Ok(())
}

#[inline(never)] // called by the scenario's rules and the actions' alike: one copy
fn budget_ratio(r: f64, path: &str) -> Result<(), ScenarioError> {
    let max = f64::from(MAX_RETRY_ATTEMPTS);
    if !r.is_finite() || !(0.0..=max).contains(&r) {
        return Err(ScenarioError::new(
            path,
            format!("must be between 0 and {max} retries per first try (0.1 = one in ten), got {r}"),
        ));
    }
    Ok(())
}

#[inline(never)] // called by the scenario's rules and the actions' alike: one copy
fn window(s: u64, path: &str) -> Result<(), ScenarioError> {
    if s == 0 || s > MAX_WINDOW_S {
        return Err(ScenarioError::new(
            path,
            format!("must be between 1 and {MAX_WINDOW_S} seconds, got {s}"),
        ));
    }
    Ok(())
}

#[inline(never)] // called by the scenario's rules and the actions' alike: one copy
fn failure_ratio(r: f64, path: &str) -> Result<(), ScenarioError> {
    if !r.is_finite() || r <= 0.0 || r > 1.0 {
        return Err(ScenarioError::new(
            path,
            format!("must be above 0 and at most 1 (0.5 = half the calls failed), got {r}"),
        ));
    }
    Ok(())
}

#[inline(never)] // called by the scenario's rules and the actions' alike: one copy
fn at_least_one(n: u64, path: &str) -> Result<(), ScenarioError> {
    if n == 0 {
        return Err(ScenarioError::new(path, "must be at least 1, got 0"));
    }
    Ok(())
}

#[inline(never)] // called by the scenario's rules and the actions' alike: one copy
fn open_seconds(s: f64, path: &str) -> Result<(), ScenarioError> {
    if !s.is_finite() || s <= 0.0 || s > MAX_DURATION_S as f64 {
        return Err(ScenarioError::new(
            path,
            format!("must be above 0 and at most {MAX_DURATION_S} seconds, got {s}"),
        ));
    }
    Ok(())
}

fn work(w: &WorkConfig, path: &str) -> Result<(), ScenarioError> {
    hold(w.hold_ms, &format!("{path}.hold_ms"))?;
    let sigma = w.lognormal_sigma;
    if !sigma.is_finite() || sigma <= 0.0 || sigma > MAX_LOGNORMAL_SIGMA {
        return Err(ScenarioError::new(
            format!("{path}.lognormal_sigma"),
            format!("must be above 0 and at most {MAX_LOGNORMAL_SIGMA} (1 is typical), got {sigma}"),
        ));
    }
    probability(w.slow_share, &format!("{path}.slow_share"))?;
    hold(w.slow_hold_ms, &format!("{path}.slow_hold_ms"))
}

fn database(d: &DatabaseConfig, path: &str) -> Result<(), ScenarioError> {
    for (field, cpu, typical) in
        [("connect_cpu_ms", d.connect_cpu_ms, 6), ("close_cpu_ms", d.close_cpu_ms, 4)]
    {
        if !cpu.is_finite() || !(0.0..=MAX_CONNECT_MS).contains(&cpu) {
            return Err(ScenarioError::new(
                format!("{path}.{field}"),
                format!(
                    "must be between 0 and {MAX_CONNECT_MS} ms (PostgreSQL 15 spends about {typical}), got {cpu}"
                ),
            ));
        }
    }
    if d.cores == 0 || d.cores > MAX_CORES {
        return Err(ScenarioError::new(
            format!("{path}.cores"),
            format!("must be between 1 and {MAX_CORES} cores, got {}", d.cores),
        ));
    }
    probability(d.db_share, &format!("{path}.db_share"))?;
    let sigma = d.contention;
    if !sigma.is_finite() || !(0.0..1.0).contains(&sigma) {
        return Err(ScenarioError::new(
            format!("{path}.contention"),
            format!("must be at least 0 and below 1 (0.02 = 2 % of the work serialised), got {sigma}"),
        ));
    }
    if d.max_connections == 0 || d.max_connections > MAX_DB_CONNECTIONS {
        return Err(ScenarioError::new(
            format!("{path}.max_connections"),
            format!("must be between 1 and {MAX_DB_CONNECTIONS}, got {}", d.max_connections),
        ));
    }
    if d.reserved_connections >= d.max_connections {
        return Err(ScenarioError::new(
            format!("{path}.reserved_connections"),
            format!(
                "must be below max_connections ({}), got {}: the application needs a slot",
                d.max_connections, d.reserved_connections
            ),
        ));
    }
    let kappa = d.coherency;
    if !kappa.is_finite() || !(0.0..=1.0).contains(&kappa) {
        return Err(ScenarioError::new(
            format!("{path}.coherency"),
            format!("must be between 0 and 1 (0.0005 is already a lot), got {kappa}"),
        ));
    }
    Ok(())
}

fn pool_size(n: u32, path: &str) -> Result<(), ScenarioError> {
    if n == 0 || n > MAX_POOL_SIZE {
        return Err(ScenarioError::new(
            path,
            format!("must be between 1 and {MAX_POOL_SIZE} connections, got {n}"),
        ));
    }
    Ok(())
}

fn rate(r: f64, path: &str) -> Result<(), ScenarioError> {
    if !r.is_finite() || !(0.0..=MAX_RATE_PER_S).contains(&r) {
        return Err(ScenarioError::new(
            path,
            format!("must be between 0 and {MAX_RATE_PER_S} requests per second, got {r}"),
        ));
    }
    Ok(())
}

fn probability(p: f64, path: &str) -> Result<(), ScenarioError> {
    if !p.is_finite() || !(0.0..=1.0).contains(&p) {
        return Err(ScenarioError::new(
            path,
            format!("must be a probability between 0 and 1 (0.001 = one in a thousand), got {p}"),
        ));
    }
    Ok(())
}

fn hold(h: f64, path: &str) -> Result<(), ScenarioError> {
    if !h.is_finite() || h <= 0.0 || h > MAX_HOLD_MS {
        return Err(ScenarioError::new(
            path,
            format!("must be a time above 0 and at most {MAX_HOLD_MS} ms (1 hour), got {h}"),
        ));
    }
    Ok(())
}

/// A duration in ms; `zero_is_off` says whether 0 means "disabled" (allowed) or is impossible.
/// A duration in ms where 0 means "off" (for `connection_timeout_ms`: wait forever).
fn timeout(ms: u64, path: &str) -> Result<(), ScenarioError> {
    if ms > MAX_TIMEOUT_MS {
        return Err(ScenarioError::new(
            path,
            format!("must be at most {MAX_TIMEOUT_MS} ms (7 days), got {ms}"),
        ));
    }
    Ok(())
}

fn text(s: &str, path: &str, max_chars: usize) -> Result<(), ScenarioError> {
    let n = s.chars().count();
    if n > max_chars {
        return Err(ScenarioError::new(
            path,
            format!("is too long: at most {max_chars} characters, got {n}"),
        ));
    }
    Ok(())
}
