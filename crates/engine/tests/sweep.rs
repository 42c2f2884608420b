//! Sweeps: each cell is the scenario with its knobs set, replicated with the same seeds
//! as every other cell; a run stopped at a time says what the whole run says about it;
//! and the smallest pool that survives is the one the arrivals' own counts give, close to
//! the Poisson quantile theory gives.

mod common;

use common::{leaky, scenario};
use poolsim_engine::replicate::sweep::{Axis, Knob, Survival, Sweep, smallest_pool};
use poolsim_engine::replicate::{self, Replications, Share};
use poolsim_engine::{SimTime, Simulation};

#[test]
fn a_cell_is_the_scenario_with_its_knobs_set_replicated_with_the_same_seeds() {
    let base = leaky();
    let sweep = Sweep::new(
        Axis::parse("pool.max_size=10..30:3").expect("axis"),
        Some(Axis::parse("leak.probability=0.0002..0.0008:2:log").expect("axis")),
    )
    .expect("two knobs");
    sweep.check(&base).expect("every cell runs");
    for cell in sweep.cells() {
        let mut edited = base.clone();
        edited.pool.max_size = cell.x as u32;
        edited.leak.probability = cell.y.expect("two axes");
        for i in 0..3 {
            assert_eq!(
                sweep.run(&base, &cell, i).expect("runs"),
                replicate::run(&edited, i).expect("runs"),
                "cell {cell:?}, run {i}"
            );
        }
    }
    // The seeds are the base's: the knobs never change which requests arrive and leak.
    let cell = sweep.cell(4);
    assert_eq!(
        replicate::replication(&sweep.scenario(&base, &cell), 7).seed,
        replicate::replication_seed(base.seed, 7)
    );
}

#[test]
fn a_run_stopped_at_a_time_says_whether_the_whole_run_ran_out_by_then() {
    let base = leaky();
    let survival = Survival { until_s: Some(240.0), share: 0.95 };
    let (mut before, mut after) = (0, 0);
    for i in 0..12 {
        let whole = replicate::run(&base, i).expect("runs");
        let part = replicate::run_until(&base, i, survival.until_s).expect("runs");
        assert_eq!(survival.survived(&part), survival.survived(&whole), "run {i}");
        match whole.first_exhaustion_s {
            Some(t) if t <= 240.0 => {
                assert_eq!(part.first_exhaustion_s, Some(t), "run {i}");
                before += 1;
            }
            _ => {
                assert_eq!(part.first_exhaustion_s, None, "run {i}");
                after += 1;
            }
        }
    }
    assert!(before > 0 && after > 0, "both kinds of run: {before} ran out by 240 s, {after} did not");
}

/// Every served request leaks (probability 1) at 1 request/s: a pool of `c` runs out
/// when request `c + 1` arrives, so it survives until 2.5 s exactly when at most `c`
/// requests arrived by then — a Poisson count of mean 2.5. The smallest pool that
/// survives in 95 % of runs is the count's 95th percentile over the runs, and close to
/// the Poisson quantile: P(N ≤ 4) = 0.891, P(N ≤ 5) = 0.958, P(N ≤ 6) = 0.986.
#[test]
fn the_smallest_pool_that_survives_is_the_95th_percentile_of_the_arrivals() {
    const RUNS: u32 = 1000;
    const UNTIL_S: f64 = 2.5;
    let base = scenario(|s| {
        s.duration_s = 10;
        s.pool.max_size = 1;
        s.traffic.rate_per_s = 1.0;
        s.leak.probability = 1.0;
    });
    let survival = Survival { until_s: Some(UNTIL_S), share: 0.95 };
    let runs_with = |max_size: u32| -> Result<Share, String> {
        let mut runs = Replications::new();
        for i in 0..RUNS {
            let outcome =
                replicate::run_until(&Knob::MaxSize.with(&base, f64::from(max_size)), i, survival.until_s)
                    .map_err(|e| e.to_string())?;
            runs.push(i, outcome).map_err(|e| e.to_string())?;
        }
        Ok(survival.count(&runs))
    };
    let search = smallest_pool(base.pool.max_size, &survival, runs_with).expect("runs");

    // The same runs counted another way: the arrivals by 2.5 s with a pool too big to run out.
    let mut arrivals: Vec<u64> = (0..RUNS)
        .map(|i| {
            let mut sim = Simulation::new(&replicate::replication(&Knob::MaxSize.with(&base, 100.0), i))
                .expect("valid");
            sim.advance_to(SimTime::from_secs_f64(UNTIL_S)).expect("forward");
            let summary = sim.summary();
            assert_eq!(summary.milestones.first_exhaustion_s, None, "100 connections never run out");
            summary.requests
        })
        .collect();
    arrivals.sort_unstable();
    let percentile_95 = arrivals[(RUNS as usize * 95).div_ceil(100) - 1];
    assert_eq!(search.answer, Some(u32::try_from(percentile_95).expect("small")), "{search:?}");
    assert!(matches!(search.answer, Some(5 | 6)), "the Poisson quantile is 5: {search:?}");
    let below = search.below().expect("a pool one smaller was tried");
    assert!(!below.survives && below.max_size + 1 == search.answer.unwrap_or(0));

    // Common random numbers: with the same arrivals a bigger pool survives in at least as
    // many runs, and each share is near the Poisson probability.
    let mut probes = search.probes.clone();
    probes.sort_by_key(|p| p.max_size);
    assert!(probes.windows(2).all(|w| w[0].survived.count <= w[1].survived.count), "{probes:?}");
    for p in &probes {
        let poisson: f64 = (0..=p.max_size)
            .map(|k| libm::exp(-UNTIL_S) * UNTIL_S.powi(k as i32) / (1..=k).map(f64::from).product::<f64>())
            .sum();
        let share = p.survived.share.expect("runs");
        assert!(
            (share - poisson).abs() < 0.05,
            "a pool of {}: {share} survived, Poisson {poisson}",
            p.max_size
        );
    }
}
