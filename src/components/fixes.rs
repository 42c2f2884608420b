//! The fix panel: one-click fixes applied at the current simulated time — raise the
//! pool, roll back the leaky deploy, restart the app, turn on leak detection, turn on
//! abandoned-connection reclaim, add a usage alert; and when the run models its callers,
//! add jitter to their retries, cap retries with a budget, and fail fast (a 1 s connection
//! timeout, under the callers' deadline). Each button says what it will do and
//! at which clock time ("Roll back at 14:32:10"); a click emits the engine [`Action`]
//! (checked with [`validate_action`]), which the page applies live and records into the
//! timeline. A value that cannot be used shows an inline message and emits nothing.
//!
//! The actions are built by plain functions ([`resize`], [`restart`] …), tested natively.

use std::cell::RefCell;
use std::rc::Rc;

use poolsim_content::remedies::{self, FAIL_FAST_TIMEOUT_MS, JITTER_FIRST_PAUSE_MS, RETRY_BUDGET_RATIO};
use poolsim_engine::alerts::{USAGE_ALERT_FOR_S, suggested_rule};
use poolsim_engine::scenario::FleetConfig;
use poolsim_engine::scenario::validate::MAX_POOL_SIZE;
use poolsim_engine::time::format_clock;
use poolsim_engine::{
    Action, AlertMetric, AlertRule, Backoff, CallerSettings, HealthMode, Jitter, RetryConfig, Scenario,
    Settings, validate_action,
};
use yew::prelude::*;

use crate::components::field::{Field, Report};
use crate::forms::field::{Entry, FieldSpec, Panel};
use crate::forms::parse;
use poolsim_content::words::one_in_n;
use poolsim_content::words::{duration_ms_words, duration_s_words};

/// Leak detection threshold a fix turns on [ms]: long enough that normal queries are not
/// flagged (HikariCP accepts 2,000 ms and up).
pub const DEFAULT_LEAK_THRESHOLD_MS: u64 = 60_000;
/// Abandoned timeout a fix turns on [s] (Tomcat `removeAbandonedTimeout` is in seconds;
/// its default is 60).
pub const DEFAULT_ABANDONED_S: u64 = 60;

/// `maximumPoolSize` a resize fix offers first: double the running one.
pub fn default_size(settings: &Settings) -> u32 {
    settings.max_size.saturating_mul(2).min(MAX_POOL_SIZE)
}

/// Resize the pool to the size typed (`minimumIdle` left as it is, as HikariCP does).
pub fn resize(size: &str) -> Result<Action, String> {
    let max_size = parse::whole_u32(size).map_err(|reason| format!("Pool size: {reason}"))?;
    checked(Action::ResizePool { max_size, min_idle: None }, "Pool size")
}

/// Restart the app with the downtime typed [s] (empty = none).
pub fn restart(downtime_s: &str) -> Result<Action, String> {
    let downtime_s = if downtime_s.trim().is_empty() {
        0.0
    } else {
        parse::decimal(downtime_s).map_err(|reason| format!("Downtime: {reason}"))?
    };
    checked(Action::RestartApp { downtime_s }, "Downtime")
}

/// Turn leak detection on with the threshold typed [ms] (0 turns it off).
pub fn leak_detection(threshold_ms: &str) -> Result<Action, String> {
    let threshold_ms = parse::whole(threshold_ms).map_err(|reason| format!("Threshold: {reason}"))?;
    checked(Action::SetLeakDetection { threshold_ms }, "Threshold")
}

/// Turn abandoned reclaim on with the timeout typed [s] (Tomcat's unit; 0 turns it off).
pub fn abandoned(timeout_s: &str) -> Result<Action, String> {
    let timeout_s = parse::whole(timeout_s).map_err(|reason| format!("Timeout: {reason}"))?;
    let timeout_ms =
        timeout_s.checked_mul(1000).ok_or_else(|| format!("Timeout: “{}” is too large", timeout_s))?;
    checked(Action::SetAbandonedTimeout { timeout_ms }, "Timeout")
}

/// A usage alert (usage > 0.8 for 120 s), named so that no rule of `scenario` has its name.
pub fn usage_alert(scenario: Option<&Scenario>) -> Action {
    let empty = Scenario::default();
    let AlertRule { name, metric, above, for_s } =
        suggested_rule(AlertMetric::Usage, scenario.unwrap_or(&empty));
    Action::AddAlert { name, metric, above, for_s }
}

