//! The preset picker: the scenarios shipped in `crates/content/scenarios/`, the June 15, 2024 incident first.

use poolsim_content::presets::PRESETS;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

/// A labelled `<select>` whose option values are the CLI's preset names. A scenario that
/// came from a link naming none of them (`selected` empty) shows as such.
pub fn preset_picker(selected: &str, on_change: Callback<String>) -> Html {
    let from_link = !PRESETS.iter().any(|p| p.name == selected);
    let on_change = {
        Callback::from(move |e: Event| {
            if let Some(select) = e.target_dyn_into::<HtmlSelectElement>() {
                on_change.emit(select.value());
            }
        })
    };
    html! {
        <label class="field">
            <span class="field-label">{"Preset"}</span>
            <select data-testid="preset" onchange={on_change}>
                if from_link {
                    <option value="" selected=true disabled=true>{"A scenario from a link"}</option>
                }
                { for PRESETS.iter().map(|p| html! {
                    <option value={p.name} selected={selected == p.name}>{p.title}</option>
                }) }
            </select>
        </label>
    }
}
