//! The preset picker: the scenarios shipped in `scenarios/`, the June 15, 2024 incident first.

use poolsim_engine::presets::PRESETS;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

/// Properties of [`PresetPicker`].
#[derive(Debug, Properties, PartialEq)]
pub struct PresetPickerProps {
    /// The selected preset's name (the CLI's `--preset` name).
    pub selected: AttrValue,
    /// Called with the newly chosen preset's name.
    pub on_change: Callback<String>,
}

/// A labelled `<select>` whose option values are the CLI's preset names.
#[component]
pub fn PresetPicker(props: &PresetPickerProps) -> Html {
    let on_change = {
        let on_change = props.on_change.clone();
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
                { for PRESETS.iter().map(|p| html! {
                    <option value={p.name} selected={props.selected == p.name}>{p.title}</option>
                }) }
            </select>
        </label>
    }
}
