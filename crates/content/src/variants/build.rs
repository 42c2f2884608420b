//! Building a what-if scenario from a base scenario and a [`VariantKind`].
//!
//! Every variant keeps the base's seed: the engine's draws are counter-based, so the
//! same requests arrive, hold their connections as long and the same ones leak in every
//! variant, and a difference in outcome is the fix's doing (common random numbers).

use poolsim_engine::ScenarioError;
use poolsim_engine::SimDuration;
use poolsim_engine::Simulation;
use poolsim_engine::alerts::{USAGE_ALERT_NAME, unique_rule_name};
use poolsim_engine::scenario::validate::{
    MAX_DESCRIPTION_CHARS, MAX_DURATION_S, MAX_TEXT_CHARS, validate_action,
};
use poolsim_engine::scenario::{Action, TimedEvent};
use poolsim_engine::scenario::{AlertMetric, AlertRule, Scenario};

use super::kind::VariantKind;
use crate::remedies;

/// Build the what-if scenario `kind` describes from `base`. The result is valid (it
/// passed [`Scenario::validate`]) and has the base's seed; [`VariantKind::AsItHappened {}`]
/// returns the base unchanged. A bad value in `kind` is an error naming its field
/// (`at_s`, `max_size` …); [`VariantKind::RollbackAfterFirstAlert`] runs the base
/// without fixes first and fails if none of its alert rules ever fires.
pub fn build(base: &Scenario, kind: &VariantKind) -> Result<Scenario, ScenarioError> {
    base.validate()?;
    let s = match kind {
        VariantKind::AsItHappened {} => return Ok(base.clone()),
        VariantKind::NoFix {} => no_fix(base),
        VariantKind::BiggerPoolOnly { max_size, at_s } => {
            validate_action(&Action::ResizePool { max_size: *max_size, min_idle: None }, "")?;
            let mut s = no_fix(base);
            let at_s = time(*at_s, base, "at_s")?;
            if at_s == 0.0 {
                s.pool.max_size = *max_size;
                s.pool.min_idle = s.pool.min_idle.map(|m| m.min(*max_size));
            } else {
                push(&mut s, at_s, Action::ResizePool { max_size: *max_size, min_idle: None });
            }
            s
        }
        VariantKind::RollbackAt { at_s, restart } => rollback_at(base, time(*at_s, base, "at_s")?, *restart),
        VariantKind::RestartAt { at_s, downtime_s } => {
            let restart = Action::RestartApp { downtime_s: *downtime_s };
            validate_action(&restart, "")?;
            let mut s = no_fix(base);
            push(&mut s, time(*at_s, base, "at_s")?, restart);
            s
        }
        VariantKind::AbandonedReclaim { timeout_ms, from_s } => {
            if *timeout_ms == 0 {
                return Err(ScenarioError::new(
                    "timeout_ms",
                    "must be above 0 ms: abandoned reclaim needs a timeout (60000 = one minute)",
                ));
            }
            validate_action(&Action::SetAbandonedTimeout { timeout_ms: *timeout_ms }, "")?;
            let mut s = no_fix(base);
            let from_s = time(*from_s, base, "from_s")?;
            if from_s == 0.0 {
                s.pool.abandoned_timeout_ms = *timeout_ms;
            } else {
                push(&mut s, from_s, Action::SetAbandonedTimeout { timeout_ms: *timeout_ms });
            }
            s
        }
        VariantKind::UsageAlert { above, for_s } => {
            if !above.is_finite() || *above <= 0.0 || *above > 1.0 {
                return Err(ScenarioError::new(
                    "above",
                    format!("usage is a share of the pool above 0 and at most 1 (0.8 = 80 %), got {above}"),
                ));
            }
            let mut s = base.clone();
            let name = unique_rule_name(USAGE_ALERT_NAME, base);
            s.alerts.push(AlertRule { name, metric: AlertMetric::Usage, above: *above, for_s: *for_s });
            s
        }
        VariantKind::RollbackAfterFirstAlert { reaction_s, restart } => {
            rollback_after(base, *reaction_s, *restart, first_alert_without_fixes(base)?)?
        }
        VariantKind::NoRollback { duration_s } => {
            let mut s = base.clone();
            s.events.retain(|e| e.action != Action::Rollback);
            if let Some(d) = *duration_s {
                if d < base.duration_s || d > MAX_DURATION_S {
                    return Err(ScenarioError::new(
                        "duration_s",
                        format!(
                            "lengthens the run: between the base's {} s and {MAX_DURATION_S} s, got {d}",
                            base.duration_s
                        ),
                    ));
                }
                s.duration_s = d;
            }
            s
        }
        VariantKind::JitteredRetries {} => {
            let mut s = callers_who_retry(base)?;
            s.traffic.retry = remedies::jittered(&base.traffic.retry);
            s
        }
        VariantKind::RetryBudget { ratio } => {
            let budget = remedies::budget(&base.traffic.retry, *ratio);
            validate_action(&Action::set_retry_budget(&budget), "")?;
            let mut s = callers_who_retry(base)?;
            s.traffic.retry.budget = Some(budget);
            s
        }
        VariantKind::FailFast { timeout_ms } => {
            if *timeout_ms == 0 {
                return Err(ScenarioError::new(
                    "timeout_ms",
                    "must be above 0 ms: failing fast needs a connection timeout (1000 = one second)",
                ));
            }
            validate_action(&Action::SetConnectionTimeout { timeout_ms: *timeout_ms }, "")?;
            let mut s = base.clone();
            s.pool.connection_timeout_ms = *timeout_ms;
            s
        }
        VariantKind::Custom { scenario } => {
            let mut s = (**scenario).clone();
            s.seed = base.seed;
            s.validate().map_err(|e| ScenarioError::new(prefixed("scenario", &e.path), e.reason))?;
            return Ok(s);
        }
    };
    finish(base, kind, s)
}

