//! The timeline editor and the fix panel in a real browser (headless Chromium), each
//! mounted alone in a 300 px column: an added event is reported in a valid, sorted
//! scenario; one past the end is refused inline and reports nothing; edit and remove
//! work; each fix button emits its engine action, and rollback waits for a live leak.
#![cfg(target_arch = "wasm32")]

use std::rc::Rc;

use poolsim_content::presets;
use poolsim_engine::{Action, AlertMetric, Scenario, Settings, TimedEvent};
use poolsim_web::components::{Fixes, Timeline};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{Element, Event, EventInit, HtmlInputElement, HtmlSelectElement, InputEvent, InputEventInit};
use yew::prelude::*;

wasm_bindgen_test_configure!(run_in_browser);

mod support;
use support::{Reported, click, find, next_frame, until};

/// 12:00, the seed incident's clock start [s since midnight].
const NOON: u32 = 12 * 3600;

/// Every scenario the timeline reported, in order.
type Changes = Reported<Scenario>;
/// Every action the fix panel emitted, in order.
type Fixed = Reported<Action>;

/// Properties of [`TimelineHarness`].
#[derive(Properties, PartialEq)]
struct TimelineHarnessProps {
    scenario: Scenario,
    now_s: f64,
    changes: Changes,
}

/// What the page does with the timeline: record each change and make it the scenario.
#[component]
fn TimelineHarness(props: &TimelineHarnessProps) -> Html {
    let scenario = use_state(|| Rc::new(props.scenario.clone()));
    let on_change = {
        let (scenario, changes) = (scenario.clone(), props.changes.clone());
        Callback::from(move |next: Scenario| {
            scenario.set(Rc::new(next.clone()));
            changes.push(next);
        })
    };
    html! {
        <Timeline scenario={(*scenario).clone()} clock_start_s={NOON} now_s={props.now_s} {on_change} />
    }
}

/// Properties of [`FixesHarness`].
#[derive(Properties, PartialEq)]
struct FixesHarnessProps {
    settings: Option<Settings>,
    fixed: Fixed,
}

/// The fix panel at 14:32:10 of the seed incident, recording what it emits.
#[component]
fn FixesHarness(props: &FixesHarnessProps) -> Html {
    let on_fix = {
        let fixed = props.fixed.clone();
        Callback::from(move |action: Action| fixed.push(action))
    };
    let scenario = use_memo((), |()| presets::load("june-15-2024").expect("the seed preset"));
    html! {
        <Fixes settings={props.settings} clock_start_s={NOON} now_s={9130.0} {on_fix}
            scenario={Some(scenario)} />
    }
}

/// A 300 px column styled as on the page, attached to the document.
fn column() -> Element {
    let css = [
        include_str!("../styles/base.css"),
        include_str!("../styles/controls.css"),
        include_str!("../styles/timeline.css"),
    ];
    support::root("poolsim-timeline-styles", &css, Some(300))
}

fn seed_incident() -> Scenario {
    presets::load("june-15-2024").expect("the seed preset")
}

/// Mount the timeline of `scenario` at `now_s` and wait for it to render.
async fn mount_timeline(scenario: Scenario, now_s: f64) -> (Element, Changes) {
    let root = column();
    let changes = Changes::default();
    let props = TimelineHarnessProps { scenario, now_s, changes: changes.clone() };
    yew::Renderer::<TimelineHarness>::with_root_and_props(root.clone(), props).render();
    until(&root, "the timeline", |r| find(r, "timeline-add").is_some()).await;
    (root, changes)
}

/// Mount the fix panel with the running `settings` and wait for it to render.
async fn mount_fixes(settings: Option<Settings>) -> (Element, Fixed) {
    let root = column();
    let fixed = Fixed::default();
    let props = FixesHarnessProps { settings, fixed: fixed.clone() };
    yew::Renderer::<FixesHarness>::with_root_and_props(root.clone(), props).render();
    until(&root, "the fixes", |r| find(r, "fix-alert").is_some()).await;
    (root, fixed)
}

