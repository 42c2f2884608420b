//! The fleet presets tell the story their descriptions promise: the June 15 fix on a
//! fleet meets `max_connections` and buys far less time than on one pool; a leak rolled
//! out one instance at a time fails one more fifth of the traffic with each batch.

use poolsim_content::presets;
use poolsim_engine::{Scenario, SimTime, Simulation, Summary};

fn load(name: &str) -> Scenario {
    presets::load(name).unwrap_or_else(|e| panic!("preset {name}: {e}"))
}

fn sim(s: &Scenario) -> Simulation {
    Simulation::new(s).unwrap_or_else(|e| panic!("{e}"))
}

/// Advance to `t_s` seconds from the start.
fn advance(sim: &mut Simulation, t_s: u64) {
    sim.advance_to(SimTime::from_secs(t_s)).unwrap_or_else(|e| panic!("{e}"));
}

/// Requests failed in the samples with `from_s < t_s <= to_s`, as a share of arrivals.
fn failed_share(sim: &Simulation, from_s: u32, to_s: u32) -> f64 {
    let (a, f) = sim
        .samples()
        .iter()
        .filter(|x| x.t_s > from_s && x.t_s <= to_s)
        .fold((0u64, 0u64), |(a, f), x| (a + u64::from(x.arrivals), f + u64::from(x.failed)));
    f as f64 / a.max(1) as f64
}

#[test]
fn five_instances_one_database() {
    let s = load("five-instances-one-database");
    let mut sim = sim(&s);
    // 13:36, after the rolling restart with pools of 100: the database's 247 usable
    // slots are all taken, split unevenly, and the instance restarted last got none.
    advance(&mut sim, 5_760);
    let held: Vec<u32> = (0..5).filter_map(|j| sim.instance_gauges(j)).map(|g| g.total).collect();
    assert_eq!(held.iter().sum::<u32>(), 247, "{held:?}");
    assert!(held.iter().any(|&n| n > 60) && held.contains(&0), "{held:?}");
    let summary: Summary = sim.run_to_end();
    let db = summary.database.clone().unwrap_or_default();
    assert_eq!(db.peak_connections, 247);
    // The bigger pools run out again within the hour: 100 per instance was never there.
    let again = failed_share(&sim, 7_800, 9_000);
    assert!(again > 0.3, "{again}");
}

#[test]
fn rolling_deploy_of_a_leak() {
    let s = load("rolling-deploy-of-a-leak");
    let mut sim = sim(&s);
    advance(&mut sim, 2_400);
    // Each batch adds a fifth of the traffic to the failures.
    let steps: Vec<f64> = [(800, 1_000), (1_050, 1_200), (1_250, 1_450), (1_500, 1_650), (1_700, 1_790)]
        .iter()
        .map(|&(from, to)| failed_share(&sim, from, to))
        .collect();
    for (i, share) in steps.iter().enumerate() {
        let expected = 0.2 * (i + 1) as f64;
        assert!((share - expected).abs() < 0.08, "batch {}: failed share {share}, steps {steps:?}", i + 1);
    }
    let summary = sim.run_to_end();
    assert_eq!(summary.alerts.get("FailedRequests").copied().flatten(), Some(787.0));
    assert!((summary.counts.failed_share - 0.21).abs() < 0.01, "{}", summary.counts.failed_share);
    assert!(summary.milestones.recovered_s.is_some_and(|t| t < 2_100.0));
    // A balancer that sees each instance's queue sends a stuck one less.
    let mut lo = s.clone();
    if let Some(f) = lo.fleet.as_mut() {
        f.balancer = poolsim_engine::Balancer::LeastOutstanding;
    }
    let lo = sim_to_end(&lo);
    assert!(lo.counts.failed_share < 0.1, "least outstanding: {}", lo.counts.failed_share);
}

fn sim_to_end(s: &Scenario) -> Summary {
    sim(s).run_to_end()
}

#[test]
fn restart_storm() {
    let s = load("restart-storm");
    let mut sim = sim(&s);
    let summary = sim.run_to_end();
    let db = sim.database_samples();
    let worst = |from: u32, to: u32| {
        db.iter().filter(|d| d.t_s > from && d.t_s <= to).map(|d| d.stretch).fold(1.0, f64::max)
    };
    // All at once: the handshakes take the cores and every query slows down.
    let storm = worst(600, 603);
    assert!(storm > 15.0, "stretch during the storm {storm}");
    assert!(db.iter().any(|d| (601..=602).contains(&d.t_s) && d.utilisation > 0.98));
    // Rolled out: the queries barely notice.
    let rolled = worst(1_800, 1_900);
    assert!(rolled < 1.5, "stretch during the rolling restart {rolled}");
    assert!(summary.counts.failed < 100, "{}", summary.counts.failed);
    assert_eq!(summary.database.map(|d| d.peak_connections), Some(1_200));
}
