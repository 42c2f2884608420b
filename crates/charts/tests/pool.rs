//! The pool view drawn from real runs: slots per state, the queue and the flow through it,
//! and the aggregate view when there are too many connections to draw one by one.

use plotters::prelude::*;
use poolsim_charts::{PoolInput, Theme, draw_pool, pool::SlotLook, pool::look_counts};
use poolsim_content::presets;
use poolsim_engine::{ConnectionView, Scenario, SimTime, Simulation};

fn draw(sim: &Simulation, size: (u32, u32)) -> String {
    let connections: Vec<ConnectionView> = sim.connections().collect();
    let input = PoolInput::of(sim, &connections, false);
    let mut svg = String::new();
    {
        let area = SVGBackend::with_string(&mut svg, size).into_drawing_area();
        draw_pool(&area, &input, &Theme::light(1.0)).expect("the pool draws");
        area.present().expect("presented");
    }
    svg
}

fn texts(svg: &str) -> Vec<String> {
    let doc = roxmltree::Document::parse(svg).expect("valid SVG");
    doc.descendants()
        .filter_map(|n| n.text())
        .map(|t| t.trim().to_owned())
        .filter(|t| !t.is_empty())
        .collect()
}

#[test]
fn an_exhausted_pool_shows_every_slot_leaked_a_long_queue_and_timeouts_at_the_arrival_rate() {
    let mut sim = Simulation::new(&presets::load("fast-leak").expect("preset")).expect("runs");
    sim.advance_to(SimTime::from_secs(400)).expect("well past exhaustion");
    let svg = draw(&sim, (800, 260));
    let texts = texts(&svg);
    let waiting = sim.gauges().pending.to_string();
    assert!(
        texts.contains(&"waiting".to_owned()) && texts.contains(&waiting),
        "queue length {waiting}: {texts:?}"
    );
    let last = sim.samples().last().expect("a sample");
    assert!(last.timeouts > 0, "the dry pool times requests out");
    assert!(texts.contains(&format!("✕ {} timed out /s", last.timeouts)), "{texts:?}");
    assert!(texts.contains(&format!("→ {} in /s", last.arrivals)), "{texts:?}");
    // Ten leaked slots, each a vermillion square with a cross (two strokes) on it.
    let doc = roxmltree::Document::parse(&svg).expect("valid SVG");
    let leaked_slots = doc
        .descendants()
        .filter(|n| {
            n.has_tag_name("rect") && n.attribute("fill").is_some_and(|f| f.eq_ignore_ascii_case("#D55E00"))
        })
        .count();
    assert_eq!(leaked_slots, 10, "one leaked slot per connection");
}

#[test]
fn thousands_of_connections_switch_to_the_aggregate_bar_with_counts() {
    let scenario = Scenario::from_json(
        r#"{ "duration_s": 60, "pool": { "max_size": 5000 }, "traffic": { "rate_per_s": 50000 }, "work": { "hold_ms": 40 } }"#,
    )
    .expect("valid");
    let mut sim = Simulation::new(&scenario).expect("runs");
    sim.advance_to(SimTime::from_secs(5)).expect("forward");
    let svg = draw(&sim, (800, 260));
    let texts = texts(&svg);
    let connections: Vec<ConnectionView> = sim.connections().collect();
    let counts = look_counts(&PoolInput {
        connections: &connections,
        max_size: 5000,
        waiting: 0,
        recent_arrivals: 0,
        recent_served: 0,
        recent_timeouts: 0,
        now: sim.now(),
        reduced_motion: false,
    });
    let (_, idle) = counts.iter().copied().find(|(look, _)| *look == SlotLook::Idle).expect("idle count");
    assert!(texts.contains(&format!("idle {idle}")), "the bar labels its counts: {texts:?}");
    assert!(svg.matches("<rect").count() < 50, "an aggregate bar, not 5,000 slots");
}
