//! The presets tell the story their descriptions promise: the seed incident replays
//! the June 15, 2024 postmortem's clock times, the healthy pool stays healthy, the
//! fast leak runs dry, and each fix's preset shows what that fix does and costs.

use poolsim_content::presets;
use poolsim_content::variants::{self, VariantKind, VariantOutcome};
use poolsim_engine::{
    Action, AlertMetric, LogKind, Scenario, SimDuration, SimTime, Simulation, Summary, analytic,
};

/// 14:00 on a run that starts at 12:00 [s].
const DETECTED_S: f64 = 7200.0;
/// 15:45: pool resized to 200 and the app restarted [s].
const RESIZED_S: f64 = 13_500.0;
/// 16:30: full functionality restored [s].
const RESTORED_S: f64 = 16_200.0;

fn run(name: &str) -> Summary {
    let scenario = presets::load(name).unwrap_or_else(|e| panic!("preset {name}: {e}"));
    Simulation::new(&scenario).unwrap_or_else(|e| panic!("preset {name}: {e}")).run_to_end()
}

fn seed() -> Scenario {
    presets::load(presets::SEED_INCIDENT).expect("the seed preset loads")
}

#[test]
fn every_preset_loads_by_name_and_unknown_names_list_the_known_ones() {
    for p in presets::all() {
        assert_eq!(presets::preset(p.name), Some(p));
        let s = presets::load(p.name).unwrap_or_else(|e| panic!("preset {}: {e}", p.name));
        assert!(s.validate().is_ok());
        assert!(
            p.name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
            "{} is kebab-case",
            p.name
        );
    }
    let e = presets::load("nope").expect_err("no such preset");
    assert!(e.reason.contains("june-15-2024") && e.reason.contains("fast-leak"), "{e}");
}

#[test]
fn the_seed_incident_is_the_june_15_postmortem() {
    let s = seed();
    assert_eq!(presets::PRESETS[0].name, "june-15-2024");
    assert_eq!(s.clock_start, "12:00");
    assert_eq!(s.duration_s, 5 * 3600);
    assert_eq!(s.pool.max_size, 100);
    // The postmortem's timeline, as notes at its clock times (seconds after 12:00).
    let minutes_after_noon = [120, 125, 135, 150, 165, 180, 210, 225, 240, 270];
    let notes: Vec<f64> =
        s.events.iter().filter(|e| matches!(e.action, Action::Note { .. })).map(|e| e.at_s).collect();
    let expected: Vec<f64> = minutes_after_noon.iter().map(|m| f64::from(m * 60)).collect();
    assert_eq!(notes, expected);
    // The fixes at 15:45 and 16:30.
    let at = |t: f64| s.events.iter().filter(move |e| e.at_s == t).map(|e| &e.action);
    assert!(at(RESIZED_S).any(|a| matches!(a, Action::ResizePool { max_size: 200, .. })));
    assert!(at(RESIZED_S).any(|a| matches!(a, Action::RestartApp { .. })));
    assert!(at(RESTORED_S).any(|a| matches!(a, Action::Rollback)));
    // They had no pool-usage alert: adding one is the what-if.
    assert!(!s.alerts.is_empty());
    assert!(s.alerts.iter().all(|a| a.metric != AlertMetric::Usage), "no usage alert in the real incident");
}

#[test]
fn the_seed_leak_rate_predicts_exhaustion_near_14_00() {
    let s = seed();
    let (deploy_s, p) = s
        .events
        .iter()
        .find_map(|e| match e.action {
            Action::DeployLeak { probability } => Some((e.at_s, probability)),
            _ => None,
        })
        .expect("a leaky deploy");
    let t = analytic::time_to_exhaustion_s(s.pool.max_size, s.traffic.rate_per_s, s.work.hold_ms, p)
        .expect("a leak exhausts the pool");
    let predicted = deploy_s + t;
    assert!((predicted - DETECTED_S).abs() <= 900.0, "T ≈ (N − λ·hold)/(λ·p) gives {predicted} s");
}

