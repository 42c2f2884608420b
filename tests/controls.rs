//! The controls panel in a real browser (headless Chromium), mounted alone: a value is
//! applied on change or Enter, a refused one shows an inline error and reports nothing,
//! Escape restores the last good value, and every field is labelled and described.
#![cfg(target_arch = "wasm32")]

use std::rc::Rc;

use poolsim_content::presets;
use poolsim_engine::{Action, AlertMetric, DatabaseConfig, Scenario};
use poolsim_web::components::{ControlChange, Controls};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{
    Element, Event, EventInit, HtmlInputElement, HtmlSelectElement, InputEvent, InputEventInit,
    KeyboardEvent, KeyboardEventInit,
};
use yew::prelude::*;

wasm_bindgen_test_configure!(run_in_browser);

mod support;
use support::{Reported, click, find, next_frame, until};

/// Every change the panel reported, in order.
type Changes = Reported<ControlChange>;

/// Properties of [`Harness`].
#[derive(Properties, PartialEq)]
struct HarnessProps {
    scenario: Scenario,
    running: bool,
    changes: Changes,
}

/// What the page does with the panel: record each change and make it the new scenario.
#[component]
fn Harness(props: &HarnessProps) -> Html {
    let scenario = use_state(|| Rc::new(props.scenario.clone()));
    let on_change = {
        let (scenario, changes) = (scenario.clone(), props.changes.clone());
        Callback::from(move |change: ControlChange| {
            scenario.set(Rc::new(change.scenario.clone()));
            changes.push(change);
        })
    };
    html! { <Controls scenario={(*scenario).clone()} running={props.running} {on_change} /> }
}

/// Mount the panel on the seed incident (a pool of 100) and wait for it to render.
async fn mount(running: bool) -> (Element, Changes) {
    // Sized like the page's left column.
    let css = [include_str!("../styles/base.css"), include_str!("../styles/controls.css")];
    let root = support::root("poolsim-controls-styles", &css, Some(300));
    let changes = Changes::default();
    let scenario = presets::load("june-15-2024").expect("the seed preset");
    let props = HarnessProps { scenario, running, changes: changes.clone() };
    yew::Renderer::<Harness>::with_root_and_props(root.clone(), props).render();
    until(&root, "the controls", |r| find(r, "control-pool-size").is_some()).await;
    (root, changes)
}

fn input(root: &Element, test_id: &str) -> HtmlInputElement {
    find(root, test_id).and_then(|e| e.dyn_into().ok()).unwrap_or_else(|| panic!("no {test_id} input"))
}

fn text(root: &Element, test_id: &str) -> Option<String> {
    find(root, test_id).and_then(|e| e.text_content())
}

/// Type `value` into the field, as keystrokes would leave it (one `input` event).
fn type_into(field: &HtmlInputElement, value: &str) {
    field.set_value(value);
    let init = InputEventInit::new();
    init.set_bubbles(true);
    let event = InputEvent::new_with_event_init_dict("input", &init).expect("an input event");
    field.dispatch_event(&event).expect("dispatched");
}

/// Leave the field: the browser fires `change`.
fn change(field: &Element) {
    let init = EventInit::new();
    init.set_bubbles(true);
    let event = Event::new_with_event_init_dict("change", &init).expect("a change event");
    field.dispatch_event(&event).expect("dispatched");
}

fn press(field: &HtmlInputElement, key: &str) {
    let init = KeyboardEventInit::new();
    init.set_key(key);
    init.set_bubbles(true);
    init.set_cancelable(true);
    let event = KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).expect("a key event");
    field.dispatch_event(&event).expect("dispatched");
}

#[wasm_bindgen_test]
async fn an_invalid_pool_size_shows_an_inline_error_keeps_the_old_value_and_reports_nothing() {
    let (root, changes) = mount(false).await;
    let size = input(&root, "control-pool-size");
    assert_eq!(size.value(), "100");

    type_into(&size, "0");
    change(&size);
    until(&root, "the inline error for 0", |r| find(r, "control-error-pool-size").is_some()).await;
    let error = find(&root, "control-error-pool-size").expect("the error");
    let message = error.text_content().unwrap_or_default();
    assert!(message.contains("must be between 1 and 100000 connections, got 0"), "{message}");
    assert_eq!(error.get_attribute("role").as_deref(), Some("alert"));
    assert_eq!(size.get_attribute("aria-invalid").as_deref(), Some("true"));
    let described_by = size.get_attribute("aria-describedby").unwrap_or_default();
    assert!(described_by.split(' ').any(|id| Some(id.to_owned()) == Some(error.id())), "{described_by}");
    assert_eq!(size.value(), "0", "the field keeps what was typed until it is corrected");
    assert!(changes.borrow().is_empty(), "a refused value reports nothing");

    // A number input cannot hold letters: "abc" leaves it empty, which is refused too.
    type_into(&size, "abc");
    change(&size);
    until(&root, "the inline error for abc", |r| {
        text(r, "control-error-pool-size").is_some_and(|m| m.contains("number") && !m.contains("got 0"))
    })
    .await;
    assert!(changes.borrow().is_empty(), "unparseable text reports nothing");

    press(&size, "Escape");
    until(&root, "Escape to restore 100", |r| {
        find(r, "control-error-pool-size").is_none() && input(r, "control-pool-size").value() == "100"
    })
    .await;
    assert_eq!(size.get_attribute("aria-invalid"), None);

    type_into(&size, "200");
    change(&size);
    until(&root, "the change to be reported", |_| !changes.borrow().is_empty()).await;
    let reported = changes.borrow().clone();
    assert_eq!(reported.len(), 1, "one change: {reported:?}");
    assert_eq!(reported[0].scenario.pool.max_size, 200);
    assert!(
        matches!(reported[0].live, Some(Action::ResizePool { max_size: 200, .. })),
        "resized live: {:?}",
        reported[0].live
    );
    until(&root, "the new value shown", |r| input(r, "control-pool-size").value() == "200").await;
    assert!(find(&root, "control-error-pool-size").is_none());
    root.remove();
}

