//! What the run reports: samples that add up to the summary, summary times with the
//! documented meaning, views of the pool that agree with the gauges, a bounded log.

mod common;

use common::{advance_s, at, run, scenario, sim};
use poolsim_engine::{Action, ConnState, Scenario, SimDuration, SimTime, log::LOG_CAPACITY};

fn incident() -> Scenario {
    scenario(|s| {
        s.duration_s = 900;
        s.pool.max_size = 20;
        s.pool.connection_timeout_ms = 5_000;
        s.traffic.rate_per_s = 100.0;
        s.traffic.retry.attempts = 1;
        s.leak.probability = 0.003;
        s.events.push(at(300.0, Action::RestartApp { downtime_s: 2.0 }));
        s.events.push(at(300.0, Action::Rollback));
    })
}

#[test]
fn the_samples_add_up_to_the_summary() {
    let (sim, summary) = run(&incident());
    let sum =
        |f: fn(&poolsim_engine::Sample) -> u32| sim.samples().iter().map(|x| u64::from(f(x))).sum::<u64>();
    assert_eq!(sum(|x| x.arrivals), summary.attempts);
    assert_eq!(sum(|x| x.served), summary.counts.served);
    assert_eq!(sum(|x| x.timeouts), summary.counts.timed_out);
    assert!(sum(|x| x.failed) >= summary.counts.failed, "failed attempts include those retried");
    assert!(summary.attempts > summary.requests && summary.counts.timed_out > 0);
    assert!(
        (summary.counts.failed_share - summary.counts.failed as f64 / summary.requests as f64).abs() < 1e-12
    );
    assert_eq!(summary.simulated_s, 900.0);
    for x in sim.samples() {
        assert_eq!(x.gauges.total, x.gauges.active + x.gauges.idle);
        assert!(
            x.gauges.leaked <= x.gauges.active
                && x.gauges.suspected <= x.gauges.active
                && x.gauges.total + x.gauges.opening <= x.gauges.max
        );
        assert!(x.acquire_p50_ms <= x.acquire_p95_ms && x.acquire_p95_ms <= x.acquire_p99_ms);
        assert!(x.acquire_p99_ms <= x.acquire_max_ms && x.acquire_max_ms <= 5_000.0);
    }
}

#[test]
fn summary_times_mark_exhaustion_first_timeout_and_recovery() {
    let (sim, summary) = run(&incident());
    let exhausted = summary.milestones.first_exhaustion_s.expect("runs out");
    let first_timeout = summary.milestones.first_timeout_s.expect("times out");
    assert!(first_timeout >= exhausted, "{exhausted} then {first_timeout}");
    // The first timeout is a request that started waiting after (or at) exhaustion.
    assert!(first_timeout - exhausted >= 0.0 && exhausted < 300.0);
    // After the restart and the rollback nothing fails: recovered at the last failure.
    let recovered = summary.milestones.recovered_s.expect("recovers");
    assert!((300.0..=310.0).contains(&recovered), "recovered at {recovered}");
    let last_failing = sim.samples().iter().rev().find(|x| x.failed > 0).map(|x| f64::from(x.t_s));
    assert!(last_failing.is_some_and(|t| t >= recovered && t < recovered + 1.0));
}

#[test]
fn no_recovery_while_failures_go_on_or_before_a_quiet_minute() {
    let mut still_failing = incident();
    still_failing.events.clear();
    let (_, summary) = run(&still_failing);
    assert!(summary.counts.timed_out > 0);
    assert_eq!(summary.milestones.recovered_s, None);

    let mut quiet = sim(&incident());
    advance_s(&mut quiet, 330.0);
    assert_eq!(quiet.summary().milestones.recovered_s, None, "only 30 s without failures yet");
    advance_s(&mut quiet, 400.0);
    assert!(quiet.summary().milestones.recovered_s.is_some());

    let (_, healthy) = run(&scenario(|s| s.duration_s = 120));
    assert_eq!(
        (healthy.milestones.recovered_s, healthy.milestones.first_timeout_s, healthy.counts.failed),
        (None, None, 0)
    );
}