#[test]
fn the_seed_incident_exhausts_near_14_00_and_recovers_after_the_fix() {
    let summary = run(presets::SEED_INCIDENT);
    let exhausted = summary.milestones.first_exhaustion_s.expect("the pool runs out");
    let clock = presets::load(presets::SEED_INCIDENT).expect("the seed preset").clock_start;
    assert_eq!(
        poolsim_engine::time::format_clock(f64::from(clock.seconds_of_day()) + exhausted, false),
        presets::SEED_RUNS_OUT_AT,
        "what the newcomer's first line promises"
    );
    assert!(
        (exhausted - DETECTED_S).abs() <= 600.0,
        "first exhaustion at {exhausted} s, expected 14:00 ± 10 min"
    );
    let first_timeout = summary.milestones.first_timeout_s.expect("logins time out");
    assert!(
        first_timeout >= exhausted && first_timeout <= DETECTED_S + 900.0,
        "first timeout at {first_timeout} s"
    );
    let alert = summary.alerts.values().flatten().copied().fold(f64::INFINITY, f64::min);
    assert!((alert - DETECTED_S).abs() <= 900.0, "the monitoring alert fires near 14:00, not at {alert} s");
    let recovered = summary.milestones.recovered_s.expect("failures stop after the fix");
    assert!(
        recovered > RESIZED_S && recovered <= RESTORED_S,
        "recovered at {recovered} s, expected 15:45–16:30"
    );
    assert!(
        summary.counts.failed_share > 0.2,
        "most users of the outage hours fail: {}",
        summary.counts.failed_share
    );
}

#[test]
fn the_healthy_pool_never_times_out() {
    let summary = run("healthy-pool");
    assert!(summary.requests > 500_000);
    assert_eq!(summary.counts.timed_out, 0);
    assert_eq!(summary.counts.failed, 0);
    assert_eq!(summary.milestones.first_timeout_s, None);
    // Erlang C: about 0.03 % of requests wait at all, for milliseconds.
    assert!(summary.p99_wait_ms < 1.0, "p99 acquire time {} ms", summary.p99_wait_ms);
    let p_wait = analytic::erlang_c_wait_probability(20, 200.0, 40.0).expect("a stable pool");
    assert!(p_wait < 0.001, "Erlang C wait probability {p_wait}");
    assert!(summary.alerts.values().all(Option::is_none), "no alert fires: {:?}", summary.alerts);
}

#[test]
fn the_fast_leak_exhausts_within_minutes() {
    let summary = run("fast-leak");
    let exhausted = summary.milestones.first_exhaustion_s.expect("the pool runs out");
    assert!(exhausted < 300.0, "exhausted at {exhausted} s");
    assert!(summary.counts.timed_out > 0);
    assert!(summary.counts.leaked >= 10, "every connection leaks: {}", summary.counts.leaked);
}

#[test]
fn the_spike_and_the_slow_database_fail_only_while_they_last() {
    for (name, starts_s, ends_s) in [("traffic-spike", 600.0, 900.0), ("slow-queries", 600.0, 1500.0)] {
        let summary = run(name);
        let first = summary.milestones.first_timeout_s.unwrap_or_else(|| panic!("{name} times out"));
        assert!(first > starts_s && first < ends_s + 60.0, "{name}: first timeout at {first} s");
        let recovered = summary.milestones.recovered_s.unwrap_or_else(|| panic!("{name} recovers"));
        assert!(recovered < ends_s + 120.0, "{name}: recovered at {recovered} s");
        assert_eq!(summary.counts.leaked, 0, "{name} leaks nothing");
    }
}

/// The preset run to its end.
fn simulate(name: &str) -> Simulation {
    let scenario = presets::load(name).unwrap_or_else(|e| panic!("preset {name}: {e}"));
    let mut sim = Simulation::new(&scenario).unwrap_or_else(|e| panic!("preset {name}: {e}"));
    sim.run_to_end();
    sim
}

/// The preset as a comparison row (failing spans, reclaim kills counted from the log).
fn outcome(name: &str) -> VariantOutcome {
    let scenario = presets::load(name).unwrap_or_else(|e| panic!("preset {name}: {e}"));
    variants::run(&scenario, &[VariantKind::AsItHappened {}])
        .unwrap_or_else(|e| panic!("preset {name}: {e}"))
        .remove(0)
}

