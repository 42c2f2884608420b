//! The app in a real browser (headless Chromium): it mounts, shows its shell, runs the
//! seed incident and draws its five charts on HiDPI-sized canvases.
#![cfg(target_arch = "wasm32")]

use poolsim_web::pages::visualizer::VisualizerPage;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{CanvasRenderingContext2d, Element, HtmlCanvasElement, HtmlSelectElement};

wasm_bindgen_test_configure!(run_in_browser);

mod support;
use support::{click, find, until, until_frames};

/// The app's own stylesheets, so components are laid out as on the real page.
const STYLES: [&str; 11] = [
    include_str!("../styles/base.css"),
    include_str!("../styles/layout.css"),
    include_str!("../styles/outcome.css"),
    include_str!("../styles/chart.css"),
    include_str!("../styles/log.css"),
    include_str!("../styles/pool.css"),
    include_str!("../styles/playback.css"),
    include_str!("../styles/controls.css"),
    include_str!("../styles/compare.css"),
    include_str!("../styles/share.css"),
    include_str!("../styles/timeline.css"),
];

fn mount() -> Element {
    let root = support::root("poolsim-styles", &STYLES, None);
    yew::Renderer::<VisualizerPage>::with_root(root.clone()).render();
    root
}

fn text(root: &Element, test_id: &str) -> String {
    find(root, test_id).and_then(|e| e.text_content()).unwrap_or_default()
}

/// Distinct colours in a canvas (sampled), to tell a drawing from a blank.
fn colours(canvas: &HtmlCanvasElement) -> usize {
    let ctx: CanvasRenderingContext2d =
        canvas.get_context("2d").ok().flatten().expect("2d context").dyn_into().expect("a 2d context");
    let pixels = ctx
        .get_image_data(0.0, 0.0, f64::from(canvas.width()), f64::from(canvas.height()))
        .expect("pixels")
        .data();
    let mut colours: Vec<[u8; 3]> = pixels.chunks_exact(4).step_by(7).map(|p| [p[0], p[1], p[2]]).collect();
    colours.sort_unstable();
    colours.dedup();
    colours.len()
}

fn canvas(root: &Element, test_id: &str) -> HtmlCanvasElement {
    find(root, test_id).and_then(|e| e.dyn_into().ok()).unwrap_or_else(|| panic!("no {test_id} canvas"))
}

/// Laid out by the page's CSS (an unsized canvas is 300 px wide) and sized × devicePixelRatio.
fn sized(c: &HtmlCanvasElement) -> bool {
    let ratio = web_sys::window().map_or(1.0, |w| w.device_pixel_ratio()).clamp(1.0, 4.0);
    c.client_width() > 300 && c.width() == (f64::from(c.client_width()) * ratio).round() as u32
}

#[wasm_bindgen_test]
async fn app_opens_paused_on_the_seed_incident_with_a_full_idle_pool() {
    let root = mount();
    until(&root, "the pool view", |r| {
        find(r, "pool-canvas").is_some_and(|c| c.dyn_into().is_ok_and(|c| sized(&c)))
    })
    .await;

    let heading = root.query_selector("h1").ok().flatten().and_then(|h| h.text_content());
    assert_eq!(heading.as_deref(), Some("poolsim"));
    let headings: Vec<String> = {
        let list = root.query_selector_all("h2").expect("h2 list");
        (0..list.length()).filter_map(|i| list.get(i)?.text_content()).collect()
    };
    for region in [
        "Scenario and its settings",
        "Pool: connections in use, idle and leaked",
        "Charts: the pool over time",
        "Outcome so far: requests served and failed",
        "Event log: the pool's own messages",
    ] {
        assert!(headings.iter().any(|h| h == region), "region {region} missing: {headings:?}");
    }
    let preset: HtmlSelectElement =
        find(&root, "preset").expect("preset picker").dyn_into().expect("a select");
    assert_eq!(preset.value(), "june-15-2024", "the seed incident opens first");
    assert!(preset.length() >= 5, "every shipped preset is offered");

    assert_eq!(text(&root, "clock"), "12:00:00");
    assert_eq!(text(&root, "readout-idle"), "100", "min_idle = 100: the pool starts warm");
    assert_eq!(text(&root, "play").trim(), "▶ Play");
    let pool = canvas(&root, "pool-canvas");
    assert!(colours(&pool) > 3, "the idle slots are drawn");
    root.remove();
}

