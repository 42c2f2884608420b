//! Request threads in front of the pool (`app`): a request holds a thread while it waits
//! for a connection, so an exhausted pool starves every request — those that need no
//! database too — and the server refuses what its accept queue cannot hold.

use poolsim_engine::analytic::erlang_b_refused;
use poolsim_engine::{Action, AppConfig, Scenario, SimTime, Simulation, TimedEvent};
use proptest::prelude::*;

/// 200 requests/s of 40 ms against a pool of 20, behind 40 threads and an accept queue of
/// 20; 30 % of the requests need no database. A leaky deploy at one minute exhausts the pool.
fn leaky_server() -> Scenario {
    let mut s = Scenario { duration_s: 300, seed: 3, ..Scenario::default() };
    s.pool.max_size = 20;
    s.pool.connection_timeout_ms = 30_000;
    s.traffic.rate_per_s = 200.0;
    s.app = Some(AppConfig { threads: 40, accept_queue: 20, no_db_share: 0.3, no_db_ms: 5.0 });
    s.events.push(TimedEvent::new(60.0, Action::DeployLeak { probability: 0.01 }));
    s
}

/// The run's summary at `t_s` seconds.
fn run_until(sim: &mut Simulation, t_s: u64) -> poolsim_engine::Summary {
    sim.advance_to(SimTime::from_secs(t_s)).expect("forward");
    sim.summary()
}

#[test]
fn threads_blocked_on_an_exhausted_pool_fail_the_requests_that_need_no_database_too() {
    let mut sim = Simulation::new(&leaky_server()).expect("valid");
    let healthy = run_until(&mut sim, 60);
    let app = healthy.app.clone().expect("the run models its threads");
    // Before the leak: every request answered, 30 % of them without the database.
    assert_eq!(app.rejected, 0);
    let share = app.no_db_answered as f64 / healthy.requests as f64;
    assert!((share - 0.3).abs() < 0.02, "{share}");
    let before = app.no_db_answered;

    let exhausted = run_until(&mut sim, 240);
    assert!(exhausted.milestones.first_exhaustion_s.is_some());
    let later = run_until(&mut sim, 300);
    let app = later.app.expect("threads");
    // The last minute: every thread is blocked on the pool and the accept queue is full,
    // so requests that never touch the database are refused with the rest.
    let last_minute = &sim.app_samples()[240..300];
    assert!(last_minute.iter().all(|a| a.threads_busy == 40 && a.accept_queue == 20), "{last_minute:?}");
    let refused: u32 = last_minute.iter().map(|a| a.rejected).sum();
    assert!(refused > 10_000, "{refused} refused in the last minute of ~12,000 requests");
    let no_db_late = app.no_db_answered - exhausted.app.expect("threads").no_db_answered;
    assert!(no_db_late < 50, "{no_db_late} requests without the database answered in the last minute");
    assert!(before > 3000);
    assert!(app.peak_threads_busy == 40 && app.peak_accept_queue == 20, "{app:?}");
}

#[test]
fn with_threads_to_spare_the_requests_that_need_no_database_are_still_answered() {
    let mut s = leaky_server();
    s.app = Some(AppConfig { threads: 100_000, accept_queue: 100, ..s.app.expect("app") });
    let mut sim = Simulation::new(&s).expect("valid");
    let at_240 = run_until(&mut sim, 240).app.expect("threads").no_db_answered;
    let end = sim.run_to_end();
    let app = end.app.expect("threads");
    assert_eq!(app.rejected, 0);
    // About 0.3 × 200 × 60 = 3,600 in the last minute, while the pool is exhausted.
    let last_minute = app.no_db_answered - at_240;
    assert!((3200..4000).contains(&last_minute), "{last_minute}");
    assert!(end.milestones.first_exhaustion_s.is_some());
}

#[test]
fn a_server_without_an_accept_queue_refuses_as_erlang_b_says() {
    // A pool so big nobody waits for a connection: each request holds its thread for its
    // hold, an M/M/c/c loss system.
    let mut s = Scenario { duration_s: 1800, seed: 11, ..Scenario::default() };
    s.pool.max_size = 1000;
    s.traffic.rate_per_s = 200.0;
    s.app = Some(AppConfig { threads: 10, accept_queue: 0, ..AppConfig::default() });
    let summary = Simulation::new(&s).expect("valid").run_to_end();
    let refused = summary.app.expect("threads").rejected as f64 / summary.requests as f64;
    let theory = erlang_b_refused(10, 200.0, 40.0);
    assert!((refused - theory).abs() < 0.01, "refused {refused:.4}, Erlang B {theory:.4}");
    assert!(theory > 0.1, "{theory}");
}