/// Run `name` to the end, collecting the time [s] of every log line of the given kinds
/// as it is logged (the log keeps only the newest lines).
fn logged(name: &str, kinds: &[LogKind]) -> (Simulation, Vec<(f64, LogKind)>) {
    let scenario = presets::load(name).unwrap_or_else(|e| panic!("preset {name}: {e}"));
    let mut sim = Simulation::new(&scenario).unwrap_or_else(|e| panic!("preset {name}: {e}"));
    let (mut lines, mut next_seq) = (Vec::new(), 0);
    while !sim.is_finished() {
        let t = sim.now() + SimDuration::from_secs(1);
        sim.advance_to(t).unwrap_or_else(|e| panic!("advance: {e}"));
        for line in sim.log().filter(|l| l.seq >= next_seq && kinds.contains(&l.kind)) {
            lines.push((line.t_us.as_secs_f64(), line.kind));
        }
        next_seq = sim.log_total();
    }
    (sim, lines)
}

#[test]
fn the_slow_leak_creeps_for_hours_and_leak_detection_names_it_long_before_the_outage() {
    let sim = simulate("slow-leak");
    let summary = sim.summary();
    let first_timeout = summary.milestones.first_timeout_s.expect("the pool runs dry in the end");
    assert!(first_timeout > 6.0 * 3600.0, "six hours of creeping first: {first_timeout} s");
    assert!(summary.milestones.first_exhaustion_s.expect("runs out") > 4.0 * 3600.0);
    assert!(summary.milestones.recovered_s.is_none(), "nothing fixes it: failures to the end");
    assert!(summary.counts.leaked >= 28, "the pool of 30 leaks nearly dry: {}", summary.counts.leaked);
    // maxLifetime retires idle connections all day, never a leaked one.
    let leaked: Vec<u32> = sim.samples().iter().map(|s| s.gauges.leaked).collect();
    assert!(leaked.windows(2).all(|w| w[1] >= w[0]), "leaked connections are never retired");
    // Leak detection (60 s) flags the first leaked connection hours before anything fails.
    let first_flag =
        sim.samples().iter().find(|s| s.gauges.suspected > 0).map(|s| f64::from(s.t_s)).expect("flagged");
    assert!(first_timeout - first_flag > 5.0 * 3600.0, "flagged at {first_flag} s");
    let alert = summary.alerts.get("PoolUsageHigh").copied().flatten().expect("the usage alert fires");
    assert!(alert < first_timeout && alert > first_flag, "the usage alert at {alert} s");
}

#[test]
fn doubling_the_pool_twice_only_buys_time_in_proportion_to_the_connections_added() {
    let run = outcome("bigger-pool-only");
    let starts: Vec<f64> = run.failing_spans.iter().map(|s| f64::from(s.from_s)).collect();
    assert_eq!(
        starts.len(),
        3,
        "failing, resized, failing again, resized, failing again: {:?}",
        run.failing_spans
    );
    let (first_resize_s, second_resize_s) = (1200.0, 2700.0);
    assert!(starts[0] < first_resize_s, "the pool of 20 fails first");
    let bought_by_20 = starts[1] - first_resize_s;
    let bought_by_40 = starts[2] - second_resize_s;
    // ΔN / (λ·p): 20 / 0.02 = 1,000 s and 40 / 0.02 = 2,000 s.
    assert!((600.0..1500.0).contains(&bought_by_20), "20 more connections bought {bought_by_20} s");
    assert!((1400.0..3000.0).contains(&bought_by_40), "40 more connections bought {bought_by_40} s");
    assert!(bought_by_40 > 1.5 * bought_by_20);
    assert!(run.still_failing_at_end && run.final_max_size == 80 && run.counts.leaked >= 78);
}

#[test]
fn leak_detection_false_positives_warn_about_slow_queries_that_come_back() {
    let (sim, lines) = logged("leak-detection-false-positives", &[LogKind::LeakDetected, LogKind::Unleaked]);
    let summary = sim.summary();
    assert_eq!(
        (summary.counts.leaked, summary.counts.timed_out, summary.counts.failed),
        (0, 0, 0),
        "no real leak, no harm"
    );
    let warnings: Vec<f64> = lines.iter().filter(|l| l.1 == LogKind::LeakDetected).map(|l| l.0).collect();
    let unleaked = lines.iter().filter(|l| l.1 == LogKind::Unleaked).count();
    assert!(warnings.len() >= 20, "slow reports trip the 5 s threshold: {} warnings", warnings.len());
    assert_eq!(unleaked, warnings.len(), "every flagged connection comes back (unleaked)");
    // At 09:20 the threshold goes to 60 s, above the slowest report: the warnings stop.
    assert!(warnings.iter().all(|&t| t <= 1205.0), "last warning at {:?} s", warnings.last());
}

