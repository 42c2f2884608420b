//! The clock: `advance_to` lands exactly where asked, refuses the past, and a budgeted
//! `advance` never blocks a frame yet reaches the same state in slices.

mod common;

use common::{run, scenario, sim};
use poolsim_engine::{EngineError, Scenario, SimDuration, SimTime};

/// An instant [µs].
fn at_us(us: u64) -> SimTime {
    SimTime::from_micros(us)
}

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
    assert_eq!((sim.now(), sim.end(), sim.is_finished()), (SimTime::ZERO, SimTime::from_secs(120), false));
    sim.advance_to(at_us(1_234_567)).expect("forward");
    assert_eq!(sim.now(), at_us(1_234_567));
    assert_eq!(sim.samples().len(), 1, "one whole second has passed");
    sim.advance_to(at_us(1_234_567)).expect("standing still is fine");
    assert_eq!(sim.now(), at_us(1_234_567));
    sim.advance_to(SimTime::MAX).expect("beyond the end clamps to the end");
    assert_eq!(sim.now(), sim.end());
    assert!(sim.is_finished());
    assert_eq!(sim.samples().len(), 120, "one sample per simulated second, the last one included");
    assert_eq!(sim.samples().iter().map(|s| s.t_s).collect::<Vec<_>>(), (1..=120).collect::<Vec<_>>());
}

#[test]
fn the_past_is_an_error_and_changes_nothing() {
    let mut sim = sim(&busy());
    sim.advance_to(SimTime::from_secs(5)).expect("forward");
    let before = sim.trace_digest();
    let refused = sim.advance_to(at_us(4_999_999));
    assert_eq!(refused, Err(EngineError::TimeInPast { now: at_us(5_000_000), requested: at_us(4_999_999) }));
    assert_eq!(
        refused.map_err(|e| e.to_string()),
        Err("cannot go back in time: the clock is at 5000000 µs, asked for 4999999 µs".to_owned())
    );
    assert!(matches!(sim.advance(SimTime::ZERO, 10), Err(EngineError::TimeInPast { .. })));
    assert_eq!(sim.now(), SimTime::from_secs(5));
    assert_eq!(sim.trace_digest(), before);
}

#[test]
fn a_budgeted_advance_stops_after_max_events_and_resumes_to_the_same_run() {
    let (whole, _) = run(&busy());
    let mut sliced = sim(&busy());
    let mut calls = 0;
    loop {
        let before = sim_now(&sliced);
        let step = sliced.advance(sliced.end(), 997).expect("forward");
        calls += 1;
        assert!(step.events <= 997);
        if step.reached {
            break;
        }
        assert_eq!(step.events, 997, "an unfinished slice used its whole budget");
        assert!(sliced.now() >= before && sliced.now() < sliced.end());
    }
    assert!(calls > 50, "the run took many slices: {calls}");
    assert!(sliced.is_finished());
    assert_eq!(sliced.summary(), whole.summary());
    assert_eq!(sliced.trace_digest(), whole.trace_digest());
}

#[test]
fn a_budgeted_run_with_leak_and_abandoned_checks_counts_the_same_events() {
    // Nearly every check is moot when it comes due (its connection came back long ago):
    // the queue drops those without running them, and the events they were still count.
    let mut checked = busy();
    checked.pool.leak_detection_threshold_ms = 2_000;
    checked.pool.abandoned_timeout_ms = 5_000;
    let (whole, summary) = run(&checked);
    // A hand-out is an arrival, a hold's end and two checks (fewer in the run's last
    // seconds, whose checks would come due after its end): about 4 events, 2 without them.
    let handouts = summary.counts.served + summary.counts.leaked;
    assert!(
        summary.events_processed * 2 > handouts * 7,
        "the checks count: {} events for {handouts} connections handed out",
        summary.events_processed
    );
    let mut sliced = sim(&checked);
    while !sliced.advance(sliced.end(), 997).expect("forward").reached {}
    assert_eq!(sliced.summary(), summary);
    assert_eq!(sliced.trace_digest(), whole.trace_digest());
    assert!(summary.counts.reclaimed > 0 && summary.counts.leaked > 0, "some checks were not moot");
}

#[test]
fn many_small_steps_reach_the_same_run_as_one_big_one() {
    // The page advances by a frame's worth of simulated time; a CLI runs to the end at once.
    let (whole, _) = run(&busy());
    let mut framed = sim(&busy());
    let mut t = SimTime::ZERO;
    while !framed.is_finished() {
        t += SimDuration::from_micros(16_667 * 7); // a 60 fps frame at 7× speed
        framed.advance_to(t).expect("forward");
    }
    assert_eq!(framed.trace_digest(), whole.trace_digest());
}

#[test]
fn a_zero_budget_does_nothing_and_returns_at_once() {
    let mut sim = sim(&busy());
    let step = sim.advance(SimTime::from_secs(10), 0).expect("forward");
    assert!(!step.reached);
    assert_eq!((step.events, sim.now()), (0, SimTime::ZERO));
}

fn sim_now(sim: &poolsim_engine::Simulation) -> SimTime {
    sim.now()
}