/// The callers' retries with exponential backoff and full jitter ([`remedies::jittered`]).
pub fn add_jitter(retry: &RetryConfig) -> Action {
    Action::set_retry(&remedies::jittered(retry))
}

/// The callers retry, and their retries are not yet spread out.
pub fn jitter_helps(retry: &RetryConfig) -> bool {
    retry.attempts > 0 && (retry.jitter == Jitter::None || retry.backoff == Backoff::Immediate)
}

/// A retry budget of one retry per ten first tries (the budget's other settings kept).
pub fn cap_retries(retry: &RetryConfig) -> Action {
    Action::set_retry_budget(&remedies::budget(retry, RETRY_BUDGET_RATIO))
}

/// The callers retry, without a budget as tight as the fix's.
pub fn cap_helps(retry: &RetryConfig) -> bool {
    retry.attempts > 0 && retry.budget.as_ref().is_none_or(|b| b.ratio > RETRY_BUDGET_RATIO)
}

/// A connection timeout of [`FAIL_FAST_TIMEOUT_MS`].
pub fn fail_fast() -> Action {
    Action::SetConnectionTimeout { timeout_ms: FAIL_FAST_TIMEOUT_MS }
}

/// Health checks that answer without the database (Buildkite's remedy, 2016): an
/// exhausted pool no longer takes healthy servers out of the load balancer.
pub fn shallow_health_checks() -> Action {
    Action::SetHealthCheck { mode: HealthMode::Shallow }
}

/// A leaky deploy is live: there is something to roll back.
pub fn leak_live(settings: &Settings) -> bool {
    settings.leak_probability > 0.0
}

/// `action` if the engine accepts it, else the reason after `label`.
fn checked(action: Action, label: &str) -> Result<Action, String> {
    validate_action(&action, "").map_err(|e| format!("{label}: {}", e.reason))?;
    Ok(action)
}

/// Properties of [`Fixes`].
#[derive(Debug, Properties, PartialEq)]
pub struct FixesProps {
    /// The running engine's settings now; `None` before the run starts (the fixes wait).
    pub settings: Option<Settings>,
    /// The scenario's `clock_start` [s since midnight].
    pub clock_start_s: u32,
    /// Current simulated time [s from the start].
    pub now_s: f64,
    /// A fix to apply now.
    pub on_fix: Callback<Action>,
    /// What the callers do now, when the run models them (their fixes show then).
    #[prop_or_default]
    pub callers: Option<CallerSettings>,
    /// What the fleet's health checks do now, when the run has them (their fix shows then).
    #[prop_or_default]
    pub health: Option<HealthMode>,
    /// The timeline so far, so a new alert rule gets a name no other rule has.
    #[prop_or_default]
    pub scenario: Option<Rc<Scenario>>,
}