#[test]
fn abandoned_reclaim_keeps_the_leaky_pool_alive_but_kills_legitimate_slow_queries() {
    let run = outcome("abandoned-reclaim-kills-slow-queries");
    assert!(
        run.counts.leaked > 100 && run.counts.reclaimed > 100,
        "leaked {} reclaimed {}",
        run.counts.leaked,
        run.counts.reclaimed
    );
    assert_eq!(
        (run.counts.timed_out, run.first_timeout_s),
        (0, None),
        "nobody times out: reclaim frees the leaked slots"
    );
    assert!(run.killed_by_reclaim > 0, "reports running longer than 30 s are killed");
    assert_eq!(run.counts.failed, run.killed_by_reclaim, "the only failures are the killed reports");
    // Raised to 180 s at 13:30, above the slowest report: the kills stop.
    let last_kill = run.recovered_s.expect("the kills stop");
    assert!(last_kill < 1800.0, "last legitimate request killed at {last_kill} s");
}

#[test]
fn alert_tuning_shows_which_rule_fires_first_and_which_cries_wolf() {
    let sim = simulate("alert-tuning");
    let order: Vec<&str> = sim.alert_firings().iter().map(|f| f.name.as_str()).collect();
    assert_eq!(
        order,
        [
            "ActiveAbove10",
            "UsageAbove50",
            "UsageAbove80",
            "PendingRequests",
            "SlowAcquire",
            "AcquireTimeouts",
            "FailedRequests"
        ]
    );
    let at = |name: &str| sim.alert_firings().iter().find(|f| f.name == name).map(|f| f.at_s).expect("fires");
    assert!(at("ActiveAbove10") < 300.0, "the rule without a duration fires before the leaky deploy");
    let first_timeout = sim.summary().milestones.first_timeout_s.expect("the pool runs dry");
    assert!(first_timeout - at("UsageAbove50") > 1800.0, "usage above 50 % warns half an hour ahead");
    assert!(at("AcquireTimeouts") - first_timeout <= 1.0, "the timeout rule fires with the first timeout");
}

/// The pool-sizing presets: a database behind the pool, and pools of other sizes compared
/// with the same seed.
mod pool_sizing {
    use super::*;
    use poolsim_content::variants::DatabaseOutcome;

    /// `name` and the same run with a pool of each of `sizes`, as comparison rows.
    fn pools(name: &str, sizes: &[u32]) -> Vec<VariantOutcome> {
        let base = presets::load(name).unwrap_or_else(|e| panic!("preset {name}: {e}"));
        variants::run(&base, &variants::pool_size_what_ifs(sizes)).unwrap_or_else(|e| panic!("{name}: {e}"))
    }

    fn database(row: &VariantOutcome) -> &DatabaseOutcome {
        row.database.as_ref().unwrap_or_else(|| panic!("{}: a run with a database", row.label))
    }