/// The seed incident's settings at 14:32:10: a pool of 100, the leak live or not.
fn running(leak_probability: f64) -> Settings {
    Settings {
        rate_per_s: 150.0,
        hold_ms: 40.0,
        leak_probability,
        max_size: 100,
        min_idle: 100,
        connection_timeout_ms: 30_000,
        leak_detection_threshold_ms: 0,
        abandoned_timeout_ms: 0,
    }
}

fn input(root: &Element, test_id: &str) -> HtmlInputElement {
    find(root, test_id).and_then(|e| e.dyn_into().ok()).unwrap_or_else(|| panic!("no {test_id} input"))
}

fn select(root: &Element, test_id: &str) -> HtmlSelectElement {
    find(root, test_id).and_then(|e| e.dyn_into().ok()).unwrap_or_else(|| panic!("no {test_id} select"))
}

/// The button can't be pressed (its `disabled` attribute is set).
fn disabled(root: &Element, test_id: &str) -> bool {
    find(root, test_id).unwrap_or_else(|| panic!("no {test_id} button")).has_attribute("disabled")
}

fn text(root: &Element, test_id: &str) -> String {
    find(root, test_id).and_then(|e| e.text_content()).unwrap_or_default()
}

/// Type `value` into the field, as keystrokes would leave it (one `input` event).
fn type_into(root: &Element, test_id: &str, value: &str) {
    let field = input(root, test_id);
    field.set_value(value);
    let init = InputEventInit::new();
    init.set_bubbles(true);
    let event = InputEvent::new_with_event_init_dict("input", &init).expect("an input event");
    field.dispatch_event(&event).expect("dispatched");
}

/// Choose `value` in a select, as the user would (one `change` event).
fn choose(root: &Element, test_id: &str, value: &str) {
    let field = select(root, test_id);
    field.set_value(value);
    let init = EventInit::new();
    init.set_bubbles(true);
    let event = Event::new_with_event_init_dict("change", &init).expect("a change event");
    field.dispatch_event(&event).expect("dispatched");
}

/// The rows as shown, top to bottom.
fn rows(root: &Element) -> Vec<String> {
    (0..).map_while(|i| find(root, &format!("timeline-row-{i}")).and_then(|r| r.text_content())).collect()
}

/// The clock time at the start of each row (`HH:MM:SS`).
fn row_times(root: &Element) -> Vec<String> {
    rows(root).iter().map(|r| r.trim_start_matches(['✓', '•', ' ']).chars().take(8).collect()).collect()
}

fn is_sorted(s: &Scenario) -> bool {
    s.events.windows(2).all(|w| w[0].at_s <= w[1].at_s)
}

/// The form is rendered for `kind`: chosen in the select, and drawn as chosen (its option
/// marked `selected`, which comes with the render that shows the kind's fields).
fn kind_shown(root: &Element, kind: &str) -> bool {
    select(root, "timeline-kind").value() == kind
        && root
            .query_selector(&format!("[data-testid='timeline-kind'] option[value='{kind}']"))
            .ok()
            .flatten()
            .is_some_and(|o| o.has_attribute("selected"))
}

/// Open the add form, choose `kind` and wait for its fields.
async fn open_add_form(root: &Element, kind: &str, first_field: &str) {
    click(root, "timeline-add");
    until(root, "the add form", |r| find(r, "timeline-kind").is_some()).await;
    choose(root, "timeline-kind", kind);
    let hook = format!("timeline-field-{first_field}");
    until(root, "the kind's fields", |r| {
        kind_shown(r, kind) && (first_field.is_empty() || find(r, &hook).is_some())
    })
    .await;
}

