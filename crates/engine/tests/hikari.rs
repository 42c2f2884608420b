//! HikariCP's semantics, as measured on a real pool: warm start, one creator thread,
//! LIFO idle connections, FIFO waiters, max lifetime, idle timeout, leak detection,
//! Tomcat's abandoned reclaim and client retries.

mod common;

use common::{advance_s, at, messages, run, scenario, sim, window};
use poolsim_engine::{Action, ConnState, LogKind, SimDuration, SimTime};

#[test]
fn the_pool_starts_warm_with_min_idle_connections() {
    let s = scenario(|s| {
        s.pool.max_size = 30;
        s.pool.min_idle = Some(12);
    });
    let sim = sim(&s);
    let g = sim.gauges();
    assert_eq!((g.total, g.idle, g.active, g.opening, g.max), (12, 12, 0, 0, 30));
    assert_eq!(sim.connections().filter(|c| c.state == ConnState::Idle).count(), 12);
}

#[test]
fn a_cold_pool_opens_connections_one_after_another() {
    // No idle connections and a burst of requests: each new connection takes connect_ms
    // after the previous one, so the k-th waiter is served after about k × connect_ms.
    let s = scenario(|s| {
        s.pool.max_size = 20;
        s.pool.min_idle = Some(0);
        s.pool.connect_ms = 10.0;
        s.traffic.rate_per_s = 10_000.0;
        s.work.hold_ms = 5_000.0;
        s.work.hold_distribution = poolsim_engine::HoldDistribution::Constant;
    });
    let mut sim = sim(&s);
    sim.advance_to(SimTime::from_micros(5_000)).expect("forward"); // 5 ms: ~50 requests, none served yet
    let g = sim.gauges();
    assert_eq!((g.total, g.opening), (0, 20), "one open queued per waiter, up to max_size");
    assert!(g.pending > 20);
    let mut opened_at = Vec::new();
    for t_ms in (5..=220).step_by(1) {
        sim.advance_to(SimTime::from_micros(t_ms * 1000)).expect("forward");
        let total = sim.gauges().total;
        if total as usize > opened_at.len() {
            opened_at.push(t_ms);
        }
    }
    assert_eq!(opened_at.len(), 20);
    for (k, t) in opened_at.iter().enumerate() {
        assert!(t.abs_diff(10 * (k as u64 + 1)) <= 1, "connection {k} ready at {t} ms");
    }
}

#[test]
fn a_returned_connection_goes_to_the_longest_waiter() {
    let s = scenario(|s| {
        s.pool.max_size = 2;
        s.traffic.rate_per_s = 400.0;
        s.work.hold_ms = 40.0;
    });
    let mut sim = sim(&s);
    let mut checked = 0;
    for t_ms in 1..2000u64 {
        let queue: Vec<_> = sim.waiting().collect();
        sim.advance_to(SimTime::from_micros(t_ms * 1000)).expect("forward");
        // Anyone who left the queue in this millisecond was at its head: FIFO.
        let still: Vec<u64> = sim.waiting().map(|w| w.request).collect();
        let left: Vec<u64> = queue.iter().map(|w| w.request).filter(|r| !still.contains(r)).collect();
        assert!(
            queue.iter().map(|w| w.request).take(left.len()).eq(left.iter().copied()),
            "{left:?} of {queue:?}"
        );
        checked += left.len();
        assert!(still.windows(2).all(|w| w[0] < w[1]), "waiters in arrival order");
    }
    assert!(checked > 50);
}

#[test]
fn the_most_recently_returned_idle_connection_is_reused_first() {
    // Light load on a big pool: LIFO keeps reusing a few hot connections.
    let s = scenario(|s| {
        s.pool.max_size = 50;
        s.traffic.rate_per_s = 20.0;
        s.work.hold_ms = 5.0;
        s.duration_s = 60;
    });
    let mut sim = sim(&s);
    let mut used = std::collections::BTreeSet::new();
    for t_ms in 1..60_000u64 {
        sim.advance_to(SimTime::from_micros(t_ms * 1000)).expect("forward");
        used.extend(sim.connections().filter(|c| c.state == ConnState::Active).map(|c| c.id));
    }
    assert!(used.len() <= 5, "LIFO reuses a handful of connections, used {}", used.len());
}

