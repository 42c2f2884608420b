//! The clock: `advance_to` lands exactly where asked, refuses the past, and a budgeted
//! `advance` never blocks a frame yet reaches the same state in slices.

mod common;

use common::{run, scenario, sim};
use poolsim_engine::{EngineError, Scenario};

fn busy() -> Scenario {
    scenario(|s| {
        s.duration_s = 120;
        s.traffic.rate_per_s = 300.0;
        s.pool.max_size = 14;
        s.pool.connection_timeout_ms = 500;
        s.leak.probability = 0.0005;
    })
}

#[test]
fn advance_to_leaves_the_clock_exactly_where_asked() {
    let mut sim = sim(&busy());
    assert_eq!((sim.now_us(), sim.end_us(), sim.is_finished()), (0, 120_000_000, false));
    sim.advance_to(1_234_567).expect("forward");
    assert_eq!(sim.now_us(), 1_234_567);
    assert_eq!(sim.samples().len(), 1, "one whole second has passed");
    sim.advance_to(1_234_567).expect("standing still is fine");
    assert_eq!(sim.now_us(), 1_234_567);
    sim.advance_to(u64::MAX).expect("beyond the end clamps to the end");
    assert_eq!(sim.now_us(), sim.end_us());
    assert!(sim.is_finished());
    assert_eq!(sim.samples().len(), 120, "one sample per simulated second, the last one included");
    assert_eq!(sim.samples().iter().map(|s| s.t_s).collect::<Vec<_>>(), (1..=120).collect::<Vec<_>>());
}

#[test]
fn the_past_is_an_error_and_changes_nothing() {
    let mut sim = sim(&busy());
    sim.advance_to(5_000_000).expect("forward");
    let before = sim.trace_digest();
    assert_eq!(
        sim.advance_to(4_999_999),
        Err(EngineError::TimeInPast { now_us: 5_000_000, requested_us: 4_999_999 })
    );
    assert!(matches!(sim.advance(0, 10), Err(EngineError::TimeInPast { .. })));
    assert_eq!(sim.now_us(), 5_000_000);
    assert_eq!(sim.trace_digest(), before);
}

#[test]
fn a_budgeted_advance_stops_after_max_events_and_resumes_to_the_same_run() {
    let (whole, _) = run(&busy());
    let mut sliced = sim(&busy());
    let mut calls = 0;
    loop {
        let before = sim_now(&sliced);
        let step = sliced.advance(sliced.end_us(), 997).expect("forward");
        calls += 1;
        assert!(step.events <= 997);
        if step.reached {
            break;
        }
        assert_eq!(step.events, 997, "an unfinished slice used its whole budget");
        assert!(sliced.now_us() >= before && sliced.now_us() < sliced.end_us());
    }
    assert!(calls > 50, "the run took many slices: {calls}");
    assert!(sliced.is_finished());
    assert_eq!(sliced.summary(), whole.summary());
    assert_eq!(sliced.trace_digest(), whole.trace_digest());
}

#[test]
fn many_small_steps_reach_the_same_run_as_one_big_one() {
    // The page advances by a frame's worth of simulated time; a CLI runs to the end at once.
    let (whole, _) = run(&busy());
    let mut framed = sim(&busy());
    let mut t = 0;
    while !framed.is_finished() {
        t += 16_667 * 7; // a 60 fps frame at 7× speed [µs]
        framed.advance_to(t).expect("forward");
    }
    assert_eq!(framed.trace_digest(), whole.trace_digest());
}

#[test]
fn a_zero_budget_does_nothing_and_returns_at_once() {
    let mut sim = sim(&busy());
    let step = sim.advance(10_000_000, 0).expect("forward");
    assert!(!step.reached);
    assert_eq!((step.events, sim.now_us()), (0, 0));
}

fn sim_now(sim: &poolsim_engine::Simulation) -> u64 {
    sim.now_us()
}