/// The second pass of [`VariantKind::RollbackAfterFirstAlert`] `kind` on `base`, once the
/// first pass (the base without its fixes, [`VariantKind::NoFix`], run until an alert
/// fires) found the first alert at `first_alert_s` [s]: the scenario [`build`] makes for
/// `kind`, for a caller that runs the first pass itself (the compare page, in slices).
/// An error names `reaction_s` when the rollback would fall past the end of the run.
pub fn rollback_after_first_alert(
    base: &Scenario,
    kind: &VariantKind,
    first_alert_s: f64,
) -> Result<Scenario, ScenarioError> {
    let VariantKind::RollbackAfterFirstAlert { reaction_s, restart } = *kind else {
        return Err(ScenarioError::new("", "not a rollback after the first alert"));
    };
    base.validate()?;
    let s = rollback_after(base, reaction_s, restart, first_alert_s)?;
    finish(base, kind, s)
}

/// Why [`VariantKind::RollbackAfterFirstAlert`] cannot be built: no alert rule of the base
/// fires without its fixes.
pub const NO_FIRST_ALERT: &str = "no alert rule fires in this scenario without its fixes, so there is \
     no first alert to react to; add an alert rule (a usage alert, for instance)";

/// The variant `s` built from `base` for `kind`, finished: the base's seed, a name and a
/// description saying what if, validated.
fn finish(base: &Scenario, kind: &VariantKind, mut s: Scenario) -> Result<Scenario, ScenarioError> {
    s.seed = base.seed;
    let label = kind.label(base.clock_start);
    s.name = truncate(&format!("{} — what if: {label}", base.name), MAX_TEXT_CHARS);
    s.description = truncate(
        &format!(
            "What if: {label}. Built from \"{}\" with the same seed, so the same requests arrive, \
             hold their connections as long and the same ones leak; only the fix differs.",
            base.name
        ),
        MAX_DESCRIPTION_CHARS,
    );
    s.validate()?;
    Ok(s)
}

/// The base without its fixes ([`ActionKind::is_fix`](poolsim_engine::ActionKind::is_fix)).
fn no_fix(base: &Scenario) -> Scenario {
    let mut s = base.clone();
    s.events.retain(|e| !e.action.kind().is_fix());
    s
}

