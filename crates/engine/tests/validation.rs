//! A scenario a user imports, pastes in a link or types on the command line is either
//! accepted or refused with the path of the wrong field and a reason they can act on.

use poolsim_engine::scenario::validate::{MAX_ALERTS, MAX_EVENTS};
use poolsim_engine::{
    Action, AlertMetric, AlertRule, Backoff, Jitter, RetryOn, Scenario, ScenarioError, TimedEvent,
    validate_action,
};

/// The error for `json`, which must be refused.
fn refused(json: &str) -> ScenarioError {
    match Scenario::from_json(json) {
        Ok(s) => panic!("accepted {json}: {s:?}"),
        Err(e) => e,
    }
}

/// Assert that `json` is refused at `path` with a reason containing every one of `words`.
#[track_caller]
fn assert_refused(json: &str, path: &str, words: &[&str]) {
    let e = refused(json);
    assert_eq!(e.path, path, "wrong path for {json}: {e}");
    for w in words {
        assert!(e.reason.contains(w), "reason for {json} should mention {w:?}: {e}");
    }
}

/// Assert that `scenario` fails validation at `path`.
#[track_caller]
fn assert_invalid(scenario: &Scenario, path: &str) {
    match scenario.validate() {
        Ok(()) => panic!("accepted a scenario that should fail at {path}"),
        Err(e) => assert_eq!(e.path, path, "{e}"),
    }
}

fn with_event(action: Action) -> Scenario {
    Scenario { events: vec![TimedEvent::new(10.0, action)], ..Scenario::default() }
}

#[test]
fn an_empty_object_is_the_default_scenario() {
    let s = Scenario::from_json("{}").expect("{} is valid");
    assert_eq!(s, Scenario::default());
    assert!(Scenario::default().validate().is_ok());
}

