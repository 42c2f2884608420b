//! A labelled, validated field. What the user types stays in the field; it is applied
//! on Enter or when the field loses focus (`change`), never on each keystroke. A refused
//! value shows an inline message (`role="alert"`, `aria-invalid`) and keeps the last
//! good value in the scenario; Escape puts the last good value back.

use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::forms::edit::Edit;
use crate::forms::knob::{Knob, Spec, unit_words};

/// Applies an edit of the panel: `Err` carries the message to show beside the field.
pub type OnEdit = Callback<Edit, Result<(), String>>;

/// Properties of [`NumberField`].
#[derive(Debug, Properties, PartialEq)]
pub struct NumberFieldProps {
    /// The setting this field edits.
    pub knob: Knob,
    /// Label, unit, range, help and test hook.
    pub spec: Spec,
    /// The last good value, as text.
    pub value: AttrValue,
    /// A line under the input that follows the value (the leak's "1 in N").
    #[prop_or_default]
    pub note: Option<AttrValue>,
    /// Show "applies on restart": the run has started and no engine action applies this.
    #[prop_or_default]
    pub restart_hint: bool,
    /// Apply the text (as [`Edit::Set`]).
    pub on_edit: OnEdit,
}

/// What the user typed over a value, and why it was refused (if it was).
#[derive(Clone, Debug, PartialEq)]
struct Draft {
    /// The value shown when typing began: a new value from outside (a preset, another
    /// field's change) makes the draft stale, and the field shows the new value.
    base: AttrValue,
    /// The text in the field.
    text: String,
    /// The inline message, once the text was refused.
    error: Option<String>,
}

/// A number input with its label, unit, help, and inline error.
#[component]
pub fn NumberField(props: &NumberFieldProps) -> Html {
    let draft = use_state_eq(|| None::<Draft>);
    let current = draft.as_ref().filter(|d| d.base == props.value).cloned();
    let error = current.as_ref().and_then(|d| d.error.clone());

    let spec = &props.spec;
    let commit = {
        let (draft, on_edit, knob, base, label) =
            (draft.clone(), props.on_edit.clone(), props.knob, props.value.clone(), spec.label.clone());
        move |input: &HtmlInputElement| {
            let text = input.value();
            // A number input reports "" for text it cannot read ("abc" in Firefox, "1e"):
            // that is not the same as an empty field.
            let refused = if text.is_empty() && input.validity().bad_input() {
                Err(format!("{label}: not a number"))
            } else {
                on_edit.emit(Edit::Set(knob, text.clone()))
            };
            draft.set(refused.err().map(|error| Draft { base: base.clone(), text, error: Some(error) }));
        }
    };
    let oninput = {
        let (draft, base, error) = (draft.clone(), props.value.clone(), error.clone());
        Callback::from(move |e: InputEvent| {
            if let Some(input) = e.target_dyn_into::<HtmlInputElement>() {
                // The message stays until the text is applied again or Escape.
                draft.set(Some(Draft { base: base.clone(), text: input.value(), error: error.clone() }));
            }
        })
    };
    let onchange = {
        let commit = commit.clone();
        Callback::from(move |e: Event| {
            if let Some(input) = e.target_dyn_into::<HtmlInputElement>() {
                commit(&input);
            }
        })
    };
    let onkeydown = {
        let (draft, editing) = (draft.clone(), current.is_some());
        Callback::from(move |e: KeyboardEvent| match e.key().as_str() {
            "Enter" => {
                e.prevent_default();
                if let Some(input) = e.target_dyn_into::<HtmlInputElement>() {
                    commit(&input);
                }
            }
            "Escape" if editing => {
                e.prevent_default();
                draft.set(None);
            }
            _ => {}
        })
    };

    let id = format!("control-{}", spec.id);
    let ids = Ids::new(&id);
    let described_by = ids.described_by(props.note.is_some(), props.restart_hint, error.is_some());
    let value = current.map_or_else(|| props.value.clone(), |d| AttrValue::from(d.text));
    html! {
        <div class={classes!("control", error.is_some().then_some("invalid"))}>
            <label class="control-label" for={id.clone()}>
                {&spec.label}
                if !spec.unit.is_empty() {
                    <span class="visually-hidden">{format!(" ({})", unit_words(spec.unit))}</span>
                }
            </label>
            <span class="control-input">
                <input
                    id={id.clone()}
                    data-testid={id}
                    type="number"
                    inputmode={if spec.whole { "numeric" } else { "decimal" }}
                    min={spec.min.to_string()}
                    max={spec.max.to_string()}
                    step={spec.step}
                    placeholder={spec.placeholder}
                    {value}
                    aria-invalid={error.is_some().then_some("true")}
                    aria-describedby={described_by}
                    {oninput}
                    {onchange}
                    {onkeydown}
                />
                // Always there, empty or not, so that the inputs line up.
                <span class="control-unit" aria-hidden="true">{spec.unit}</span>
            </span>
            { help(spec, &ids.help) }
            if let Some(note) = &props.note {
                <p class="control-note" id={ids.note.clone()}>{note}</p>
            }
            if props.restart_hint {
                { restart_hint(&ids.hint) }
            }
            if let Some(message) = &error {
                { error_message(&spec.id, &ids.error, message) }
            }
        </div>
    }
}

