//! The pool view drawn from real runs: slots per state, the queue and the flow through it,
//! and the aggregate view when there are too many connections to draw one by one; with
//! requests in motion, the waiting line as particles and leaked slots with their age.

use plotters::prelude::*;
use poolsim_charts::{Motion, PoolInput, Theme, draw_pool, pool::SlotLook, pool::look_counts};
use poolsim_content::presets;
use poolsim_engine::{ConnectionView, Scenario, SimTime, Simulation};

fn draw(sim: &Simulation, size: (u32, u32)) -> String {
    let connections: Vec<ConnectionView> = sim.connections().collect();
    draw_input(&PoolInput::of(sim, &connections, false), size)
}

fn draw_input(input: &PoolInput<'_>, size: (u32, u32)) -> String {
    let mut svg = String::new();
    {
        let area = SVGBackend::with_string(&mut svg, size).into_drawing_area();
        draw_pool(&area, input, &Theme::light(1.0)).expect("the pool draws");
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
        motion: None,
    });
    let (_, idle) = counts.iter().copied().find(|(look, _)| *look == SlotLook::Idle).expect("idle count");
    assert!(texts.contains(&format!("idle {idle}")), "the bar labels its counts: {texts:?}");
    assert!(svg.matches("<rect").count() < 50, "an aggregate bar, not 5,000 slots");
}

/// Elements of `svg` named `tag` filled with `fill` (`#RRGGBB`) left of `x_below` px.
fn filled(svg: &str, tag: &str, fill: &str, x_below: f64) -> usize {
    let doc = roxmltree::Document::parse(svg).expect("valid SVG");
    doc.descendants()
        .filter(|n| n.has_tag_name(tag) && n.attribute("fill").is_some_and(|f| f.eq_ignore_ascii_case(fill)))
        .filter(|n| {
            let x = n.attribute("x").or(n.attribute("cx")).and_then(|x| x.parse::<f64>().ok());
            x.is_some_and(|x| x < x_below)
        })
        .count()
}

#[test]
fn in_motion_the_line_is_a_dot_per_waiter_and_each_leaked_slot_shows_how_long_it_has_been_gone() {
    let mut sim = Simulation::new(&presets::load("fast-leak").expect("preset")).expect("runs");
    sim.advance_to(SimTime::from_secs(400)).expect("well past exhaustion");
    let connections: Vec<ConnectionView> = sim.connections().collect();
    let input = PoolInput::of(&sim, &connections, false);
    let mut motion = Motion::default();
    motion.update(0.0, sim.now(), 1.0, input.recent_arrivals, sim.waiting(), &connections, false);
    let svg = draw_input(&PoolInput { motion: Some(&motion), ..input }, (800, 260));
    // 260 px high: the line has room for (260 − 46 − 70) / 8 = 18 places below its count.
    let waiting = sim.gauges().pending as usize;
    assert!(waiting > 18, "a long queue: {waiting}");
    assert_eq!(filled(&svg, "circle", "#E69F00", 800.0), 18, "one orange dot per waiter the line shows");
    assert!(texts(&svg).contains(&waiting.to_string()), "and the whole queue's length");
    // Every slot leaked long ago: each carries an age strip in the text colour (the slots
    // take the left 800 − 800 / 5 = 640 px; the flows' stripes right of them share it).
    let leaked = connections.iter().filter(|c| c.state == poolsim_engine::ConnState::Leaked).count();
    assert_eq!(leaked, 10);
    assert_eq!(filled(&svg, "rect", "#1F2328", 640.0), leaked, "one age strip per leaked slot");
}
