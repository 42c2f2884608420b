//! The preset picker: the scenarios shipped in `crates/content/scenarios/`, the June 15, 2024
//! incident first (their titles only: the page fetches the one chosen, see [`crate::scenarios`]).

use poolsim_content::presets::STORIES;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

/// A labelled `<select>` whose option values are the CLI's preset names. A scenario that
/// came from a link naming none of them (`selected` empty) shows as such. Once the user has
/// chosen, the browser keeps their choice whatever the options say: a page that may go back
/// on it (a preset that could not be fetched) passes `node` and calls [`show_picked`].
pub fn preset_picker(selected: &str, on_change: Callback<String>, node: NodeRef) -> Html {
    let from_link = !STORIES.iter().any(|p| p.name == selected);
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
            <select data-testid="preset" onchange={on_change} ref={node}>
                if from_link {
                    <option value="" selected=true disabled=true>{"A scenario from a link"}</option>
                }
                { for STORIES.iter().map(|p| html! {
                    <option value={p.name} selected={selected == p.name}>{p.title}</option>
                }) }
            </select>
        </label>
    }
}

/// Show `picked` in the picker at `node`, whatever the user chose last.
pub fn show_picked(node: &NodeRef, picked: &str) {
    if let Some(select) = node.cast::<HtmlSelectElement>()
        && select.value() != picked
    {
        select.set_value(picked);
    }
}
