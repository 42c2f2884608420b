//! Pool flavours behave as the real pools do: Go hands a freed connection to a random
//! waiter, may wait for ever, keeps only two idle connections and, with no limit of its
//! own, meets the database's; pgbouncer refuses clients past `max_client_conn`; each
//! pool words its errors as developers see them in their logs.

mod common;

use common::{at, mean, messages, run, run_collecting, scenario};
use poolsim_engine::{Action, Flavour, LogKind, Scenario, WaitOrder, analytic};

/// An M/M/c pool at utilisation ρ with waits that never time out.
fn mmc(servers: u32, rho: f64, order: WaitOrder) -> Scenario {
    scenario(|s| {
        s.duration_s = 6_000;
        s.seed = 77;
        s.pool.max_size = servers;
        s.pool.idle_timeout_ms = 0;
        s.pool.max_lifetime_ms = 0;
        s.pool.connection_timeout_ms = 0;
        s.pool.wait_order = order;
        s.work.hold_ms = 10.0;
        s.traffic.rate_per_s = rho * f64::from(servers) / 0.010;
    })
}

#[test]
fn a_random_waiter_waits_as_long_on_average_but_the_unlucky_wait_far_longer() {
    let (_, fifo) = run(&mmc(8, 0.9, WaitOrder::Fifo));
    let (_, random) = run(&mmc(8, 0.9, WaitOrder::Random));
    // Any order that ignores hold times gives M/M/c the same mean wait: Erlang C's.
    let expected = analytic::erlang_c_mean_wait_ms(8, 720.0, 10.0).expect("stable");
    for (name, s) in [("fifo", &fifo), ("random", &random)] {
        let error = (s.mean_wait_ms - expected).abs() / expected;
        println!(
            "{name}: mean {:.3} ms (Erlang C {expected:.3}), p99 {:.2} ms, max {:.1} ms",
            s.mean_wait_ms, s.p99_wait_ms, s.max_wait_ms
        );
        assert!(error < 0.05, "{name}: mean wait {} ms vs Erlang C {expected} ms", s.mean_wait_ms);
    }
    // The spread is not the same: a random pick can pass over one request again and again.
    assert!(
        random.max_wait_ms > 2.0 * fifo.max_wait_ms,
        "max {} vs {}",
        random.max_wait_ms,
        fifo.max_wait_ms
    );
    assert!(random.p99_wait_ms > fifo.p99_wait_ms, "p99 {} vs {}", random.p99_wait_ms, fifo.p99_wait_ms);
    assert_eq!((fifo.counts.timed_out, random.counts.timed_out), (0, 0), "no timeout: they wait for ever");
}

#[test]
fn without_a_timeout_a_leak_fails_nobody_and_the_queue_grows_with_every_arrival() {
    let s = scenario(|s| {
        s.duration_s = 300;
        s.pool.connection_timeout_ms = 0;
        s.leak.probability = 0.05;
    });
    let (sim, summary) = run(&s);
    assert_eq!(
        (summary.counts.timed_out, summary.counts.failed),
        (0, 0),
        "nothing errors: requests just hang"
    );
    assert!(summary.milestones.first_exhaustion_s.is_some());
    // Every request that arrived after the last connection leaked is still waiting at the end.
    let samples = sim.samples();
    let all_leaked =
        samples.iter().find(|x| x.gauges.leaked == x.gauges.max).expect("every connection leaks").t_s;
    let last = samples.last().expect("samples");
    let arrived_since: u32 = samples.iter().filter(|x| x.t_s > all_leaked).map(|x| x.arrivals).sum();
    assert!(
        last.gauges.pending >= arrived_since,
        "pending {} vs {arrived_since} arrivals",
        last.gauges.pending
    );
    let expected = 100.0 * f64::from(300 - all_leaked);
    assert!(
        f64::from(last.gauges.pending) > 0.9 * expected,
        "≈ λ·t waiting: {} vs {expected}",
        last.gauges.pending
    );
    // A context deadline, added live, turns the hang into errors from then on.
    let mut fixed = s.clone();
    fixed.events.push(at(200.0, Action::SetConnectionTimeout { timeout_ms: 30_000 }));
    let (_, after) = run(&fixed);
    assert!(
        after.counts.timed_out > 0 && after.milestones.first_timeout_s.is_some_and(|t| t >= 230.0),
        "{after:?}"
    );
}

#[test]
fn a_bounded_queue_refuses_the_next_client_at_once() {
    // pgbouncer: default_pool_size 20, max_client_conn 100 → 80 may wait; a spike of twice
    // what 20 server connections can serve.
    let s = scenario(|s| {
        s.duration_s = 120;
        s.pool.flavour = Flavour::Pgbouncer;
        s.pool.max_size = 20;
        s.pool.min_idle = Some(0);
        s.pool.max_waiting = Some(80);
        s.pool.connection_timeout_ms = 120_000;
        s.traffic.rate_per_s = 1_000.0;
        s.work.hold_ms = 40.0;
    });
    let (sim, summary) = run(&s);
    assert!(sim.samples().iter().all(|x| x.gauges.pending <= 80), "never more than max_waiting wait");
    assert!(sim.samples().iter().any(|x| x.gauges.pending == 80), "the queue fills");
    assert!(summary.refused > 10_000, "half the load is refused: {}", summary.refused);
    assert_eq!(summary.counts.timed_out, 0, "the 80 that wait are served in ~0.2 s, long before 120 s");
    assert!(summary.milestones.first_exhaustion_s.is_some());
    let refusals = messages(&sim, LogKind::RequestFailed);
    assert!(
        refusals.iter().all(|m| m.contains("no more connections allowed (max_client_conn)")),
        "{:?}",
        refusals.first()
    );
}