/// What the user typed in the panel's fields, and the latest refusal.
#[derive(Clone, Debug, Default, PartialEq)]
struct Texts {
    /// Pool size; `None` follows the default (double the running size).
    size: Option<String>,
    downtime_s: Option<String>,
    threshold_ms: Option<String>,
    abandoned_s: Option<String>,
    /// (the fix's hook, the message) of the last refused fix.
    error: Option<(&'static str, String)>,
}

/// Builds a fix's action from the panel's texts.
type BuildFix = Rc<dyn Fn(&Texts) -> Result<Action, String>>;

/// The panel of live fixes.
#[component]
pub fn Fixes(props: &FixesProps) -> Html {
    // In a cell rather than state: typing then clicking before a render must use the text.
    let texts: Rc<RefCell<Texts>> = use_mut_ref(Texts::default);
    let redraw = use_force_update();

    let settings = props.settings;
    let ready = settings.is_some();
    let at = format_clock(f64::from(props.clock_start_s) + props.now_s.max(0.0), true);
    let size_default = settings.as_ref().map(|s| default_size(s).to_string()).unwrap_or_default();
    let current = texts.borrow().clone();
    let size_text = current.size.clone().unwrap_or_else(|| size_default.clone());
    let downtime_text = current.downtime_s.clone().unwrap_or_else(|| "0".to_owned());
    let threshold_text =
        current.threshold_ms.clone().unwrap_or_else(|| DEFAULT_LEAK_THRESHOLD_MS.to_string());
    let abandoned_text = current.abandoned_s.clone().unwrap_or_else(|| DEFAULT_ABANDONED_S.to_string());

    // Typing into a field keeps the text (and any message, until the next click).
    let typed = |slot: fn(&mut Texts) -> &mut Option<String>| {
        let (texts, redraw) = (texts.clone(), redraw.clone());
        Report::OnInput(Callback::from(move |text: String| {
            *slot(&mut texts.borrow_mut()) = Some(text);
            redraw.force_update();
        }))
    };
    // A click builds the action from the field's latest text; `reset` clears the text after
    // a success (so the pool size follows the new running size).
    let fix = |hook: &'static str, build: BuildFix, reset: bool| {
        let (texts, redraw, on_fix) = (texts.clone(), redraw.clone(), props.on_fix.clone());
        Callback::from(move |_: MouseEvent| {
            let mut t = texts.borrow_mut();
            match build(&t) {
                Ok(action) => {
                    t.error = None;
                    if reset {
                        t.size = None;
                    }
                    drop(t);
                    on_fix.emit(action);
                }
                Err(message) => t.error = Some((hook, message)),
            }
            redraw.force_update();
        })
    };
    let text_of = |slot: &Option<String>, default: &str| slot.clone().unwrap_or_else(|| default.to_owned());
    let on_resize = {
        let size_default = size_default.clone();
        fix("fix-resize", Rc::new(move |t: &Texts| resize(&text_of(&t.size, &size_default))), true)
    };
    let on_rollback = fix("fix-rollback", Rc::new(|_: &Texts| Ok(Action::Rollback)), false);
    let on_restart =
        fix("fix-restart", Rc::new(move |t: &Texts| restart(&text_of(&t.downtime_s, "0"))), false);
    let threshold_default = DEFAULT_LEAK_THRESHOLD_MS.to_string();
    let on_leak_detection = fix(
        "fix-leak-detection",
        Rc::new(move |t: &Texts| leak_detection(&text_of(&t.threshold_ms, &threshold_default))),
        false,
    );
    let abandoned_default = DEFAULT_ABANDONED_S.to_string();
    let on_abandoned = fix(
        "fix-abandoned",
        Rc::new(move |t: &Texts| abandoned(&text_of(&t.abandoned_s, &abandoned_default))),
        false,
    );
    let alert = usage_alert(props.scenario.as_deref());
    let on_alert = {
        let alert = alert.clone();
        fix("fix-alert", Rc::new(move |_: &Texts| Ok(alert.clone())), false)
    };

    let error_for = |hook: &str| current.error.as_ref().filter(|(h, _)| *h == hook).map(|(_, m)| m.clone());
    let leak_on = settings.as_ref().is_some_and(leak_live);

    // In a fleet a pool's fix acts on every instance: say so ("Raise pool to 200 at 13:40
    // on all 5 instances" is what meets max_connections).
    let instances = props.scenario.as_deref().map_or(1, FleetConfig::instances_of);
    let on_all = if instances > 1 { format!(" on all {instances} instances") } else { String::new() };
    let resize_label = match parse::whole_u32(&size_text) {
        Ok(n) if settings.is_some_and(|s| n > s.max_size) => format!("Raise pool to {n} at {at}{on_all}"),
        Ok(n) => format!("Resize pool to {n} at {at}{on_all}"),
        Err(_) => format!("Resize pool at {at}{on_all}"),
    };
    let restart_label = match parse::decimal(&downtime_text) {
        Ok(d) if d > 0.0 && d.is_finite() => {
            format!("Restart the app at {at} ({} down){on_all}", duration_s_words(d))
        }
        _ => format!("Restart the app at {at}{on_all}"),
    };
    let leak_label = match parse::whole(&threshold_text) {
        Ok(0) => format!("Turn off leak detection at {at}"),
        Ok(ms) => format!("Turn on leak detection ({}) at {at}", duration_ms_words(ms)),
        Err(_) => format!("Turn on leak detection at {at}"),
    };
    let abandoned_label = match parse::whole(&abandoned_text) {
        Ok(0) => format!("Turn off abandoned reclaim at {at}"),
        Ok(s) => format!("Reclaim connections out > {} at {at}", duration_s_words(s as f64)),
        Err(_) => format!("Turn on abandoned reclaim at {at}"),
    };
    let alert_label =
        format!("Add usage alert (> 80 % for {}) at {at}", duration_s_words(USAGE_ALERT_FOR_S as f64));

