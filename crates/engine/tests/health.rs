//! The load balancer's health checks (`health_check`): a deep check that calls an
//! exhausted pool takes the instance out of the balancer, a shallow one never does, an
//! instance returns after enough passes, every instance out means "no healthy upstream",
//! and a restart that cannot open its connections in time loops.

use poolsim_engine::{
    Action, FleetConfig, HealthCheckConfig, HealthMode, LogKind, Scenario, SimTime, Simulation, Target,
    TimedEvent,
};

/// Three instances of a pool of 10 behind a round-robin balancer, 300 requests/s of 40 ms;
/// at 30 s a leaky deploy on app-1 only exhausts its pool within seconds.
fn one_leaky_instance(mode: HealthMode) -> Scenario {
    let mut s = Scenario { duration_s: 240, seed: 4, ..Scenario::default() };
    s.pool.max_size = 10;
    s.pool.connection_timeout_ms = 2000;
    s.traffic.rate_per_s = 300.0;
    s.fleet = Some(FleetConfig { instances: 3, ..FleetConfig::default() });
    s.health_check =
        Some(HealthCheckConfig { interval_s: 5.0, mode, unhealthy_after: 3, ..HealthCheckConfig::default() });
    let leak = Action::DeployLeak { probability: 0.05 };
    s.events.push(TimedEvent {
        target: Target { instances: Some(vec![1]), rollout: None },
        ..TimedEvent::new(30.0, leak)
    });
    s
}

/// When the instance's log says it left the balancer (`left`) or came back.
fn health_lines(sim: &Simulation, instance: u32, words: &str) -> Vec<f64> {
    sim.log()
        .filter(|l| l.kind == LogKind::Health && l.instance == Some(instance) && l.message.contains(words))
        .map(|l| l.t_us.as_secs_f64())
        .collect()
}

#[test]
fn a_deep_check_of_an_exhausted_pool_takes_the_instance_out_within_unhealthy_after_intervals() {
    let mut sim = Simulation::new(&one_leaky_instance(HealthMode::Deep)).expect("valid");
    // The second every connection of app-1 has leaked.
    let mut exhausted = 30.0;
    while sim.instance_gauges(0).expect("app-1").leaked < 10 {
        exhausted += 1.0;
        sim.advance_to(SimTime::from_secs_f64(exhausted)).expect("forward");
    }
    let summary = sim.run_to_end();
    let left = health_lines(&sim, 1, "out of the load balancer");
    assert_eq!(left.len(), 1, "{left:?}");
    // Three failed checks 5 s apart, the first within an interval of the exhaustion, and
    // the timeout of the last one.
    let bound = exhausted + 3.0 * 5.0 + 5.0 + 1.0;
    assert!(left[0] > exhausted && left[0] <= bound, "left at {} s, exhausted at {exhausted} s", left[0]);
    // The healthy instances stay in, and the balancer sends them everything after.
    assert!(health_lines(&sim, 2, "out of").is_empty() && health_lines(&sim, 3, "out of").is_empty());
    let health = summary.health.expect("health checks");
    assert_eq!((health.left_balancer, health.min_in_balancer, health.in_balancer), (1, 2, 2));
    let samples = sim.app_samples();
    assert!(samples[(left[0] as usize) + 1..].iter().all(|a| a.in_balancer == 2));
    // Once app-1 is out, nothing fails any more: its last timeouts end a connection timeout later.
    let last_failure = summary.milestones.recovered_s.expect("the fleet recovers");
    assert!(last_failure <= left[0] + 2.0 + 0.001, "last failure {last_failure}, left {}", left[0]);
}

#[test]
fn a_shallow_check_never_takes_an_instance_out() {
    let mut sim = Simulation::new(&one_leaky_instance(HealthMode::Shallow)).expect("valid");
    let summary = sim.run_to_end();
    let health = summary.health.expect("health checks");
    assert_eq!((health.left_balancer, health.failed_checks, health.min_in_balancer), (0, 0, 3));
    assert!(sim.app_samples().iter().all(|a| a.in_balancer == 3));
    // app-1 keeps failing its third of the requests to the end.
    assert!(summary.milestones.recovered_s.is_none());
    assert!(health.checks >= 3 * (240 / 5) - 3, "{health:?}");
}

#[test]
fn an_instance_returns_after_healthy_after_passes() {
    let mut s = one_leaky_instance(HealthMode::Deep);
    s.health_check.as_mut().expect("checks").healthy_after = 2;
    // The operator rolls back and restarts app-1 at 120 s: its pool is whole again.
    for action in [Action::Rollback, Action::RestartApp { downtime_s: 0.0 }] {
        let on = Target { instances: Some(vec![1]), rollout: None };
        s.events.push(TimedEvent { target: on, ..TimedEvent::new(120.0, action) });
    }
    let mut sim = Simulation::new(&s).expect("valid");
    let summary = sim.run_to_end();
    let back = health_lines(&sim, 1, "back in the load balancer");
    assert_eq!(back.len(), 1, "{back:?}");
    // Two passing checks after the restart: at most two intervals and one more.
    assert!(back[0] > 120.0 && back[0] <= 120.0 + 2.0 * 5.0 + 5.0, "back at {}", back[0]);
    let health = summary.health.expect("checks");
    assert_eq!((health.returned, health.in_balancer), (1, 3));
}