#[wasm_bindgen_test]
async fn adding_a_resize_at_15_00_reports_a_valid_sorted_scenario_and_lists_it_in_time_order() {
    let (root, changes) = mount_timeline(seed_incident(), 0.0).await;
    let before = rows(&root).len();
    assert_eq!(before, seed_incident().events.len());

    open_add_form(&root, "resize_pool", "max_size").await;
    assert_eq!(input(&root, "timeline-field-max_size").value(), "200", "double the pool of 100 first");
    type_into(&root, "timeline-time", "15:00");
    type_into(&root, "timeline-field-max_size", "250");
    click(&root, "timeline-save");
    until(&root, "the change", |_| !changes.borrow().is_empty()).await;

    let reported = changes.borrow().clone();
    assert_eq!(reported.len(), 1, "one change: {reported:?}");
    let next = &reported[0];
    assert_eq!(next.validate(), Ok(()));
    assert!(is_sorted(next), "the reported events are in time order");
    let added = TimedEvent::new(10_800.0, Action::ResizePool { max_size: 250, min_idle: None });
    assert!(next.events.contains(&added), "{:?}", next.events);

    until(&root, "the new row", |r| rows(r).len() == before + 1).await;
    let times = row_times(&root);
    let mut sorted = times.clone();
    sorted.sort();
    assert_eq!(times, sorted, "rows in time order");
    assert!(
        rows(&root).iter().any(|r| r.contains("15:00:00") && r.contains("Pool resized to 250 connections"))
    );
    assert!(find(&root, "timeline-save").is_none(), "the form closes after a save");
    root.remove();
}

#[wasm_bindgen_test]
async fn in_a_fleet_a_restart_rolls_out_to_the_instances_typed_and_the_row_says_so() {
    let fleet = presets::load("rolling-deploy-of-a-leak").expect("the fleet preset loads");
    let (root, changes) = mount_timeline(fleet.clone(), 0.0).await;
    // Traffic acts on the whole fleet: no instance fields for it.
    open_add_form(&root, "set_rate", "rate_per_s").await;
    assert!(find(&root, "timeline-field-instances").is_none());
    choose(&root, "timeline-kind", "restart_app");
    until(&root, "the fleet fields", |r| find(r, "timeline-field-instances").is_some()).await;
    type_into(&root, "timeline-time", "12:50");
    type_into(&root, "timeline-field-instances", "2-4");
    type_into(&root, "timeline-field-rollout_batch", "1");
    type_into(&root, "timeline-field-rollout_every", "90");
    click(&root, "timeline-save");
    until(&root, "the change", |_| !changes.borrow().is_empty()).await;
    let next = changes.borrow()[0].clone();
    let added = next.events.iter().find(|e| e.at_s == 3000.0).expect("the restart is on the timeline");
    assert_eq!(added.target.instances, Some(vec![2, 3, 4]));
    assert_eq!(added.target.rollout, Some(poolsim_engine::Rollout { batch: 1, every_s: 90.0 }));
    until(&root, "the row", |r| {
        rows(r).iter().any(|row| {
            row.contains("12:50:00") && row.contains("on app-2, app-3, app-4, rolled out 1 at a time")
        })
    })
    .await;
    root.remove();
}

#[wasm_bindgen_test]
async fn an_event_past_the_end_is_refused_inline_and_nothing_changes() {
    let (root, changes) = mount_timeline(seed_incident(), 0.0).await;
    let before = rows(&root);

    open_add_form(&root, "rollback", "").await;
    type_into(&root, "timeline-time", "17:30");
    click(&root, "timeline-save");
    until(&root, "the inline error", |r| find(r, "timeline-error").is_some()).await;

    let message = text(&root, "timeline-error");
    assert!(message.contains("Time: must be within the run, 12:00:00 to 17:00:00"), "{message}");
    assert!(message.contains("17:30:00 is after its end"), "{message}");
    let error = find(&root, "timeline-error").expect("the error");
    assert_eq!(error.get_attribute("role").as_deref(), Some("alert"));
    let time = input(&root, "timeline-time");
    assert_eq!(time.get_attribute("aria-invalid").as_deref(), Some("true"));
    assert!(time.get_attribute("aria-describedby").unwrap_or_default().contains("timeline-error"));
    assert_eq!(time.value(), "17:30", "the form keeps what was typed");
    assert_eq!(select(&root, "timeline-kind").value(), "rollback");
    next_frame().await;
    assert!(changes.borrow().is_empty(), "a refused event reports nothing");
    assert_eq!(rows(&root), before, "the list is unchanged");

    // Corrected, the same form saves.
    type_into(&root, "timeline-time", "16:59:59");
    click(&root, "timeline-save");
    until(&root, "the corrected save", |_| changes.borrow().len() == 1).await;
    assert!(changes.borrow()[0].events.contains(&TimedEvent::new(17_999.0, Action::Rollback)));
    root.remove();
}

