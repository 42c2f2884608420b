//! The healthy pool obeys queueing theory: Little's law for the connections in use,
//! Erlang C for the waits of an M/M/c pool.

mod common;

use common::{mean, mmc, run, scenario};
use poolsim_engine::analytic;

#[test]
fn mean_wait_matches_erlang_c_within_five_percent() {
    // (servers, utilisation, simulated seconds): heavier load needs longer runs for the
    // same precision because waits are strongly correlated near saturation.
    for (c, rho, duration_s) in [(1, 0.5, 10_000), (1, 0.9, 60_000), (4, 0.8, 12_000), (16, 0.9, 4_000)] {
        let s = mmc(c, rho, duration_s);
        let (_, summary) = run(&s);
        let expected =
            analytic::erlang_c_mean_wait_ms(c, s.traffic.rate_per_s, s.work.hold_ms).expect("stable");
        let error = (summary.mean_wait_ms - expected).abs() / expected;
        println!(
            "c={c} ρ={rho}: simulated {:.4} ms, Erlang C {expected:.4} ms ({:.2} %)",
            summary.mean_wait_ms,
            error * 100.0
        );
        assert!(error < 0.05, "c={c} ρ={rho}: {} ms vs {expected} ms", summary.mean_wait_ms);
        assert_eq!(summary.counts.timed_out, 0);
    }
}

#[test]
fn the_share_of_requests_that_wait_matches_erlang_c() {
    let s = mmc(8, 0.75, 8_000);
    let (_, summary) = run(&s);
    let p_wait =
        analytic::erlang_c_wait_probability(8, s.traffic.rate_per_s, s.work.hold_ms).expect("stable");
    // The median acquire time is 0 exactly when fewer than half the requests wait.
    assert!(p_wait < 0.5);
    assert_eq!(summary.p50_wait_ms, 0.0);
    // Conditional on waiting, M/M/c waits are exponential with mean hold/(c − a).
    let a = s.traffic.rate_per_s * s.work.hold_ms / 1000.0;
    let conditional_mean = s.work.hold_ms / (8.0 - a);
    let implied_share = summary.mean_wait_ms / conditional_mean;
    assert!((implied_share - p_wait).abs() / p_wait < 0.05, "P(wait) {implied_share} vs {p_wait}");
}

#[test]
fn littles_law_gives_the_connections_in_use() {
    let s = scenario(|s| {
        s.duration_s = 3_000;
        s.pool.max_size = 40;
        s.traffic.rate_per_s = 400.0;
        s.work.hold_ms = 50.0;
    });
    let (sim, _) = run(&s);
    let active = mean(sim.samples(), |x| f64::from(x.gauges.active));
    let expected = analytic::littles_law_active(400.0, 50.0);
    assert!((active - expected).abs() / expected < 0.02, "mean active {active} vs λ·W = {expected}");
    let usage = mean(sim.samples(), |x| x.usage());
    assert!((usage - expected / 40.0).abs() < 0.01, "usage {usage}");
}

#[test]
fn constant_and_lognormal_holds_keep_their_mean() {
    for dist in [poolsim_engine::HoldDistribution::Constant, poolsim_engine::HoldDistribution::Lognormal] {
        let s = scenario(|s| {
            s.duration_s = 2_000;
            s.pool.max_size = 60;
            s.traffic.rate_per_s = 500.0;
            s.work.hold_ms = 40.0;
            s.work.hold_distribution = dist;
            s.work.lognormal_sigma = 1.2;
        });
        let (sim, _) = run(&s);
        let active = mean(sim.samples(), |x| f64::from(x.gauges.active));
        assert!((active - 20.0).abs() / 20.0 < 0.03, "{dist:?}: mean active {active}, λ·W = 20");
    }
}

#[test]
fn slow_queries_add_their_share_of_load() {
    // 1 % of requests take 2 s instead of 20 ms: mean hold 0.99·20 + 0.01·2000 = 39.8 ms.
    let s = scenario(|s| {
        s.duration_s = 3_000;
        s.pool.max_size = 80;
        s.traffic.rate_per_s = 500.0;
        s.work.hold_ms = 20.0;
        s.work.slow_share = 0.01;
        s.work.slow_hold_ms = 2000.0;
    });
    let (sim, _) = run(&s);
    let active = mean(sim.samples(), |x| f64::from(x.gauges.active));
    let expected = analytic::littles_law_active(500.0, 39.8);
    assert!((active - expected).abs() / expected < 0.04, "mean active {active} vs {expected}");
}
