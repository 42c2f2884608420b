//! "Saved in this browser": scenarios kept in `localStorage` under a name — save, list,
//! load, rename, delete (with undo). They survive a reload; a storage that is missing or
//! full says so in words (`storage-error`), and the page carries on.

use std::rc::Rc;

use gloo::events::EventListener;
use poolsim_engine::Scenario;
use wasm_bindgen::JsValue;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use super::use_latest;
use crate::share::storage::{self, SaveOutcome, SavedEntry, SortBy, StorageError};

/// Properties of [`SavedScenarios`].
#[derive(Debug, Properties, PartialEq)]
pub struct SavedScenariosProps {
    /// The scenario "Save" keeps (its name is the default name).
    pub scenario: Rc<Scenario>,
    /// Called with a loaded scenario (always valid).
    pub on_import: Callback<Scenario>,
}

/// One row of the list.
#[derive(Clone, Debug, PartialEq)]
struct Row {
    name: String,
    /// When it was saved, in local time; "cannot be read" for a damaged entry.
    saved: String,
}

/// The panel's state, shared by its buttons.
#[derive(Clone)]
struct Panel {
    rows: UseStateHandle<Vec<Row>>,
    sort: SortBy,
    /// What the last action did (`role="status"`).
    note: UseStateHandle<String>,
    /// Why the last action failed (`storage-error`, `role="alert"`).
    error: UseStateHandle<Option<String>>,
    /// The last deleted entry (name, stored value), for "Undo".
    undo: UseStateHandle<Option<(String, String)>>,
    /// The row being renamed: its name and the new name typed so far.
    renaming: UseStateHandle<Option<(String, String)>>,
    on_import: Rc<std::cell::RefCell<Callback<Scenario>>>,
}

impl Panel {
    /// Run `action` on the browser's saved scenarios; show its message or its error, then
    /// list the saved scenarios again. Whether it succeeded.
    fn act(
        &self,
        action: impl FnOnce(&storage::Saved<storage::WebStore>) -> Result<String, StorageError>,
    ) -> bool {
        let done = match storage::browser().and_then(|saved| action(&saved)) {
            Ok(note) => {
                self.error.set(None);
                self.note.set(note);
                true
            }
            Err(e) => {
                self.note.set(String::new());
                self.error.set(Some(e.to_string()));
                false
            }
        };
        self.refresh();
        done
    }

    /// Read the list from storage.
    fn refresh(&self) {
        match storage::browser().and_then(|saved| saved.list(self.sort)) {
            Ok(entries) => self.rows.set(entries.iter().map(row).collect()),
            Err(e) => {
                self.rows.set(Vec::new());
                self.error.set(Some(e.to_string()));
            }
        }
    }
}

fn row(entry: &SavedEntry) -> Row {
    let saved = entry.saved_at_ms.map_or_else(|| "cannot be read".to_owned(), local_time);
    Row { name: entry.name.clone(), saved }
}

/// `2024-06-15 14:05` in the browser's time zone.
fn local_time(ms: f64) -> String {
    let date = js_sys::Date::new(&JsValue::from_f64(ms));
    format!(
        "{}-{:02}-{:02} {:02}:{:02}",
        date.get_full_year(),
        date.get_month() + 1,
        date.get_date(),
        date.get_hours(),
        date.get_minutes()
    )
}

