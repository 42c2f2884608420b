//! "Import": a scenario from a file (picker, or dropped anywhere on the page) or pasted
//! text (its JSON, or a poolsim link). A scenario with an error is refused whole: the
//! error names the field, and the current scenario stays exactly as it was.

use std::cell::RefCell;
use std::rc::Rc;

use gloo::events::{EventListener, EventListenerOptions};
use poolsim_engine::{Scenario, ScenarioError};
use wasm_bindgen::JsCast;
use web_sys::{DragEvent, File, HtmlInputElement, HtmlTextAreaElement};
use yew::prelude::*;

use super::use_latest;
use crate::share::download::read_file_text;
use crate::share::import::parse_scenario;

/// Properties of [`ImportForm`].
#[derive(Debug, Properties, PartialEq)]
pub struct ImportFormProps {
    /// Called with a valid scenario; never called for a refused one.
    pub on_import: Callback<Scenario>,
}

/// What the last import did.
#[derive(Clone, Debug, PartialEq)]
enum Outcome {
    /// Imported the scenario of this name.
    Imported(String),
    /// Refused: where it came from, and why.
    Refused { source: String, error: ScenarioError },
}

/// Applies imported text: the outcome to show, and the page's callback (the latest one).
#[derive(Clone)]
struct Importer {
    outcome: UseStateHandle<Option<Outcome>>,
    on_import: Rc<RefCell<Callback<Scenario>>>,
}

impl Importer {
    /// Import `text` from `source` ("The pasted text", "“x.json”"); whether it was valid.
    async fn apply(&self, text: &str, source: String) -> bool {
        match parse_scenario(text).await {
            Ok(scenario) => {
                self.outcome.set(Some(Outcome::Imported(scenario.name.clone())));
                let on_import = self.on_import.borrow().clone();
                on_import.emit(scenario);
                true
            }
            Err(error) => {
                self.outcome.set(Some(Outcome::Refused { source, error }));
                false
            }
        }
    }

    /// Read `file` and import it.
    fn apply_file(&self, file: File) {
        let importer = self.clone();
        wasm_bindgen_futures::spawn_local(async move {
            let source = format!("“{}”", file.name());
            match read_file_text(&file).await {
                Ok(text) => {
                    importer.apply(&text, source).await;
                }
                Err(reason) => {
                    let error = ScenarioError::new("", reason);
                    importer.outcome.set(Some(Outcome::Refused { source, error }));
                }
            }
        });
    }
}

/// The file picker, the paste box and the outcome; a file dropped on the page imports too.
#[component]
pub fn ImportForm(props: &ImportFormProps) -> Html {
    let outcome = use_state_eq(|| None::<Outcome>);
    let paste = use_node_ref();
    let importer = Importer { outcome: outcome.clone(), on_import: use_latest(&props.on_import) };
    use_file_drop(importer.clone());

    let on_file = {
        let importer = importer.clone();
        Callback::from(move |e: Event| {
            let Some(input) = e.target_dyn_into::<HtmlInputElement>() else { return };
            if let Some(file) = input.files().and_then(|files| files.get(0)) {
                importer.apply_file(file);
            }
            // Picking the same file again (after fixing it) fires `change` again.
            input.set_value("");
        })
    };
    let on_apply = {
        let (importer, paste) = (importer.clone(), paste.clone());
        Callback::from(move |_: MouseEvent| {
            let Some(area) = paste.cast::<HtmlTextAreaElement>() else { return };
            let importer = importer.clone();
            wasm_bindgen_futures::spawn_local(async move {
                if importer.apply(&area.value(), "The pasted text".to_owned()).await {
                    area.set_value("");
                }
            });
        })
    };

    let result = match &*outcome {
        Some(Outcome::Imported(name)) => html! {
            <p class="share-status" role="status" data-testid="import-status">
                {format!("Imported “{name}”.")}
            </p>
        },
        Some(Outcome::Refused { source, error }) => html! {
            <div class="share-error" role="alert" data-testid="import-error">
                <p>{format!("{source} was not imported; your scenario is unchanged.")}</p>
                <p>
                    if error.path.is_empty() {
                        {&error.reason}
                    } else {
                        {"Field "}<code class="share-path">{&error.path}</code>{": "}{&error.reason}
                    }
                </p>
            </div>
        },
        None => html! { <p class="share-status" role="status" data-testid="import-status"></p> },
    };
    html! {
        <div class="share-import">
            <div class="share-field">
                <label class="share-label" for="import-file">{"Scenario file (.json)"}</label>
                <input id="import-file" data-testid="import-file" type="file" accept=".json,application/json"
                    onchange={on_file} aria-describedby="import-file-help" />
                <p id="import-file-help" class="share-note">{"Or drop a scenario file anywhere on the page."}</p>
            </div>
            <div class="share-field">
                <label class="share-label" for="import-paste">{"Or paste a scenario's JSON, or a poolsim link"}</label>
                <textarea id="import-paste" ref={paste} data-testid="import-paste" rows="4" spellcheck="false"
                    placeholder={r#"{ "name": "…", "pool": { "max_size": 100 } }"#} />
                <div class="share-row end">
                    <button type="button" class="button" data-testid="import-apply" onclick={on_apply}>
                        {"Import"}
                    </button>
                </div>
            </div>
            { result }
        </div>
    }
}

/// A file dropped anywhere on the page is imported (instead of the browser opening it).
/// Dragged text is left alone: it can still be dropped into the paste box.
#[hook]
fn use_file_drop(importer: Importer) {
    let importer = use_latest(&importer);
    use_effect_with((), move |()| {
        let document = web_sys::window().and_then(|w| w.document());
        let listeners = document.map(|document| {
            let options = EventListenerOptions::enable_prevent_default();
            let over = EventListener::new_with_options(&document, "dragover", options, |event| {
                if carries_files(event) {
                    // Allows the drop.
                    event.prevent_default();
                }
            });
            let drop = EventListener::new_with_options(&document, "drop", options, move |event| {
                if !carries_files(event) {
                    return;
                }
                event.prevent_default();
                let file = event
                    .dyn_ref::<DragEvent>()
                    .and_then(DragEvent::data_transfer)
                    .and_then(|t| t.files())
                    .and_then(|files| files.get(0));
                if let Some(file) = file {
                    importer.borrow().apply_file(file);
                }
            });
            (over, drop)
        });
        move || drop(listeners)
    });
}

/// Whether a drag event carries files (not text or a link).
fn carries_files(event: &Event) -> bool {
    event
        .dyn_ref::<DragEvent>()
        .and_then(DragEvent::data_transfer)
        .is_some_and(|t| t.types().iter().any(|kind| kind.as_string().as_deref() == Some("Files")))
}