#[test]
fn more_threads_on_the_timeline_end_the_refusals() {
    let mut s = Scenario { duration_s: 240, seed: 5, ..Scenario::default() };
    s.pool.max_size = 100;
    s.traffic.rate_per_s = 400.0;
    s.app = Some(AppConfig { threads: 8, accept_queue: 4, ..AppConfig::default() });
    s.events.push(TimedEvent::new(120.0, Action::SetThreads { threads: 200, accept_queue: None }));
    let mut sim = Simulation::new(&s).expect("valid");
    sim.run_to_end();
    let samples = sim.app_samples();
    // Sample i covers second i + 1; the one of second 120 is taken after the action.
    let before: u32 = samples[..119].iter().map(|a| a.rejected).sum();
    let after: u32 = samples[120..].iter().map(|a| a.rejected).sum();
    assert!(before > 10_000, "{before}");
    assert_eq!(after, 0);
    assert!(samples[..119].iter().all(|a| a.threads_busy <= 8 && a.accept_queue <= 4));
    assert_eq!(sim.summary().app.expect("threads").threads, 200);
}

#[test]
fn set_threads_on_a_scenario_without_threads_starts_modelling_them() {
    let mut s = Scenario { duration_s: 120, ..Scenario::default() };
    s.events.push(TimedEvent::new(60.0, Action::SetThreads { threads: 4, accept_queue: Some(2) }));
    let mut sim = Simulation::new(&s).expect("valid");
    assert!(!sim.models_threads());
    sim.advance_to(SimTime::from_secs(59)).expect("forward");
    assert!(sim.summary().app.is_none());
    let summary = sim.run_to_end();
    assert!(sim.models_threads());
    let app = summary.app.expect("threads from the action on");
    // 100 requests/s of 40 ms want 4 threads on average: 4 threads and 2 queued refuse some.
    assert!(app.rejected > 0 && app.threads == 4, "{app:?}");
}

#[test]
fn a_caller_whose_deadline_passes_in_the_accept_queue_gives_up() {
    let mut s = Scenario { duration_s: 120, seed: 9, ..Scenario::default() };
    s.pool.max_size = 50;
    s.traffic.rate_per_s = 100.0;
    s.traffic.deadline_ms = 100;
    s.work.hold_ms = 100.0;
    // One thread, a long queue: most callers give up before a thread takes them.
    s.app = Some(AppConfig { threads: 2, accept_queue: 10_000, ..AppConfig::default() });
    let mut sim = Simulation::new(&s).expect("valid");
    let summary = sim.run_to_end();
    let callers = summary.callers.expect("a deadline models the callers");
    assert!(callers.gave_up > summary.requests / 2, "{callers:?}");
    // Nobody stays queued past its caller's deadline: 100 requests/s × 0.1 s, and more.
    assert!(sim.app_samples().iter().all(|a| a.accept_queue <= 40), "{:?}", sim.app_samples());
}

#[test]
fn without_app_nothing_is_reported_and_nothing_changes() {
    let s = leaky_server();
    let plain = Scenario { app: None, ..s };
    let mut sim = Simulation::new(&plain).expect("valid");
    let summary = sim.run_to_end();
    assert!(summary.app.is_none() && !sim.models_threads());
    let json = serde_json::to_string(&summary).expect("serialises");
    assert!(!json.contains("\"app\""), "{json}");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, failure_persistence: None, ..ProptestConfig::default() })]

    /// Any threads, queue, share and timeline of thread changes and restarts: the engine's
    /// invariants (checked after every event in this debug build) hold, and the samples
    /// never show more threads busy or more queued than the server has.
    #[test]
    fn threads_never_exceed_their_limits(
        threads in 1u32..30,
        accept_queue in 0u32..30,
        no_db_share in 0.0f64..1.0,
        leak in 0.0f64..0.02,
        later_threads in 1u32..30,
        seed in 0u64..1000,
    ) {
        let mut s = Scenario { duration_s: 60, seed, ..Scenario::default() };
        s.pool.max_size = 8;
        s.pool.connection_timeout_ms = 2000;
        s.traffic.rate_per_s = 150.0;
        s.traffic.deadline_ms = 1500;
        s.traffic.retry.attempts = 1;
        s.leak.probability = leak;
        s.app = Some(AppConfig { threads, accept_queue, no_db_share, no_db_ms: 20.0 });
        s.events.push(TimedEvent::new(20.0, Action::SetThreads { threads: later_threads, accept_queue: None }));
        s.events.push(TimedEvent::new(40.0, Action::RestartApp { downtime_s: 2.0 }));
        let mut sim = Simulation::new(&s).expect("valid");
        sim.run_to_end();
        let most = threads.max(later_threads);
        for a in sim.app_samples() {
            prop_assert!(a.threads_busy <= most, "{a:?}");
            prop_assert!(a.accept_queue <= accept_queue, "{a:?}");
        }
    }
}
