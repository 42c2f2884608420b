//! Leaks: how long a pool lasts, what an exhausted pool looks like from outside, and
//! what each fix does to the leaked connections.

mod common;

use common::{at, messages, run, scenario, sim, window};
use poolsim_engine::{Action, LogKind, Scenario, SimTime, analytic};

/// 100 connections, 150 requests/s × 40 ms, one request in a thousand leaks.
fn leaking(max_size: u32) -> Scenario {
    scenario(|s| {
        s.duration_s = 3_000;
        s.pool.max_size = max_size;
        s.traffic.rate_per_s = 150.0;
        s.work.hold_ms = 40.0;
        s.leak.probability = 0.001;
    })
}

#[test]
fn a_leak_exhausts_the_pool_near_the_analytic_estimate() {
    let estimate = analytic::time_to_exhaustion_s(100, 150.0, 40.0, 0.001).expect("leaks");
    let mut first = Vec::new();
    for seed in 1..=4 {
        let mut s = leaking(100);
        s.seed = seed;
        let (_, summary) = run(&s);
        first.push(summary.milestones.first_exhaustion_s.expect("the pool runs out"));
    }
    let mean = first.iter().sum::<f64>() / first.len() as f64;
    // The survivors saturate a little before the very last leak, so the pool runs out
    // somewhat before T; never after it by much.
    assert!(mean > 0.8 * estimate && mean < 1.1 * estimate, "exhausted at {first:?}, estimate {estimate} s");
}

#[test]
fn doubling_the_pool_roughly_doubles_the_time_bought() {
    let (_, small) = run(&leaking(100));
    let mut big = leaking(200);
    big.duration_s = 5_000;
    let (_, big) = run(&big);
    let (t1, t2) = (
        small.milestones.first_exhaustion_s.expect("runs out"),
        big.milestones.first_exhaustion_s.expect("runs out"),
    );
    let predicted = analytic::time_to_exhaustion_s(200, 150.0, 40.0, 0.001).unwrap_or(0.0)
        / analytic::time_to_exhaustion_s(100, 150.0, 40.0, 0.001).unwrap_or(1.0);
    assert!(t2 / t1 > 1.7 && t2 / t1 < 2.5, "{t1} s → {t2} s (analytic ratio {predicted:.2})");
}

#[test]
fn once_every_connection_leaked_each_request_waits_exactly_the_timeout_and_fails() {
    let (sim, summary) = run(&leaking(100));
    let exhausted = summary.milestones.first_exhaustion_s.expect("runs out") as u32;
    // Well after the last leak and the first timeouts, the pool is all leaked.
    let late = window(sim.samples(), exhausted + 300, 3_000);
    assert!(
        late.iter()
            .all(|s| s.gauges.leaked == 100 && s.gauges.active == 100 && s.gauges.idle == 0 && s.served == 0)
    );
    let arrivals: u32 = late.iter().map(|s| s.arrivals).sum();
    let timeouts: u32 = late.iter().map(|s| s.timeouts).sum();
    let ratio = f64::from(timeouts) / f64::from(arrivals);
    assert!((ratio - 1.0).abs() < 0.02, "timeouts per second ≈ arrival rate: {timeouts} vs {arrivals}");
    // About λ × timeout requests queue at any time.
    let pending = late.iter().map(|s| f64::from(s.gauges.pending)).sum::<f64>() / late.len() as f64;
    assert!((pending - 150.0 * 30.0).abs() < 150.0, "pending {pending}");
    let lines = messages(&sim, LogKind::Timeout);
    assert!(lines.len() > 1000);
    for line in &lines {
        assert!(line.starts_with("HikariPool-1 - Connection is not available, request timed out after 30000ms (total=100, active=100, idle=0, waiting="), "{line}");
    }
    // Served requests never waited that long: the acquire time covers only successes.
    assert!(summary.max_wait_ms < 30_000.0);
}

#[test]
fn the_hikaricp_timeout_message_reports_the_pool_at_that_moment() {
    let (sim, _) = run(&leaking(100));
    let line = messages(&sim, LogKind::Timeout).pop().expect("timeouts were logged");
    let waiting: u32 = line
        .rsplit("waiting=")
        .next()
        .and_then(|w| w.trim_end_matches(')').parse().ok())
        .expect("waiting=N)");
    assert!((4000..5000).contains(&waiting), "{line}");
}

#[test]
fn rollback_stops_new_leaks_but_leaked_connections_stay() {
    let mut s = leaking(100);
    s.events.push(at(300.0, Action::Rollback));
    let (sim, summary) = run(&s);
    let at_rollback = sim.samples()[299].gauges.leaked;
    assert!(at_rollback > 20);
    assert!(
        sim.samples()[300..].iter().all(|x| x.gauges.leaked == at_rollback),
        "no new leaks after the rollback"
    );
    assert_eq!(summary.counts.leaked, u64::from(at_rollback));
    assert_eq!(sim.current().leak_probability, 0.0);
}

#[test]
fn restarting_the_app_clears_leaked_connections() {
    let mut s = leaking(100);
    s.events.push(at(1_000.0, Action::RestartApp { downtime_s: 10.0 }));
    s.events.push(at(1_000.0, Action::Rollback));
    let mut sim = sim(&s);
    sim.advance_to(SimTime::from_secs(999)).expect("forward");
    assert!(sim.gauges().leaked > 50);
    sim.advance_to(SimTime::from_secs(1_005)).expect("forward");
    let down = sim.gauges();
    assert_eq!((down.total, down.leaked, down.pending, down.opening), (0, 0, 0, 0), "everything closed");
    let failed_while_down = sim.samples().last().map_or(0, |x| x.failed);
    assert!(failed_while_down > 100, "arrivals fail during the downtime: {failed_while_down}");
    assert!(messages(&sim, LogKind::RequestFailed).iter().any(|m| m.contains("restarting")));
    sim.advance_to(SimTime::from_secs(1_020)).expect("forward");
    let up = sim.gauges();
    assert_eq!((up.total, up.leaked), (100, 0), "the pool refilled to min_idle with fresh connections");
    let summary = sim.run_to_end();
    let after = window(sim.samples(), 1_020, 3_000);
    assert!(after.iter().all(|x| x.timeouts == 0 && x.gauges.leaked == 0));
    assert!(
        summary.milestones.recovered_s.is_some_and(|t| (1_000.0..1_011.0).contains(&t)),
        "{:?}",
        summary.milestones.recovered_s
    );
}