/// The base without its fixes, rolled back at `at_s` [s] (and restarted if `restart`).
fn rollback_at(base: &Scenario, at_s: f64, restart: bool) -> Scenario {
    let mut s = no_fix(base);
    push(&mut s, at_s, Action::Rollback);
    if restart {
        push(&mut s, at_s, Action::RestartApp { downtime_s: 0.0 });
    }
    s
}

/// The base without its fixes, rolled back `reaction_s` [s] after the first alert at
/// `first_alert_s` [s] (and restarted if `restart`).
fn rollback_after(
    base: &Scenario,
    reaction_s: f64,
    restart: bool,
    first_alert_s: f64,
) -> Result<Scenario, ScenarioError> {
    if !reaction_s.is_finite() || reaction_s < 0.0 {
        return Err(ScenarioError::new(
            "reaction_s",
            format!("must be a delay of 0 s or more, got {reaction_s}"),
        ));
    }
    let at_s = first_alert_s + reaction_s;
    if at_s > base.duration_s as f64 {
        return Err(ScenarioError::new(
            "reaction_s",
            format!(
                "the first alert fires at {first_alert_s} s; {reaction_s} s later is past the end of the run ({} s)",
                base.duration_s
            ),
        ));
    }
    Ok(rollback_at(base, at_s, restart))
}

/// A copy of `base` for a change of its callers' retries, which needs callers that retry
/// from the start: jitter or a budget changes nothing for callers that never retry.
fn callers_who_retry(base: &Scenario) -> Result<Scenario, ScenarioError> {
    if base.traffic.retry.attempts == 0 {
        return Err(ScenarioError::new(
            "kind",
            "this scenario's callers do not retry (traffic.retry.attempts is 0): there are no retries to change",
        ));
    }
    Ok(base.clone())
}

/// Add a timeline event; the engine orders events by time, ties as listed.
fn push(s: &mut Scenario, at_s: f64, action: Action) {
    s.events.push(TimedEvent::new(at_s, action));
}

/// A variant's time field: a finite time within the base's run [s].
fn time(at_s: f64, base: &Scenario, field: &str) -> Result<f64, ScenarioError> {
    let end = base.duration_s as f64;
    if !at_s.is_finite() || !(0.0..=end).contains(&at_s) {
        return Err(ScenarioError::new(
            field,
            format!("must be a time between 0 and the end of the run ({} s), got {at_s}", base.duration_s),
        ));
    }
    Ok(at_s)
}

/// Simulated time between checks for a first alert while looking for one.
const ALERT_SEARCH_STEP: SimDuration = SimDuration::from_secs(60);

/// When the first alert fires in the base without its fixes [s]. The run stops soon
/// after it: alerts fire as samples are taken, in time order.
fn first_alert_without_fixes(base: &Scenario) -> Result<f64, ScenarioError> {
    let mut sim = Simulation::new(&no_fix(base))?;
    while !sim.is_finished() && sim.alert_firings().is_empty() {
        let next = sim.now().saturating_add(ALERT_SEARCH_STEP);
        if sim.advance_to(next).is_err() {
            break; // Cannot happen: the clock only moves forward.
        }
    }
    first_alert_s(&sim).ok_or_else(|| ScenarioError::new("kind", NO_FIRST_ALERT))
}

/// When the first alert of `sim` fired [s], once one has: what the first pass of
/// [`VariantKind::RollbackAfterFirstAlert`] looks for. Alerts fire as samples are taken,
/// in time order, so the first `Some` is the answer for the whole run.
pub fn first_alert_s(sim: &Simulation) -> Option<f64> {
    sim.alert_firings().iter().map(|f| f.at_s).reduce(f64::min)
}

/// `scenario` + `pool.max_size` → `scenario.pool.max_size`.
fn prefixed(prefix: &str, path: &str) -> String {
    if path.is_empty() { prefix.to_owned() } else { format!("{prefix}.{path}") }
}

/// At most `max_chars` characters of `s`.
fn truncate(s: &str, max_chars: usize) -> String {
    s.chars().take(max_chars).collect()
}
