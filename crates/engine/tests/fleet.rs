//! A fleet of instances behind a load balancer, sharing one database: the balancer splits
//! the traffic as it says, actions reach the instances they name (at once or batch by
//! batch), a partial leak fails its share of the traffic, and the database's usable slots
//! bound the whole fleet's connections.

mod common;

use common::{at, run, scenario, sim, window};
use poolsim_engine::{
    Action, Balancer, DatabaseConfig, FleetConfig, LogKind, Rollout, Scenario, SimTime, Simulation, Target,
    TimedEvent,
};

/// `instances` instances of the default pool (10 connections each) behind `balancer`,
/// taking `rate` requests/s in all.
fn fleet(instances: u32, balancer: Balancer, rate: f64) -> Scenario {
    scenario(|s| {
        s.fleet = Some(FleetConfig { instances, balancer });
        s.traffic.rate_per_s = rate;
    })
}

/// `action` at `at_s` on the instances numbered in `instances` (from 1).
fn on(at_s: f64, action: Action, instances: &[u32]) -> TimedEvent {
    TimedEvent { at_s, action, target: Target { instances: Some(instances.to_vec()), rollout: None } }
}

#[test]
fn a_fleet_of_one_runs_as_a_single_pool_does() {
    let single = scenario(|s| {
        s.leak.probability = 0.002;
        s.events.push(at(300.0, Action::RestartApp { downtime_s: 5.0 }));
    });
    let mut one = single.clone();
    one.fleet = Some(FleetConfig { instances: 1, balancer: Balancer::LeastOutstanding });
    let (a_sim, a) = run(&single);
    let (b_sim, mut b) = run(&one);
    assert_eq!(b.instances.len(), 1, "a fleet reports its instances");
    assert_eq!(b.instances[0].served, b.counts.served);
    b.instances.clear();
    assert_eq!(a, b, "the same run, whatever the balancer, with one instance");
    assert_eq!(a_sim.samples(), b_sim.samples());
    assert!(a_sim.log().all(|l| l.instance.is_none()));
    assert!(b_sim.log().any(|l| l.instance == Some(1)), "a fleet's lines name their instance");
}

#[test]
fn round_robin_gives_each_instance_its_turn() {
    let (sim, summary) = run(&fleet(5, Balancer::RoundRobin, 500.0));
    assert_eq!(summary.instances.len(), 5);
    let per: Vec<u64> = summary.instances.iter().map(|i| i.requests).collect();
    let (lo, hi) = (per.iter().min().copied().unwrap_or(0), per.iter().max().copied().unwrap_or(0));
    assert!(hi - lo <= 1, "round robin: {per:?}");
    assert_eq!(per.iter().sum::<u64>(), summary.requests);
    // The fleet's gauges are the instances' sums.
    let total: u32 = (0..5).filter_map(|j| sim.instance_gauges(j)).map(|g| g.max).sum();
    assert_eq!((sim.gauges().max, total), (50, 50));
}

#[test]
fn the_random_balancer_splits_evenly_and_reproducibly() {
    let s = fleet(4, Balancer::Random, 400.0);
    let (_, a) = run(&s);
    let (_, b) = run(&s);
    assert_eq!(a, b, "same seed, same split");
    let mean = a.requests as f64 / 4.0;
    for i in &a.instances {
        // 240,000 requests: a fair split is within a few standard deviations (≈ 212).
        assert!(
            (i.requests as f64 - mean).abs() < 1_000.0,
            "instance {}: {} of {mean}",
            i.instance,
            i.requests
        );
    }
}

#[test]
fn least_outstanding_sends_less_to_a_slow_instance() {
    let mut s = fleet(3, Balancer::LeastOutstanding, 300.0);
    // Instance 1's queries take ten times as long: it has more requests in progress.
    s.events.push(on(0.0, Action::SetHold { hold_ms: 400.0 }, &[1]));
    s.pool.connection_timeout_ms = 0;
    let (_, summary) = run(&s);
    let slow = summary.instances[0].requests as f64;
    let fast = summary.instances[1].requests as f64;
    assert!(slow < 0.6 * fast, "slow instance {slow} requests, fast {fast}");
    let mut rr = s.clone();
    rr.fleet = Some(FleetConfig { instances: 3, balancer: Balancer::RoundRobin });
    let (_, even) = run(&rr);
    assert!(even.instances[0].requests as f64 > 0.95 * even.instances[1].requests as f64);
}