    let now_words = |f: fn(&Settings) -> String| settings.as_ref().map(f);
    let off_or = |ms: u64| if ms == 0 { "off".to_owned() } else { duration_ms_words(ms) };
    let resize_help =
        now_words(|s| format!("HikariCP maximumPoolSize, now {}; grows on demand.", s.max_size));
    let rollback_help = now_words(|s| {
        if leak_live(s) {
            let rate = one_in_n(s.leak_probability);
            format!(
                "Stops new leaks ({}); leaked connections stay out until a restart.",
                rate.trim_end_matches('.')
            )
        } else {
            "No leaky deploy is live: nothing to roll back.".to_owned()
        }
    });
    let restart_help = Some("Closes every connection, leaked ones too; waiting requests fail.".to_owned());
    let leak_help = settings.as_ref().map(|s| {
        format!(
            "HikariCP leakDetectionThreshold, now {}: logs suspects, reclaims nothing.",
            off_or(s.leak_detection_threshold_ms)
        )
    });
    let abandoned_help = settings.as_ref().map(|s| {
        format!(
            "Tomcat removeAbandonedTimeout, now {}: closes connections held longer, slow queries too.",
            off_or(s.abandoned_timeout_ms)
        )
    });
    let callers = props.callers.as_ref().map(|c| {
        let now_fix = |hook: &'static str, action: Action| fix(hook, Rc::new(move |_: &Texts| Ok(action.clone())), false);
        let retry = &c.retry;
        let (deadline, timeout) = (c.deadline_ms, settings.map_or(0, |s| s.connection_timeout_ms));
        let pause = retry.backoff_ms.max(JITTER_FIRST_PAUSE_MS);
        html! {
            <>
                <div class="fix">
                    { fix_button("fix-jitter", &format!("Add jitter to retries at {at}"), ready && jitter_helps(retry),
                        now_fix("fix-jitter", add_jitter(retry))) }
                    { help("fix-jitter", Some(if retry.attempts == 0 {
                        "The callers do not retry.".to_owned()
                    } else if jitter_helps(retry) {
                        format!("Exponential backoff from {}, each pause random below its cap: retries stop arriving in waves.", duration_ms_words(pause))
                    } else {
                        "Retries already back off with jitter.".to_owned()
                    })) }
                </div>
                <div class="fix">
                    { fix_button("fix-retry-budget", &format!("Cap retries at 10 % of requests at {at}"),
                        ready && cap_helps(retry), now_fix("fix-retry-budget", cap_retries(retry))) }
                    { help("fix-retry-budget", Some(if cap_helps(retry) {
                        format!("A retry budget (Finagle, gRPC): at most one retry per ten first tries; now up to {} tries a request.", retry.attempts + 1)
                    } else if retry.attempts == 0 {
                        "The callers do not retry.".to_owned()
                    } else {
                        "A retry budget of 10 % or less is in force.".to_owned()
                    })) }
                </div>
                <div class="fix">
                    { fix_button("fix-fail-fast", &format!("Fail fast: timeout {} at {at}", duration_ms_words(FAIL_FAST_TIMEOUT_MS)),
                        ready && timeout > FAIL_FAST_TIMEOUT_MS, now_fix("fix-fail-fast", fail_fast())) }
                    { help("fix-fail-fast", Some(format!(
                        "HikariCP connectionTimeout, now {}; the callers give up after {}: a waiter that outlives its caller is wasted.",
                        duration_ms_words(timeout),
                        if deadline == 0 { "never".to_owned() } else { duration_ms_words(deadline) },
                    ))) }
                </div>
            </>
        }
    });
    let health = props.health.map(|mode| {
        let deep = mode == HealthMode::Deep;
        html! {
            <div class="fix">
                { fix_button("fix-health-check", &format!("Health checks without the database at {at}"), ready && deep,
                    fix("fix-health-check", Rc::new(|_: &Texts| Ok(shallow_health_checks())), false)) }
                { help("fix-health-check", Some(if deep {
                    "The checks run SELECT 1 through each instance's own pool: an exhausted pool takes a healthy server out of the load balancer."
                } else {
                    "The health checks already answer without the database."
                }.to_owned())) }
            </div>
        }
    });
    let alert_help = match &alert {
        Action::AddAlert { name, .. } => {
            Some(format!("Rule {name}: warns once 80 % of the pool has been in use for 2 min."))
        }
        _ => None,
    };
    html! {
        <div class="fixes" data-testid="fixes">
            if !ready {
                <p class="fixes-wait" role="status">
                    {"Start the run: each fix applies at the current simulated time."}
                </p>
            }
            <Field spec={fix_field("fix-resize", "size", "New pool size", "conns", true, resize_help)}
                value={size_text} report={typed(|t| &mut t.size)} error={error_for("fix-resize")}>
                { fix_button("fix-resize", &resize_label, ready, on_resize) }
            </Field>
            <div class="fix">
                { fix_button("fix-rollback", &format!("Roll back at {at}"), ready && leak_on, on_rollback) }
                { help("fix-rollback", rollback_help) }
            </div>
            <Field spec={fix_field("fix-restart", "downtime", "Downtime", "s", false, restart_help)}
                value={downtime_text} report={typed(|t| &mut t.downtime_s)} error={error_for("fix-restart")}>
                { fix_button("fix-restart", &restart_label, ready, on_restart) }
            </Field>
            <Field
                spec={fix_field("fix-leak-detection", "threshold", "Leak threshold", "ms", true, leak_help)}
                value={threshold_text} report={typed(|t| &mut t.threshold_ms)}
                error={error_for("fix-leak-detection")}>
                { fix_button("fix-leak-detection", &leak_label, ready, on_leak_detection) }
            </Field>
            <Field spec={fix_field("fix-abandoned", "timeout", "Abandoned after", "s", true, abandoned_help)}
                value={abandoned_text} report={typed(|t| &mut t.abandoned_s)}
                error={error_for("fix-abandoned")}>
                { fix_button("fix-abandoned", &abandoned_label, ready, on_abandoned) }
            </Field>
            <div class="fix">
                { fix_button("fix-alert", &alert_label, ready, on_alert) }
                { help("fix-alert", alert_help) }
            </div>
            { callers.unwrap_or_default() }
            { health.unwrap_or_default() }
        </div>
    }
}