#[test]
fn gos_unlimited_pool_meets_the_databases_limit_and_fails_at_once() {
    // SetMaxOpenConns(0): no pool limit and no waiting; PostgreSQL's max_connections
    // (100) refuses the 101st connection. With a leak, requests fail the moment the
    // database is full, with no 30 s of waiting first.
    let s = scenario(|s| {
        s.duration_s = 600;
        s.pool.flavour = Flavour::Go;
        s.pool.max_size = 100;
        s.pool.min_idle = Some(0);
        s.pool.max_idle = Some(2);
        s.pool.max_waiting = Some(0);
        s.pool.connection_timeout_ms = 0;
        s.pool.wait_order = WaitOrder::Random;
        s.traffic.rate_per_s = 150.0;
        s.leak.probability = 0.005;
    });
    let (sim, summary) = run(&s);
    assert_eq!(summary.counts.timed_out, 0);
    assert!(summary.refused > 0 && summary.counts.failed == summary.refused, "{summary:?}");
    let full = summary.milestones.first_exhaustion_s.expect("the database fills");
    // T ≈ (N − λ·hold) / (λ·p): (100 − 6) / 0.75 ≈ 125 s.
    assert!((90.0..160.0).contains(&full), "full at {full} s");
    assert!(
        sim.samples().iter().all(|x| x.gauges.pending <= x.gauges.opening),
        "nobody waits for a busy connection"
    );
    let line = messages(&sim, LogKind::RequestFailed).pop().expect("a refusal");
    assert!(line.starts_with("pq: sorry, too many clients already"), "{line}");
}

#[test]
fn keeping_two_idle_connections_opens_a_new_one_for_most_requests() {
    let go = |max_idle: Option<u32>| {
        scenario(|s| {
            s.duration_s = 300;
            s.pool.flavour = Flavour::Go;
            s.pool.max_size = 100;
            s.pool.min_idle = Some(0);
            s.pool.max_idle = max_idle;
            s.traffic.rate_per_s = 150.0;
        })
    };
    let (churn_sim, churn) = run(&go(Some(2)));
    let (_, kept) = run(&go(None));
    assert!(churn_sim.samples().iter().all(|x| x.gauges.idle <= 2), "never more than max_idle idle");
    // ~6 connections are busy on average: every burst above 2 opens (and pays connect_ms).
    assert!(
        churn.connections_opened > 20 * kept.connections_opened,
        "{} vs {}",
        churn.connections_opened,
        kept.connections_opened
    );
    assert!(
        churn.mean_wait_ms > 1.0 && kept.mean_wait_ms < 0.2,
        "{} vs {}",
        churn.mean_wait_ms,
        kept.mean_wait_ms
    );
}

#[test]
fn hikaricp_opens_connections_one_after_another_the_others_side_by_side() {
    // A cold pool hit by 50 requests within ~10 ms (no idle connection), each holding its
    // connection past the end of the run: the served ones waited only for opening.
    let cold = |flavour| {
        scenario(|s| {
            s.duration_s = 2;
            s.pool.flavour = flavour;
            s.pool.max_size = 50;
            s.pool.min_idle = Some(0);
            s.pool.connect_ms = 10.0;
            s.traffic.rate_per_s = 5_000.0;
            s.work.hold_ms = 10_000.0;
            s.work.hold_distribution = poolsim_engine::HoldDistribution::Constant;
        })
    };
    let (_, hikari) = run(&cold(Flavour::Hikaricp));
    let (_, tomcat) = run(&cold(Flavour::Tomcat));
    // HikariCP's single creator: the 50th connection is ready after ~50 × 10 ms.
    assert_eq!((hikari.counts.served, tomcat.counts.served), (50, 50));
    assert!((450.0..520.0).contains(&hikari.max_wait_ms), "HikariCP max wait {} ms", hikari.max_wait_ms);
    assert!(tomcat.max_wait_ms <= 10.5, "Tomcat max wait {} ms: one connect_ms", tomcat.max_wait_ms);
}

#[test]
fn each_pool_logs_its_own_timeout() {
    // In the order of `Flavour::ALL`; one more flavour without its words does not compile.
    let expected: [&str; Flavour::ALL.len()] = [
        "HikariPool-1 - Connection is not available, request timed out after 30000ms",
        "Timeout: Pool empty. Unable to fetch a connection in 30 seconds",
        "context deadline exceeded",
        "closing because: query_wait_timeout",
        "pool timed out while waiting for an open connection",
        "Timed out in bb8",
    ];
    for (flavour, words) in Flavour::ALL.into_iter().zip(expected) {
        let s = scenario(|s| {
            s.duration_s = 120;
            s.pool.flavour = flavour;
            s.leak.probability = 0.05;
        });
        let (sim, lines) = run_collecting(&s, LogKind::Timeout);
        assert!(!lines.is_empty(), "{flavour:?} timed out");
        assert!(lines.iter().all(|l| l.starts_with(words) || l.contains(words)), "{flavour:?}: {}", lines[0]);
        let exhausted = messages(&sim, LogKind::Exhausted);
        let hikari = flavour == Flavour::Hikaricp;
        assert!(exhausted.iter().all(|l| l.starts_with("HikariPool-1 - ") == hikari), "{exhausted:?}");
    }
}

#[test]
fn the_same_flavour_settings_give_the_same_run_every_time() {
    let s = mmc(4, 0.95, WaitOrder::Random);
    let a = poolsim_engine::Simulation::new(&s).expect("valid").run_to_end();
    let b = poolsim_engine::Simulation::new(&s).expect("valid").run_to_end();
    assert_eq!(a, b);
    let idle = mean(&run(&s).0.samples()[..100], |x| f64::from(x.gauges.idle));
    assert!(idle < 4.0);
}
