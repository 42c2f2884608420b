//! Replications: a scenario run with other seeds gives other runs, a single run is
//! replication 0, the confidence intervals cover the truth as often as they claim, and a
//! fix compared over paired runs shows its effect.

mod common;

use common::{leaky, mmc, run};
use poolsim_engine::replicate::{self, Metric, Outcome, Replications};
use poolsim_engine::{Action, Scenario, TimedEvent, analytic};

#[test]
fn a_single_run_is_replication_zero() {
    let s = leaky();
    let (sim, summary) = run(&s);
    let outcome = replicate::run(&s, 0).expect("valid");
    assert_eq!(outcome, Outcome::from_run(&summary, sim.samples()));
    assert_eq!(outcome.first_exhaustion_s, summary.milestones.first_exhaustion_s);
    assert_eq!(outcome.p99_wait_ms, summary.p99_wait_ms);
    assert!(outcome.ran_out() && outcome.peak_pending > 0, "{outcome:?}");
}

#[test]
fn other_replications_are_other_runs_and_each_is_reproducible() {
    let s = leaky();
    let runs: Vec<Outcome> = (0..5).map(|i| replicate::run(&s, i).expect("valid")).collect();
    let mut times: Vec<f64> = runs.iter().filter_map(|o| o.first_exhaustion_s).collect();
    assert_eq!(times.len(), 5, "a leak this fast always runs the pool out: {runs:?}");
    times.dedup();
    assert!(times.len() >= 4, "chance moves the exhaustion: {times:?}");
    assert_eq!(replicate::run(&s, 3).expect("valid"), runs[3]);
    // Replication i is the scenario with its seed: `poolsim run --seed` reproduces it.
    let (_, summary) = run(&replicate::replication(&s, 3));
    assert_eq!(summary.milestones.first_exhaustion_s, runs[3].first_exhaustion_s);
}

/// The point of a confidence interval: 95 % of them contain the true value. 200 batches
/// of 10 runs of 20 s of an M/M/4 pool at 70 % (5,600 requests a run), each batch's
/// interval of the mean wait against Erlang C's mean wait. (Shorter runs start too
/// idle, fewer runs a batch leave the skew of the waits in the mean: both cover less.)
#[test]
fn the_95_percent_interval_of_the_mean_wait_covers_erlang_c_about_95_percent_of_the_time() {
    const BATCHES: u32 = 200;
    const RUNS: u32 = 10;
    let s = Scenario { seed: 2024, ..mmc(4, 0.7, 20) };
    let truth = analytic::erlang_c_mean_wait_ms(4, s.traffic.rate_per_s, s.work.hold_ms).expect("stable");
    let mut covered = 0;
    for batch in 0..BATCHES {
        let mut runs = Replications::new();
        for i in batch * RUNS..(batch + 1) * RUNS {
            runs.push(i, replicate::run(&s, i).expect("valid")).expect("new run");
        }
        let stats = *runs.report().stats(Metric::MeanWaitMs);
        assert_eq!(stats.n, RUNS);
        if stats.ci95.expect("ten runs").contains(truth) {
            covered += 1;
        }
    }
    let coverage = f64::from(covered) / f64::from(BATCHES);
    println!("coverage {:.1} % of {BATCHES} intervals (Erlang C mean wait {truth:.4} ms)", coverage * 100.0);
    assert!((0.88..=0.99).contains(&coverage), "coverage {coverage}");
}

#[test]
fn a_bigger_pool_compared_over_paired_runs_runs_out_significantly_later() {
    let base = leaky();
    let mut bigger = base.clone();
    bigger.events.push(TimedEvent::new(0.0, Action::ResizePool { max_size: 24, min_idle: None }));
    let (mut a, mut b) = (Replications::new(), Replications::new());
    for i in 0..12 {
        a.push(i, replicate::run(&base, i).expect("valid")).expect("new");
        b.push(i, replicate::run(&bigger, i).expect("valid")).expect("new");
    }
    let c = b.compare(&a);
    let d = c.difference(Metric::FirstExhaustionS);
    assert_eq!(c.pairs, 12);
    assert!(d.significant && d.mean.is_some_and(|m| m > 0.0), "{d:?}");
    // The same requests leak in both (common random numbers): four more connections
    // last about as long in every pair, so the pairs vary far less than the runs do.
    let spread = a.report().stats(Metric::FirstExhaustionS).std_dev.expect("twelve runs");
    let ci = d.ci95.expect("twelve pairs");
    assert!(ci.high - ci.low < spread, "paired interval {ci:?} vs the runs' spread {spread}");
}
