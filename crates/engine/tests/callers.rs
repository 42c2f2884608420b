//! The callers in front of the pool: a deadline they give up at (while the pool keeps
//! serving what they gave up on: wasted work), retry policies (which failures, which
//! pause, with jitter, within a budget) and a circuit breaker.

mod common;

use common::{advance_s, at, messages, run, scenario, sim};
use poolsim_engine::{
    Action, Backoff, BreakerConfig, BreakerState, CallerSample, HoldDistribution, Jitter, LogKind,
    RetryBudget, RetryOn, Scenario, SimTime, Simulation, Summary,
};

/// The callers' part of a summary, which a run that models its callers has.
fn callers(summary: &Summary) -> &poolsim_engine::CallerSummary {
    summary.callers.as_ref().expect("the run models its callers")
}

/// A pool of one connection, idle, holding each request exactly `hold_ms`; no traffic
/// but a burst of about 20 requests within 20 µs at 1 s.
fn burst(hold_ms: f64, deadline_ms: u64) -> Scenario {
    scenario(|s| {
        s.duration_s = 30;
        s.pool.max_size = 1;
        s.work.hold_ms = hold_ms;
        s.work.hold_distribution = HoldDistribution::Constant;
        s.traffic.rate_per_s = 0.0;
        s.traffic.deadline_ms = deadline_ms;
        s.events = vec![
            at(1.0, Action::SetRate { rate_per_s: 1_000_000.0 }),
            at(1.000_02, Action::SetRate { rate_per_s: 0.0 }),
        ];
    })
}

#[test]
fn a_request_served_after_its_caller_gave_up_is_wasted_work() {
    // One connection, 100 ms holds, callers who wait 250 ms, n requests at once. By hand:
    // the first is answered at 100 ms and the second at 200 ms, in time. The third gets
    // the connection at 200 ms but would answer at 300: its caller gives up at 250 while
    // its query runs. Every later one gets the connection after its caller has gone
    // (the fourth at 300 ms). So 2 in time, n − 2 wasted, and the connection stays busy
    // for n × 100 ms all the same.
    let (sim, summary) = run(&burst(100.0, 250));
    let n = summary.requests;
    assert!(n >= 10, "a burst of about 20 requests: {n}");
    let c = callers(&summary);
    assert_eq!(c.goodput, 2);
    assert_eq!((c.gave_up, c.served_late), (n - 2, n - 2));
    assert_eq!(summary.counts.served, n, "the pool served every one, as it would without a deadline");
    assert_eq!(summary.counts.failed, n - 2, "for their callers they failed");
    let wasted_s: Vec<&CallerSample> = sim.caller_samples().iter().filter(|s| s.served_late > 0).collect();
    assert_eq!(wasted_s.iter().map(|s| u64::from(s.served_late)).sum::<u64>(), n - 2);
    // The last request gets its connection at (n − 1) × 100 ms after the burst.
    let last_s = 1 + ((n - 1) * 100).div_ceil(1000) as u32;
    assert_eq!(wasted_s.last().map(|s| s.t_s), Some(last_s));
    assert_eq!(sim.caller_samples().iter().map(|s| u64::from(s.goodput)).sum::<u64>(), 2);
    assert!(messages(&sim, LogKind::Client).iter().any(|m| m.contains("caller gave up")));
}

#[test]
fn a_caller_giving_up_leaves_the_request_waiting_in_the_pool() {
    let mut sim = sim(&burst(100.0, 250));
    advance_s(&mut sim, 1.26);
    let waiting: Vec<_> = sim.waiting().collect();
    assert!(waiting.len() > 5);
    // Every caller still waiting for a connection has given up by now, yet the request
    // keeps its place in the queue (getConnection() is still blocked on the server).
    assert!(waiting.iter().all(|w| w.gave_up), "{waiting:?}");
    assert_eq!(sim.gauges().pending as usize, waiting.len());
    let held = sim.connections().find(|c| c.holder.is_some()).expect("the connection is held");
    assert!(held.orphaned, "the third request's caller gave up while it held the connection");
}

#[test]
fn an_answer_in_the_deadlines_very_microsecond_is_in_time() {
    // The second request is answered 200 ms after it arrived: a 200 ms deadline keeps it.
    let summary = run(&burst(100.0, 200)).1;
    assert_eq!(callers(&summary).goodput, 2);
}