#[wasm_bindgen_test]
async fn enter_applies_a_value_once_even_when_the_field_then_loses_focus() {
    let (root, changes) = mount(false).await;
    let rate = input(&root, "control-rate");
    type_into(&rate, "300");
    assert!(changes.borrow().is_empty(), "nothing applies while typing");
    press(&rate, "Enter");
    change(&rate);
    until(&root, "the rate change", |_| !changes.borrow().is_empty()).await;
    next_frame().await;
    let reported = changes.borrow().clone();
    assert_eq!(reported.len(), 1, "Enter then blur applies once: {reported:?}");
    assert_eq!(reported[0].live, Some(Action::SetRate { rate_per_s: 300.0 }));
    root.remove();
}

#[wasm_bindgen_test]
async fn while_running_restart_only_settings_say_so_and_apply_without_a_live_action() {
    let (root, changes) = mount(true).await;
    let hint =
        root.query_selector("#control-idle-timeout-hint").ok().flatten().and_then(|h| h.text_content());
    assert!(hint.is_some_and(|h| h.contains("Applies on restart")), "idle timeout has no engine action");
    assert!(root.query_selector("#control-pool-size-hint").ok().flatten().is_none(), "a resize applies live");
    assert!(root.query_selector("#control-seed-hint").ok().flatten().is_some(), "the seed needs a restart");

    let idle = input(&root, "control-idle-timeout");
    type_into(&idle, "0");
    change(&idle);
    until(&root, "the idle-timeout change", |_| !changes.borrow().is_empty()).await;
    let reported = changes.borrow().clone();
    assert_eq!(reported[0].scenario.pool.idle_timeout_ms, 0);
    assert_eq!(reported[0].live, None);
    root.remove();
}

#[wasm_bindgen_test]
async fn the_leak_reads_as_one_in_n_and_zero_rolls_it_back() {
    let (root, changes) = mount(true).await;
    assert!(text(&root, "controls").is_some_and(|t| t.contains("No leak")));
    let leak = input(&root, "control-leak");
    type_into(&leak, "0.001");
    change(&leak);
    until(&root, "1 in 1,000", |r| {
        r.query_selector("#control-leak-note")
            .ok()
            .flatten()
            .and_then(|n| n.text_content())
            .is_some_and(|t| t.contains("1 in 1,000 requests"))
    })
    .await;
    type_into(&leak, "0");
    change(&leak);
    until(&root, "the rollback", |_| changes.borrow().len() == 2).await;
    let lives: Vec<Option<Action>> = changes.borrow().iter().map(|c| c.live.clone()).collect();
    assert_eq!(lives, [Some(Action::DeployLeak { probability: 0.001 }), Some(Action::Rollback)]);
    root.remove();
}

#[wasm_bindgen_test]
async fn alert_rules_can_be_added_live_and_removed_on_restart() {
    let (root, changes) = mount(true).await;
    let metric: HtmlSelectElement =
        find(&root, "control-alert-metric").and_then(|e| e.dyn_into().ok()).expect("the metric select");
    metric.set_value("usage");
    change(&metric);
    click(&root, "control-alert-add");
    until(&root, "the new rule", |r| find(r, "control-alert-1").is_some()).await;
    let added = changes.borrow().last().cloned().expect("a change");
    assert_eq!(
        added.live,
        Some(Action::AddAlert {
            name: "PoolUsageHigh".into(),
            metric: AlertMetric::Usage,
            above: 0.8,
            for_s: 120
        })
    );
    assert!(text(&root, "control-alert-1").is_some_and(|t| t.contains("PoolUsageHigh")));
    assert_eq!(input(&root, "control-alert-1-above").value(), "0.8");

    click(&root, "control-alert-remove-0");
    until(&root, "the first rule gone", |r| {
        text(r, "control-alert-0").is_some_and(|t| t.contains("PoolUsageHigh"))
            && find(r, "control-alert-1").is_none()
    })
    .await;
    let removed = changes.borrow().last().cloned().expect("a change");
    assert_eq!(removed.live, None, "the engine cannot drop a rule: it goes on restart");
    assert_eq!(removed.scenario.alerts.len(), 1);
    root.remove();
}

