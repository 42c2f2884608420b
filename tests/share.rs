//! The share panel in a real browser (headless Chromium), mounted alone: imports that fail
//! name the field and change nothing, valid ones reach the page, saved scenarios survive a
//! remount (as after a reload), a blocked storage says so, the embed dialog builds working
//! snippets, and the CSV download holds one row per sampled second.
#![cfg(target_arch = "wasm32")]

use std::rc::Rc;

use poolsim_content::export;
use poolsim_content::link::{self, ViewOptions};
use poolsim_engine::Scenario;
use poolsim_web::components::SharePanel;
use poolsim_web::run::live::LiveHandle;
use poolsim_web::share::files::{ExportKind, text_export};
use poolsim_web::share::storage::KEY_PREFIX;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{
    Element, HtmlDialogElement, HtmlInputElement, HtmlTextAreaElement, InputEvent, InputEventInit,
};
use yew::prelude::*;

wasm_bindgen_test_configure!(run_in_browser);

mod support;
use support::{Reported, click, find, next_frame, until};

/// Every scenario the panel handed to the page, in order.
type Imports = Reported<Scenario>;

/// Properties of [`Harness`].
#[derive(Properties, PartialEq)]
struct HarnessProps {
    scenario: Rc<Scenario>,
    live: LiveHandle,
    imports: Imports,
}

/// What the page does with the panel: record each import.
#[component]
fn Harness(props: &HarnessProps) -> Html {
    let on_import = {
        let imports = props.imports.clone();
        Callback::from(move |scenario: Scenario| imports.push(scenario))
    };
    html! {
        <SharePanel scenario={props.scenario.clone()} live={props.live.clone()} tick={0}
            clock_start_s={12 * 3600} view={ViewOptions::default()} {on_import} />
    }
}

/// A short scenario, simple to check.
fn scenario() -> Scenario {
    Scenario::from_json(
        r#"{ "name": "Share test", "clock_start": "12:00", "duration_s": 600, "traffic": { "rate_per_s": 20 } }"#,
    )
    .expect("valid")
}

/// Mount a panel on `scenario` (with a run of it) and wait for it to render.
async fn mount_with(scenario: Scenario, live: LiveHandle) -> (Element, Imports) {
    // Sized like a side column.
    let css = [include_str!("../styles/base.css"), include_str!("../styles/share.css")];
    let root = support::root("poolsim-share-styles", &css, Some(320));
    let imports = Imports::default();
    let props = HarnessProps { scenario: Rc::new(scenario), live, imports: imports.clone() };
    yew::Renderer::<Harness>::with_root_and_props(root.clone(), props).render();
    until(&root, "the share panel", |r| find(r, "import-apply").is_some()).await;
    (root, imports)
}

async fn mount() -> (Element, Imports) {
    let scenario = scenario();
    let live = LiveHandle::new(&scenario);
    mount_with(scenario, live).await
}

fn text(root: &Element, test_id: &str) -> String {
    find(root, test_id).and_then(|e| e.text_content()).unwrap_or_default()
}

fn input(root: &Element, test_id: &str) -> HtmlInputElement {
    find(root, test_id).and_then(|e| e.dyn_into().ok()).unwrap_or_else(|| panic!("no {test_id} input"))
}

/// Type `value` into a field, as keystrokes would leave it (one `input` event).
fn type_into(field: &HtmlInputElement, value: &str) {
    field.set_value(value);
    let init = InputEventInit::new();
    init.set_bubbles(true);
    let event = InputEvent::new_with_event_init_dict("input", &init).expect("an input event");
    field.dispatch_event(&event).expect("dispatched");
}

/// Paste `text` into the import box and press Import.
fn paste(root: &Element, text: &str) {
    let area: HtmlTextAreaElement =
        find(root, "import-paste").and_then(|e| e.dyn_into().ok()).expect("the paste box");
    area.set_value(text);
    click(root, "import-apply");
}