#[test]
fn a_deadline_that_never_passes_changes_nothing() {
    let plain = scenario(|s| s.duration_s = 300);
    let patient = scenario(|s| {
        s.duration_s = 300;
        s.traffic.deadline_ms = 60_000;
    });
    let (a, b) = (run(&plain).1, run(&patient).1);
    assert_eq!(
        (a.counts.clone(), a.attempts, a.mean_wait_ms),
        (b.counts.clone(), b.attempts, b.mean_wait_ms)
    );
    assert!(a.callers.is_none(), "a run without callers' settings reports as before");
    let c = callers(&b);
    assert_eq!((c.gave_up, c.served_late), (0, 0));
    assert!(c.goodput + 20 >= b.requests, "every request answered but the last few in flight");
}

#[test]
fn a_deadline_shorter_than_the_pools_timeout_multiplies_the_load_when_callers_retry() {
    // A pool of 10 for 200 requests/s holding 40 ms is busy 80 %; a slow second makes a
    // queue. Callers that give up after 300 ms and retry at once add attempts while the
    // pool still serves the ones they gave up on: the GitHub 2023-05-10 pattern.
    let storm = |deadline_ms, attempts| {
        scenario(|s| {
            s.duration_s = 120;
            s.traffic.rate_per_s = 200.0;
            s.traffic.deadline_ms = deadline_ms;
            s.traffic.retry.attempts = attempts;
            s.traffic.retry.backoff = Backoff::Immediate;
            s.events = vec![
                at(30.0, Action::SetHold { hold_ms: 80.0 }),
                at(60.0, Action::SetHold { hold_ms: 40.0 }),
            ];
        })
    };
    let calm = run(&storm(300, 0)).1;
    let retried = run(&storm(300, 3)).1;
    let c = callers(&retried);
    assert!(c.retries > calm.requests / 4, "retries on the callers' timeouts: {c:?}");
    assert!(retried.attempts > calm.attempts, "{} vs {}", retried.attempts, calm.attempts);
    assert!(c.served_late > callers(&calm).served_late, "more of the pool's work is wasted");
    assert!(c.goodput <= callers(&calm).goodput, "and no more requests are answered in time");
}

#[test]
fn a_retry_budget_of_ten_percent_keeps_attempts_within_one_point_one_times_the_first_tries() {
    // An overloaded pool (its timeouts make every request fail and retry five times)
    // behind Finagle's budget: 10 % of the first tries, no reserve, over 10 s.
    let overloaded = |budget: Option<RetryBudget>| {
        scenario(|s| {
            s.duration_s = 600;
            s.pool.max_size = 5;
            s.pool.connection_timeout_ms = 200;
            s.traffic.rate_per_s = 150.0;
            s.traffic.retry.attempts = 5;
            s.traffic.retry.backoff_ms = 100;
            s.traffic.retry.budget = budget;
        })
    };
    let unbounded = run(&overloaded(None)).1;
    assert!(unbounded.attempts as f64 > 2.0 * unbounded.requests as f64, "a retry storm without a budget");
    let budget = RetryBudget { ratio: 0.1, window_s: 10, min_per_s: 0.0 };
    let (sim, summary) = run(&overloaded(Some(budget)));
    let c = callers(&summary);
    // Over the whole run, exactly: every retry was paid by a tenth of a first try.
    assert!(summary.attempts as f64 <= 1.1 * c.first_tries as f64, "{} attempts, {c:?}", summary.attempts);
    assert!(c.retries as f64 >= 0.095 * c.first_tries as f64, "the budget is used, not starved: {c:?}");
    assert!(c.retries_denied > 0);
    // Over any window [a, b] of whole seconds, the retries in it were paid by first tries
    // of the same seconds or of the 9 before (a deposit counts 10 s): that is the slack.
    let samples = sim.caller_samples();
    let firsts: Vec<u64> = samples.iter().map(|s| u64::from(s.first_tries)).collect();
    let retries: Vec<u64> = samples.iter().map(|s| u64::from(s.retries)).collect();
    let sum = |v: &[u64], a: usize, b: usize| v[a..=b].iter().sum::<u64>();
    for len in [10usize, 30, 60, 300] {
        for a in 0..samples.len() - len {
            let b = a + len - 1;
            let paid_by = 0.1 * sum(&firsts, a.saturating_sub(9), b) as f64;
            assert!(sum(&retries, a, b) as f64 <= paid_by + 1e-9, "retries of seconds {a}..={b} over budget");
            // So the attempts of a long window exceed 1.1 × its first tries by at most a
            // tenth of the 9 seconds before it.
            let attempts = sum(&firsts, a, b) + sum(&retries, a, b);
            let slack = 0.1 * sum(&firsts, a.saturating_sub(9), a.saturating_sub(1).max(a)) as f64;
            assert!(attempts as f64 <= 1.1 * sum(&firsts, a, b) as f64 + slack + 1e-9);
        }
    }
}

