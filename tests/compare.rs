//! The compare view in a real browser (headless Chromium), mounted alone on the June 15
//! preset: the what-ifs run to the end frame by frame, the table has a row per chosen
//! what-if with the best values marked, the lessons are said in words, the charts are
//! drawn, a bad value is refused inline, and on a phone the table scrolls, not the page.
#![cfg(target_arch = "wasm32")]

use std::rc::Rc;

use poolsim_content::presets;
use poolsim_engine::Scenario;
use poolsim_web::components::Compare;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{Element, Event, EventInit, HtmlCanvasElement, HtmlElement, HtmlInputElement};
use yew::prelude::*;

wasm_bindgen_test_configure!(run_in_browser);

mod support;
use support::{click, find, until, until_frames};

/// Properties of [`Harness`].
#[derive(Properties, PartialEq)]
struct HarnessProps {
    scenario: Rc<Scenario>,
}

/// What the page does: the compare view on the seed preset.
#[component]
fn Harness(props: &HarnessProps) -> Html {
    html! { <Compare scenario={props.scenario.clone()} preset={AttrValue::from(presets::SEED_INCIDENT)} /> }
}

/// Mount the view on the June 15 preset in a box `width_px` wide.
async fn mount(width_px: u32) -> Element {
    let css = [
        include_str!("../styles/base.css"),
        include_str!("../styles/chart.css"),
        include_str!("../styles/controls.css"),
        include_str!("../styles/compare.css"),
    ];
    let root = support::root("poolsim-compare-styles", &css, Some(width_px));
    let scenario = Rc::new(presets::load(presets::SEED_INCIDENT).expect("the seed preset"));
    yew::Renderer::<Harness>::with_root_and_props(root.clone(), HarnessProps { scenario }).render();
    until_frames(&root, "the checklist", 600, |r| find(r, "compare-variant-0").is_some()).await;
    root
}

fn text(root: &Element, test_id: &str) -> String {
    find(root, test_id).and_then(|e| e.text_content()).unwrap_or_default()
}

/// The value shown in a table cell, without its best mark.
fn value(root: &Element, row: usize, column: &str) -> String {
    find(root, &format!("compare-cell-{row}-{column}"))
        .and_then(|cell| cell.query_selector(".compare-value").ok().flatten())
        .and_then(|v| v.text_content())
        .unwrap_or_else(|| panic!("no cell {row} {column}"))
}

/// Type `value` into a field and leave it (the browser fires `change`).
fn type_and_leave(root: &Element, test_id: &str, value: &str) {
    let field: HtmlInputElement =
        find(root, test_id).and_then(|e| e.dyn_into().ok()).unwrap_or_else(|| panic!("no {test_id} field"));
    field.set_value(value);
    let init = EventInit::new();
    init.set_bubbles(true);
    field.dispatch_event(&Event::new_with_event_init_dict("change", &init).expect("an event")).expect("sent");
}

/// The computed `font-weight` of `element` (through JS: no web-sys feature for it).
fn font_weight(element: &Element) -> String {
    let window = web_sys::window().expect("a window");
    let get = js_sys::Reflect::get(&window, &"getComputedStyle".into()).expect("getComputedStyle");
    let style =
        get.dyn_into::<js_sys::Function>().expect("a function").call1(&window, element).expect("a style");
    js_sys::Reflect::get(&style, &"fontWeight".into()).ok().and_then(|w| w.as_string()).unwrap_or_default()
}

fn rows(root: &Element) -> usize {
    (0..20).take_while(|i| find(root, &format!("compare-row-{i}")).is_some()).count()
}

/// Run the comparison: the progress shows while the runs go on, then the table.
async fn run(root: &Element) {
    click(root, "compare-run");
    until(root, "the progress bar", |r| find(r, "compare-progress").is_some()).await;
    let button: HtmlElement = find(root, "compare-run").and_then(|e| e.dyn_into().ok()).expect("the button");
    assert!(button.has_attribute("disabled"), "no second run while one is going");
    // Each frame does a bounded slice: the whole set takes many frames, never one long block.
    until_frames(root, "the outcome table", 20_000, |r| find(r, "compare-table").is_some()).await;
    assert!(find(root, "compare-progress").is_none(), "the progress bar goes when done");
}