#[test]
fn views_of_connections_and_waiters_agree_with_the_gauges() {
    let mut sim = sim(&incident());
    for t_s in [10.0, 150.0, 250.0, 301.0, 600.0] {
        advance_s(&mut sim, t_s);
        let g = sim.gauges();
        let conns: Vec<_> = sim.connections().collect();
        let count = |state| conns.iter().filter(|c| c.state == state).count() as u32;
        assert_eq!(count(ConnState::Idle), g.idle);
        assert_eq!(count(ConnState::Active) + count(ConnState::Leaked), g.active);
        assert_eq!(count(ConnState::Leaked), g.leaked);
        assert_eq!(count(ConnState::Opening), g.opening);
        assert_eq!(conns.iter().filter(|c| c.suspected).count() as u32, g.suspected);
        assert!(conns.iter().all(|c| c.since_us <= sim.now()));
        assert!(
            conns
                .iter()
                .filter(|c| c.state == ConnState::Active)
                .all(|c| c.holder.is_some() && c.until_us.is_some_and(|u| u >= sim.now()))
        );
        let waiters: Vec<_> = sim.waiting().collect();
        assert_eq!(waiters.len() as u32, g.pending);
        assert!(
            waiters.iter().all(|w| w.deadline_us == w.since_us + SimDuration::from_secs(5) && w.deadline_us > sim.now())
        );
        assert!(waiters.windows(2).all(|w| w[0].since_us <= w[1].since_us), "FIFO");
    }
}

#[test]
fn the_log_keeps_the_newest_lines_and_counts_them_all() {
    let (sim, summary) = run(&incident());
    let kept: Vec<_> = sim.log().collect();
    assert!(sim.log_total() > summary.counts.timed_out, "a line per timeout at least");
    assert_eq!(kept.len(), LOG_CAPACITY);
    assert_eq!(kept.last().map(|l| l.seq + 1), Some(sim.log_total()));
    assert!(kept.windows(2).all(|w| w[1].seq == w[0].seq + 1 && w[1].t_us >= w[0].t_us));
}

#[test]
fn the_exhaustion_is_logged_once() {
    let (sim, exhausted) = common::run_collecting(&incident(), poolsim_engine::LogKind::Exhausted);
    assert_eq!(exhausted.len(), 1, "{exhausted:?}");
    assert!(exhausted[0].starts_with("HikariPool-1 - Pool exhausted: all 20 connections in use"));
    assert!(sim.summary().milestones.first_exhaustion_s.is_some());
}

#[test]
fn extreme_but_valid_settings_stay_responsive_in_bounded_slices() {
    let s = scenario(|s| {
        s.duration_s = 60;
        s.pool.max_size = 10_000;
        s.traffic.rate_per_s = 100_000.0;
        s.work.hold_ms = 50.0;
    });
    let mut sim = sim(&s);
    assert_eq!(sim.gauges().idle, 10_000, "a warm pool of 10,000");
    let step = sim.advance(sim.end(), 50_000).expect("forward");
    assert!(!step.reached && step.events == 50_000);
    assert!(
        sim.now() > SimTime::ZERO && sim.now() < SimTime::from_secs(1),
        "a slice covers a fraction of a second"
    );
    advance_s(&mut sim, 5.0);
    let g = sim.gauges();
    assert!((4_500..5_500).contains(&g.active), "λ·W = 5,000 in use: {g:?}");
}

#[test]
fn each_instances_samples_are_kept_only_when_asked_and_add_up_to_the_fleets() {
    let s = scenario(|s| {
        s.fleet = Some(poolsim_engine::FleetConfig { instances: 3, ..Default::default() });
        s.duration_s = 60;
        s.pool.max_size = 4;
        s.traffic.rate_per_s = 200.0;
        s.leak.probability = 0.01;
    });
    let (plain, _) = run(&s);
    assert_eq!(plain.instance_samples(0), None, "off by default");
    let mut asked = sim(&s);
    advance_s(&mut asked, 10.5);
    asked.record_instance_samples();
    asked.run_to_end();
    assert_eq!(asked.samples(), plain.samples(), "recording changes nothing else");
    assert_eq!(asked.trace_digest(), plain.trace_digest());
    assert_eq!(asked.instance_samples(9), None, "before it was asked");
    let mut timeouts = 0;
    for (i, fleet) in asked.samples().iter().enumerate().skip(10) {
        let pools = asked.instance_samples(i).unwrap_or_default();
        assert_eq!(pools.len(), 3, "second {}", fleet.t_s);
        let sum = |f: fn(&poolsim_engine::InstanceSample) -> u32| pools.iter().map(f).sum::<u32>();
        let g = &fleet.gauges;
        assert_eq!(
            [sum(|p| p.active), sum(|p| p.idle), sum(|p| p.pending), sum(|p| p.leaked), sum(|p| p.timeouts)],
            [g.active, g.idle, g.pending, g.leaked, fleet.timeouts],
            "second {}",
            fleet.t_s
        );
        timeouts += fleet.timeouts;
    }
    assert!(timeouts > 0, "the pools ran dry");
    assert_eq!(asked.instance_samples(asked.samples().len()), None);
}