/// Save under a name, and the list of saved scenarios with their actions.
#[component]
pub fn SavedScenarios(props: &SavedScenariosProps) -> Html {
    let sort = use_state_eq(SortBy::default);
    let panel = Panel {
        rows: use_state_eq(Vec::new),
        sort: *sort,
        note: use_state_eq(String::new),
        error: use_state_eq(|| None),
        undo: use_state_eq(|| None),
        renaming: use_state_eq(|| None),
        on_import: use_latest(&props.on_import),
    };
    let name_field = use_node_ref();
    let rename_field = use_node_ref();
    {
        // List on mount and when the order changes; again when another tab saves.
        let panel = panel.clone();
        use_effect_with(*sort, move |_| {
            panel.refresh();
            let listener = web_sys::window().map(|window| {
                let panel = panel.clone();
                EventListener::new(&window, "storage", move |_| panel.refresh())
            });
            move || drop(listener)
        });
    }
    {
        // Move the focus into the rename field when it appears.
        let rename_field = rename_field.clone();
        use_effect_with(panel.renaming.as_ref().map(|(name, _)| name.clone()), move |renaming| {
            if renaming.is_some()
                && let Some(input) = rename_field.cast::<HtmlInputElement>()
            {
                let _ = input.focus();
                input.select();
            }
        });
    }

    let on_save = {
        let (panel, name_field, scenario) = (panel.clone(), name_field.clone(), props.scenario.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let typed = name_field.cast::<HtmlInputElement>().map(|i| i.value()).unwrap_or_default();
            let name = if typed.trim().is_empty() { scenario.name.clone() } else { typed };
            panel.undo.set(None);
            panel.act(|saved| {
                let name = storage::clean_name(&name)?;
                Ok(match saved.save(&name, &scenario, js_sys::Date::now())? {
                    SaveOutcome::Created => format!("Saved “{name}”."),
                    SaveOutcome::Replaced => format!("Replaced the scenario saved as “{name}”."),
                })
            });
        })
    };
    let on_sort = {
        let sort = sort.clone();
        Callback::from(move |e: Event| {
            if let Some(select) = e.target_dyn_into::<HtmlSelectElement>() {
                sort.set(if select.value() == "newest" { SortBy::Newest } else { SortBy::Name });
            }
        })
    };
    let on_undo = {
        let panel = panel.clone();
        Callback::from(move |_: MouseEvent| {
            let Some((name, value)) = (*panel.undo).clone() else { return };
            panel.undo.set(None);
            panel.act(|saved| saved.restore(&name, &value).map(|()| format!("Restored “{name}”.")));
        })
    };

    let rows = panel.rows.iter().enumerate().map(|(i, row)| {
        let renaming =
            panel.renaming.as_ref().filter(|(name, _)| *name == row.name).map(|(_, draft)| draft.clone());
        saved_row(&panel, i, row, renaming, &rename_field)
    });
    html! {
        <div class="share-saved">
            <form class="share-field" onsubmit={on_save}>
                <label class="share-label" for="saved-name">{"Save the current scenario as"}</label>
                <div class="share-row">
                    <input id="saved-name" ref={name_field} data-testid="saved-name" type="text"
                        maxlength={storage::MAX_NAME_CHARS.to_string()} placeholder={props.scenario.name.clone()} />
                    <button type="submit" class="button" data-testid="saved-save">{"Save"}</button>
                </div>
            </form>
            <div class="share-row">
                <label class="share-label" for="saved-sort">{"Order"}</label>
                <select id="saved-sort" data-testid="saved-sort" onchange={on_sort}>
                    <option value="name" selected={*sort == SortBy::Name}>{"By name"}</option>
                    <option value="newest" selected={*sort == SortBy::Newest}>{"Newest first"}</option>
                </select>
            </div>
            <ul class="saved-list" data-testid="saved-list" aria-label="Saved scenarios">
                { for rows }
            </ul>
            if panel.rows.is_empty() && panel.error.is_none() {
                <p class="share-note">{"Nothing saved in this browser yet."}</p>
            }
            <p class="share-status" role="status" data-testid="saved-status">
                {(*panel.note).clone()}
                if panel.undo.is_some() {
                    {" "}
                    <button type="button" class="button small" data-testid="saved-undo" onclick={on_undo}>
                        {"Undo"}
                    </button>
                }
            </p>
            if let Some(error) = &*panel.error {
                <p class="share-error" role="alert" data-testid="storage-error">{error}</p>
            }
        </div>
    }
}