#[test]
fn with_every_instance_out_requests_fail_at_once_for_want_of_a_healthy_upstream() {
    let mut s = one_leaky_instance(HealthMode::Deep);
    // The leak on every instance.
    s.events[0].target = Target::default();
    let mut sim = Simulation::new(&s).expect("valid");
    let summary = sim.run_to_end();
    let health = summary.health.expect("checks");
    assert_eq!(health.min_in_balancer, 0);
    assert!(health.no_healthy_upstream > 10_000, "{health:?}");
    assert!(summary.refused >= health.no_healthy_upstream);
    assert!(sim.log().any(|l| l.instance.is_none() && l.message.starts_with("No healthy upstream")));
    let none_in = sim.app_samples().iter().filter(|a| a.in_balancer == 0).count();
    assert!(none_in > 100, "{none_in} seconds with no instance in");
}

#[test]
fn an_instance_that_cannot_open_its_connections_in_time_crash_loops() {
    let mut s = one_leaky_instance(HealthMode::Deep);
    s.pool.connect_ms = 500.0; // ten connections one at a time: 5 s to start
    let checks = s.health_check.as_mut().expect("checks");
    checks.restart_unhealthy_after_s = Some(10.0);
    checks.startup_timeout_ms = Some(1000);
    let mut sim = Simulation::new(&s).expect("valid");
    let health = sim.run_to_end().health.expect("checks");
    assert!(health.restarts >= 10 && health.failed_starts + 1 >= health.restarts, "{health:?}");
    assert!(health_lines(&sim, 1, "back in").is_empty());
    assert!(sim.log().any(|l| l.message.starts_with("Start failed: pool timed out")));

    // Given time to open them, the restart clears the leak's connections and app-1 returns.
    let mut s = one_leaky_instance(HealthMode::Deep);
    s.events.push(TimedEvent::new(60.0, Action::Rollback));
    let checks = s.health_check.as_mut().expect("checks");
    checks.restart_unhealthy_after_s = Some(10.0);
    checks.startup_timeout_ms = Some(10_000);
    let mut sim = Simulation::new(&s).expect("valid");
    let health = sim.run_to_end().health.expect("checks");
    assert_eq!(health.failed_starts, 0, "{health:?}");
    assert!(health.restarts >= 1 && health.returned >= 1, "{health:?}");
}

#[test]
fn set_health_check_switches_the_mode_on_the_timeline() {
    let mut s = one_leaky_instance(HealthMode::Deep);
    s.events.push(TimedEvent::new(100.0, Action::SetHealthCheck { mode: HealthMode::Shallow }));
    let mut sim = Simulation::new(&s).expect("valid");
    sim.advance_to(SimTime::from_secs(99)).expect("forward");
    assert_eq!(sim.summary().health.expect("checks").in_balancer, 2);
    let summary = sim.run_to_end();
    // Shallow checks pass: app-1 returns after two of them, and fails its requests again.
    assert_eq!(summary.health.expect("checks").in_balancer, 3);
    assert!(summary.milestones.recovered_s.is_none());
}

#[test]
fn health_checks_need_a_fleet_and_possible_settings() {
    let refused = |json: &str| Scenario::from_json(json).expect_err("refused");
    let fleet = r#""fleet": {"instances": 2}"#;
    assert_eq!(refused(r#"{"health_check": {}}"#).path, "health_check");
    let cases = [
        (r#"{"interval_s": 0}"#, "health_check.interval_s"),
        (r#"{"interval_s": 1, "timeout_ms": 1000}"#, "health_check.timeout_ms"),
        (r#"{"timeout_ms": 0}"#, "health_check.timeout_ms"),
        (r#"{"query_ms": 0}"#, "health_check.query_ms"),
        (r#"{"unhealthy_after": 0}"#, "health_check.unhealthy_after"),
        (r#"{"healthy_after": 1001}"#, "health_check.healthy_after"),
        (r#"{"restart_unhealthy_after_s": -1}"#, "health_check.restart_unhealthy_after_s"),
        (r#"{"startup_timeout_ms": 1000000000000}"#, "health_check.startup_timeout_ms"),
        (r#"{"mode": "medium"}"#, "health_check.mode"),
    ];
    for (check, path) in cases {
        let json = format!(r#"{{{fleet}, "health_check": {check}}}"#);
        assert_eq!(refused(&json).path, path, "{json}");
    }
    let ok =
        Scenario::from_json(&format!(r#"{{{fleet}, "health_check": {{"mode": "deep"}}}}"#)).expect("valid");
    let h = ok.health_check.expect("checks");
    assert_eq!((h.interval_s, h.timeout_ms, h.unhealthy_after, h.healthy_after), (10.0, 1000, 3, 2));
    let e = refused(r#"{"events": [{"at_s": 1, "action": "set_health_check", "mode": "sideways"}]}"#);
    assert_eq!(e.path, "events[0].mode");
}