#[test]
fn max_lifetime_retires_idle_connections_but_never_a_leaked_one() {
    let s = scenario(|s| {
        s.duration_s = 900;
        s.pool.max_size = 20;
        s.pool.max_lifetime_ms = 120_000;
        s.traffic.rate_per_s = 100.0;
        s.leak.probability = 0.001;
        s.events.push(at(60.0, Action::Rollback));
    });
    let (sim, _) = run(&s);
    let now = sim.now();
    let leaked: Vec<_> = sim.connections().filter(|c| c.state == ConnState::Leaked).collect();
    assert!(!leaked.is_empty());
    assert!(
        leaked.iter().all(|c| c.since_us <= SimTime::from_secs(60)),
        "leaked before the rollback and still there"
    );
    // Everything else was opened within the last lifetime (plus HikariCP's variance).
    let fresh = sim.connections().filter(|c| c.state == ConnState::Idle).count();
    assert!(fresh > 0);
    assert!(messages(&sim, LogKind::Housekeeping).iter().any(|m| m.contains("passed maxLifetime")));
    assert!(
        now - leaked[0].since_us > SimDuration::from_secs(120 * 6),
        "the leaked one is many lifetimes old"
    );
}

#[test]
fn idle_connections_above_min_idle_close_after_the_idle_timeout() {
    let s = scenario(|s| {
        s.duration_s = 400;
        s.pool.max_size = 40;
        s.pool.min_idle = Some(5);
        s.pool.idle_timeout_ms = 60_000;
        s.traffic.rate_per_s = 600.0;
        s.work.hold_ms = 50.0;
        s.events.push(at(60.0, Action::SetRate { rate_per_s: 10.0 }));
    });
    let (sim, _) = run(&s);
    let busy = sim.samples()[58].gauges.total;
    assert!(busy > 30, "the pool grew under load: {busy}");
    // The load drops at 60 s; idle connections go at the first housekeeping run after 120 s.
    assert!(sim.samples()[100].gauges.total > 20, "not before the idle timeout");
    // HikariCP keeps min_idle *idle* connections, so one in use may sit on top of them.
    let settled = sim.samples()[200];
    assert!(
        (5..=7).contains(&settled.gauges.total) && settled.gauges.idle <= 5,
        "back to min_idle: {settled:?}"
    );
    assert!(messages(&sim, LogKind::Housekeeping).iter().any(|m| m.contains("idle longer than 60000ms")));
}

#[test]
fn leak_detection_flags_but_never_reclaims() {
    let s = scenario(|s| {
        // Short enough that no timeout pushes the detector's lines out of the log.
        s.duration_s = 45;
        s.pool.max_size = 20;
        s.pool.leak_detection_threshold_ms = 2_000;
        s.traffic.rate_per_s = 100.0;
        s.leak.probability = 0.01;
    });
    let (sim, summary) = run(&s);
    let g = sim.gauges();
    assert_eq!(g.leaked, 20, "every connection leaked: detection did not save the pool");
    assert_eq!(g.suspected, 20, "and every one was flagged");
    assert_eq!(summary.counts.reclaimed, 0);
    let flagged = messages(&sim, LogKind::LeakDetected);
    assert!(flagged.iter().any(|m| m.starts_with("Connection leak detection triggered for conn")
        && m.ends_with(", stack trace follows")));
}

#[test]
fn a_slow_legitimate_query_is_a_false_positive_that_comes_back_unleaked() {
    let s = scenario(|s| {
        s.duration_s = 120;
        s.pool.max_size = 30;
        s.pool.leak_detection_threshold_ms = 2_000;
        s.traffic.rate_per_s = 50.0;
        s.work.slow_share = 0.01;
        s.work.slow_hold_ms = 6_000.0;
        s.work.hold_distribution = poolsim_engine::HoldDistribution::Constant;
    });
    let (sim, summary) = run(&s);
    assert_eq!(summary.counts.leaked, 0);
    let flagged = messages(&sim, LogKind::LeakDetected);
    let unleaked = messages(&sim, LogKind::Unleaked);
    assert!(flagged.len() > 20, "slow queries trip the detector: {}", flagged.len());
    // Every flagged query came back, except those still running at the end of the run.
    let still_out = sim.gauges().suspected as usize;
    assert_eq!(
        unleaked.len() + still_out,
        flagged.len(),
        "{} came back, {still_out} still out",
        unleaked.len()
    );
    assert!(
        unleaked.iter().all(|m| m.starts_with("HikariPool-1 - Previously reported leaked connection conn")
            && m.ends_with(" was returned to the pool (unleaked)"))
    );
    assert!(sim.samples().iter().any(|x| x.gauges.suspected > 0));
}

