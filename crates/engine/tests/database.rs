//! The database behind the pool obeys theory: processor sharing stretches every query by
//! `1 / (1 − ρ)`, a saturated database delivers the Universal Scalability Law's
//! throughput, a database with a core for every connection changes nothing, and opens
//! that cost the database CPU are bound by it.

mod common;

use common::{run, scenario};
use poolsim_engine::{
    Action, DatabaseConfig, DatabaseSummary, Flavour, HoldDistribution, LogKind, Scenario, analytic,
};

/// A pool that never runs short (waits never time out, no lifetime or idle churn) in
/// front of `database`, with holds of mean `hold_ms`.
fn with_database(database: DatabaseConfig, max_size: u32, rate_per_s: f64, hold_ms: f64) -> Scenario {
    scenario(|s| {
        s.seed = 77;
        s.pool.max_size = max_size;
        s.pool.idle_timeout_ms = 0;
        s.pool.max_lifetime_ms = 0;
        s.pool.connection_timeout_ms = 0;
        s.work.hold_ms = hold_ms;
        s.traffic.rate_per_s = rate_per_s;
        s.database = Some(database);
    })
}

fn database_of(s: &Scenario) -> DatabaseSummary {
    let (_, summary) = run(s);
    summary.database.unwrap_or_else(|| panic!("a run with a database reports it"))
}

#[test]
fn one_core_shared_by_poisson_queries_stretches_them_by_one_over_one_minus_rho() {
    // M/M/1-PS: exponential 5 ms queries on one core, the pool never in the way.
    for (rho, duration_s) in [(0.5, 3_600), (0.8, 7_200)] {
        let rate = rho / 0.005;
        let mut s = with_database(DatabaseConfig { cores: 1, ..DatabaseConfig::default() }, 400, rate, 5.0);
        s.duration_s = duration_s;
        let db = database_of(&s);
        let expected = analytic::ps_mean_response_ms(rate, 5.0).unwrap_or(f64::NAN);
        let error = (db.mean_query_ms - expected).abs() / expected;
        assert!(error < 0.03, "ρ {rho}: mean query {} ms, theory {expected} ms", db.mean_query_ms);
        assert!((db.utilisation - rho).abs() < 0.02, "ρ {rho}: utilisation {}", db.utilisation);
    }
}

#[test]
fn a_saturated_database_delivers_the_usl_throughput() {
    // n connections always busy (far more requests than the database can serve, waiting
    // for ever): each query takes its 10 ms alone × n / X(n).
    for (cores, contention, coherency, n) in
        [(4, 0.0, 0.0, 8), (16, 0.05, 0.0, 16), (8, 0.02, 0.001, 32), (64, 0.0, 0.0005, 64)]
    {
        let capacity = analytic::usl_capacity(n, cores, contention, coherency);
        // More than the database can serve at any concurrency up to n: past its peak the
        // USL falls, and a rate it could serve with fewer queries would settle there.
        let best =
            (1..=n).map(|k| analytic::usl_capacity(k, cores, contention, coherency)).fold(0.0, f64::max);
        let rate = 1.5 * best / 0.010;
        let database = DatabaseConfig { cores, contention, coherency, ..DatabaseConfig::default() };
        let mut s = with_database(database, n, rate, 10.0);
        s.work.hold_distribution = HoldDistribution::Constant;
        s.duration_s = 60;
        let db = database_of(&s);
        let expected_ms = 10.0 * f64::from(n) / capacity;
        let error = (db.mean_query_ms - expected_ms).abs() / expected_ms;
        assert!(
            error < 0.02,
            "n {n} on {cores} cores (σ {contention}, κ {coherency}): {} ms, USL {expected_ms} ms",
            db.mean_query_ms
        );
        assert_eq!(db.peak_running, n);
        let stretch = f64::from(n) / capacity;
        assert!(
            (db.mean_stretch - stretch).abs() / stretch < 0.02,
            "stretch {} vs {stretch}",
            db.mean_stretch
        );
    }
}

#[test]
fn a_bigger_pool_only_moves_the_queue_into_a_cpu_bound_database() {
    // 4.8 ms CPU-bound queries on 2 cores at 70 % load: pools of 2 to 64 give the same
    // throughput; with more connections the time moves from the pool's queue into the
    // database (queries stretch), and the requests' total does not change.
    let rate = 0.7 * 2.0 / 0.0048;
    let mut totals = Vec::new();
    for pool in [2, 8, 64] {
        let mut s = with_database(DatabaseConfig { cores: 2, ..DatabaseConfig::default() }, pool, rate, 4.8);
        s.duration_s = 1_800;
        let (_, summary) = run(&s);
        let db = summary.database.unwrap_or_default();
        totals.push((pool, summary.mean_wait_ms, db.mean_query_ms, summary.mean_wait_ms + db.mean_query_ms));
    }
    let (_, wait_2, query_2, total_2) = totals[0];
    let (_, wait_64, query_64, total_64) = totals[2];
    assert!(wait_64 < wait_2 / 10.0 && query_64 > query_2 * 1.5, "{totals:?}");
    assert!((total_64 - total_2).abs() / total_2 < 0.02, "the mean response does not move: {totals:?}");
}