#[wasm_bindgen_test]
async fn a_bad_field_is_named_and_the_form_keeps_its_text() {
    let (root, changes) = mount_timeline(seed_incident(), 0.0).await;
    open_add_form(&root, "resize_pool", "max_size").await;
    type_into(&root, "timeline-time", "15:00");
    type_into(&root, "timeline-field-max_size", "0");
    click(&root, "timeline-save");
    until(&root, "the inline error", |r| find(r, "timeline-error").is_some()).await;
    let message = text(&root, "timeline-error");
    assert!(message.contains("Max pool size: must be between 1 and 100000 connections, got 0"), "{message}");
    let size = input(&root, "timeline-field-max_size");
    assert_eq!(size.get_attribute("aria-invalid").as_deref(), Some("true"));
    assert_eq!(size.value(), "0");
    assert_eq!(input(&root, "timeline-time").value(), "15:00");
    assert!(changes.borrow().is_empty());
    root.remove();
}

#[wasm_bindgen_test]
async fn editing_moves_an_event_and_removing_takes_it_out() {
    let (root, changes) = mount_timeline(seed_incident(), 0.0).await;
    let count = rows(&root).len();
    assert!(rows(&root)[0].contains("12:30:00") && rows(&root)[0].contains("Leaky deploy"));

    click(&root, "timeline-edit-0");
    until(&root, "the edit form", |r| find(r, "timeline-field-probability").is_some()).await;
    assert_eq!(input(&root, "timeline-time").value(), "12:30:00");
    assert_eq!(select(&root, "timeline-kind").value(), "deploy_leak");
    assert_eq!(input(&root, "timeline-field-probability").value(), "0.000124");
    type_into(&root, "timeline-time", "13:00");
    type_into(&root, "timeline-field-probability", "0.001");
    click(&root, "timeline-save");
    until(&root, "the edit", |_| changes.borrow().len() == 1).await;
    let edited = changes.borrow()[0].clone();
    assert_eq!(edited.events.len(), count, "an edit replaces, it does not add");
    assert_eq!(edited.events[0], TimedEvent::new(3600.0, Action::DeployLeak { probability: 0.001 }));
    assert!(!edited.events.iter().any(|e| e.at_s == 1800.0));
    until(&root, "the edited row", |r| rows(r).first().is_some_and(|t| t.contains("13:00:00"))).await;

    click(&root, "timeline-remove-0");
    until(&root, "the removal", |_| changes.borrow().len() == 2).await;
    let removed = changes.borrow()[1].clone();
    assert_eq!(removed.events.len(), count - 1);
    assert!(!removed.events.iter().any(|e| matches!(e.action, Action::DeployLeak { .. })));
    until(&root, "one row less", |r| rows(r).len() == count - 1).await;
    assert!(!rows(&root).iter().any(|r| r.contains("Leaky deploy")));
    root.remove();
}

#[wasm_bindgen_test]
async fn rows_that_happened_are_marked_past_and_notes_are_text_never_markup() {
    let mut scenario = seed_incident();
    scenario.events.push(TimedEvent::new(60.0, Action::Note { text: "<b>not bold</b>".into() }));
    // 14:15:00: the resize, restart and note at 14:15 have just happened.
    let (root, _) = mount_timeline(scenario.clone(), 8100.0).await;
    let shown = rows(&root);
    assert_eq!(shown.len(), scenario.events.len());
    assert!(shown[0].contains("12:01:00") && shown[0].contains("<b>not bold</b>"), "{shown:?}");
    assert!(find(&root, "timeline-row-0").and_then(|r| r.query_selector("b").ok().flatten()).is_none());
    for (i, at_s) in [60.0, 1800.0, 7200.0, 7500.0, 8100.0, 9000.0].iter().enumerate() {
        let row = find(&root, &format!("timeline-row-{i}")).expect("a row");
        let past = *at_s <= 8100.0;
        assert_eq!(row.get_attribute("data-past").is_some(), past, "row {i} at {at_s} s");
    }
    assert!(text(&root, "timeline-now").contains("14:15:00"));
    root.remove();
}

