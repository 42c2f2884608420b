//! Every timeline action, live or scheduled, changes what a user would see, and a bad
//! value is refused with the field named.

mod common;

use common::{advance_s, at, mean, messages, run, run_collecting, scenario, sim, window};
use poolsim_engine::{Action, AlertMetric, EngineError, LogKind, Scenario};

fn steady() -> Scenario {
    scenario(|s| {
        s.duration_s = 300;
        s.pool.max_size = 50;
        s.traffic.rate_per_s = 200.0;
        s.work.hold_ms = 40.0;
    })
}

fn with(action: Action, at_s: f64) -> Scenario {
    let mut s = steady();
    s.events.push(at(at_s, action));
    s
}

#[test]
fn set_rate_changes_the_arrivals_per_second() {
    let (sim, _) = run(&with(Action::SetRate { rate_per_s: 800.0 }, 100.0));
    let before = mean(&window(sim.samples(), 0, 100), |x| f64::from(x.arrivals));
    let after = mean(&window(sim.samples(), 100, 300), |x| f64::from(x.arrivals));
    assert!((before - 200.0).abs() < 10.0 && (after - 800.0).abs() < 20.0, "{before} → {after}");
    assert_eq!(sim.current().rate_per_s, 800.0);
    assert!(messages(&sim, LogKind::Action).iter().any(|m| m.contains("200 → 800 requests/s")));
}

#[test]
fn a_rate_of_zero_pauses_arrivals_until_it_rises_again() {
    let mut s = with(Action::SetRate { rate_per_s: 0.0 }, 100.0);
    s.events.push(at(200.0, Action::SetRate { rate_per_s: 200.0 }));
    let (sim, _) = run(&s);
    assert!(window(sim.samples(), 100, 200).iter().all(|x| x.arrivals == 0));
    let after = mean(&window(sim.samples(), 200, 300), |x| f64::from(x.arrivals));
    assert!((after - 200.0).abs() < 10.0);
}

#[test]
fn deploy_leak_starts_leaking_connections() {
    let (sim, summary) = run(&with(Action::DeployLeak { probability: 0.001 }, 100.0));
    assert!(window(sim.samples(), 0, 100).iter().all(|x| x.gauges.leaked == 0));
    // λ·p = 0.2 leaks per second for 200 s.
    assert!((25..=60).contains(&summary.counts.leaked), "leaked {}", summary.counts.leaked);
    assert_eq!(sim.gauges().leaked as u64, summary.counts.leaked);
}

#[test]
fn rollback_keeps_leaked_connections_leaked() {
    let mut s = with(Action::DeployLeak { probability: 0.002 }, 0.0);
    s.events.push(at(100.0, Action::Rollback));
    let (sim, actions) = run_collecting(&s, LogKind::Action);
    let leaked = sim.samples()[99].gauges.leaked;
    assert!(leaked > 20);
    assert_eq!(sim.gauges().leaked, leaked);
    assert!(actions.iter().any(|m| m.starts_with("Rollback: no new leaks")), "{actions:?}");
}

#[test]
fn growing_the_pool_takes_effect_at_once_and_opens_connections_on_demand() {
    // A leak has exhausted a pool of 10; resizing to 30 serves the waiters within a few
    // connect times, one new connection after another.
    let s = scenario(|s| {
        s.duration_s = 200;
        s.pool.max_size = 10;
        s.pool.connect_ms = 10.0;
        s.traffic.rate_per_s = 100.0;
        s.leak.probability = 0.02;
    });
    let mut sim = sim(&s);
    advance_s(&mut sim, 60.0);
    let dry = sim.gauges();
    assert!(dry.leaked == 10 && dry.pending > 100, "{dry:?}");
    sim.apply(Action::Rollback).expect("valid");
    sim.apply(Action::ResizePool { max_size: 30, min_idle: None }).expect("valid");
    let g = sim.gauges();
    assert_eq!(g.max, 30);
    assert_eq!(g.opening, 20, "opening for the waiters at once");
    advance_s(&mut sim, 60.1); // 100 ms later: ~10 more connections
    let g = sim.gauges();
    assert!((9..=11).contains(&(g.total - 10)), "one connection per 10 ms: {g:?}");
    // 20 more connections serve 500 requests/s against 100 arriving: the queue drains.
    advance_s(&mut sim, 61.0);
    assert!(sim.gauges().pending + 300 < dry.pending, "{:?}", sim.gauges());
    advance_s(&mut sim, 75.0);
    assert_eq!(sim.gauges().pending, 0, "the queue drained");
    assert_eq!(sim.current().max_size, 30);
}