/// Properties of [`SelectField`].
#[derive(Debug, Properties, PartialEq)]
pub struct SelectFieldProps {
    /// The setting this field edits.
    pub knob: Knob,
    /// Label, help and test hook (the range is unused).
    pub spec: Spec,
    /// The selected option's value.
    pub value: AttrValue,
    /// (value, label) of each option.
    pub options: Vec<(AttrValue, AttrValue)>,
    /// Show "applies on restart".
    #[prop_or_default]
    pub restart_hint: bool,
    /// Apply the chosen value (as [`Edit::Set`]).
    pub on_edit: OnEdit,
}

/// A `<select>` with its label and help; a choice applies at once.
#[component]
pub fn SelectField(props: &SelectFieldProps) -> Html {
    let error = use_state_eq(|| None::<String>);
    let onchange = {
        let (error, on_edit, knob) = (error.clone(), props.on_edit.clone(), props.knob);
        Callback::from(move |e: Event| {
            if let Some(select) = e.target_dyn_into::<HtmlSelectElement>() {
                error.set(on_edit.emit(Edit::Set(knob, select.value())).err());
            }
        })
    };
    let spec = &props.spec;
    let id = format!("control-{}", spec.id);
    let ids = Ids::new(&id);
    let described_by = ids.described_by(false, props.restart_hint, error.is_some());
    html! {
        <div class={classes!("control", error.is_some().then_some("invalid"))}>
            <label class="control-label" for={id.clone()}>{&spec.label}</label>
            <span class="control-input">
                <select id={id.clone()} data-testid={id} aria-describedby={described_by}
                    aria-invalid={error.is_some().then_some("true")} {onchange}>
                    { for props.options.iter().map(|(value, label)| html! {
                        <option value={value.clone()} selected={*value == props.value}>{label}</option>
                    }) }
                </select>
            </span>
            { help(spec, &ids.help) }
            if props.restart_hint {
                { restart_hint(&ids.hint) }
            }
            if let Some(message) = &*error {
                { error_message(&spec.id, &ids.error, message) }
            }
        </div>
    }
}

/// Element ids of a field's descriptions.
struct Ids {
    help: String,
    note: String,
    hint: String,
    error: String,
}

impl Ids {
    fn new(id: &str) -> Self {
        Self {
            help: format!("{id}-help"),
            note: format!("{id}-note"),
            hint: format!("{id}-hint"),
            error: format!("{id}-error"),
        }
    }

    /// `aria-describedby`: the error first (it matters most), then the help and hints.
    fn described_by(&self, note: bool, hint: bool, error: bool) -> String {
        let parts = [(error, &self.error), (true, &self.help), (note, &self.note), (hint, &self.hint)];
        parts.iter().filter(|(on, _)| *on).map(|(_, id)| id.as_str()).collect::<Vec<_>>().join(" ")
    }
}

/// The help line: the real setting's name in code, then what it does.
pub fn help(spec: &Spec, id: &str) -> Html {
    html! {
        <p class="control-help" id={id.to_owned()}>
            if let Some((product, name)) = spec.setting {
                {product}{" "}<code>{name}</code>
            }
            {&spec.help}
        </p>
    }
}

/// "Applies on restart", for a change the engine cannot make to a running pool.
pub fn restart_hint(id: &str) -> Html {
    html! {
        <p class="control-hint" id={id.to_owned()}>
            <span aria-hidden="true">{"↻ "}</span>{"Applies on restart"}
        </p>
    }
}

/// The inline error: an icon and words, not only colour.
pub fn error_message(hook: &str, id: &str, message: &str) -> Html {
    html! {
        <p class="control-error" id={id.to_owned()} role="alert" data-testid={format!("control-error-{hook}")}>
            <span aria-hidden="true">{"⚠ "}</span>{message.to_owned()}
        </p>
    }
}