    #[test]
    fn a_cpu_bound_database_gives_the_same_mean_response_with_a_pool_of_2_or_of_128() {
        let s = presets::load("pool-sizing-cpu-bound").expect("preset");
        let db = s.database.expect("a database");
        assert_eq!((s.pool.max_size, db.cores, s.work.hold_ms), (2, 2, 4.8));
        assert!((s.traffic.rate_per_s * 0.0048 / 2.0 - 0.7).abs() < 0.01, "70 % load");
        let rows = pools("pool-sizing-cpu-bound", &[8, 64, 128]);
        let response: Vec<f64> = rows.iter().map(|r| database(r).mean_response_ms).collect();
        // M/M/2 with the cores as servers: 4.8 / (1 − ρ²), whatever the pool.
        let mm2 = 4.8 + analytic::erlang_c_mean_wait_ms(2, s.traffic.rate_per_s, 4.8).expect("stable");
        assert!((mm2 - 9.3).abs() < 0.05, "the description's 9.3 ms: {mm2}");
        for (row, r) in rows.iter().zip(&response) {
            assert!((r - mm2).abs() / mm2 < 0.03, "{}: {r} ms against M/M/2's {mm2} ms", row.label);
            assert_eq!(row.counts.failed, 0, "{}", row.label);
        }
        assert!((response[1] - response[2]).abs() / response[1] < 0.02, "pool 8 against 64: {response:?}");
        // The queue only moves: the wait for a connection goes, the query doubles.
        let (two, sixty_four) = (database(&rows[0]), database(&rows[2]));
        assert!(two.mean_wait_ms > 4.0 && sixty_four.mean_wait_ms < 0.01, "{two:?} {sixty_four:?}");
        assert!(two.database.mean_query_ms < 5.0 && sixty_four.database.mean_query_ms > 9.0);
        // The worst query is stretched further the bigger the pool.
        assert!(sixty_four.database.max_stretch > 4.0 * two.database.max_stretch, "{two:?} {sixty_four:?}");
        assert!((two.database.utilisation - 0.7).abs() < 0.02, "{}", two.database.utilisation);
    }

    #[test]
    fn the_measured_database_serves_as_many_queries_with_2_connections_as_with_64() {
        // Saturated (600 requests/s, more than 2 cores get through): the throughput is
        // flat, and the mean latency is n / X, the connections over that throughput.
        let mut s = presets::load("pool-sizing-cpu-bound").expect("preset");
        s.traffic.rate_per_s = 600.0;
        s.duration_s = 60;
        let db = s.database.clone().expect("a database");
        let run_with = |pool: u32| {
            let mut s = s.clone();
            s.pool.max_size = pool;
            let summary = Simulation::new(&s).expect("valid").run_to_end();
            let d = summary.database.expect("a database");
            (d.queries as f64 / summary.simulated_s, d.mean_query_ms)
        };
        let ((x2, _), (x64, q64)) = (run_with(2), run_with(64));
        assert!((x64 - x2).abs() / x2 < 0.07, "throughput {x2}/s with 2, {x64}/s with 64");
        let n_over_x = analytic::usl_saturated_query_ms(64, db.cores, db.contention, db.coherency, 4.8);
        let n_over_x = n_over_x.expect("a throughput");
        assert!((q64 - n_over_x).abs() / n_over_x < 0.1, "{q64} ms against n / X = {n_over_x} ms");
    }

    #[test]
    fn a_contended_database_gets_slower_as_the_pool_grows_from_10_to_50_to_400() {
        let s = presets::load("pool-sizing-contended").expect("preset");
        let db = s.database.clone().expect("a database");
        let rule = analytic::hikari_rule_of_thumb(db.cores, 1);
        assert_eq!((rule, s.pool.max_size), (9, 10), "4 cores × 2 + 1 disk = 9: about 10");
        let peak = analytic::usl_peak_concurrency(db.contention, db.coherency).expect("κ > 0");
        assert!((peak - 141.0).abs() < 1.0 && peak > f64::from(db.cores), "the description's N*: {peak}");
        let rows = pools("pool-sizing-contended", &variants::CONTENDED_POOL_SIZES);
        let [ten, fifty, four_hundred] = [&rows[0], &rows[1], &rows[2]];
        let response = |row: &VariantOutcome| database(row).mean_response_ms;
        assert!(response(ten) < 5.0 && ten.counts.failed == 0, "the pool of 10: {:?}", ten.database);
        assert!(response(fifty) > 20.0 * response(ten) && fifty.counts.failed == 0, "{:?}", fifty.database);
        assert!(response(four_hundred) > 2.0 * response(fifty), "{:?}", four_hundred.database);
        assert!(four_hundred.counts.failed_share > 0.2, "{}", four_hundred.counts.failed_share);
        let query = |row: &VariantOutcome| database(row).database.mean_query_ms;
        assert!(query(ten) < query(fifty) && query(fifty) < query(four_hundred));
        assert_eq!(variants::best(&rows).mean_response_ms, vec![0], "the smallest pool is the fastest");
        // The rush over, even the pool of 400 recovers.
        assert!(four_hundred.recovered_s.is_some_and(|t| t < 240.0), "{:?}", four_hundred.recovered_s);
    }
}

