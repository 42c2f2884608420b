//! The benchmark workloads, one definition for `cargo bench -p poolsim-engine` and
//! `poolsim bench` (docs/budgets.md): a healthy pool, the same pool in front of a
//! database, and a fleet of twenty instances sharing one database.

use poolsim_engine::{Balancer, DatabaseConfig, FleetConfig, Scenario};

/// 200 requests/s at 40 ms on a pool of 100, for one simulated hour: no waiting, no leak.
pub fn healthy() -> Scenario {
    let mut s = Scenario { name: "Healthy pool (bench)".to_owned(), duration_s: 3600, ..Scenario::default() };
    s.pool.max_size = 100;
    s.traffic.rate_per_s = 200.0;
    s.work.hold_ms = 40.0;
    s
}

/// The healthy pool in front of a database of 4 cores with some contention: every
/// query goes through the processor-sharing model.
pub fn healthy_with_database() -> Scenario {
    let mut s = healthy();
    s.name = "Healthy pool, 4-core database (bench)".to_owned();
    s.database = Some(DatabaseConfig {
        cores: 4,
        db_share: 0.5,
        contention: 0.02,
        coherency: 0.0001,
        ..DatabaseConfig::default()
    });
    s
}

/// Twenty instances with pools of 50 behind a round-robin balancer, 4,000 requests/s at
/// 40 ms in all, each query a quarter of its hold on a 64-core database that takes the
/// fleet's 1,000 connections: the budget's "20 × 50 with the database model".
pub fn fleet_with_database() -> Scenario {
    let mut s = healthy();
    s.name = "Fleet of 20 × 50, 64-core database (bench)".to_owned();
    s.fleet = Some(FleetConfig { instances: 20, balancer: Balancer::RoundRobin });
    s.pool.max_size = 50;
    s.traffic.rate_per_s = 4_000.0;
    s.database = Some(DatabaseConfig {
        cores: 64,
        db_share: 0.25,
        contention: 0.001,
        max_connections: 1_100,
        ..DatabaseConfig::default()
    });
    s
}