#[test]
fn full_jitter_spreads_the_retries_of_requests_that_timed_out_together() {
    // A burst of ~1,000 requests in 200 ms on a pool of 5 times out together 500 ms
    // later; each caller retries after 1 s. Without jitter the retries come back as a
    // wave, time out as a wave, and come back again; with full jitter they spread out.
    let waves = |jitter| {
        scenario(|s| {
            s.duration_s = 30;
            s.pool.max_size = 5;
            s.pool.connection_timeout_ms = 500;
            s.traffic.rate_per_s = 20.0;
            s.traffic.retry.attempts = 4;
            s.traffic.retry.backoff_ms = 1000;
            s.traffic.retry.jitter = jitter;
            s.traffic.retry.on = RetryOn::Timeout;
            s.events = vec![
                at(10.0, Action::SetRate { rate_per_s: 5000.0 }),
                at(10.2, Action::SetRate { rate_per_s: 20.0 }),
            ];
        })
    };
    let per_bucket = |jitter| {
        // Retries sent in each 100 ms from 10 s to 16 s.
        let mut sim = sim(&waves(jitter));
        advance_s(&mut sim, 10.0);
        let mut before = callers(&sim.summary()).retries;
        let mut counts = Vec::new();
        for step in 1..=60 {
            advance_s(&mut sim, 10.0 + f64::from(step) * 0.1);
            let now = callers(&sim.summary()).retries;
            counts.push((now - before) as f64);
            before = now;
        }
        counts
    };
    let cv = |v: &[f64]| {
        let mean = v.iter().sum::<f64>() / v.len() as f64;
        let var = v.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / v.len() as f64;
        var.sqrt() / mean
    };
    let (fixed, jittered) = (per_bucket(Jitter::None), per_bucket(Jitter::Full));
    let (total_fixed, total_jittered) = (fixed.iter().sum::<f64>(), jittered.iter().sum::<f64>());
    assert!(total_fixed > 1000.0 && total_jittered > 1000.0, "{total_fixed} {total_jittered}");
    let (cv_fixed, cv_jittered) = (cv(&fixed), cv(&jittered));
    assert!(cv_fixed > 2.0, "waves: most 100 ms buckets empty, a few full: {cv_fixed} {fixed:?}");
    assert!(cv_jittered < cv_fixed / 2.0, "spread out: {cv_jittered} against {cv_fixed}: {jittered:?}");
    let busiest = |v: &[f64], total: f64| v.iter().copied().fold(0.0, f64::max) / total;
    assert!(busiest(&jittered, total_jittered) < 0.5 * busiest(&fixed, total_fixed));
}

#[test]
fn jitter_draws_from_its_own_stream_and_moves_no_other_draw() {
    let with = |jitter| {
        scenario(|s| {
            s.duration_s = 120;
            s.pool.max_size = 4;
            s.pool.connection_timeout_ms = 300;
            s.traffic.rate_per_s = 120.0;
            s.traffic.retry.attempts = 2;
            s.traffic.retry.backoff_ms = 500;
            s.traffic.retry.jitter = jitter;
        })
    };
    let (a, b) = (run(&with(Jitter::None)).0, run(&with(Jitter::Full)).0);
    let firsts = |s: &Simulation| s.caller_samples().iter().map(|c| c.first_tries).collect::<Vec<_>>();
    let retries = |s: &Simulation| s.caller_samples().iter().map(|c| c.retries).collect::<Vec<_>>();
    assert_eq!(firsts(&a), firsts(&b), "the same requests arrive at the same times");
    assert_ne!(retries(&a), retries(&b), "only the retries move");
}

