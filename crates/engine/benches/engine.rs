//! Engine throughput in simulated requests per wall-clock second (docs/budgets.md budget:
//! ≥ 5 million natively on one core; the 5-hour seed incident well under a second).
//!
//! `cargo bench -p poolsim-engine`; criterion reports "elem/s" = requests per second.

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use poolsim_content::{bench, presets};
use poolsim_engine::{Scenario, Simulation};

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
    bench_scenario(c, "healthy-200rps-pool100-1h", &bench::healthy());
    bench_scenario(c, "healthy-200rps-pool100-db4-1h", &bench::healthy_with_database());
    bench_scenario(c, "fleet-20x50-db64-1h", &bench::fleet_with_database());
    match presets::load(presets::SEED_INCIDENT) {
        Ok(seed) => bench_scenario(c, "june-15-2024-5h", &seed),
        Err(e) => panic!("seed preset: {e}"),
    }
}

criterion_group!(benches, engine);
criterion_main!(benches);
