//! `poolsim bench`: simulated requests per wall-clock second, natively, on one core, and
//! replications per second on one thread and on every core.
//!
//! Three workloads ([`poolsim_content::bench`]): a healthy pool (200 requests/s, pool of
//! 100, 1 simulated hour), the seed incident (the `june-15-2024` preset, 5 simulated
//! hours), and a fleet of 20 instances × 50 connections sharing a database. Each is simulated to its
//! end again and again for at least [`MIN_WALL_S`]; the table shows the mean. docs/budgets.md's
//! budget is ≥ 5 million simulated requests per second; build with `--profile native`.
//! Then `poolsim replicate`'s throughput: batches of [`REPLICATION_RUNS`] replications of the
//! healthy pool (10 simulated minutes each), on one thread and on one per core in turn,
//! until the one-thread batches took at least [`MIN_WALL_S`]; the speedup is their ratio.

use std::time::{Duration, Instant};

use poolsim_content::variants::VariantKind;
use poolsim_content::{bench, presets};
use poolsim_engine::{Scenario, Simulation};
use serde::Serialize;

use crate::error::CliError;
use crate::output::print_line;
use crate::replicate::Plan;

/// Measure each workload for at least this long [s of wall-clock time].
const MIN_WALL_S: f64 = 1.0;
/// Never repeat a workload more often than this.
const MAX_RUNS: u32 = 1000;

/// Replications in one batch of the replication throughput.
const REPLICATION_RUNS: u32 = 32;

/// One workload's measurement, also printed as JSON.
#[derive(Debug, Serialize)]
struct Measurement {
    scenario: String,
    /// Requests in one run (first tries).
    requests: u64,
    /// Discrete events in one run.
    events: u64,
    /// Runs measured.
    runs: u32,
    /// Mean wall-clock time of one run [ms].
    ms_per_run: f64,
    /// Simulated requests per wall-clock second.
    requests_per_s: f64,
    /// Simulated seconds per wall-clock second.
    speedup: f64,
}

fn measure(label: &str, scenario: &Scenario) -> Result<Measurement, CliError> {
    let fail = |e: poolsim_engine::ScenarioError| CliError::scenario(label, &e);
    let mut runs = 0u32;
    let mut wall = Duration::ZERO;
    let mut summary = None;
    while runs < MAX_RUNS && (wall.as_secs_f64() < MIN_WALL_S || runs == 0) {
        let start = Instant::now();
        let mut sim = Simulation::new(scenario).map_err(fail)?;
        summary = Some(std::hint::black_box(sim.run_to_end()));
        wall += start.elapsed();
        runs += 1;
    }
    let summary = summary.unwrap_or_default();
    let per_run_s = wall.as_secs_f64() / f64::from(runs.max(1));
    // Guard the division for an empty or instant scenario.
    let per_run_s = per_run_s.max(1e-9);
    Ok(Measurement {
        scenario: label.to_owned(),
        requests: summary.requests,
        events: summary.events_processed,
        runs,
        ms_per_run: per_run_s * 1000.0,
        requests_per_s: summary.requests as f64 / per_run_s,
        speedup: summary.simulated_s / per_run_s,
    })
}

/// `poolsim replicate`'s throughput on one thread and on every core, printed as JSON.
#[derive(Debug, Serialize)]
struct Replications {
    scenario: String,
    /// Replications in a batch.
    runs_per_batch: u32,
    /// Threads of the second measurement: one per core.
    threads: usize,
    /// Replications per wall-clock second on one thread.
    runs_per_s_one_thread: f64,
    /// Replications per wall-clock second on `threads` threads.
    runs_per_s_all_threads: f64,
    /// The second over the first.
    speedup: f64,
}

/// Replications per wall-clock second of `plan` on one thread and on `threads` threads.
/// The two alternate batch by batch, so a change in the machine's other load falls on both.
fn replications_per_s(plan: &Plan, threads: usize) -> Result<(f64, f64), CliError> {
    let indices: Vec<u32> = (0..REPLICATION_RUNS).collect();
    let (mut runs, mut one, mut all) = (0u32, Duration::ZERO, Duration::ZERO);
    while runs < MAX_RUNS && (one.as_secs_f64() < MIN_WALL_S || runs == 0) {
        for (count, wall) in [(1, &mut one), (threads, &mut all)] {
            let start = Instant::now();
            std::hint::black_box(plan.run(&indices, Some(count), &|| {})?);
            *wall += start.elapsed();
        }
        runs += REPLICATION_RUNS;
    }
    let per_s = |wall: Duration| f64::from(runs) / wall.as_secs_f64().max(1e-9);
    Ok((per_s(one), per_s(all)))
}

fn measure_replications() -> Result<Replications, CliError> {
    let label = "healthy-200rps-pool100-10min";
    let scenario = Scenario { duration_s: 600, ..bench::healthy() };
    let kinds = [VariantKind::AsItHappened {}];
    let plan = Plan::new(&scenario, &kinds, label)?;
    let threads = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    let (one, all) = replications_per_s(&plan, threads)?;
    Ok(Replications {
        scenario: label.to_owned(),
        runs_per_batch: REPLICATION_RUNS,
        threads,
        runs_per_s_one_thread: one,
        runs_per_s_all_threads: all,
        speedup: all / one.max(1e-9),
    })
}

/// Run the workloads and the replications, print a table and one JSON line.
pub fn run() -> Result<(), CliError> {
    let seed = presets::load(presets::SEED_INCIDENT)
        .map_err(|e| CliError::scenario(&format!("preset {}", presets::SEED_INCIDENT), &e))?;
    let results = [
        measure("healthy-200rps-pool100", &bench::healthy())?,
        measure(presets::SEED_INCIDENT, &seed)?,
        measure("fleet-20x50-db64", &bench::fleet_with_database())?,
    ];

    print_line(&format!(
        "{:<24} {:>10} {:>10} {:>6} {:>12} {:>16} {:>12}",
        "scenario", "requests", "events", "runs", "ms/run", "requests/s", "sim s/s"
    ))?;
    for m in &results {
        print_line(&format!(
            "{:<24} {:>10} {:>10} {:>6} {:>12.1} {:>16.0} {:>12.0}",
            m.scenario, m.requests, m.events, m.runs, m.ms_per_run, m.requests_per_s, m.speedup
        ))?;
    }
    let r = measure_replications()?;
    print_line(&format!(
        "replications of {}: {:.1} runs/s on 1 thread, {:.1} runs/s on {} threads: {:.2}× as fast",
        r.scenario, r.runs_per_s_one_thread, r.runs_per_s_all_threads, r.threads, r.speedup
    ))?;
    let json = serde_json::to_string(&serde_json::json!({ "bench": results, "replications": r }))
        .map_err(|e| CliError::new(format!("cannot format the results as JSON: {e}")))?;
    print_line(&json)
}