#[test]
fn four_of_five_instances_leaking_fail_about_four_fifths_of_requests() {
    let mut s = fleet(5, Balancer::RoundRobin, 500.0);
    s.duration_s = 1800;
    s.events.push(on(60.0, Action::DeployLeak { probability: 0.05 }, &[1, 2, 3, 4]));
    let mut sim = sim(&s);
    sim.advance_to(SimTime::from_secs(61)).unwrap_or_else(|e| panic!("{e}"));
    // The deploy is logged once, naming where it went.
    let deploys: Vec<_> = sim.log().filter(|l| l.message.contains("Deploy:")).collect();
    assert_eq!(deploys.len(), 1);
    assert!(deploys[0].message.starts_with("On app-1, app-2, app-3, app-4: "), "{}", deploys[0].message);
    assert_eq!(deploys[0].instance, None);
    let summary = sim.run_to_end();
    // Once the four leaky pools are gone, their requests all time out.
    let late = window(sim.samples(), 600, 1800);
    let (arrivals, failed) =
        late.iter().fold((0u64, 0u64), |(a, f), x| (a + u64::from(x.arrivals), f + u64::from(x.failed)));
    let share = failed as f64 / arrivals as f64;
    assert!((share - 0.8).abs() < 0.02, "failed share after the leak {share}");
    assert_eq!(summary.instances[4].failed, 0, "the fifth instance never leaked");
    assert_eq!(summary.instances[4].leak_probability, 0.0);
    assert!(summary.instances[..4].iter().all(|i| i.first_exhaustion_s.is_some()));
}

#[test]
fn a_rollout_reaches_one_batch_at_a_time() {
    let mut s = fleet(6, Balancer::RoundRobin, 300.0);
    s.events.push(TimedEvent {
        at_s: 100.0,
        action: Action::RestartApp { downtime_s: 10.0 },
        target: Target { instances: None, rollout: Some(Rollout { batch: 2, every_s: 60.0 }) },
    });
    let mut sim = sim(&s);
    let mut restarts: Vec<(u32, f64)> = Vec::new();
    let mut seen = 0;
    while !sim.is_finished() {
        let next = sim.now() + poolsim_engine::SimDuration::from_secs(1);
        sim.advance_to(next).unwrap_or_else(|e| panic!("{e}"));
        for line in sim.log().filter(|l| l.seq >= seen && l.message.starts_with("Restart app")) {
            restarts.push((line.instance.unwrap_or(0), line.t_us.as_secs_f64()));
        }
        seen = sim.log_total();
    }
    assert_eq!(
        restarts,
        vec![(1, 100.0), (2, 100.0), (3, 160.0), (4, 160.0), (5, 220.0), (6, 220.0)],
        "two instances every 60 s"
    );
    // Only one batch is down at a time: the others keep serving.
    let during = window(sim.samples(), 161, 169);
    assert!(during.iter().all(|x| x.served > 0));
}

#[test]
fn the_fleet_never_holds_more_than_the_databases_usable_slots() {
    // Measured on PostgreSQL 15: four HikariCP pools of 8 against max_connections 20
    // (3 reserved) hold 17 connections between them; the other opens are refused.
    let s = scenario(|s| {
        s.duration_s = 120;
        s.fleet = Some(FleetConfig { instances: 4, balancer: Balancer::RoundRobin });
        s.pool.max_size = 8;
        s.pool.min_idle = Some(8);
        s.traffic.rate_per_s = 2_000.0;
        s.work.hold_ms = 20.0;
        s.database = Some(DatabaseConfig {
            cores: 64,
            max_connections: 20,
            reserved_connections: 3,
            ..Default::default()
        });
    });
    let (sim, summary) = run(&s);
    let db = summary.database.unwrap_or_else(|| panic!("a database reports"));
    assert_eq!(db.peak_connections, 17, "exactly max_connections − reserved ever open");
    assert!(db.refused_opens > 0);
    let held: Vec<u32> = (0..4).filter_map(|j| sim.instance_gauges(j)).map(|g| g.total).collect();
    assert_eq!(held.iter().sum::<u32>(), 17, "split {held:?}");
    assert!(held.iter().all(|&n| n <= 8));
    assert!(sim.log().any(|l| l.kind == LogKind::Database && l.instance.is_some()));
    // Every instance's waiters time out while its pool cannot grow.
    assert!(summary.counts.timed_out > 0);
}