/// The pool flavour presets: each pool's defaults, and the failure they lead to.
mod flavours {
    use super::*;
    use poolsim_engine::{Flavour, WaitOrder};

    fn load(name: &str) -> Scenario {
        presets::load(name).unwrap_or_else(|e| panic!("preset {name}: {e}"))
    }

    #[test]
    fn every_flavour_but_hikaricp_and_bb8_has_a_preset_with_its_defaults() {
        let flavour = |name| load(name).pool.flavour;
        assert_eq!(flavour("tomcat-jdbc"), Flavour::Tomcat);
        assert_eq!(flavour("go-database-sql"), Flavour::Go);
        assert_eq!(flavour("go-no-deadline"), Flavour::Go);
        assert_eq!(flavour("pgbouncer-session"), Flavour::Pgbouncer);
        assert_eq!(flavour("sqlx-default-pool"), Flavour::Sqlx);
        let go = load("go-database-sql").pool;
        assert_eq!((go.max_idle, go.max_waiting, go.connection_timeout_ms), (Some(2), Some(0), 0));
        assert_eq!(go.wait_order, WaitOrder::Random);
        let bouncer = load("pgbouncer-session").pool;
        assert_eq!(
            (bouncer.max_size, bouncer.max_waiting, bouncer.connection_timeout_ms),
            (20, Some(80), 120_000)
        );
        let tomcat = load("tomcat-jdbc").pool;
        assert_eq!((tomcat.max_size, tomcat.min_idle, tomcat.abandoned_timeout_ms), (100, Some(10), 60_000));
        let sqlx = load("sqlx-default-pool").pool;
        assert_eq!((sqlx.max_size, sqlx.min_idle, sqlx.connection_timeout_ms), (10, Some(0), 30_000));
    }

    #[test]
    fn go_defaults_churn_connections_then_fail_at_once_when_the_database_is_full() {
        let s = run("go-database-sql");
        assert_eq!(s.counts.timed_out, 0, "no timeout ever fires");
        assert!(s.refused > 100_000 && s.counts.failed == s.refused, "{s:?}");
        assert!(s.connections_opened > 100_000, "SetMaxIdleConns(2) churn: {}", s.connections_opened);
        // Full around 12:26–12:31 by T ≈ (100 − 6) / (150 × 0.0005) after the 12:10 deploy.
        let full = s.milestones.first_exhaustion_s.expect("the database fills");
        assert!((1_500.0..1_900.0).contains(&full), "{full}");
        assert!(s.milestones.recovered_s.is_some_and(|t| t <= 3_000.0), "the restart at 12:50 ends it");
    }

    #[test]
    fn go_without_a_deadline_hangs_silently_until_the_deadline_and_restart() {
        let scenario = load("go-no-deadline");
        let mut sim = Simulation::new(&scenario).expect("valid");
        sim.advance_to(SimTime::from_secs(2_399)).expect("forward");
        let hung = sim.summary();
        assert_eq!(hung.counts.failed, 0, "nothing has failed by 12:40");
        assert!(sim.gauges().pending > 80_000, "{} requests hang", sim.gauges().pending);
        assert_eq!(hung.alerts.get("FailedRequests"), Some(&None), "the error alert is silent");
        assert!(hung.alerts.get("PendingRequests").is_some_and(|t| t.is_some()), "only pending fires");
        let end = sim.run_to_end();
        assert!(
            end.milestones.first_timeout_s.is_some_and(|t| t >= 2_400.0),
            "the 5 s deadline brings errors"
        );
        assert!(end.counts.failed > end.counts.timed_out + 80_000, "the restart fails the hung requests");
    }

    #[test]
    fn pgbouncer_sheds_load_fast_where_hikaricp_waits_thirty_seconds() {
        let bouncer = run("pgbouncer-session");
        let hikari = run("traffic-spike");
        assert!(bouncer.refused > 10_000 && bouncer.counts.timed_out == 0, "{bouncer:?}");
        assert!(bouncer.max_wait_ms < 1_000.0, "{}", bouncer.max_wait_ms);
        assert!(hikari.max_wait_ms > 29_000.0 && hikari.refused == 0);
    }