/// Remove every saved scenario, so each test starts from an empty list.
fn clear_saved() {
    let Some(storage) = web_sys::window().and_then(|w| w.local_storage().ok().flatten()) else { return };
    let keys: Vec<String> =
        (0..storage.length().unwrap_or(0)).filter_map(|i| storage.key(i).ok().flatten()).collect();
    for key in keys.iter().filter(|k| k.starts_with(KEY_PREFIX)) {
        let _ = storage.remove_item(key);
    }
}

fn saved_names(root: &Element) -> Vec<String> {
    let list = root.query_selector_all("[data-testid='saved-list'] .saved-name").expect("names");
    (0..list.length()).filter_map(|i| list.get(i)?.text_content()).collect()
}

#[wasm_bindgen_test]
async fn pasting_an_invalid_scenario_names_the_field_and_imports_nothing() {
    let (root, imports) = mount().await;
    paste(&root, r#"{ "name": "Bad", "pool": { "max_size": "lots" } }"#);
    until(&root, "the import error", |r| find(r, "import-error").is_some()).await;
    let error = find(&root, "import-error").expect("the error");
    assert_eq!(error.get_attribute("role").as_deref(), Some("alert"));
    let message = error.text_content().unwrap_or_default();
    assert!(message.contains("pool.max_size"), "names the field: {message}");
    assert!(message.contains("unchanged"), "says nothing changed: {message}");
    assert!(imports.borrow().is_empty(), "a refused scenario reaches nobody");

    paste(&root, r#"{ "pool": { "max_size": 0 } }"#);
    until(&root, "the validation error", |r| text(r, "import-error").contains("between 1 and")).await;
    assert!(text(&root, "import-error").contains("pool.max_size"));

    paste(&root, r#"{ "name": "cut short", "pool": { "#);
    until(&root, "the syntax error", |r| text(r, "import-error").contains("EOF")).await;
    assert!(imports.borrow().is_empty());
    root.remove();
}

#[wasm_bindgen_test]
async fn pasting_a_valid_scenario_or_link_imports_it() {
    let (root, imports) = mount().await;
    let mut wanted = scenario();
    wanted.name = "Pasted <img src=x onerror=alert(1)>".to_owned();
    wanted.pool.max_size = 42;
    paste(&root, &export::scenario_json(&wanted));
    until(&root, "the import", |_| !imports.borrow().is_empty()).await;
    assert_eq!(imports.borrow().as_slice(), [wanted.clone()]);
    until(&root, "the import message", |r| text(r, "import-status").contains("Imported")).await;
    assert!(find(&root, "import-error").is_none());
    assert!(root.query_selector("img").ok().flatten().is_none(), "a name is text, never markup");
    assert!(text(&root, "import-status").contains("<img src=x"), "shown literally");
    let area: HtmlTextAreaElement =
        find(&root, "import-paste").and_then(|e| e.dyn_into().ok()).expect("the paste box");
    assert_eq!(area.value(), "", "the box empties after an import");

    // A whole link imports its scenario too.
    let url = format!("https://example.org/poolsim/#{}", link::encode(&scenario().into()));
    paste(&root, &url);
    until(&root, "the link's import", |_| imports.borrow().len() == 2).await;
    assert_eq!(imports.borrow()[1], scenario());
    root.remove();
}

#[wasm_bindgen_test]
async fn saved_scenarios_survive_a_remount_load_rename_and_delete() {
    clear_saved();
    let (root, imports) = mount().await;
    input(&root, "saved-name").set_value("Incident draft");
    click(&root, "saved-save");
    until(&root, "the saved entry", |r| saved_names(r) == ["Incident draft"]).await;
    assert!(text(&root, "saved-status").contains("Saved “Incident draft”"));
    assert!(find(&root, "storage-error").is_none());
    root.remove();

    // A fresh panel reads the list from storage, as after a reload.
    let (root, imports_after) = mount().await;
    until(&root, "the list read back", |r| saved_names(r) == ["Incident draft"]).await;
    click(&root, "saved-load-0");
    until(&root, "the load", |_| !imports_after.borrow().is_empty()).await;
    assert_eq!(imports_after.borrow().as_slice(), [scenario()], "the very scenario that was saved");
    assert!(imports.borrow().is_empty());

    click(&root, "saved-rename-0");
    until(&root, "the rename field", |r| find(r, "saved-rename-input-0").is_some()).await;
    type_into(&input(&root, "saved-rename-input-0"), "Incident final");
    next_frame().await;
    click(&root, "saved-rename-apply-0");
    until(&root, "the new name", |r| saved_names(r) == ["Incident final"]).await;

    click(&root, "saved-delete-0");
    until(&root, "the deletion", |r| saved_names(r).is_empty()).await;
    assert!(text(&root, "saved-status").contains("Deleted “Incident final”"));
    click(&root, "saved-undo");
    until(&root, "the undo", |r| saved_names(r) == ["Incident final"]).await;
    click(&root, "saved-delete-0");
    until(&root, "the deletion again", |r| saved_names(r).is_empty()).await;
    root.remove();
}

#[wasm_bindgen_test]
async fn a_blocked_storage_gives_a_clear_message_not_a_crash() {
    clear_saved();
    let (root, _) = mount().await;
    // As in a sandboxed iframe or with site data blocked: reading localStorage throws.
    let block = js_sys::Function::new_no_args(
        "globalThis.__poolsimStorage = Object.getOwnPropertyDescriptor(window, 'localStorage');
         Object.defineProperty(window, 'localStorage', { configurable: true,
           get() { throw new DOMException('The operation is insecure.', 'SecurityError'); } });",
    );
    let unblock = js_sys::Function::new_no_args(
        "Object.defineProperty(window, 'localStorage', globalThis.__poolsimStorage);",
    );
    block.call0(&wasm_bindgen::JsValue::NULL).expect("blocked");
    click(&root, "saved-save");
    until(&root, "the storage error", |r| !text(r, "storage-error").is_empty()).await;
    let message = text(&root, "storage-error");
    unblock.call0(&wasm_bindgen::JsValue::NULL).expect("unblocked");
    assert!(message.contains("not available"), "{message}");
    assert_eq!(find(&root, "storage-error").and_then(|e| e.get_attribute("role")).as_deref(), Some("alert"));
    // The page carries on: once storage is back, saving works.
    click(&root, "saved-save");
    until(&root, "a save after the block", |r| saved_names(r) == ["Share test"]).await;
    assert!(find(&root, "storage-error").is_none());
    clear_saved();
    root.remove();
}

#[wasm_bindgen_test]
async fn the_link_field_holds_the_scenario_and_copy_link_answers() {
    let (root, _) = mount().await;
    until(&root, "the share URL", |r| input(r, "share-url").value().contains("#v1.")).await;
    let url = input(&root, "share-url").value();
    assert_eq!(link::decode(&url).map(|s| s.scenario), Ok(scenario()), "the link opens the same scenario");
    click(&root, "copy-link");
    until(&root, "the copy outcome", |r| !text(r, "copy-status").is_empty()).await;
    let status = text(&root, "copy-status");
    // Headless browsers may refuse the clipboard: then the link is selected for Ctrl+C.
    if status != "Copied" {
        assert!(status.contains("Ctrl+C"), "{status}");
        let active = web_sys::window().and_then(|w| w.document()).and_then(|d| d.active_element());
        assert_eq!(active.map(|a| a.id()).as_deref(), Some("share-url"), "the link is selected");
    }
    root.remove();
}

#[wasm_bindgen_test]
async fn the_embed_dialog_builds_a_titled_lazy_iframe_and_a_markdown_image_link() {
    let (root, _) = mount().await;
    let snippet = |r: &Element, id: &str| -> String {
        find(r, id)
            .and_then(|e| e.dyn_into::<HtmlTextAreaElement>().ok())
            .map(|t| t.value())
            .unwrap_or_default()
    };
    click(&root, "embed-open");
    // The snippet's box shows at once; its text comes once the browser has packed the link.
    until(&root, "the packed iframe snippet", |r| !snippet(r, "embed-iframe-snippet").is_empty()).await;
    let dialog: HtmlDialogElement =
        root.query_selector("dialog").ok().flatten().and_then(|d| d.dyn_into().ok()).expect("a dialog");
    assert!(dialog.open(), "shown as a modal");
    let iframe = snippet(&root, "embed-iframe-snippet");
    for part in [
        "<iframe src=\"",
        "embed.html#v1.",
        "title=\"poolsim: Share test\"",
        "loading=\"lazy\"",
        "width=\"800\"",
    ] {
        assert!(iframe.contains(part), "{part} missing from {iframe}");
    }

    click(&root, "embed-size-640x360");
    click(&root, "embed-autoplay");
    type_into(&input(&root, "embed-start"), "12:05");
    until(&root, "the new snippet", |r| snippet(r, "embed-iframe-snippet").contains("width=\"640\"")).await;
    let iframe = snippet(&root, "embed-iframe-snippet");
    let src = iframe.split('"').nth(1).expect("a src");
    let opened = link::decode(src).expect("the embed link opens");
    assert!(opened.view.embed && opened.view.autoplay, "{:?}", opened.view);
    assert_eq!(opened.view.at_s, Some(300.0), "12:05 is 5 minutes in");
    assert_eq!(opened.scenario, scenario());

    let markdown = snippet(&root, "embed-markdown-snippet");
    assert!(markdown.starts_with("[![Share test — poolsim](share-test-dashboard.png)](http"), "{markdown}");
    assert!(!markdown.contains("embed.html"), "the image links to the full page: {markdown}");

    type_into(&input(&root, "embed-start"), "23:00");
    until(&root, "the start-time error", |r| r.query_selector("#embed-start-error").ok().flatten().is_some())
        .await;
    assert_eq!(input(&root, "embed-start").get_attribute("aria-invalid").as_deref(), Some("true"));

    click(&root, "embed-close");
    until(&root, "the closed dialog", |_| !dialog.open()).await;
    until(&root, "the focus back on the Embed button", |_| {
        let active = web_sys::window().and_then(|w| w.document()).and_then(|d| d.active_element());
        active.and_then(|a| a.get_attribute("data-testid")).as_deref() == Some("embed-open")
    })
    .await;
    root.remove();
}

#[wasm_bindgen_test]
async fn the_csv_export_has_a_header_and_one_row_per_sampled_second() {
    let scenario = scenario();
    let live = LiveHandle::new(&scenario);
    for _ in 0..90 {
        live.step_second();
    }
    let (root, _) = mount_with(scenario.clone(), live.clone()).await;
    let (csv, samples) = {
        let run = live.read();
        let sim = run.player.as_ref().expect("runs").sim();
        let csv = text_export(ExportKind::SamplesCsv, &scenario, Some(sim), 12 * 3600).expect("csv");
        (csv, sim.samples().len())
    };
    assert!(samples >= 89, "90 s simulated: {samples} samples");
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 1 + samples, "a header and one row per sampled second");
    assert!(lines[0].starts_with("t_s,clock,"), "{}", lines[0]);
    assert!(lines[samples].starts_with(&format!("{samples},12:01:")), "{}", lines[samples]);
    let note = text(&root, "export-note");
    assert!(note.contains("run so far, 12:00:00 to 12:01:30"), "{note}");

    click(&root, "export-csv");
    until(&root, "the export message", |r| !text(r, "export-status").is_empty()).await;
    assert_eq!(text(&root, "export-status"), "“share-test-samples.csv” is in your downloads.");

    // The PNG is the SVG dashboard drawn by the browser on an offscreen canvas.
    click(&root, "export-png");
    until(&root, "the PNG", |r| {
        text(r, "export-status").contains("share-test-dashboard.png") || find(r, "export-error").is_some()
    })
    .await;
    assert!(find(&root, "export-error").is_none(), "{}", text(&root, "export-error"));
    root.remove();
}