#[test]
fn resize_can_also_set_min_idle() {
    let (sim, _) = run(&with(Action::ResizePool { max_size: 80, min_idle: Some(70) }, 100.0));
    // 70 kept idle plus the ~8 in use.
    let total = sim.samples()[150].gauges.total;
    assert!((76..=80).contains(&total), "min_idle 70 idle plus those in use, capped at 80: {total}");
    assert_eq!(sim.current().min_idle, 70);
}

#[test]
fn restart_fails_waiters_and_in_flight_requests_then_refills() {
    let s = scenario(|s| {
        s.duration_s = 120;
        s.pool.max_size = 10;
        s.traffic.rate_per_s = 100.0;
        s.leak.probability = 0.05;
    });
    let mut sim = sim(&s);
    advance_s(&mut sim, 30.0);
    let before = sim.gauges();
    assert!(before.pending > 100 && before.leaked == 10);
    let failed_before = sim.summary().counts.failed;
    sim.apply(Action::RestartApp { downtime_s: 0.0 }).expect("valid");
    let g = sim.gauges();
    assert_eq!((g.total, g.leaked, g.pending), (0, 0, 0));
    assert_eq!(g.opening, 10, "the pool refills at once after a restart without downtime");
    assert_eq!(sim.summary().counts.failed, failed_before + u64::from(before.pending));
    assert!(
        messages(&sim, LogKind::Action)
            .iter()
            .any(|m| m.starts_with("Restart app: closed 10 connections (10 leaked)"))
    );
}

#[test]
fn set_hold_changes_the_connections_in_use() {
    let (sim, _) = run(&with(Action::SetHold { hold_ms: 120.0 }, 100.0));
    let before = mean(&window(sim.samples(), 10, 100), |x| f64::from(x.gauges.active));
    let after = mean(&window(sim.samples(), 110, 300), |x| f64::from(x.gauges.active));
    assert!((before - 8.0).abs() < 1.0 && (after - 24.0).abs() < 2.0, "{before} → {after}");
    assert_eq!(sim.current().hold_ms, 120.0);
}

#[test]
fn set_leak_detection_flags_connections_borrowed_from_then_on() {
    let mut s = with(Action::DeployLeak { probability: 0.002 }, 0.0);
    s.events.push(at(100.0, Action::SetLeakDetection { threshold_ms: 5_000 }));
    let (sim, _) = run(&s);
    let at_switch = sim.samples()[99];
    assert_eq!(at_switch.gauges.suspected, 0);
    let end = sim.samples().last().copied().unwrap_or_default();
    // Connections leaked before the switch are never flagged (HikariCP arms its check at borrow).
    assert!(
        end.gauges.suspected > 0 && end.gauges.suspected <= end.gauges.leaked - at_switch.gauges.leaked,
        "{end:?}"
    );
    assert_eq!(sim.current().leak_detection_threshold_ms, 5_000);
}

#[test]
fn set_abandoned_timeout_reclaims_connections_already_leaked() {
    let s = scenario(|s| {
        s.duration_s = 300;
        s.pool.max_size = 10;
        s.traffic.rate_per_s = 100.0;
        s.leak.probability = 0.02;
        s.events.push(at(60.0, Action::Rollback));
        s.events.push(at(60.0, Action::SetAbandonedTimeout { timeout_ms: 30_000 }));
    });
    let (sim, summary) = run(&s);
    assert_eq!(sim.samples()[58].gauges.leaked, 10, "dry at 59 s");
    assert_eq!(
        sim.samples()[59].gauges.leaked,
        0,
        "at 60 s every connection had been out for more than 30 s"
    );
    assert_eq!(summary.counts.reclaimed, 10);
    assert!(window(sim.samples(), 100, 300).iter().all(|x| x.timeouts == 0));
}