#[test]
fn an_exponential_backoff_doubles_each_pause_up_to_its_cap() {
    // The application is down: every attempt fails at once, logged with its request.
    let down = |max_backoff_ms| {
        scenario(|s| {
            s.duration_s = 20;
            s.traffic.rate_per_s = 5.0;
            s.traffic.retry.attempts = 4;
            s.traffic.retry.backoff_ms = 100;
            s.traffic.retry.backoff = Backoff::Exponential;
            s.traffic.retry.max_backoff_ms = max_backoff_ms;
            s.events = vec![at(5.0, Action::RestartApp { downtime_s: 10.0 })];
        })
    };
    for (cap, pauses) in
        [(20_000, [100_000, 200_000, 400_000, 800_000]), (250, [100_000, 200_000, 250_000, 250_000])]
    {
        let sim = run(&down(cap)).0;
        let mut tries: Vec<(u64, u64)> = sim
            .log()
            .filter(|l| l.kind == LogKind::RequestFailed)
            .filter_map(|l| {
                let k = l.message.strip_prefix("Request ")?.split(' ').next()?.parse().ok()?;
                Some((k, l.t_us.as_micros()))
            })
            .collect();
        let first = tries.first().map(|t| t.0).expect("failures logged");
        tries.retain(|t| t.0 == first);
        let gaps: Vec<u64> = tries.windows(2).map(|w| w[1].1 - w[0].1).collect();
        assert_eq!(gaps, pauses, "cap {cap} ms");
    }
}

#[test]
fn a_policy_retries_only_the_failures_it_names() {
    // Timeouts only: an overloaded pool that lets everyone wait 100 ms.
    let timeouts = |on| {
        scenario(|s| {
            s.duration_s = 60;
            s.pool.max_size = 2;
            s.pool.connection_timeout_ms = 100;
            s.traffic.rate_per_s = 100.0;
            s.traffic.retry.attempts = 2;
            s.traffic.retry.on = on;
        })
    };
    // Refusals only: no request may wait.
    let refusals = |on| {
        scenario(|s| {
            s.duration_s = 60;
            s.pool.max_size = 2;
            s.pool.max_waiting = Some(0);
            s.traffic.rate_per_s = 100.0;
            s.traffic.retry.attempts = 2;
            s.traffic.retry.on = on;
        })
    };
    let retries = |s: Scenario| {
        let summary = run(&s).1;
        summary.attempts - summary.requests
    };
    assert_eq!(retries(timeouts(RetryOn::Refusal)), 0);
    assert!(retries(timeouts(RetryOn::Timeout)) > 1000);
    assert_eq!(retries(refusals(RetryOn::Timeout)), 0);
    assert!(retries(refusals(RetryOn::Refusal)) > 1000);
    assert_eq!(retries(refusals(RetryOn::Both)), retries(refusals(RetryOn::Refusal)));
}

/// Calls at 100 a second; the application restarts at 20 s and is down for 60 s, so every
/// call fails at once until 80 s; a breaker that opens at half the calls failing (at least
/// 20 in 5 s), stays open 10 s and lets 5 probe calls through.
fn outage_behind_a_breaker() -> Scenario {
    scenario(|s| {
        s.duration_s = 150;
        s.traffic.rate_per_s = 100.0;
        s.traffic.breaker = Some(BreakerConfig {
            failure_ratio: 0.5,
            window_s: 5,
            min_calls: 20,
            open_s: 10.0,
            half_open_calls: 5,
        });
        s.events = vec![at(20.0, Action::RestartApp { downtime_s: 60.0 })];
    })
}