#[wasm_bindgen_test]
async fn every_engine_action_is_offered_and_every_field_is_labelled() {
    let (root, _) = mount_timeline(seed_incident(), 0.0).await;
    click(&root, "timeline-add");
    until(&root, "the add form", |r| find(r, "timeline-kind").is_some()).await;
    let kinds = select(&root, "timeline-kind");
    let offered: Vec<String> =
        (0..kinds.length()).filter_map(|i| kinds.item(i).and_then(|o| o.get_attribute("value"))).collect();
    // The engine's action catalogue, in its order.
    let every = poolsim_engine::ActionKind::ALL.map(|k| k.name());
    assert_eq!(offered, every);
    for kind in every {
        choose(&root, "timeline-kind", kind);
        until(&root, kind, |r| kind_shown(r, kind)).await;
        let fields = root.query_selector_all(".timeline-form input, .timeline-form select").expect("fields");
        for i in 0..fields.length() {
            let field: Element = fields.get(i).and_then(|n| n.dyn_into().ok()).expect("an element");
            let label = root.query_selector(&format!("label[for='{}']", field.id())).ok().flatten();
            assert!(
                label.and_then(|l| l.text_content()).is_some_and(|t| !t.trim().is_empty()),
                "{kind}: {}",
                field.id()
            );
        }
    }
    assert!(root.scroll_width() <= root.client_width(), "the form fits the 300 px column");
    root.remove();
}

#[wasm_bindgen_test]
async fn a_fix_button_says_when_and_emits_its_action() {
    let (root, fixed) = mount_fixes(Some(running(0.0))).await;
    assert_eq!(input(&root, "fix-resize-size").value(), "200", "double the running pool");
    assert_eq!(text(&root, "fix-resize"), "Raise pool to 200 at 14:32:10");
    click(&root, "fix-resize");
    until(&root, "the resize", |_| fixed.borrow().len() == 1).await;
    assert!(matches!(fixed.borrow()[0], Action::ResizePool { max_size: 200, min_idle: None }));

    type_into(&root, "fix-resize-size", "0");
    click(&root, "fix-resize");
    until(&root, "the inline error", |r| find(r, "fix-resize-error").is_some()).await;
    assert!(text(&root, "fix-resize-error").contains("Pool size: must be between 1 and 100000"));
    assert_eq!(fixed.borrow().len(), 1, "a refused fix emits nothing");

    type_into(&root, "fix-restart-downtime", "30");
    click(&root, "fix-restart");
    click(&root, "fix-leak-detection");
    click(&root, "fix-abandoned");
    click(&root, "fix-alert");
    until(&root, "four more fixes", |_| fixed.borrow().len() == 5).await;
    assert_eq!(
        fixed.borrow()[1..],
        [
            Action::RestartApp { downtime_s: 30.0 },
            Action::SetLeakDetection { threshold_ms: 60_000 },
            Action::SetAbandonedTimeout { timeout_ms: 60_000 },
            Action::AddAlert {
                name: "PoolUsageHigh".into(),
                metric: AlertMetric::Usage,
                above: 0.8,
                for_s: 120
            },
        ]
    );
    assert!(root.scroll_width() <= root.client_width(), "the panel fits the 300 px column");
    root.remove();
}

#[wasm_bindgen_test]
async fn rollback_waits_for_a_live_leak_and_every_fix_waits_for_the_run() {
    let (root, fixed) = mount_fixes(Some(running(0.0))).await;
    assert!(disabled(&root, "fix-rollback"), "no leak is live");
    assert!(text(&root, "fixes").contains("No leaky deploy is live"));
    root.remove();

    let (root, fixed_live) = mount_fixes(Some(running(0.000124))).await;
    assert!(!disabled(&root, "fix-rollback"));
    assert_eq!(text(&root, "fix-rollback"), "Roll back at 14:32:10");
    click(&root, "fix-rollback");
    until(&root, "the rollback", |_| !fixed_live.borrow().is_empty()).await;
    assert_eq!(fixed_live.borrow()[0], Action::Rollback);
    root.remove();

    let (root, _) = mount_fixes(None).await;
    for hook in
        ["fix-resize", "fix-rollback", "fix-restart", "fix-leak-detection", "fix-abandoned", "fix-alert"]
    {
        assert!(disabled(&root, hook), "{hook} waits for the run");
    }
    assert!(fixed.borrow().is_empty());
    root.remove();
}