    #[test]
    fn tomcat_reclaims_the_june_15_leak_at_the_cost_of_a_few_reports() {
        let s = run("tomcat-jdbc");
        assert_eq!(s.milestones.first_exhaustion_s, None, "removeAbandoned keeps the pool from running out");
        assert_eq!(s.counts.timed_out, 0);
        assert!(s.counts.leaked > 50 && s.counts.reclaimed >= s.counts.leaked, "{s:?}");
        assert!((1..=100).contains(&s.counts.failed), "slow reports killed: {}", s.counts.failed);
    }

    #[test]
    fn sqlx_defaults_time_out_once_load_needs_more_than_ten_until_the_resize() {
        let s = run("sqlx-default-pool");
        let first = s.milestones.first_timeout_s.expect("timeouts");
        assert!((600.0..1_200.0).contains(&first), "{first}");
        assert!(
            s.milestones.recovered_s.is_some_and(|t| (1_100.0..=1_200.0).contains(&t)),
            "last failure {:?}",
            s.milestones.recovered_s
        );
        let p = analytic::erlang_c_wait_probability(10, 150.0, 50.0).expect("stable");
        assert!((p - 0.31).abs() < 0.01, "the description's Erlang C figure: {p}");
    }
}

#[test]
fn a_caller_retrying_on_timeouts_keeps_the_pool_busy_answering_nobody_until_the_fix() {
    let (storm_name, remedy_name) = variants::RETRY_STORM;
    let storm = simulate(storm_name);
    let callers = |sim: &Simulation| sim.caller_samples().to_vec();
    // From the burst at 12:15 to the fix at 12:40 (and the queue's last seconds after it):
    // a throughput of about 357 a second, a goodput of none, four attempts per request.
    let during: Vec<_> = callers(&storm).into_iter().filter(|c| (1000..=2400).contains(&c.t_s)).collect();
    assert!(during.iter().all(|c| c.goodput == 0), "no answer in time during the storm");
    let served: u32 = storm.samples()[1000..2400].iter().map(|s| s.served).sum();
    assert!((350.0..365.0).contains(&(f64::from(served) / 1400.0)), "throughput {served}");
    let (firsts, retries): (u32, u32) =
        during.iter().fold((0, 0), |(f, r), c| (f + c.first_tries, r + c.retries));
    assert!(f64::from(firsts + retries) > 3.8 * f64::from(firsts), "{firsts} first tries, {retries} retries");
    let summary = storm.summary();
    let c = summary.callers.as_ref().expect("callers");
    assert!((0.42..0.43).contains(&summary.counts.failed_share), "{}", summary.counts.failed_share);
    assert!((600_000..610_000).contains(&c.served_late), "{c:?}");
    assert!(
        summary.milestones.recovered_s.is_some_and(|t| (2400.0..2460.0).contains(&t)),
        "ends with the fix"
    );

    // The same callers with jittered exponential backoff and a 10 % budget: the backlog
    // of the burst drains by 12:22, long before the fix, and attempts stay within 1.1×.
    let remedy = simulate(remedy_name);
    let back = callers(&remedy).into_iter().filter(|c| c.t_s > 905).find(|c| c.goodput > 0).map(|c| c.t_s);
    assert!(back.is_some_and(|t| t < 22 * 60), "answered in time again from {back:?} s");
    let summary = remedy.summary();
    let c = summary.callers.as_ref().expect("callers");
    assert!(summary.attempts as f64 <= 1.1 * c.first_tries as f64 + 10.0 * 10.0);
    assert!((0.10..0.12).contains(&summary.counts.failed_share), "{}", summary.counts.failed_share);
    assert!(c.goodput_share > 0.88 && c.retries_denied > 100_000, "{c:?}");

    // Its own what-ifs: a pool of 100 changes nothing (the database's cores are the
    // limit), the remedy's callers end the storm.
    let rows = variants::run(
        &presets::load(storm_name).expect("preset"),
        &variants::suggested(&presets::load(storm_name).expect("preset")),
    )
    .expect("what-ifs run");
    let share = |o: &VariantOutcome| o.callers.as_ref().expect("callers").goodput_share;
    assert_eq!(rows.len(), 6, "as it happened, a pool of 100, jitter, a budget, fail fast, the twin");
    assert!((share(&rows[1]) - share(&rows[0])).abs() < 0.01, "{} {}", share(&rows[0]), share(&rows[1]));
    let twin = rows.iter().find(|r| matches!(r.kind, VariantKind::Custom { .. })).expect("the twin");
    assert!(share(twin) > 0.88);
}