#[test]
fn a_circuit_breaker_opens_probes_reopens_and_closes_as_specified() {
    let (sim, summary) = run(&outage_behind_a_breaker());
    let state = |t: u32| sim.caller_samples()[t as usize - 1].breaker;
    let (closed, open, half) =
        (BreakerState::Closed.code(), BreakerState::Open.code(), BreakerState::HalfOpen.code());
    assert_eq!(state(20), closed);
    // 5 s of calls in the window, ~500, half of them failed: about 2.5 s into the outage.
    let opened = (21..=30).find(|&t| state(t) == open).expect("it opens");
    assert!((22..=24).contains(&opened), "opened at {opened} s");
    // Open for 10 s: no call reaches the application meanwhile.
    let reached: u32 = sim.samples()[opened as usize..opened as usize + 8].iter().map(|s| s.arrivals).sum();
    assert_eq!(reached, 0);
    // While the application is down, each half-open probe fails and it opens again.
    let lines = messages(&sim, LogKind::Breaker);
    let reopened = lines.iter().filter(|m| m.contains("open again")).count();
    assert!((4..=6).contains(&reopened), "reopened {reopened} times: {lines:?}");
    // Back up at 80 s: the next probes are answered and it closes, for good.
    let closed_at = (81..=100).find(|&t| state(t) == closed).expect("it closes");
    assert!(closed_at <= 92, "closed at {closed_at} s");
    assert!((closed_at..=150).all(|t| state(t) == closed));
    assert!(lines.iter().any(|m| m.contains("half open")) && lines.iter().any(|m| m.contains("closed")));
    assert!((81..closed_at).any(|t| state(t) == half || state(t) == open));
    let c = callers(&summary);
    assert_eq!(c.breaker_opened as usize, 1 + reopened);
    // It failed at once most of the outage's calls (the rest were probes, or came before it opened).
    assert!(c.breaker_rejected > 4000 && c.breaker_rejected < 6000, "{c:?}");
    let failing: u32 = sim.samples()[closed_at as usize + 5..].iter().map(|s| s.failed).sum();
    assert_eq!(failing, 0, "after it closes nothing fails");
}

#[test]
fn a_breaker_rejection_is_a_failed_request_counted_apart() {
    let summary = run(&outage_behind_a_breaker()).1;
    let c = callers(&summary);
    assert!(summary.counts.failed >= c.breaker_rejected);
    assert_eq!(summary.attempts, c.first_tries + c.retries, "rejected calls never reach the pool");
    assert_eq!(summary.requests, c.first_tries + c.breaker_rejected, "no retries: each request tried once");
}

#[test]
fn a_live_change_of_the_callers_replays_as_a_timeline_event() {
    let base = scenario(|s| {
        s.duration_s = 200;
        s.pool.max_size = 4;
        s.pool.connection_timeout_ms = 300;
        s.traffic.rate_per_s = 110.0;
        s.traffic.retry.attempts = 3;
    });
    let changes = [
        Action::SetDeadline { deadline_ms: 250 },
        Action::SetRetry {
            attempts: 2,
            backoff_ms: 50,
            backoff: Backoff::Exponential,
            max_backoff_ms: 400,
            jitter: Jitter::Full,
            on: RetryOn::Timeout,
        },
        Action::SetRetryBudget { ratio: 0.2, window_s: 5, min_per_s: 1.0 },
        Action::SetBreaker {
            failure_ratio: 0.6,
            window_s: 5,
            min_calls: 50,
            open_s: 3.0,
            half_open_calls: 3,
        },
    ];
    let mut live = sim(&base);
    for (i, action) in changes.iter().enumerate() {
        live.advance_to(SimTime::from_secs(30 + 30 * i as u64)).expect("forward");
        live.apply(action.clone()).expect("a valid change");
        let said = live.log().last().map(|l| l.message.clone()).unwrap_or_default();
        let expected = [
            "Callers give up after 250ms",
            "Callers retry 2 times on timeout",
            "Retry budget",
            "Circuit breaker",
        ];
        assert!(said.starts_with(expected[i]), "{said}");
    }
    live.run_to_end();
    let mut scheduled = base.clone();
    scheduled.events = live.applied().to_vec();
    let (replayed, summary) = run(&scheduled);
    assert_eq!(live.trace_digest(), replayed.trace_digest());
    assert!(live.models_callers() && summary.callers.is_some());
    let settings = live.caller_settings();
    assert_eq!(settings.deadline_ms, 250);
    assert_eq!((settings.retry.attempts, settings.retry.jitter), (2, Jitter::Full));
    assert_eq!(settings.retry.budget.map(|b| b.window_s), Some(5));
    assert!(settings.breaker.is_some());
}