#[test]
fn a_live_action_on_one_instance_leaves_the_others_alone() {
    let s = fleet(3, Balancer::RoundRobin, 300.0);
    let mut sim = sim(&s);
    sim.advance_to(SimTime::from_secs(10)).unwrap_or_else(|e| panic!("{e}"));
    let target = Target { instances: Some(vec![2]), rollout: None };
    sim.apply_to(Action::ResizePool { max_size: 25, min_idle: None }, target.clone())
        .unwrap_or_else(|e| panic!("{e}"));
    let sizes: Vec<u32> = (0..3).filter_map(|j| sim.instance_settings(j)).map(|x| x.max_size).collect();
    assert_eq!(sizes, vec![10, 25, 10]);
    assert_eq!(sim.applied()[0].target, target, "recorded for a replay");
    // A target the fleet does not have is refused, naming the field.
    let bad = Target { instances: Some(vec![4]), rollout: None };
    let err = sim.apply_to(Action::Rollback, bad).err().map(|e| e.to_string()).unwrap_or_default();
    assert!(err.contains("instances[0]") && err.contains("no instance 4"), "{err}");
    // Cloned mid-run, a fleet continues exactly as the original.
    let mut twin: Simulation = sim.clone();
    let (a, b) = (sim.run_to_end(), twin.run_to_end());
    assert_eq!(a, b);
    assert_eq!(sim.trace_digest(), twin.trace_digest());
}

#[test]
fn targets_are_checked_against_the_fleet() {
    let cases: Vec<(Scenario, &str)> = vec![
        (
            {
                let mut s = fleet(5, Balancer::RoundRobin, 100.0);
                s.events.push(on(1.0, Action::Rollback, &[6]));
                s
            },
            "events[0].instances[0]",
        ),
        (
            {
                let mut s = fleet(5, Balancer::RoundRobin, 100.0);
                s.events.push(on(1.0, Action::SetRate { rate_per_s: 5.0 }, &[1]));
                s
            },
            "events[0].instances",
        ),
        (
            {
                let mut s = fleet(5, Balancer::RoundRobin, 100.0);
                s.events.push(on(1.0, Action::Rollback, &[2, 2]));
                s
            },
            "events[0].instances[1]",
        ),
        (
            {
                let mut s = fleet(5, Balancer::RoundRobin, 100.0);
                s.events.push(TimedEvent {
                    at_s: 1.0,
                    action: Action::Rollback,
                    target: Target { instances: None, rollout: Some(Rollout { batch: 0, every_s: 1.0 }) },
                });
                s
            },
            "events[0].rollout.batch",
        ),
        (
            scenario(|s| {
                s.fleet = Some(FleetConfig { instances: 0, balancer: Balancer::RoundRobin });
            }),
            "fleet.instances",
        ),
        (
            {
                let mut s = scenario(|_| {});
                s.events.push(on(1.0, Action::Rollback, &[2]));
                s
            },
            "events[0].instances[0]",
        ),
    ];
    for (s, path) in cases {
        let err = s.validate().err().unwrap_or_else(|| panic!("{path}: accepted"));
        assert_eq!(err.path, path, "{err}");
    }
}

#[test]
fn fleet_scenarios_read_and_write_their_targets() {
    let text = r#"{
        "fleet": {"instances": 5, "balancer": "least_outstanding"},
        "events": [
            {"at_s": 60, "action": "deploy_leak", "probability": 0.01, "instances": [1, 2, 3, 4]},
            {"at_s": 600, "action": "restart_app", "rollout": {"batch": 1, "every_s": 30}}
        ]
    }"#;
    let s = Scenario::from_json(text).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(s.fleet, Some(FleetConfig { instances: 5, balancer: Balancer::LeastOutstanding }));
    assert_eq!(s.events[0].target.instances, Some(vec![1, 2, 3, 4]));
    assert_eq!(s.events[1].target.rollout, Some(Rollout { batch: 1, every_s: 30.0 }));
    let written = serde_json::to_string(&s).unwrap_or_default();
    assert_eq!(Scenario::from_json(&written).ok(), Some(s));
    // A scenario without a fleet writes neither.
    let plain = serde_json::to_string(&Scenario::default()).unwrap_or_default();
    assert!(!plain.contains("fleet") && !plain.contains("instances"));
    let bad =
        Scenario::from_json(r#"{"events": [{"at_s": 1, "action": "rollback", "rollout": {"batch": 1}}]}"#);
    let err = bad.err().map(|e| e.to_string()).unwrap_or_default();
    assert!(err.contains("events[0].rollout") && err.contains("every_s"), "{err}");
}