/// One saved scenario: its name and time, or the rename field; and its buttons.
fn saved_row(panel: &Panel, i: usize, row: &Row, renaming: Option<String>, rename_field: &NodeRef) -> Html {
    let name = row.name.clone();
    let on_load = {
        let (panel, name) = (panel.clone(), name.clone());
        Callback::from(move |_: MouseEvent| {
            let on_import = panel.on_import.borrow().clone();
            panel.undo.set(None);
            panel.act(|saved| {
                let scenario = saved.load(&name)?;
                on_import.emit(scenario);
                Ok(format!("Loaded “{name}”."))
            });
        })
    };
    let on_delete = {
        let (panel, name) = (panel.clone(), name.clone());
        Callback::from(move |_: MouseEvent| {
            let mut removed = None;
            panel.act(|saved| {
                removed = Some(saved.delete(&name)?);
                Ok(format!("Deleted “{name}”."))
            });
            panel.undo.set(removed.map(|value| (name.clone(), value)));
        })
    };
    let Some(draft) = renaming else {
        let on_rename = {
            let (panel, name) = (panel.clone(), name.clone());
            Callback::from(move |_: MouseEvent| panel.renaming.set(Some((name.clone(), name.clone()))))
        };
        return html! {
            <li class="saved-item" key={row.name.clone()} data-testid={format!("saved-item-{i}")}>
                <span class="saved-name">{&row.name}</span>
                <span class="saved-time">{&row.saved}</span>
                <span class="saved-actions">
                    <button type="button" class="button small" data-testid={format!("saved-load-{i}")}
                        aria-label={format!("Load “{}”", row.name)} onclick={on_load}>{"Load"}</button>
                    <button type="button" class="button small" data-testid={format!("saved-rename-{i}")}
                        aria-label={format!("Rename “{}”", row.name)} onclick={on_rename}>{"Rename"}</button>
                    <button type="button" class="button small" data-testid={format!("saved-delete-{i}")}
                        aria-label={format!("Delete “{}”", row.name)} onclick={on_delete}>{"Delete"}</button>
                </span>
            </li>
        };
    };
    let apply = {
        let (panel, name) = (panel.clone(), name.clone());
        move |to: String| {
            let renamed = panel.act(|saved| {
                let to = saved.rename(&name, &to)?;
                Ok(format!("Renamed “{name}” to “{to}”."))
            });
            // A refused name keeps the field open to correct it.
            if renamed {
                panel.renaming.set(None);
            }
        }
    };
    let cancel = {
        let panel = panel.clone();
        move || panel.renaming.set(None)
    };
    let on_input = {
        let (panel, name) = (panel.clone(), name.clone());
        Callback::from(move |e: InputEvent| {
            if let Some(input) = e.target_dyn_into::<HtmlInputElement>() {
                panel.renaming.set(Some((name.clone(), input.value())));
            }
        })
    };
    let on_key = {
        let (apply, cancel) = (apply.clone(), cancel.clone());
        Callback::from(move |e: KeyboardEvent| match e.key().as_str() {
            "Enter" => {
                e.prevent_default();
                if let Some(input) = e.target_dyn_into::<HtmlInputElement>() {
                    apply(input.value());
                }
            }
            "Escape" => {
                e.prevent_default();
                cancel();
            }
            _ => {}
        })
    };
    let on_apply = {
        let draft = draft.clone();
        Callback::from(move |_: MouseEvent| apply(draft.clone()))
    };
    let id = format!("saved-rename-input-{i}");
    html! {
        <li class="saved-item renaming" key={row.name.clone()} data-testid={format!("saved-item-{i}")}>
            <label class="visually-hidden" for={id.clone()}>{format!("New name for “{}”", row.name)}</label>
            <input id={id.clone()} ref={rename_field.clone()} data-testid={id} type="text" value={draft}
                maxlength={storage::MAX_NAME_CHARS.to_string()} oninput={on_input} onkeydown={on_key} />
            <span class="saved-actions">
                <button type="button" class="button small" data-testid={format!("saved-rename-apply-{i}")}
                    onclick={on_apply}>{"Rename"}</button>
                <button type="button" class="button small" onclick={Callback::from(move |_: MouseEvent| cancel())}>
                    {"Cancel"}
                </button>
            </span>
        </li>
    }
}