#[wasm_bindgen_test]
async fn the_june_15_what_ifs_run_to_a_table_with_the_best_values_marked_and_lessons() {
    let root = mount(1100).await;
    run(&root).await;
    assert_eq!(rows(&root), 7, "a row per June 15 what-if");
    assert!(text(&root, "compare-row-0").contains("As it happened"));
    // The postmortem's numbers: the pool ran out at 13:53, requests failed from 14:05.
    assert_eq!(value(&root, 0, "exhaustion"), "13:53");
    assert_eq!(value(&root, 0, "timeout"), "14:05");
    assert_eq!(value(&root, 0, "failed"), "1,025,932");

    // Abandoned reclaim avoids the outage: no failed request, marked best with ✓ and bold.
    assert!(text(&root, "compare-row-5").contains("Abandoned reclaim (60 s)"));
    assert_eq!(value(&root, 5, "failed"), "0");
    let cell = find(&root, "compare-cell-5-failed").expect("the cell");
    assert_eq!(cell.get_attribute("data-best").as_deref(), Some("true"));
    assert!(cell.class_name().split(' ').any(|c| c == "compare-best"));
    assert!(cell.text_content().unwrap_or_default().contains('✓'), "marked in words, not colour alone");
    let weight = font_weight(&cell);
    assert_eq!(weight, "700", "the best value is bold");
    assert_eq!(find(&root, "compare-cell-0-failed").and_then(|c| c.get_attribute("data-best")), None);

    for i in 0..7 {
        assert!(text(&root, &format!("compare-lesson-{i}")).len() > 40, "lesson {i} says something");
    }
    assert!(text(&root, "compare-lesson-2").contains("A pool of 200 alone only moved exhaustion from 13:53"));

    let charts = ["compare-chart-in-use", "compare-chart-timeouts"];
    let canvas = |r: &Element, chart: &str| -> HtmlCanvasElement {
        find(r, chart).and_then(|e| e.dyn_into().ok()).expect("a canvas")
    };
    let ratio = web_sys::window().map_or(1.0, |w| w.device_pixel_ratio());
    let expected = |c: &HtmlCanvasElement| (f64::from(c.client_width()) * ratio).round() as u32;
    // The table shows first; the charts are sized and drawn just after that render.
    until(&root, "the charts sized", |r| {
        charts.iter().all(|chart| {
            let c = canvas(r, chart);
            c.width() == expected(&c)
        })
    })
    .await;
    for chart in charts {
        let canvas = canvas(&root, chart);
        assert_eq!(canvas.get_attribute("role").as_deref(), Some("img"));
        let label = canvas.get_attribute("aria-label").unwrap_or_default();
        assert!(label.contains("7 runs compared") && label.contains("As it happened"), "{label}");
        assert_eq!(
            canvas.width(),
            expected(&canvas),
            "{chart}: backing store is CSS size × devicePixelRatio"
        );
    }
}

#[wasm_bindgen_test]
async fn only_the_chosen_what_ifs_run_and_on_a_phone_the_table_scrolls_not_the_page() {
    let root = mount(360).await;
    for i in [1, 3, 4, 6] {
        click(&root, &format!("compare-variant-{i}"));
    }
    type_and_leave(&root, "compare-param-2-pool-size", "300");
    until(&root, "the new label", |r| {
        r.text_content().unwrap_or_default().contains("Bigger pool only (300)")
    })
    .await;
    run(&root).await;
    assert_eq!(rows(&root), 3, "as it happened, a bigger pool and abandoned reclaim");
    assert!(
        text(&root, "compare-row-1").contains("Bigger pool only (300)"),
        "{}",
        text(&root, "compare-row-1")
    );
    assert!(text(&root, "compare-row-2").contains("Abandoned reclaim"));

    let wrap = root.query_selector(".compare-table-wrap").ok().flatten().expect("the table's box");
    assert!(wrap.client_width() <= 360, "the table's box fits the phone: {} px", wrap.client_width());
    assert!(wrap.scroll_width() > wrap.client_width(), "the wide table scrolls inside its box");
    // Whatever lies beyond the box's right edge scrolls with it: nothing escapes its clip
    // (an absolutely positioned element would, unless the box is its containing block).
    let right = wrap.get_bounding_client_rect().right();
    let cells = wrap.query_selector_all("*").expect("the table's elements");
    for i in 0..cells.length() {
        let Some(e) = cells.item(i).and_then(|n| n.dyn_into::<HtmlElement>().ok()) else { continue };
        if e.get_bounding_client_rect().right() > right {
            let inside = e.offset_parent().is_some_and(|p| wrap.contains(Some(&p)));
            assert!(
                inside,
                "{} lies beyond the box but is not positioned within it, so it may widen the page",
                e.outer_html()
            );
        }
    }
}

#[wasm_bindgen_test]
async fn a_time_outside_the_run_is_refused_inline_and_nothing_runs() {
    let root = mount(800).await;
    type_and_leave(&root, "compare-param-2-from", "18:30");
    until(&root, "the inline message", |r| find(r, "compare-error-2").is_some()).await;
    assert!(text(&root, "compare-error-2").contains("not within the run, which goes from 12:00 to 17:00"));
    let field = find(&root, "compare-param-2-from").expect("the field");
    assert_eq!(field.get_attribute("aria-invalid").as_deref(), Some("true"));
    assert_eq!(field.get_attribute("aria-describedby").as_deref(), Some("compare-error-2"));

    click(&root, "compare-run");
    until(&root, "the refusal", |r| find(r, "compare-error").is_some()).await;
    assert!(find(&root, "compare-progress").is_none(), "nothing runs");
    assert!(find(&root, "compare-table").is_none());
}