/// The value a fix takes, typed as text (so a refusal can quote what was typed): its
/// fix's hook, its own name (`size` → `fix-resize-size`), label, unit, whether it is a
/// whole number (the keyboard phones should show), and the fix's help line.
fn fix_field(
    hook: &'static str,
    id: &str,
    label: &str,
    unit: &'static str,
    whole: bool,
    help: Option<String>,
) -> FieldSpec {
    FieldSpec {
        whole,
        help: help.unwrap_or_default(),
        ..FieldSpec::new(Panel::Fix(hook), id, label, unit, Entry::TypedNumber)
    }
}

/// The fix's button: what it does and when. When it is disabled, the help line beside it
/// says why.
fn fix_button(hook: &'static str, label: &str, enabled: bool, onclick: Callback<MouseEvent>) -> Html {
    html! {
        <button type="button" class="button fix-button" data-testid={hook} disabled={!enabled}
            aria-describedby={format!("{hook}-help")} {onclick}>
            {label.to_owned()}
        </button>
    }
}

/// One line saying what the fix does and the setting's value now.
fn help(hook: &'static str, text: Option<String>) -> Html {
    html! {
        <p class="control-help" id={format!("{hook}-help")}>{text.unwrap_or_default()}</p>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(max_size: u32, leak_probability: f64) -> Settings {
        Settings {
            rate_per_s: 150.0,
            hold_ms: 40.0,
            leak_probability,
            max_size,
            min_idle: max_size,
            connection_timeout_ms: 30_000,
            leak_detection_threshold_ms: 0,
            abandoned_timeout_ms: 0,
        }
    }

    #[test]
    fn raising_the_pool_offers_double_the_running_size_and_keeps_min_idle() {
        assert_eq!(default_size(&settings(100, 0.0)), 200);
        assert_eq!(
            default_size(&settings(80_000, 0.0)),
            MAX_POOL_SIZE,
            "never above what the engine accepts"
        );
        assert_eq!(resize("200"), Ok(Action::ResizePool { max_size: 200, min_idle: None }));
        assert_eq!(resize(" 250 "), Ok(Action::ResizePool { max_size: 250, min_idle: None }));
    }

    #[test]
    fn an_impossible_fix_is_a_message_naming_the_field() {
        assert_eq!(resize("0"), Err("Pool size: must be between 1 and 100000 connections, got 0".to_owned()));
        assert!(resize("abc").is_err_and(|m| m.starts_with("Pool size: “abc”")));
        assert!(resize("2.5").is_err_and(|m| m.contains("whole number")));
        assert!(restart("-5").is_err_and(|m| m.starts_with("Downtime: ")));
        assert!(leak_detection("1e99").is_err_and(|m| m.starts_with("Threshold: ")));
        assert!(abandoned("999999999999").is_err_and(|m| m.starts_with("Timeout: ")));
        assert!(abandoned("18446744073709551615").is_err_and(|m| m.contains("too large")), "no overflow");
    }

    #[test]
    fn each_fix_builds_the_engine_action_with_its_units() {
        assert_eq!(restart(""), Ok(Action::RestartApp { downtime_s: 0.0 }));
        assert_eq!(restart("90"), Ok(Action::RestartApp { downtime_s: 90.0 }));
        assert_eq!(
            leak_detection(&DEFAULT_LEAK_THRESHOLD_MS.to_string()),
            Ok(Action::SetLeakDetection { threshold_ms: 60_000 })
        );
        // Tomcat's removeAbandonedTimeout is in seconds; the engine counts ms.
        assert_eq!(abandoned("60"), Ok(Action::SetAbandonedTimeout { timeout_ms: 60_000 }));
        assert_eq!(
            usage_alert(None),
            Action::AddAlert {
                name: "PoolUsageHigh".into(),
                metric: AlertMetric::Usage,
                above: 0.8,
                for_s: 120
            }
        );
    }

    #[test]
    fn a_usage_alert_fix_never_reuses_a_rule_name() {
        let mut scenario = poolsim_content::presets::load("june-15-2024").expect("the seed preset");
        scenario.events.push(poolsim_engine::TimedEvent::new(60.0, usage_alert(Some(&scenario))));
        let Action::AddAlert { name, .. } = usage_alert(Some(&scenario)) else { panic!("an alert") };
        assert_eq!(name, "PoolUsageHigh2", "a second fix after the first was recorded");
    }

    #[test]
    fn the_callers_fixes_jitter_cap_and_fail_fast() {
        let storm =
            RetryConfig { attempts: 3, backoff_ms: 0, backoff: Backoff::Immediate, ..RetryConfig::default() };
        assert!(jitter_helps(&storm) && cap_helps(&storm));
        let Action::SetRetry { attempts, backoff_ms, backoff, jitter, on, .. } = add_jitter(&storm) else {
            panic!("a retry policy")
        };
        assert_eq!(
            (attempts, backoff_ms, backoff, jitter, on),
            (3, 100, Backoff::Exponential, Jitter::Full, storm.on)
        );
        assert_eq!(validate_action(&add_jitter(&storm), ""), Ok(()));
        let Action::SetRetryBudget { ratio, .. } = cap_retries(&storm) else { panic!("a budget") };
        assert_eq!(ratio, RETRY_BUDGET_RATIO);
        assert_eq!(validate_action(&cap_retries(&storm), ""), Ok(()));
        assert_eq!(fail_fast(), Action::SetConnectionTimeout { timeout_ms: 1_000 });
        // Nothing to fix: no retries, or retries already jittered within a budget.
        assert!(!jitter_helps(&RetryConfig::default()) && !cap_helps(&RetryConfig::default()));
        let remedied = RetryConfig {
            jitter: Jitter::Full,
            backoff: Backoff::Exponential,
            budget: Some(poolsim_engine::RetryBudget { ratio: 0.1, ..Default::default() }),
            ..storm
        };
        assert!(!jitter_helps(&remedied) && !cap_helps(&remedied));
    }

    #[test]
    fn rollback_needs_a_live_leak() {
        assert!(!leak_live(&settings(100, 0.0)));
        assert!(leak_live(&settings(100, 0.000124)));
    }
}