#[test]
fn abandoned_reclaim_frees_leaked_slots_and_keeps_the_pool_alive() {
    let s = scenario(|s| {
        s.duration_s = 900;
        s.pool.max_size = 30;
        s.pool.abandoned_timeout_ms = 60_000;
        s.traffic.rate_per_s = 100.0;
        s.leak.probability = 0.002;
    });
    let (sim, summary) = run(&s);
    assert!(summary.counts.reclaimed > 100, "leaked connections are reclaimed: {}", summary.counts.reclaimed);
    assert_eq!(summary.counts.timed_out, 0, "the pool never runs dry");
    // About λ·p·timeout = 12 connections are leaked at any time, never all 30.
    let late = window(sim.samples(), 120, 900);
    let mean_leaked = late.iter().map(|x| f64::from(x.gauges.leaked)).sum::<f64>() / late.len() as f64;
    assert!((mean_leaked - 12.0).abs() < 3.5, "mean leaked {mean_leaked}");
    assert!(late.iter().all(|x| x.gauges.leaked < 30));
    assert!(
        messages(&sim, LogKind::Abandoned)
            .iter()
            .all(|m| m.starts_with("Connection has been abandoned conn"))
    );
}

#[test]
fn abandoned_reclaim_fails_a_slow_legitimate_holder() {
    let s = scenario(|s| {
        s.duration_s = 120;
        s.pool.max_size = 30;
        s.pool.abandoned_timeout_ms = 3_000;
        s.traffic.rate_per_s = 50.0;
        s.work.slow_share = 0.02;
        s.work.slow_hold_ms = 10_000.0;
        s.work.hold_distribution = poolsim_engine::HoldDistribution::Constant;
    });
    let (sim, summary) = run(&s);
    assert_eq!((summary.counts.leaked, summary.counts.timed_out), (0, 0));
    assert!(summary.counts.reclaimed > 50);
    assert_eq!(
        summary.counts.failed, summary.counts.reclaimed,
        "each reclaimed slow query fails its request"
    );
    assert!(messages(&sim, LogKind::Abandoned).iter().any(|m| m.contains("was still using it and fails")));
}

#[test]
fn retries_add_attempts_to_an_exhausted_pool() {
    let base = scenario(|s| {
        s.duration_s = 300;
        s.pool.max_size = 10;
        s.pool.connection_timeout_ms = 1_000;
        s.traffic.rate_per_s = 100.0;
        s.leak.probability = 0.02;
    });
    let mut storm = base.clone();
    storm.traffic.retry.attempts = 3;
    storm.traffic.retry.backoff_ms = 500;
    let (_, plain) = run(&base);
    let (sim, retried) = run(&storm);
    assert_eq!(plain.requests, retried.requests, "the same users");
    assert_eq!(plain.attempts, plain.requests);
    // Once dry, every request tries four times: attempts approach 4× requests.
    assert!(retried.attempts as f64 > 3.5 * retried.requests as f64, "{} attempts", retried.attempts);
    assert!(retried.counts.timed_out > 3 * plain.counts.timed_out);
    let late = window(sim.samples(), 200, 300);
    let per_s = late.iter().map(|x| f64::from(x.arrivals)).sum::<f64>() / late.len() as f64;
    assert!(per_s > 350.0, "the retry storm quadruples the load: {per_s}/s");
    // A request fails for good only after all four of its attempts timed out.
    assert!(retried.counts.failed * 4 <= retried.counts.timed_out);
}

#[test]
fn shrinking_closes_idle_excess_now_and_busy_excess_as_it_returns() {
    let s = scenario(|s| {
        s.duration_s = 60;
        s.pool.max_size = 40;
        s.traffic.rate_per_s = 500.0;
        s.work.hold_ms = 40.0;
    });
    let mut sim = sim(&s);
    advance_s(&mut sim, 20.0);
    assert_eq!(sim.gauges().total, 40);
    sim.apply(Action::ResizePool { max_size: 10, min_idle: None }).expect("valid");
    let g = sim.gauges();
    assert!(g.total < 40 && g.total >= 10, "idle excess closed at once: {}", g.total);
    assert_eq!(g.idle, 0);
    advance_s(&mut sim, 21.0);
    assert_eq!(sim.gauges().total, 10, "busy excess closed as it came back");
    assert_eq!(sim.current().min_idle, 10);
}