#[wasm_bindgen_test]
async fn the_database_switch_shows_its_settings_and_a_bad_value_names_the_field_and_keeps_the_last_good_one()
{
    let (root, changes) = mount(false).await;
    let switch = input(&root, "control-database");
    assert_eq!(switch.get_attribute("role").as_deref(), Some("switch"));
    assert!(!switch.checked(), "the seed incident models no database");
    assert!(find(&root, "control-db-cores").is_none(), "no database settings while it is off");

    switch.click();
    until(&root, "the database's settings", |r| find(r, "control-db-cores").is_some()).await;
    let on = changes.borrow().last().cloned().expect("a change");
    assert_eq!(on.scenario.database, Some(DatabaseConfig::default()), "PostgreSQL's defaults");
    assert_eq!(on.live, None, "a new database needs a new run");
    assert!(input(&root, "control-database").checked());
    let shown: Vec<String> = [
        "db-cores",
        "db-share",
        "db-contention",
        "db-coherency",
        "db-max-connections",
        "db-reserved",
        "db-connect-cpu",
    ]
    .iter()
    .map(|id| input(&root, &format!("control-{id}")).value())
    .collect();
    assert_eq!(shown, ["4", "1", "0", "0", "100", "3", "0"]);
    let help =
        root.query_selector("#control-db-max-connections-help").ok().flatten().and_then(|h| h.text_content());
    assert!(
        help.is_some_and(|h| h.contains("max_connections") && h.contains("default 100")),
        "the real setting"
    );

    let cores = input(&root, "control-db-cores");
    type_into(&cores, "0");
    change(&cores);
    until(&root, "the inline error for 0 cores", |r| find(r, "control-error-db-cores").is_some()).await;
    let message = text(&root, "control-error-db-cores").unwrap_or_default();
    assert!(message.contains("Database cores: must be between 1 and 1024 cores, got 0"), "{message}");
    assert_eq!(cores.get_attribute("aria-invalid").as_deref(), Some("true"));
    assert_eq!(changes.borrow().len(), 1, "a refused value reports nothing");
    press(&cores, "Escape");
    until(&root, "Escape to restore 4 cores", |r| {
        find(r, "control-error-db-cores").is_none() && input(r, "control-db-cores").value() == "4"
    })
    .await;

    input(&root, "control-database").click();
    until(&root, "the settings gone", |r| find(r, "control-db-cores").is_none()).await;
    let off = changes.borrow().last().cloned().expect("a change");
    assert_eq!((changes.borrow().len(), off.scenario.database), (2, None), "off: unlimited capacity");
    root.remove();
}

#[wasm_bindgen_test]
async fn every_field_is_grouped_labelled_and_described() {
    let (root, _) = mount(false).await;
    // The database's settings too.
    input(&root, "control-database").click();
    until(&root, "the database's settings", |r| find(r, "control-db-cores").is_some()).await;
    let legends: Vec<String> = {
        let list = root.query_selector_all("legend").expect("legends");
        (0..list.length()).filter_map(|i| list.get(i)?.text_content()).collect()
    };
    for group in ["Traffic", "Work", "Pool", "Database", "Leak", "Detection & reclaim", "Monitoring", "Run"] {
        assert!(legends.iter().any(|l| l == group), "group {group} missing: {legends:?}");
    }
    let fields = root.query_selector_all("input, select").expect("fields");
    assert!(fields.length() >= 25, "every knob has a field: {}", fields.length());
    for i in 0..fields.length() {
        let field: Element = fields.get(i).and_then(|n| n.dyn_into().ok()).expect("an element");
        let id = field.id();
        let label = root.query_selector(&format!("label[for='{id}']")).ok().flatten();
        assert!(
            label.and_then(|l| l.text_content()).is_some_and(|t| !t.trim().is_empty()),
            "{id} has no label"
        );
        let described_by = field.get_attribute("aria-describedby").unwrap_or_default();
        assert!(!described_by.is_empty(), "{id} has no help");
        for help in described_by.split(' ') {
            assert!(root.query_selector(&format!("#{help}")).ok().flatten().is_some(), "{id}: no #{help}");
        }
        if field.get_attribute("type").as_deref() == Some("number") {
            assert!(field.has_attribute("min") && field.has_attribute("max"), "{id} has no range");
        }
    }
    let help = root.query_selector("#control-pool-size-help").ok().flatten().and_then(|h| h.text_content());
    assert!(help.is_some_and(|h| h.contains("maximumPoolSize")), "the real setting is named");
    assert!(
        root.scroll_width() <= root.client_width(),
        "the panel fits the 300 px column: {} > {}",
        root.scroll_width(),
        root.client_width()
    );
    root.remove();
}
