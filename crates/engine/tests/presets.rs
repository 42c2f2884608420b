//! The presets tell the story their descriptions promise: the seed incident replays
//! the June 15, 2024 postmortem's clock times, the healthy pool stays healthy, the
//! fast leak runs dry.

use poolsim_engine::{Action, AlertMetric, Scenario, Simulation, Summary, analytic, presets};

/// 14:00 on a run that starts at 12:00 [s].
const DETECTED_S: f64 = 7200.0;
/// 15:45: pool resized to 200 and the app restarted [s].
const RESIZED_S: f64 = 13_500.0;
/// 16:30: full functionality restored [s].
const RESTORED_S: f64 = 16_200.0;

fn run(name: &str) -> Summary {
    let scenario = presets::load(name).unwrap_or_else(|e| panic!("preset {name}: {e}"));
    Simulation::new(&scenario).unwrap_or_else(|e| panic!("preset {name}: {e}")).run_to_end()
}

fn seed() -> Scenario {
    presets::load(presets::SEED_INCIDENT).expect("the seed preset loads")
}

#[test]
fn every_preset_loads_by_name_and_unknown_names_list_the_known_ones() {
    for p in presets::PRESETS {
        assert_eq!(presets::preset(p.name), Some(p));
        let s = presets::load(p.name).unwrap_or_else(|e| panic!("preset {}: {e}", p.name));
        assert!(s.validate().is_ok());
        assert!(
            p.name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
            "{} is kebab-case",
            p.name
        );
    }
    let e = presets::load("nope").expect_err("no such preset");
    assert!(e.reason.contains("june-15-2024") && e.reason.contains("fast-leak"), "{e}");
}

#[test]
fn the_seed_incident_is_the_june_15_postmortem() {
    let s = seed();
    assert_eq!(presets::PRESETS[0].name, "june-15-2024");
    assert_eq!(s.clock_start, "12:00");
    assert_eq!(s.duration_s, 5 * 3600);
    assert_eq!(s.pool.max_size, 100);
    // The postmortem's timeline, as notes at its clock times (seconds after 12:00).
    let minutes_after_noon = [120, 125, 135, 150, 165, 180, 210, 225, 240, 270];
    let notes: Vec<f64> =
        s.events.iter().filter(|e| matches!(e.action, Action::Note { .. })).map(|e| e.at_s).collect();
    let expected: Vec<f64> = minutes_after_noon.iter().map(|m| f64::from(m * 60)).collect();
    assert_eq!(notes, expected);
    // The fixes at 15:45 and 16:30.
    let at = |t: f64| s.events.iter().filter(move |e| e.at_s == t).map(|e| &e.action);
    assert!(at(RESIZED_S).any(|a| matches!(a, Action::ResizePool { max_size: 200, .. })));
    assert!(at(RESIZED_S).any(|a| matches!(a, Action::RestartApp { .. })));
    assert!(at(RESTORED_S).any(|a| matches!(a, Action::Rollback)));
    // They had no pool-usage alert: adding one is the what-if.
    assert!(!s.alerts.is_empty());
    assert!(s.alerts.iter().all(|a| a.metric != AlertMetric::Usage), "no usage alert in the real incident");
}

#[test]
fn the_seed_leak_rate_predicts_exhaustion_near_14_00() {
    let s = seed();
    let (deploy_s, p) = s
        .events
        .iter()
        .find_map(|e| match e.action {
            Action::DeployLeak { probability } => Some((e.at_s, probability)),
            _ => None,
        })
        .expect("a leaky deploy");
    let t = analytic::time_to_exhaustion_s(s.pool.max_size, s.traffic.rate_per_s, s.work.hold_ms, p)
        .expect("a leak exhausts the pool");
    let predicted = deploy_s + t;
    assert!((predicted - DETECTED_S).abs() <= 900.0, "T ≈ (N − λ·hold)/(λ·p) gives {predicted} s");
}

#[test]
fn the_seed_incident_exhausts_near_14_00_and_recovers_after_the_fix() {
    let summary = run(presets::SEED_INCIDENT);
    let exhausted = summary.first_exhaustion_s.expect("the pool runs out");
    assert!(
        (exhausted - DETECTED_S).abs() <= 600.0,
        "first exhaustion at {exhausted} s, expected 14:00 ± 10 min"
    );
    let first_timeout = summary.first_timeout_s.expect("logins time out");
    assert!(
        first_timeout >= exhausted && first_timeout <= DETECTED_S + 900.0,
        "first timeout at {first_timeout} s"
    );
    let alert = summary.alerts.values().flatten().copied().fold(f64::INFINITY, f64::min);
    assert!((alert - DETECTED_S).abs() <= 900.0, "the monitoring alert fires near 14:00, not at {alert} s");
    let recovered = summary.recovered_s.expect("failures stop after the fix");
    assert!(
        recovered > RESIZED_S && recovered <= RESTORED_S,
        "recovered at {recovered} s, expected 15:45–16:30"
    );
    assert!(summary.failed_share > 0.2, "most users of the outage hours fail: {}", summary.failed_share);
}

#[test]
fn the_healthy_pool_never_times_out() {
    let summary = run("healthy-pool");
    assert!(summary.requests > 500_000);
    assert_eq!(summary.timed_out, 0);
    assert_eq!(summary.failed, 0);
    assert_eq!(summary.first_timeout_s, None);
    // Erlang C: about 0.03 % of requests wait at all, for milliseconds.
    assert!(summary.p99_wait_ms < 1.0, "p99 acquire time {} ms", summary.p99_wait_ms);
    let p_wait = analytic::erlang_c_wait_probability(20, 200.0, 40.0).expect("a stable pool");
    assert!(p_wait < 0.001, "Erlang C wait probability {p_wait}");
    assert!(summary.alerts.values().all(Option::is_none), "no alert fires: {:?}", summary.alerts);
}

#[test]
fn the_fast_leak_exhausts_within_minutes() {
    let summary = run("fast-leak");
    let exhausted = summary.first_exhaustion_s.expect("the pool runs out");
    assert!(exhausted < 300.0, "exhausted at {exhausted} s");
    assert!(summary.timed_out > 0);
    assert!(summary.leaked >= 10, "every connection leaks: {}", summary.leaked);
}

#[test]
fn the_spike_and_the_slow_database_fail_only_while_they_last() {
    for (name, starts_s, ends_s) in [("traffic-spike", 600.0, 900.0), ("slow-queries", 600.0, 1500.0)] {
        let summary = run(name);
        let first = summary.first_timeout_s.unwrap_or_else(|| panic!("{name} times out"));
        assert!(first > starts_s && first < ends_s + 60.0, "{name}: first timeout at {first} s");
        let recovered = summary.recovered_s.unwrap_or_else(|| panic!("{name} recovers"));
        assert!(recovered < ends_s + 120.0, "{name}: recovered at {recovered} s");
        assert_eq!(summary.leaked, 0, "{name} leaks nothing");
    }
}
