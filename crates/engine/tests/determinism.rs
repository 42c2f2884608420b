//! Same scenario + seed = the same run, bit for bit; variants of a scenario share their
//! random numbers, so comparing a fix with the original is fair.

mod common;

use common::{at, run, scenario, sim};
use poolsim_engine::{Action, Scenario, SimTime, Simulation, testing};

fn busy() -> Scenario {
    scenario(|s| {
        s.duration_s = 300;
        // 80 % busy: requests often wait, some give up after 250 ms and retry once.
        s.pool.max_size = 10;
        s.traffic.rate_per_s = 200.0;
        s.traffic.retry.attempts = 1;
        s.pool.connection_timeout_ms = 250;
        s.leak.probability = 0.0001;
    })
}

#[test]
fn the_same_scenario_and_seed_give_identical_runs() {
    let (a, sa) = run(&busy());
    let (b, sb) = run(&busy());
    assert!(a.samples() == b.samples());
    assert_eq!(sa, sb);
    assert_eq!(a.trace_digest(), b.trace_digest());
    assert!(sa.requests > 55_000 && sa.counts.timed_out > 0, "the run exercises timeouts: {sa:?}");
}

#[test]
fn another_seed_gives_another_run() {
    let (a, _) = run(&busy());
    let mut other = busy();
    other.seed += 1;
    let (b, _) = run(&other);
    assert_ne!(a.trace_digest(), b.trace_digest());
}

#[test]
fn the_reference_scenario_has_the_pinned_digest() {
    // The browser test runs the same scenario in wasm and compares with the same constant.
    let scenario =
        Scenario::from_json(testing::DIGEST_SCENARIO_JSON).expect("the reference scenario is valid");
    let (sim, summary) = run(&scenario);
    println!("reference digest: {:#018x} ({summary:?})", sim.trace_digest());
    assert_eq!(sim.trace_digest(), testing::DIGEST_EXPECTED, "got {:#018x}", sim.trace_digest());
    // It touches the parts it claims to: leaks, retries, reclaim, restart, an alert.
    assert!(summary.counts.leaked > 0 && summary.counts.reclaimed > 0 && summary.attempts > summary.requests);
    assert!(summary.alerts.values().any(Option::is_some));
}

#[test]
fn the_callers_reference_scenario_has_the_pinned_digest() {
    let scenario = Scenario::from_json(testing::CALLERS_DIGEST_SCENARIO_JSON).expect("valid");
    let (sim, summary) = run(&scenario);
    let c = summary.callers.as_ref().expect("it models its callers");
    println!("callers digest: {:#018x} ({c:?})", sim.trace_digest());
    assert_eq!(sim.trace_digest(), testing::CALLERS_DIGEST_EXPECTED, "got {:#018x}", sim.trace_digest());
    // It touches the parts it claims to: give-ups, wasted work, retries, the budget, the breaker.
    assert!(c.gave_up > 0 && c.served_late > 0 && c.retries > 0, "{c:?}");
    assert!(c.retries_denied > 0 && c.breaker_opened > 0 && c.breaker_rejected > 0, "{c:?}");
}

#[test]
fn the_servers_reference_scenario_has_the_pinned_digest() {
    let scenario = Scenario::from_json(testing::SERVERS_DIGEST_SCENARIO_JSON).expect("valid");
    let (sim, summary) = run(&scenario);
    let (app, health) = (summary.app.as_ref().expect("threads"), summary.health.as_ref().expect("checks"));
    println!("servers digest: {:#018x} ({app:?}, {health:?})", sim.trace_digest());
    assert_eq!(sim.trace_digest(), testing::SERVERS_DIGEST_EXPECTED, "got {:#018x}", sim.trace_digest());
    // It touches the parts it claims to: threads all busy, refusals, work without the
    // database, an instance out and back, a restart.
    assert!(app.peak_threads_busy == 30 && app.rejected > 0 && app.no_db_answered > 0, "{app:?}");
    assert!(health.left_balancer > 0 && health.returned > 0 && health.restarts > 0, "{health:?}");
}

#[test]
fn a_cloned_run_continues_exactly_like_the_original() {
    let mut original = sim(&busy());
    original.advance_to(SimTime::from_micros(123_456_789)).expect("forward");
    let mut copy = original.clone();
    original.run_to_end();
    copy.run_to_end();
    assert_eq!(original.trace_digest(), copy.trace_digest());
}

#[test]
fn variants_differing_by_a_later_action_are_identical_before_it() {
    let base = busy();
    for action in [
        Action::ResizePool { max_size: 40, min_idle: None },
        Action::SetRate { rate_per_s: 50.0 },
        Action::RestartApp { downtime_s: 5.0 },
        Action::DeployLeak { probability: 0.5 },
    ] {
        let mut variant = base.clone();
        variant.events.push(at(150.0, action.clone()));
        let (a, _) = run(&base);
        let (b, _) = run(&variant);
        assert!(a.samples()[..149] == b.samples()[..149], "{action:?} changed the past");
        assert!(a.samples()[150..] != b.samples()[150..], "{action:?} changed nothing");
    }
}

#[test]
fn variants_see_the_same_requests_and_the_same_leaks() {
    // Common random numbers: a bigger pool changes who waits, not who arrives or who leaks.
    let leaky = scenario(|s| {
        s.duration_s = 200;
        s.pool.max_size = 60;
        s.traffic.rate_per_s = 150.0;
        s.leak.probability = 0.001;
    });
    let mut bigger = leaky.clone();
    bigger.pool.max_size = 120;
    let (a_sim, a) = run(&leaky);
    let (b_sim, b) = run(&bigger);
    assert_eq!(a.requests, b.requests, "same arrivals");
    assert!(a.counts.leaked >= 20, "the run leaks: {}", a.counts.leaked);
    let leaked = |sim: &Simulation| sim.samples().iter().map(|s| s.gauges.leaked).collect::<Vec<_>>();
    assert_eq!(leaked(&a_sim), leaked(&b_sim), "the same requests leak at the same times");
    assert!(a_sim.samples() != b_sim.samples(), "the pools differ");
}

#[test]
fn a_live_action_replays_as_a_timeline_event() {
    let mut live = sim(&busy());
    live.advance_to(SimTime::from_secs(100)).expect("forward");
    live.apply(Action::ResizePool { max_size: 30, min_idle: None }).expect("valid");
    live.advance_to(SimTime::from_secs(200)).expect("forward");
    live.apply(Action::Rollback).expect("valid");
    live.run_to_end();
    assert_eq!(live.applied().iter().map(|e| e.at_s).collect::<Vec<_>>(), vec![100.0, 200.0]);

    let mut replay = busy();
    replay.events.extend(live.applied().iter().cloned());
    let (replayed, _) = run(&replay);
    let first_difference = replayed.samples().iter().zip(live.samples()).find(|(a, b)| a != b);
    assert_eq!(first_difference, None);
    assert_eq!(replayed.trace_digest(), live.trace_digest());
}

#[test]
fn the_digest_covers_what_a_user_sees() {
    let (a, _) = run(&busy());
    let mut tweaked = busy();
    tweaked.pool.connection_timeout_ms = 2001;
    let (b, _) = run(&tweaked);
    assert_ne!(a.trace_digest(), b.trace_digest());
    let fresh = Simulation::new(&busy()).expect("valid");
    assert_ne!(fresh.trace_digest(), a.trace_digest());
}
