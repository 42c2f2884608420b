//! Engine throughput in simulated requests per wall-clock second (docs/budgets.md budget:
//! ≥ 5 million natively on one core; the 5-hour seed incident well under a second).
//!
//! `cargo bench -p poolsim-engine`; criterion reports "elem/s" = requests per second.

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use poolsim_content::presets;
use poolsim_engine::{DatabaseConfig, Scenario, Simulation};

/// 200 requests/s at 40 ms on a pool of 100, for one simulated hour: no waiting, no leak.
fn healthy() -> Scenario {
    let mut s = Scenario { name: "Healthy pool (bench)".to_owned(), duration_s: 3600, ..Scenario::default() };
    s.pool.max_size = 100;
    s.traffic.rate_per_s = 200.0;
    s.work.hold_ms = 40.0;
    s
}

/// The healthy pool in front of a database of 4 cores with some contention: every
/// query goes through the processor-sharing model.
fn healthy_with_database() -> Scenario {
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

fn bench_scenario(c: &mut Criterion, label: &str, scenario: &Scenario) {
    // Requests in one run, so criterion can report requests per second.
    let requests = match Simulation::new(scenario) {
        Ok(mut sim) => sim.run_to_end().requests,
        Err(e) => panic!("{label}: {e}"),
    };
    let mut group = c.benchmark_group("run_to_end");
    group.throughput(Throughput::Elements(requests));
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(5));
    group.bench_function(label, |b| {
        b.iter(|| match Simulation::new(black_box(scenario)) {
            Ok(mut sim) => black_box(sim.run_to_end()),
            Err(e) => panic!("{label}: {e}"),
        });
    });
    group.finish();
}

fn engine(c: &mut Criterion) {
    bench_scenario(c, "healthy-200rps-pool100-1h", &healthy());
    bench_scenario(c, "healthy-200rps-pool100-db4-1h", &healthy_with_database());
    match presets::load(presets::SEED_INCIDENT) {
        Ok(seed) => bench_scenario(c, "june-15-2024-5h", &seed),
        Err(e) => panic!("seed preset: {e}"),
    }
}

criterion_group!(benches, engine);
criterion_main!(benches);