#[test]
fn set_connection_timeout_applies_to_new_waiters() {
    let s = scenario(|s| {
        s.duration_s = 200;
        s.pool.max_size = 5;
        s.traffic.rate_per_s = 50.0;
        s.leak.probability = 0.05;
        s.events.push(at(100.0, Action::SetConnectionTimeout { timeout_ms: 2_000 }));
    });
    let (sim, _) = run(&s);
    let lines = messages(&sim, LogKind::Timeout);
    assert!(lines.iter().any(|m| m.contains("after 30000ms")), "waiters from before keep 30 s");
    assert!(lines.iter().any(|m| m.contains("after 2000ms")));
    assert!(lines.iter().rev().take(100).all(|m| m.contains("after 2000ms")));
    // Queued requests now give up after 2 s: about λ × 2 s wait.
    let late = window(sim.samples(), 150, 200);
    assert!(late.iter().all(|x| x.gauges.pending < 150), "{:?}", late.first());
}

#[test]
fn add_alert_starts_watching_and_fires_later() {
    let mut s = with(Action::DeployLeak { probability: 0.005 }, 0.0);
    s.events.push(at(
        10.0,
        Action::AddAlert { name: "Usage90".into(), metric: AlertMetric::Usage, above: 0.9, for_s: 30 },
    ));
    let (sim, alert_lines) = run_collecting(&s, LogKind::Alert);
    let summary = sim.summary();
    let fired = summary.alerts.get("Usage90").copied().flatten().expect("fires");
    let first_high = sim.samples().iter().find(|x| x.usage() > 0.9).map(|x| f64::from(x.t_s));
    assert!(first_high.is_some_and(|t| fired >= t + 30.0), "{fired} vs {first_high:?}");
    assert_eq!(sim.alert_firings().first().map(|f| (f.name.as_str(), f.at_s)), Some(("Usage90", fired)));
    assert_eq!(alert_lines.len(), 1, "fires once: {alert_lines:?}");
    assert!(alert_lines[0].starts_with("Alert Usage90 firing: usage = "), "{alert_lines:?}");
}

#[test]
fn a_note_is_logged_and_changes_nothing() {
    let (plain, _) = run(&steady());
    let (noted, _) = run(&with(Action::Note { text: "Engineers investigate".into() }, 100.0));
    assert!(plain.samples() == noted.samples());
    let notes = messages(&noted, LogKind::Action);
    assert_eq!(notes, vec!["Note: Engineers investigate".to_owned()]);
}

#[test]
fn a_bad_live_value_is_refused_naming_the_field() {
    let mut sim = sim(&steady());
    for (action, field) in [
        (Action::SetRate { rate_per_s: -1.0 }, "rate_per_s"),
        (Action::SetRate { rate_per_s: f64::NAN }, "rate_per_s"),
        (Action::DeployLeak { probability: 1.5 }, "probability"),
        (Action::ResizePool { max_size: 0, min_idle: None }, "max_size"),
        (Action::ResizePool { max_size: 5, min_idle: Some(6) }, "min_idle"),
        (Action::SetHold { hold_ms: f64::INFINITY }, "hold_ms"),
        (Action::RestartApp { downtime_s: -3.0 }, "downtime_s"),
    ] {
        match sim.apply(action.clone()) {
            Err(EngineError::InvalidAction(e)) => assert_eq!(e.path, field, "{action:?}: {e}"),
            other => panic!("{action:?} was not refused: {other:?}"),
        }
    }
    assert!(sim.applied().is_empty(), "refused actions are not recorded");
    assert_eq!(sim.current().rate_per_s, 200.0);
}

#[test]
fn applied_actions_are_recorded_with_their_time() {
    let mut sim = sim(&steady());
    advance_s(&mut sim, 12.5);
    sim.apply(Action::SetRate { rate_per_s: 10.0 }).expect("valid");
    sim.apply(Action::Note { text: "quiet".into() }).expect("valid");
    let times: Vec<f64> = sim.applied().iter().map(|e| e.at_s).collect();
    assert_eq!(times, vec![12.5, 12.5]);
    assert_eq!(sim.applied()[0].action, Action::SetRate { rate_per_s: 10.0 });
}
