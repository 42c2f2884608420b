//! The app in a real browser (headless Chromium): it mounts, shows its shell, runs the
//! seed incident and draws the connections chart on a HiDPI-sized canvas.
#![cfg(target_arch = "wasm32")]

use poolsim_web::app::App;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{CanvasRenderingContext2d, Element, HtmlCanvasElement, HtmlSelectElement};

wasm_bindgen_test_configure!(run_in_browser);

/// Resolve on the browser's next animation frame.
async fn next_frame() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(window) = web_sys::window() {
            let _ = window.request_animation_frame(&resolve);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// Wait (frame by frame, at most ~10 s of frames) until `ready` holds on the mounted root.
async fn until(root: &Element, what: &str, ready: impl Fn(&Element) -> bool) {
    for _ in 0..600 {
        if ready(root) {
            return;
        }
        next_frame().await;
    }
    panic!("timed out waiting for {what}; page was: {}", root.inner_html());
}

fn mount() -> Element {
    let document = web_sys::window().and_then(|w| w.document()).expect("a document");
    let root = document.create_element("div").expect("a div");
    document.body().expect("a body").append_child(&root).expect("mounted");
    yew::Renderer::<App>::with_root(root.clone()).render();
    root
}

fn find(root: &Element, test_id: &str) -> Option<Element> {
    root.query_selector(&format!("[data-testid='{test_id}']")).ok().flatten()
}

#[wasm_bindgen_test]
async fn app_mounts_with_its_shell_and_the_seed_incident_selected() {
    let root = mount();
    until(&root, "the run to finish", |r| find(r, "run-stats").is_some()).await;

    let heading = root.query_selector("h1").ok().flatten().map(|h| h.text_content().unwrap_or_default());
    assert_eq!(heading.as_deref(), Some("poolsim"));
    for region in ["Scenario", "Pool", "Outcome", "Charts", "Event log"] {
        let headings: Vec<String> = (0..root.query_selector_all("h2").map(|l| l.length()).unwrap_or(0))
            .filter_map(|i| root.query_selector_all("h2").ok()?.get(i)?.text_content())
            .collect();
        assert!(headings.iter().any(|h| h == region), "region {region} missing: {headings:?}");
    }
    let preset: HtmlSelectElement = find(&root, "preset").expect("preset picker").dyn_into().expect("a select");
    assert_eq!(preset.value(), "june-15-2024", "the seed incident opens first");
    assert!(preset.length() >= 5, "every shipped preset is offered");

    let stats = find(&root, "run-stats").and_then(|e| e.text_content()).unwrap_or_default();
    assert!(stats.starts_with("Simulated 5 h 00 m"), "run stats: {stats}");
    root.remove();
}

#[wasm_bindgen_test]
async fn connections_chart_is_drawn_sharp_on_its_canvas() {
    let root = mount();
    until(&root, "the chart", |r| {
        find(r, "connections-chart")
            .and_then(|e| e.dyn_into::<HtmlCanvasElement>().ok())
            .is_some_and(|c| c.width() > 0 && c.width() != 300) // 300 = an unsized canvas
    })
    .await;
    let canvas: HtmlCanvasElement =
        find(&root, "connections-chart").expect("chart canvas").dyn_into().expect("a canvas");

    // Backing store = CSS size × devicePixelRatio, so lines stay sharp on HiDPI screens.
    let ratio = web_sys::window().expect("window").device_pixel_ratio().clamp(1.0, 4.0);
    let expected = (f64::from(canvas.client_width()) * ratio).round() as u32;
    assert_eq!(canvas.width(), expected);

    // Something other than the background was painted: count distinct colours in the plot.
    let ctx: CanvasRenderingContext2d =
        canvas.get_context("2d").ok().flatten().expect("2d context").dyn_into().expect("a 2d context");
    let pixels = ctx
        .get_image_data(0.0, 0.0, f64::from(canvas.width()), f64::from(canvas.height()))
        .expect("pixels")
        .data();
    let mut colours: Vec<[u8; 3]> = pixels.chunks_exact(4).step_by(7).map(|p| [p[0], p[1], p[2]]).collect();
    colours.sort_unstable();
    colours.dedup();
    assert!(colours.len() > 8, "the chart drew only {} colours", colours.len());

    let label = canvas.get_attribute("aria-label").unwrap_or_default();
    assert!(label.starts_with("Connections over time"), "the canvas describes itself: {label}");
    root.remove();
}