#[wasm_bindgen_test]
async fn run_to_end_replays_the_incident_and_draws_the_chart() {
    let root = mount();
    until(&root, "the play button", |r| find(r, "run-to-end").is_some()).await;
    click(&root, "run-to-end");
    // Five simulated hours, a bounded slice a frame: up to ~60 s of frames on a busy machine.
    until_frames(&root, "the run to finish", 3600, |r| find(r, "run-stats").is_some()).await;

    let stats = text(&root, "run-stats");
    assert!(stats.starts_with("Simulated 5 h 00 m"), "run stats: {stats}");
    assert_eq!(text(&root, "clock"), "17:00:00");
    let exhausted = text(&root, "exhaustion");
    assert!(
        exhausted.starts_with("13:") || exhausted.starts_with("14:"),
        "exhaustion near 14:00: {exhausted}"
    );

    // Sized and drawn at mount already: wait for the drawing of the finished run (it follows
    // the render that shows the run stats).
    until(&root, "the chart", |r| {
        find(r, "connections-chart").is_some_and(|c| c.dyn_into().is_ok_and(|c| sized(&c) && colours(&c) > 8))
    })
    .await;
    let chart = canvas(&root, "connections-chart");
    assert!(colours(&chart) > 8, "the chart drew only {} colours", colours(&chart));
    let label = chart.get_attribute("aria-label").unwrap_or_default();
    assert!(label.starts_with("Connections over time"), "the canvas describes itself: {label}");

    // Every chart of the panel is laid out, drawn and described, under its Grafana name.
    let charts = [
        ("connections-chart", "hikaricp_connections_active"),
        ("pending-chart", "hikaricp_connections_pending"),
        ("acquire-chart", "hikaricp_connections_acquire_seconds"),
        ("timeouts-chart", "hikaricp_connections_timeout_total"),
        ("throughput-chart", "hikaricp_connections_acquire_seconds_count"),
    ];
    for (test_id, metric) in charts {
        until(&root, test_id, |r| {
            find(r, test_id).is_some_and(|c| c.dyn_into().is_ok_and(|c| sized(&c) && colours(&c) > 4))
        })
        .await;
        let chart = canvas(&root, test_id);
        assert!(colours(&chart) > 4, "{test_id} drew only {} colours", colours(&chart));
        assert!(
            chart.get_attribute("aria-label").is_some_and(|l| l.len() > 20),
            "{test_id} describes itself"
        );
        let caption = chart.parent_element().and_then(|f| f.query_selector("figcaption").ok().flatten());
        let caption = caption.and_then(|c| c.text_content()).unwrap_or_default();
        assert!(caption.contains(metric), "{test_id} caption names {metric}: {caption}");
    }
    let pending = canvas(&root, "pending-chart").get_attribute("aria-label").unwrap_or_default();
    assert!(
        pending.starts_with("Requests waiting over time: 0 waiting now"),
        "the pool recovered: {pending}"
    );
    root.remove();
}

/// The workers' messages cross as gloo-worker's own bincode writes them, to the bit: a
/// worker and a page built apart still understand each other, and an outcome reaches the
/// page exactly as the worker computed it.
#[wasm_bindgen_test]
fn worker_messages_are_gloo_workers_bincode_to_the_bit() {
    use gloo_worker::Codec;
    use poolsim_web::replicate::worker::{Output, Wire};

    let outcome = poolsim_engine::replicate::run(&poolsim_engine::Scenario::default(), 2).expect("runs");
    let message = Output::Ran { run: 2, outcomes: vec![outcome] };
    let bytes = |v: wasm_bindgen::JsValue| js_sys::Uint8Array::from(v).to_vec();
    assert_eq!(bytes(Wire::encode(&message)), bytes(gloo_worker::Bincode::encode(&message)));
    assert_eq!(Wire::decode::<Output>(Wire::encode(&message)), message);
}