#[test]
fn malformed_json_says_where() {
    let e = refused(r#"{"name": "x""#);
    assert!(e.reason.contains("line 1"), "{e}");
    let e = refused(r#"{"pool": {"max_size": 3,"#);
    assert_eq!(e.path, "pool", "the path names only what is known: {e}");
}

#[test]
fn unknown_fields_are_refused_at_their_path() {
    assert_refused(r#"{"bogus": 1}"#, "bogus", &["unknown field `bogus`"]);
    assert_refused(r#"{"pool": {"maxsize": 3}}"#, "pool.maxsize", &["unknown field", "max_size"]);
    assert_refused(r#"{"traffic": {"retry": {"tries": 3}}}"#, "traffic.retry.tries", &["unknown field"]);
    assert_refused(
        r#"{"alerts": [{"name": "A", "metric": "usage", "above": 0.8, "for": 60}]}"#,
        "alerts[0].for",
        &["for_s"],
    );
}

#[test]
fn wrong_types_are_refused_at_their_path() {
    assert_refused(r#"{"pool": {"max_size": -3}}"#, "pool.max_size", &["-3"]);
    assert_refused(r#"{"duration_s": "long"}"#, "duration_s", &["invalid type"]);
    assert_refused(r#"{"work": {"hold_distribution": "gamma"}}"#, "work.hold_distribution", &["exponential"]);
    assert_refused(
        r#"{"alerts": [{"name": "A", "metric": "cpu", "above": 1}]}"#,
        "alerts[0].metric",
        &["usage"],
    );
}

#[test]
fn an_unknown_action_names_the_event_and_the_known_actions() {
    let json = r#"{"events": [{"at_s": 5, "action": "rollback"}, {"at_s": 10, "action": "explode"}]}"#;
    assert_refused(json, "events[1].action", &["explode", "deploy_leak", "resize_pool"]);
}

#[test]
fn an_action_refuses_fields_it_does_not_take() {
    // A unit action: serde's flatten would silently accept these.
    assert_refused(
        r#"{"events": [{"at_s": 1, "action": "rollback", "foo": 1}]}"#,
        "events[0].foo",
        &["rollback"],
    );
    assert_refused(
        r#"{"events": [{"at_s": 1, "action": "rollback", "probability": 0.1}]}"#,
        "events[0].probability",
        &["rollback"],
    );
    assert_refused(
        r#"{"events": [{"at_s": 1, "action": "deploy_leak", "probability": 0.1, "max_size": 5}]}"#,
        "events[0].max_size",
        &["deploy_leak", "probability"],
    );
    // The tag may come last: the event is still refused, naming the field and the action.
    assert_refused(
        r#"{"events": [{"probability": 0.1, "at_s": 1, "action": "note", "text": "x"}]}"#,
        "events[0]",
        &["probability", "note"],
    );
}

#[test]
fn an_event_with_a_missing_or_duplicate_field_is_refused() {
    assert_refused(r#"{"events": [{"at_s": 1, "action": "deploy_leak"}]}"#, "events[0]", &["probability"]);
    assert_refused(r#"{"events": [{"action": "rollback"}]}"#, "events[0]", &["at_s"]);
    assert_refused(r#"{"events": [{"at_s": 1}]}"#, "events[0]", &["action", "deploy_leak"]);
    assert_refused(
        r#"{"events": [{"at_s": 1, "at_s": 2, "action": "rollback"}]}"#,
        "events[0].at_s",
        &["duplicate"],
    );
    assert_refused(r#"{"events": [7]}"#, "events[0]", &["timeline event"]);
}

#[test]
fn a_wrong_type_inside_an_action_names_the_field() {
    assert_refused(
        r#"{"events": [{"at_s": 1, "action": "deploy_leak", "probability": "high"}]}"#,
        "events[0].probability",
        &["invalid type"],
    );
    assert_refused(
        r#"{"events": [{"at_s": 1, "action": "add_alert", "name": "A", "metric": "cpu", "above": 1}]}"#,
        "events[0].metric",
        &["usage"],
    );
}

#[test]
fn actions_parse_wherever_the_tag_sits_and_round_trip() {
    let s = Scenario::from_json(
        r#"{"duration_s": 100, "events": [
            {"probability": 0.25, "action": "deploy_leak", "at_s": 3},
            {"at_s": 4, "action": "restart_app"},
            {"at_s": 5, "action": "resize_pool", "max_size": 20, "min_idle": null}
        ]}"#,
    )
    .expect("valid");
    assert_eq!(s.events[0], TimedEvent::new(3.0, Action::DeployLeak { probability: 0.25 }));
    assert_eq!(s.events[1].action, Action::RestartApp { downtime_s: 0.0 });
    assert_eq!(s.events[2].action, Action::ResizePool { max_size: 20, min_idle: None });

    let every_action = [
        Action::SetRate { rate_per_s: 250.0 },
        Action::DeployLeak { probability: 0.001 },
        Action::Rollback,
        Action::ResizePool { max_size: 200, min_idle: Some(10) },
        Action::RestartApp { downtime_s: 60.0 },
        Action::SetHold { hold_ms: 120.0 },
        Action::SetLeakDetection { threshold_ms: 2000 },
        Action::SetAbandonedTimeout { timeout_ms: 60_000 },
        Action::SetConnectionTimeout { timeout_ms: 5000 },
        Action::AddAlert { name: "PoolUsageHigh".into(), metric: AlertMetric::Usage, above: 0.8, for_s: 120 },
        Action::Note { text: "Engineers investigate".into() },
        Action::SetDeadline { deadline_ms: 1000 },
        Action::SetRetry {
            attempts: 3,
            backoff_ms: 100,
            backoff: Backoff::Exponential,
            max_backoff_ms: 20_000,
            jitter: Jitter::Full,
            on: RetryOn::Timeout,
        },
        Action::SetRetryBudget { ratio: 0.1, window_s: 10, min_per_s: 0.0 },
        Action::SetBreaker {
            failure_ratio: 0.5,
            window_s: 10,
            min_calls: 100,
            open_s: 60.0,
            half_open_calls: 10,
        },
    ];
    let original = Scenario {
        events: every_action
            .iter()
            .enumerate()
            .map(|(i, a)| TimedEvent::new(i as f64 * 60.0, a.clone()))
            .collect(),
        ..Scenario::default()
    };
    let json = serde_json::to_string(&original).expect("serializes");
    assert_eq!(Scenario::from_json(&json), Ok(original));
    for a in &every_action {
        let json = serde_json::to_string(a).expect("serializes");
        let back: Action = serde_json::from_str(&json).expect("a live action parses back");
        assert_eq!(&back, a);
    }
    let live: Result<Action, _> = serde_json::from_str(r#"{"action": "rollback", "at_s": 5}"#);
    assert!(live.is_err(), "a live action has no time");
}

#[test]
fn rates_must_be_finite_non_negative_and_bounded() {
    assert_refused(r#"{"traffic": {"rate_per_s": -1}}"#, "traffic.rate_per_s", &["between 0 and", "-1"]);
    assert_refused(r#"{"traffic": {"rate_per_s": 2e6}}"#, "traffic.rate_per_s", &["1000000"]);
    // JSON has no NaN or infinity, but a scenario built in code (the page's controls) can.
    for bad in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
        let mut s = Scenario::default();
        s.traffic.rate_per_s = bad;
        assert_invalid(&s, "traffic.rate_per_s");
    }
    assert!(Scenario::from_json(r#"{"traffic": {"rate_per_s": 0}}"#).is_ok(), "no traffic is valid");
    assert!(Scenario::from_json(r#"{"traffic": {"rate_per_s": 100000}}"#).is_ok(), "extreme but valid");
}

#[test]
fn pool_settings_must_be_possible() {
    assert_refused(r#"{"pool": {"max_size": 0}}"#, "pool.max_size", &["between 1 and 100000", "got 0"]);
    assert_refused(r#"{"pool": {"max_size": 100001}}"#, "pool.max_size", &["100000"]);
    assert_refused(r#"{"pool": {"max_size": 10, "min_idle": 11}}"#, "pool.min_idle", &["max_size (10)"]);
    assert_refused(
        r#"{"pool": {"connection_timeout_ms": 1000000000000}}"#,
        "pool.connection_timeout_ms",
        &["7 days"],
    );
    assert_refused(r#"{"pool": {"connect_ms": -5}}"#, "pool.connect_ms", &["-5"]);
    assert_refused(r#"{"pool": {"idle_timeout_ms": 1000000000000}}"#, "pool.idle_timeout_ms", &["7 days"]);
    for ok in [r#"{"pool": {"max_size": 1}}"#, r#"{"pool": {"max_size": 10000, "min_idle": 0}}"#] {
        assert!(Scenario::from_json(ok).is_ok(), "{ok} is extreme but valid");
    }
    assert!(
        Scenario::from_json(r#"{"pool": {"leak_detection_threshold_ms": 0, "abandoned_timeout_ms": 0}}"#)
            .is_ok()
    );
    // Go's database/sql without a context deadline: a request waits for ever.
    assert!(Scenario::from_json(r#"{"pool": {"connection_timeout_ms": 0}}"#).is_ok(), "0 = wait forever");
}

#[test]
fn pool_flavour_settings_must_be_possible() {
    assert_refused(
        r#"{"pool": {"flavour": "c3p0"}}"#,
        "pool.flavour",
        &["unknown variant `c3p0`", "hikaricp"],
    );
    assert_refused(r#"{"pool": {"wait_order": "lifo"}}"#, "pool.wait_order", &["fifo", "random"]);
    // Go's SetMaxIdleConns(2) with minimumIdle left at its default (= max_size) would close
    // the connections the pool must keep: the reason says where the 10 comes from.
    assert_refused(
        r#"{"pool": {"max_idle": 2}}"#,
        "pool.max_idle",
        &["min_idle (10", "defaults to max_size"],
    );
    assert_refused(
        r#"{"pool": {"max_idle": 2, "min_idle": 3}}"#,
        "pool.max_idle",
        &["min_idle (3)", "got 2"],
    );
    assert_refused(r#"{"pool": {"max_waiting": 1000001}}"#, "pool.max_waiting", &["at most 1000000"]);
    assert_refused(r#"{"pool": {"max_waiting": -1}}"#, "pool.max_waiting", &["-1"]);
    let go = r#"{"pool": {"flavour": "go", "wait_order": "random", "max_idle": 2, "min_idle": 0,
                 "max_waiting": 0, "connection_timeout_ms": 0}}"#;
    assert!(Scenario::from_json(go).is_ok(), "Go's defaults are a valid pool");
}

#[test]
fn hold_times_and_shares_must_be_possible() {
    assert_refused(r#"{"work": {"hold_ms": 0}}"#, "work.hold_ms", &["above 0"]);
    assert_refused(r#"{"work": {"hold_ms": -40}}"#, "work.hold_ms", &["-40"]);
    let mut s = Scenario::default();
    s.work.hold_ms = f64::NAN;
    assert_invalid(&s, "work.hold_ms");
    assert_refused(r#"{"work": {"slow_share": 1.5}}"#, "work.slow_share", &["between 0 and 1"]);
    assert_refused(r#"{"work": {"slow_share": -0.1}}"#, "work.slow_share", &["between 0 and 1"]);
    assert_refused(r#"{"work": {"slow_hold_ms": 0}}"#, "work.slow_hold_ms", &["above 0"]);
    assert_refused(r#"{"work": {"lognormal_sigma": 0}}"#, "work.lognormal_sigma", &["above 0"]);
    assert_refused(r#"{"work": {"lognormal_sigma": 50}}"#, "work.lognormal_sigma", &["at most 5"]);
}

#[test]
fn probabilities_must_lie_between_0_and_1() {
    assert_refused(r#"{"leak": {"probability": 1.5}}"#, "leak.probability", &["between 0 and 1", "1.5"]);
    assert_refused(r#"{"leak": {"probability": -0.001}}"#, "leak.probability", &["between 0 and 1"]);
    assert!(Scenario::from_json(r#"{"leak": {"probability": 1}}"#).is_ok(), "every request leaking is valid");
}

#[test]
fn the_clock_and_duration_must_make_sense() {
    for bad in ["25:00", "12", "noon", "12:60", "1:00", "12:00:60", "12:00:00:00", "", "+1:00"] {
        let json = format!(r#"{{"clock_start": "{bad}"}}"#);
        assert_refused(&json, "clock_start", &["HH:MM"]);
    }
    for ok in ["00:00", "23:59", "12:00:30"] {
        assert!(Scenario::from_json(&format!(r#"{{"clock_start": "{ok}"}}"#)).is_ok(), "{ok}");
    }
    assert_refused(r#"{"duration_s": 0}"#, "duration_s", &["between 1 and"]);
    assert_refused(r#"{"duration_s": 691200}"#, "duration_s", &["7 days"]);
}

#[test]
fn events_must_happen_within_the_run() {
    let json = r#"{"duration_s": 600, "events": [{"at_s": 10, "action": "rollback"}, {"at_s": -1, "action": "rollback"}]}"#;
    assert_refused(json, "events[1].at_s", &["between 0 and duration_s (600 s)"]);
    assert_refused(
        r#"{"duration_s": 600, "events": [{"at_s": 601, "action": "rollback"}]}"#,
        "events[0].at_s",
        &["601"],
    );
    assert!(
        Scenario::from_json(r#"{"duration_s": 600, "events": [{"at_s": 600, "action": "rollback"}]}"#)
            .is_ok()
    );
    let mut s = with_event(Action::Rollback);
    s.events[0].at_s = f64::NAN;
    assert_invalid(&s, "events[0].at_s");
}

#[test]
fn each_action_checks_its_own_fields() {
    let cases: [(&str, &str); 24] = [
        (r#"{"action": "resize_pool", "max_size": 0}"#, "events[0].max_size"),
        (r#"{"action": "resize_pool", "max_size": 10, "min_idle": 20}"#, "events[0].min_idle"),
        (r#"{"action": "deploy_leak", "probability": 1.1}"#, "events[0].probability"),
        (r#"{"action": "set_rate", "rate_per_s": -5}"#, "events[0].rate_per_s"),
        (r#"{"action": "restart_app", "downtime_s": -1}"#, "events[0].downtime_s"),
        (r#"{"action": "set_hold", "hold_ms": 0}"#, "events[0].hold_ms"),
        (r#"{"action": "set_connection_timeout", "timeout_ms": 1000000000000}"#, "events[0].timeout_ms"),
        (r#"{"action": "set_leak_detection", "threshold_ms": 1000000000000}"#, "events[0].threshold_ms"),
        (r#"{"action": "set_abandoned_timeout", "timeout_ms": 1000000000000}"#, "events[0].timeout_ms"),
        (r#"{"action": "add_alert", "name": "U", "metric": "usage", "above": 80}"#, "events[0].above"),
        (r#"{"action": "add_alert", "name": "", "metric": "pending", "above": 0}"#, "events[0].name"),
        (r#"{"action": "note", "text": "  "}"#, "events[0].text"),
        (r#"{"action": "set_deadline", "deadline_ms": 1000000000000}"#, "events[0].deadline_ms"),
        (r#"{"action": "set_retry", "attempts": 101, "backoff_ms": 0}"#, "events[0].attempts"),
        (
            r#"{"action": "set_retry", "attempts": 1, "backoff_ms": 0, "backoff": "linear"}"#,
            "events[0].backoff",
        ),
        (
            r#"{"action": "set_retry", "attempts": 1, "backoff_ms": 500, "backoff": "exponential", "max_backoff_ms": 100}"#,
            "events[0].max_backoff_ms",
        ),
        (
            r#"{"action": "set_retry", "attempts": 1, "backoff_ms": 0, "backoff": "immediate", "jitter": "full"}"#,
            "events[0].jitter",
        ),
        (r#"{"action": "set_retry_budget", "ratio": -0.1}"#, "events[0].ratio"),
        (r#"{"action": "set_retry_budget", "ratio": 0.1, "window_s": 0}"#, "events[0].window_s"),
        (r#"{"action": "set_breaker", "failure_ratio": 0}"#, "events[0].failure_ratio"),
        (r#"{"action": "set_breaker", "open_s": 0}"#, "events[0].open_s"),
        (r#"{"action": "set_breaker", "half_open_calls": 0}"#, "events[0].half_open_calls"),
        (r#"{"action": "set_threads", "threads": 0}"#, "events[0].threads"),
        (r#"{"action": "set_threads", "threads": 10, "accept_queue": 2000000}"#, "events[0].accept_queue"),
    ];
    for (action, path) in cases {
        let json = format!(r#"{{"events": [{{"at_s": 10, {}]}}"#, &action[1..]);
        let e = refused(&json);
        assert_eq!(e.path, path, "{json}: {e}");
    }
}

#[test]
fn live_actions_are_checked_under_the_given_path() {
    let bad = Action::DeployLeak { probability: 2.0 };
    assert_eq!(validate_action(&bad, "").map_err(|e| e.path), Err("probability".to_owned()));
    assert_eq!(validate_action(&bad, "live").map_err(|e| e.path), Err("live.probability".to_owned()));
    assert!(validate_action(&Action::ResizePool { max_size: 200, min_idle: None }, "").is_ok());
    assert!(validate_action(&Action::SetRate { rate_per_s: f64::INFINITY }, "").is_err());
    assert!(validate_action(&Action::SetHold { hold_ms: f64::NAN }, "").is_err());
}

#[test]
fn alert_rules_must_be_meaningful() {
    let rule = |name: &str, metric, above, for_s| AlertRule { name: name.to_owned(), metric, above, for_s };
    let mut s = Scenario { alerts: vec![rule("U", AlertMetric::Usage, 80.0, 60)], ..Scenario::default() };
    assert_invalid(&s, "alerts[0].above");
    s.alerts = vec![rule("P", AlertMetric::Pending, f64::NAN, 60)];
    assert_invalid(&s, "alerts[0].above");
    s.alerts = vec![rule("P", AlertMetric::Pending, 0.0, 10_000_000)];
    assert_invalid(&s, "alerts[0].for_s");
    s.alerts = vec![rule("P", AlertMetric::Pending, 0.0, 60), rule("P", AlertMetric::Timeouts, 0.0, 0)];
    assert_invalid(&s, "alerts[1].name");
    s.alerts = vec![rule(" ", AlertMetric::Pending, 0.0, 60)];
    assert_invalid(&s, "alerts[0].name");
    s.alerts =
        vec![rule("Ok", AlertMetric::Usage, 0.8, 120), rule("Timeouts", AlertMetric::Timeouts, 0.0, 0)];
    assert!(s.validate().is_ok());
}

#[test]
fn texts_and_lists_have_sane_limits() {
    let long = "x".repeat(501);
    assert_refused(&format!(r#"{{"name": "{long}"}}"#), "name", &["at most 500 characters"]);
    let json = format!(r#"{{"events": [{{"at_s": 1, "action": "note", "text": "{long}"}}]}}"#);
    assert_refused(&json, "events[0].text", &["at most 500"]);
    let ok_text = "é".repeat(500);
    assert!(Scenario::from_json(&format!(r#"{{"name": "{ok_text}"}}"#)).is_ok(), "limits count characters");

    let note = TimedEvent::new(1.0, Action::Note { text: "n".into() });
    let s = Scenario { events: vec![note; MAX_EVENTS + 1], ..Scenario::default() };
    assert_invalid(&s, "events");
    let alerts = (0..=MAX_ALERTS)
        .map(|i| AlertRule { name: format!("A{i}"), metric: AlertMetric::Pending, above: 0.0, for_s: 0 })
        .collect();
    assert_invalid(&Scenario { alerts, ..Scenario::default() }, "alerts");
    assert_refused(
        r#"{"traffic": {"retry": {"attempts": 1000}}}"#,
        "traffic.retry.attempts",
        &["at most 100"],
    );
}

#[test]
fn the_callers_settings_must_be_possible() {
    assert_refused(r#"{"traffic": {"deadline_ms": 1000000000000}}"#, "traffic.deadline_ms", &["7 days"]);
    assert_refused(r#"{"traffic": {"deadline_ms": -1}}"#, "traffic.deadline_ms", &["-1"]);
    assert_refused(
        r#"{"traffic": {"retry": {"backoff": "linear"}}}"#,
        "traffic.retry.backoff",
        &["unknown variant `linear`", "exponential"],
    );
    assert_refused(r#"{"traffic": {"retry": {"jitter": "half"}}}"#, "traffic.retry.jitter", &["full"]);
    assert_refused(r#"{"traffic": {"retry": {"on": "error"}}}"#, "traffic.retry.on", &["refusal"]);
    assert_refused(
        r#"{"traffic": {"retry": {"backoff": "immediate", "jitter": "full"}}}"#,
        "traffic.retry.jitter",
        &["no pause to spread"],
    );
    assert_refused(
        r#"{"traffic": {"retry": {"backoff": "exponential", "backoff_ms": 500, "max_backoff_ms": 100}}}"#,
        "traffic.retry.max_backoff_ms",
        &["at least backoff_ms (500 ms)", "got 100"],
    );
    // A fixed pause has no use for the cap, so an old scenario's long pause still reads.
    assert!(Scenario::from_json(r#"{"traffic": {"retry": {"attempts": 2, "backoff_ms": 60000}}}"#).is_ok());
    assert_refused(
        r#"{"traffic": {"retry": {"budget": {"ratio": 101}}}}"#,
        "traffic.retry.budget.ratio",
        &["100"],
    );
    assert_refused(
        r#"{"traffic": {"retry": {"budget": {"window_s": 0}}}}"#,
        "traffic.retry.budget.window_s",
        &["between 1 and 3600"],
    );
    assert_refused(
        r#"{"traffic": {"retry": {"budget": {"min_per_s": -1}}}}"#,
        "traffic.retry.budget.min_per_s",
        &["-1"],
    );
    assert_refused(
        r#"{"traffic": {"retry": {"budget": {"percent": 20}}}}"#,
        "traffic.retry.budget.percent",
        &["unknown field"],
    );
    assert_refused(
        r#"{"traffic": {"breaker": {"failure_ratio": 1.5}}}"#,
        "traffic.breaker.failure_ratio",
        &["at most 1"],
    );
    assert_refused(r#"{"traffic": {"breaker": {"window_s": 7200}}}"#, "traffic.breaker.window_s", &["3600"]);
    assert_refused(
        r#"{"traffic": {"breaker": {"min_calls": 0}}}"#,
        "traffic.breaker.min_calls",
        &["at least 1"],
    );
    assert_refused(r#"{"traffic": {"breaker": {"open_s": -5}}}"#, "traffic.breaker.open_s", &["above 0"]);
    assert_refused(
        r#"{"traffic": {"breaker": {"half_open_calls": 0}}}"#,
        "traffic.breaker.half_open_calls",
        &["at least 1"],
    );
    let mut s = Scenario::default();
    s.traffic.breaker = Some(poolsim_engine::BreakerConfig { open_s: f64::NAN, ..Default::default() });
    assert_invalid(&s, "traffic.breaker.open_s");
    let every = r#"{"traffic": {"deadline_ms": 1000, "retry": {"attempts": 3, "backoff_ms": 100,
        "backoff": "exponential", "max_backoff_ms": 20000, "jitter": "full", "on": "timeout",
        "budget": {"ratio": 0.1, "window_s": 10, "min_per_s": 0}},
        "breaker": {"failure_ratio": 0.5, "window_s": 10, "min_calls": 100, "open_s": 60, "half_open_calls": 10}}}"#;
    let s = Scenario::from_json(every).expect("every callers' setting at once is valid");
    let json = serde_json::to_string(&s).expect("serialises");
    assert_eq!(Scenario::from_json(&json), Ok(s), "and reads back as written");
}

#[test]
fn errors_read_as_path_then_reason() {
    let e = refused(r#"{"pool": {"max_size": 0}}"#);
    assert_eq!(e.to_string(), "pool.max_size: must be between 1 and 100000 connections, got 0");
}

#[test]
fn the_application_servers_settings_must_be_possible() {
    assert_refused(r#"{"app": {"threads": 0}}"#, "app.threads", &["between 1 and 100000 threads", "got 0"]);
    assert_refused(r#"{"app": {"threads": 100001}}"#, "app.threads", &["100001"]);
    assert_refused(r#"{"app": {"accept_queue": 1000001}}"#, "app.accept_queue", &["at most 1000000"]);
    assert_refused(r#"{"app": {"no_db_share": 1.5}}"#, "app.no_db_share", &["between 0 and 1"]);
    assert_refused(r#"{"app": {"no_db_ms": 0}}"#, "app.no_db_ms", &["above 0"]);
    assert_refused(r#"{"app": {"no_db_ms": 60001}}"#, "app.no_db_ms", &["at most 60000 ms"]);
    assert_refused(r#"{"app": {"threds": 10}}"#, "app.threds", &["unknown field"]);
    // Tomcat's defaults when only the section is given.
    let s = Scenario::from_json(r#"{"app": {}}"#).expect("valid");
    let app = s.app.expect("an app");
    assert_eq!((app.threads, app.accept_queue, app.no_db_share, app.no_db_ms), (200, 100, 0.0, 5.0));
}