#[test]
fn every_preset_parses_and_validates() {
    assert!(!presets::PRESETS.is_empty());
    for p in presets::all() {
        let s = Scenario::from_json(p.json).unwrap_or_else(|e| panic!("preset {}: {e}", p.name));
        assert_eq!(s.name, p.title, "preset {}'s title should be its scenario name", p.name);
        assert!(!s.description.is_empty(), "preset {} needs a description", p.name);
        assert_eq!(p.scenario(), Ok(s), "preset {}: read twice, two scenarios", p.name);
    }
}

#[test]
fn a_timeout_cut_to_300_ms_on_a_loaded_writer_crash_loops_the_fleet_until_the_fix() {
    let (incident, remedy) = variants::POSTHOG;
    let (sim, lines) = logged(incident, &[LogKind::Health]);
    let summary = sim.summary();
    // Most requests fail: the postmortem's ~78 %.
    assert!((0.72..0.82).contains(&summary.counts.failed_share), "{}", summary.counts.failed_share);
    let health = summary.health.as_ref().expect("health checks");
    assert!(health.failed_starts > 100_000 && health.restarts >= health.failed_starts, "{health:?}");
    assert_eq!((health.min_in_balancer, health.in_balancer), (0, 10), "all out, then all back");
    // In the middle of the crash loop, the log says what sqlx said.
    let mut mid = Simulation::new(&presets::load(incident).expect("preset")).expect("valid");
    mid.advance_to(SimTime::from_secs(1800)).expect("advance");
    assert!(
        mid.log()
            .any(|l| l.message.contains("Start failed: pool timed out while waiting for an open connection")),
        "sqlx's start-up message"
    );
    // The load alone (16:58) takes pods out, but the pods go on serving; after the deploy
    // (17:02) none is in from 17:05 until after the fix (18:15), all are by 18:46.
    assert!(lines.first().is_some_and(|l| l.0 > 480.0), "nothing before the load");
    let in_balancer: Vec<u32> = sim.app_samples().iter().map(|s| s.in_balancer).collect();
    assert!(in_balancer[..720].iter().all(|&n| n > 0), "some pod always in before the deploy");
    assert!(in_balancer[900..5100].iter().all(|&n| n == 0), "none in from 17:05 to the fix");
    assert!(in_balancer[6960..].iter().all(|&n| n == 10), "all back by 18:46");

    // The cause is the 300 ms: the same run without the deploy fails few requests.
    let mut no_deploy = presets::load(incident).expect("preset");
    no_deploy.events.retain(|e| !matches!(e.action, Action::SetConnectionTimeout { timeout_ms: 300 }));
    assert_eq!(no_deploy.events.len() + 1, presets::load(incident).expect("preset").events.len());
    let without = Simulation::new(&no_deploy).expect("valid").run_to_end();
    assert!(without.counts.failed_share < 0.05, "{}", without.counts.failed_share);
    assert_eq!(without.health.as_ref().expect("health").failed_starts, 0);

    // The twin: 1 s, and jittered, budgeted retries: no restart, about 1 % fail.
    let twin = run(remedy);
    let health = twin.health.as_ref().expect("health checks");
    assert_eq!((health.restarts, health.failed_starts), (0, 0), "{health:?}");
    assert!(health.min_in_balancer >= 5, "{health:?}");
    assert!(twin.counts.failed_share < 0.02, "{}", twin.counts.failed_share);
    let c = twin.callers.as_ref().expect("callers");
    assert!(twin.attempts as f64 <= 1.1 * c.first_tries as f64 + 10.0 * 7800.0, "{c:?}");

    // Its what-ifs: as it happened and the twin.
    let base = presets::load(incident).expect("preset");
    let rows = variants::run(&base, &variants::suggested(&base)).expect("what-ifs run");
    assert_eq!(rows.len(), 2, "as it happened and the twin");
    assert!(matches!(rows[1].kind, VariantKind::Custom { .. }), "the twin");
}