#[test]
fn a_core_for_every_connection_changes_nothing_the_pool_shows() {
    // Ten connections, ten cores, no contention: every query runs as fast as alone.
    let plain = scenario(|s| s.seed = 5);
    let mut with_db = plain.clone();
    with_db.database = Some(DatabaseConfig { cores: 10, ..DatabaseConfig::default() });
    let (a, summary_a) = run(&plain);
    let (b, summary_b) = run(&with_db);
    assert_eq!(summary_a.counts, summary_b.counts);
    assert_eq!(summary_a.mean_wait_ms, summary_b.mean_wait_ms);
    assert_eq!(a.samples(), b.samples());
    let db = summary_b.database.unwrap_or_default();
    assert_eq!((db.mean_stretch, db.max_stretch), (1.0, 1.0));
    assert!(summary_a.database.is_none());
}

#[test]
fn a_run_with_a_database_is_the_same_every_time_and_from_a_clone() {
    let database = DatabaseConfig {
        cores: 2,
        contention: 0.01,
        coherency: 0.0001,
        db_share: 0.6,
        max_connections: 18,
        ..DatabaseConfig::default()
    };
    let s = with_database(database, 20, 300.0, 8.0);
    let (first, _) = run(&s);
    let (second, _) = run(&s);
    assert_eq!(first.trace_digest(), second.trace_digest());
    let mut half = common::sim(&s);
    common::advance_s(&mut half, 250.0);
    let mut copy = half.clone();
    half.run_to_end();
    copy.run_to_end();
    assert_eq!(half.trace_digest(), copy.trace_digest());
    assert_eq!(half.trace_digest(), first.trace_digest());
}

#[test]
fn the_database_must_have_possible_settings() {
    for (edit, path) in [
        (DatabaseConfig { cores: 0, ..DatabaseConfig::default() }, "database.cores"),
        (DatabaseConfig { db_share: 1.5, ..DatabaseConfig::default() }, "database.db_share"),
        (DatabaseConfig { contention: 1.0, ..DatabaseConfig::default() }, "database.contention"),
        (DatabaseConfig { coherency: -0.1, ..DatabaseConfig::default() }, "database.coherency"),
        (DatabaseConfig { connect_cpu_ms: -1.0, ..DatabaseConfig::default() }, "database.connect_cpu_ms"),
        (DatabaseConfig { close_cpu_ms: f64::NAN, ..DatabaseConfig::default() }, "database.close_cpu_ms"),
        (DatabaseConfig { close_cpu_ms: 60_001.0, ..DatabaseConfig::default() }, "database.close_cpu_ms"),
    ] {
        let s = scenario(|s| s.database = Some(edit));
        let error = s.validate().expect_err("refused");
        assert_eq!(error.path, path, "{error}");
    }
    let json = r#"{"database": {"cores": 2, "contention": 0.02}}"#;
    let s = Scenario::from_json(json).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(s.database, Some(DatabaseConfig { cores: 2, contention: 0.02, ..DatabaseConfig::default() }));
    let error = Scenario::from_json(r#"{"database": {"cpus": 2}}"#).expect_err("unknown field");
    assert_eq!(error.path, "database.cpus");
}

#[test]
fn the_pool_never_holds_more_than_the_database_lets_it() {
    // A pool of 50 against PostgreSQL's max_connections 20 with 3 reserved: 30 connections
    // are needed (300 requests/s × 100 ms), 17 can be had, the rest wait and time out.
    let database = DatabaseConfig { cores: 64, max_connections: 20, ..DatabaseConfig::default() };
    let mut s = with_database(database, 50, 300.0, 100.0);
    s.pool.connection_timeout_ms = 1_000;
    s.duration_s = 120;
    let (sim, summary) = run(&s);
    let db = summary.database.unwrap_or_default();
    assert_eq!(db.peak_connections, 17, "{db:?}");
    assert!(db.refused_opens > 0 && summary.counts.timed_out > 0, "{db:?} {:?}", summary.counts);
    assert!(sim.gauges().total <= 17);
    // The pool ran out of what it could get, though its own maximum is 50.
    assert!(summary.milestones.first_exhaustion_s.is_some_and(|t| t < 5.0), "{:?}", summary.milestones);
    let (_, exhausted) = common::run_collecting(&s, LogKind::Exhausted);
    assert!(
        exhausted.iter().any(|m| m.contains("all 17 connections the database allows in use")),
        "{exhausted:?}"
    );
    let fatal = common::messages(&sim, LogKind::Database);
    assert!(
        fatal.iter().all(|m| m
            == "database: FATAL: remaining connection slots are reserved for non-replication superuser connections"),
        "{fatal:?}"
    );
}

#[test]
fn a_refused_open_is_tried_again_after_hikaricps_growing_pause() {
    // Ten usable slots, a pool that wants more for ever: after the first refusal the
    // creator sleeps 250 ms, 375 ms, 562.5 ms …, each try taking connect_ms (8 ms).
    let database = DatabaseConfig { max_connections: 13, ..DatabaseConfig::default() };
    let mut s = with_database(database, 30, 300.0, 100.0);
    s.pool.min_idle = Some(0);
    s.duration_s = 20;
    let mut sim = common::sim(&s);
    common::advance_s(&mut sim, 20.0);
    let times: Vec<u64> =
        sim.log().filter(|l| l.kind == LogKind::Database).map(|l| l.t_us.as_micros()).collect();
    // Opens queued on the creator thread before a refusal fail one after another, 8 ms
    // apart; a try after a pause follows a silence longer than that.
    let tries: Vec<u64> = times
        .iter()
        .enumerate()
        .filter(|&(i, t)| i == 0 || t - times[i - 1] > 50_000)
        .map(|(_, t)| *t)
        .collect();
    let gaps: Vec<u64> = tries.windows(2).map(|w| w[1] - w[0]).take(4).collect();
    assert_eq!(gaps, [258_000, 383_000, 570_500, 851_750], "{tries:?}");
}

#[test]
fn each_second_has_a_database_sample_that_adds_up_to_the_summary() {
    let database =
        DatabaseConfig { cores: 2, max_connections: 15, contention: 0.01, ..DatabaseConfig::default() };
    let mut s = with_database(database, 30, 400.0, 8.0);
    s.pool.connection_timeout_ms = 2_000;
    s.duration_s = 300;
    let (sim, summary) = run(&s);
    let db = summary.database.unwrap_or_default();
    let (samples, per_second) = (sim.samples(), sim.database_samples());
    assert_eq!(per_second.len(), samples.len());
    assert!(per_second.iter().zip(samples).all(|(d, s)| d.t_s == s.t_s));
    let queries: u64 = per_second.iter().map(|d| u64::from(d.queries)).sum();
    let refused: u64 = per_second.iter().map(|d| u64::from(d.refused_opens)).sum();
    assert_eq!((queries, refused), (db.queries, db.refused_opens));
    let busy: f64 = per_second.iter().map(|d| d.utilisation).sum::<f64>() / per_second.len() as f64;
    assert!((busy - db.utilisation).abs() < 1e-9, "{busy} vs {}", db.utilisation);
    assert!(per_second.iter().all(|d| d.connections <= 12 && d.running <= 30 && d.stretch >= 0.99));
    assert!(per_second.iter().any(|d| d.refused_opens > 0 && d.connections == 12), "the limit is reached");
    // Without a database there are none.
    let (plain, _) = run(&scenario(|s| s.duration_s = 10));
    assert!(plain.database_samples().is_empty());
}

/// A pool in front of an idle database (plenty of cores) whose opens cost `connect_cpu_ms`.
fn opening(flavour: Flavour, cores: u32, max_size: u32, connect_cpu_ms: f64) -> Scenario {
    scenario(|s| {
        s.duration_s = 60;
        s.traffic.rate_per_s = 0.0;
        s.pool.flavour = flavour;
        s.pool.max_size = max_size;
        s.pool.connect_ms = 13.6;
        s.database = Some(DatabaseConfig {
            cores,
            max_connections: 1_000,
            connect_cpu_ms,
            ..DatabaseConfig::default()
        });
        s.events.push(common::at(10.0, Action::RestartApp { downtime_s: 0.0 }));
    })
}

/// Seconds after the restart at 10 s until the pool holds `n` connections again.
fn refill_s(s: &Scenario, n: u32) -> f64 {
    let mut sim = common::sim(s);
    common::advance_s(&mut sim, 10.0);
    let mut t = 10.0;
    while sim.gauges().total < n {
        t += 0.0005;
        common::advance_s(&mut sim, t);
        assert!(t < 60.0, "the pool never refilled");
    }
    t - 10.0
}

#[test]
fn a_storm_of_opens_is_bound_by_the_databases_cpu() {
    // 64 connections opened side by side (Go's pool opens in parallel) on 2 cores, each
    // costing 12.5 ms of CPU: 160 opens a second, the last after 64 × 12.5 / 2 = 400 ms
    // plus the rest of its 13.6 ms — PostgreSQL 15 took 425 ms for the last of 64.
    let storm = refill_s(&opening(Flavour::Go, 2, 64, 12.5), 64);
    assert!((storm - 0.401).abs() < 0.002, "64 opens on 2 cores took {storm} s");
    // With no CPU charged, they all take 13.6 ms side by side.
    let free = refill_s(&opening(Flavour::Go, 2, 64, 0.0), 64);
    assert!((free - 0.0136).abs() < 0.001, "{free}");
}

#[test]
fn hikaris_single_creator_opens_one_at_a_time_whatever_the_cpu_charge() {
    // One open at a time on an idle database: each takes its 13.6 ms alone, as before.
    let charged = refill_s(&opening(Flavour::Hikaricp, 4, 10, 6.0), 10);
    let free = refill_s(&opening(Flavour::Hikaricp, 4, 10, 0.0), 10);
    assert!((charged - 0.136).abs() < 0.001 && (free - 0.136).abs() < 0.001, "{charged} vs {free}");
}

#[test]
fn a_restart_storm_slows_every_query() {
    // Twenty instances restart at once: 400 handshakes compete with the queries.
    let storm = |connect_cpu_ms: f64| {
        let s = scenario(|s| {
            s.duration_s = 40;
            s.seed = 5;
            s.fleet = Some(poolsim_engine::FleetConfig { instances: 20, ..Default::default() });
            s.pool.max_size = 20;
            s.traffic.rate_per_s = 1_000.0;
            s.work.hold_ms = 10.0;
            s.database = Some(DatabaseConfig {
                cores: 4,
                db_share: 0.2,
                max_connections: 500,
                connect_cpu_ms,
                ..DatabaseConfig::default()
            });
            s.events.push(common::at(20.0, Action::RestartApp { downtime_s: 0.0 }));
        });
        let (sim, _) = run(&s);
        let worst = sim.database_samples().iter().filter(|d| d.t_s > 20 && d.t_s <= 22).map(|d| d.stretch);
        let before = sim.database_samples().iter().filter(|d| d.t_s > 10 && d.t_s <= 20).map(|d| d.stretch);
        (worst.fold(1.0, f64::max), before.fold(1.0, f64::max))
    };
    let (during, before) = storm(6.0);
    let (during_free, _) = storm(0.0);
    assert!(during > 1.5 * before, "stretch {during} during the storm, {before} before");
    assert!(during > 1.5 * during_free, "stretch {during} with opens charged, {during_free} without");
}

/// [`opening`] with each closed connection costing the database `close_cpu_ms`.
fn closing(cores: u32, connect_cpu_ms: f64, close_cpu_ms: f64) -> Scenario {
    let mut s = opening(Flavour::Hikaricp, cores, 10, connect_cpu_ms);
    if let Some(db) = &mut s.database {
        db.close_cpu_ms = close_cpu_ms;
    }
    s
}

#[test]
fn a_restarts_closes_delay_the_first_open_by_their_cpu() {
    // The restart closes 10 connections on one core while the creator starts its first
    // open: 11 jobs share the core until the closes' 4 ms each are done (at 44 ms), the
    // handshake's last 2 ms run alone, then the rest of its 13.6 ms passes — the first
    // connection is back 10 × 4 ms later than without the closes' cost.
    let first = refill_s(&closing(1, 6.0, 4.0), 1);
    assert!((first - 0.0536).abs() < 0.0005, "the first connection after {first} s");
    let free = refill_s(&closing(1, 6.0, 0.0), 1);
    assert!((free - 0.0136).abs() < 0.0005, "without the closes' cost after {free} s");
    // The other nine open one at a time on an idle database, 13.6 ms each.
    let all = refill_s(&closing(1, 6.0, 4.0), 10);
    assert!((all - 0.176).abs() < 0.001, "the pool refilled after {all} s");
}

#[test]
fn the_database_works_the_closes_and_opens_cpu_and_nothing_else() {
    // No traffic: the database's only work is the restart's 10 closes and 10 opens, on
    // every instance of a fleet, and the summary's utilisation integrates to it.
    for instances in [1, 3] {
        let mut s = closing(2, 6.0, 4.0);
        s.fleet = (instances > 1).then(|| poolsim_engine::FleetConfig { instances, ..Default::default() });
        let db = database_of(&s);
        let busy_ms = db.utilisation * s.duration_s as f64 * 1_000.0 * 2.0;
        let expected = f64::from(instances) * 10.0 * (4.0 + 6.0);
        assert!(
            (busy_ms - expected).abs() < 1e-6,
            "{instances} instances: {busy_ms} core·ms, not {expected}"
        );
    }
}
