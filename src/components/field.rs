//! The one labelled field of every panel, drawn from a [`FieldSpec`]: the label (the unit
//! spelled out for screen readers), the input, select or switch (`inputmode`, `min`, `max`,
//! `step`, `placeholder` as the spec says), the unit, the help naming the real setting,
//! optional lines under it, and the inline error (`role="alert"`, the input
//! `aria-invalid` and described by it).
//!
//! How it reports what is typed is a prop ([`Report`]):
//! - [`Report::OnCommit`] (the settings panel): what the user types stays in the field and
//!   is applied on Enter, when the field loses focus (`change`) or on a choice, never on
//!   each keystroke. A refused value shows its message and keeps the last good value in the
//!   scenario; Escape puts the last good value back.
//! - [`Report::OnInput`] (the timeline form, the fix panel): each keystroke or choice goes
//!   up at once; the owner keeps the text, commits it (Save, a fix button) and passes the
//!   refusal back as `error`.

use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::forms::field::{Entry, FieldSpec, Panel, unit_words};
use crate::forms::parse::show_on_off;

/// How a [`Field`] reports what is typed.
#[derive(Clone, Debug, PartialEq)]
pub enum Report {
    /// Apply the text on Enter, on leaving the field or on a choice: `Err` is the message to
    /// show beside the field, which keeps the text.
    OnCommit(Callback<String, Result<(), String>>),
    /// Every keystroke (or choice), at once.
    OnInput(Callback<String>),
}

/// Properties of [`Field`].
#[derive(Debug, Properties, PartialEq)]
pub struct FieldProps {
    /// Label, unit, how it is typed, help, ids and look.
    pub spec: FieldSpec,
    /// The value shown: the last good one ([`Report::OnCommit`]) or the owner's text.
    pub value: AttrValue,
    /// How what is typed goes up.
    pub report: Report,
    /// A refusal the owner shows (the timeline form's last save, the fix's last click).
    #[prop_or_default]
    pub error: Option<AttrValue>,
    /// A line under the input that follows the value (the leak's "1 in N").
    #[prop_or_default]
    pub note: Option<AttrValue>,
    /// Show "applies on restart": the run has started and no engine action applies this.
    #[prop_or_default]
    pub restart_hint: bool,
    /// The input element, for the owner to focus.
    #[prop_or_default]
    pub input_ref: NodeRef,
    /// Drawn after the input, before the help (a fix's button).
    #[prop_or_default]
    pub children: Html,
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

/// A labelled field with its unit, help and inline error.
#[component]
pub fn Field(props: &FieldProps) -> Html {
    // Only a field that commits keeps a draft; one that reports each keystroke shows its
    // owner's text and error.
    let draft = use_state_eq(|| None::<Draft>);
    let current = draft.as_ref().filter(|d| d.base == props.value).cloned();
    let drafted_error = current.as_ref().and_then(|d| d.error.clone());
    let error = props.error.clone().or_else(|| drafted_error.clone().map(AttrValue::from));
    let spec = &props.spec;

    let (oninput, onchange, onkeydown) = match &props.report {
        Report::OnInput(on_input) => {
            let oninput = {
                let on_input = on_input.clone();
                Callback::from(move |e: InputEvent| {
                    if let Some(input) = e.target_dyn_into::<HtmlInputElement>() {
                        on_input.emit(typed(&input));
                    }
                })
            };
            // A choice is a `change`; text goes up with each keystroke already.
            let onchange = {
                let on_input = on_input.clone();
                Callback::from(move |e: Event| {
                    if let Some(select) = e.target_dyn_into::<HtmlSelectElement>() {
                        on_input.emit(select.value());
                    }
                })
            };
            (oninput, onchange, None)
        }
        Report::OnCommit(on_commit) => {
            let commit = {
                let (draft, on_commit, base, label) =
                    (draft.clone(), on_commit.clone(), props.value.clone(), spec.label.clone());
                move |text: String, unreadable: bool| {
                    let refused = if unreadable {
                        Err(format!("{label}: not a number"))
                    } else {
                        on_commit.emit(text.clone())
                    };
                    draft.set(refused.err().map(|error| Draft {
                        base: base.clone(),
                        text,
                        error: Some(error),
                    }));
                }
            };
            // A number input reports "" for text it cannot read ("abc" in Firefox, "1e"):
            // that is not the same as an empty field.
            let commit_input = {
                let commit = commit.clone();
                move |input: &HtmlInputElement| {
                    let text = typed(input);
                    let unreadable = text.is_empty() && input.validity().bad_input();
                    commit(text, unreadable);
                }
            };
            let oninput = {
                let (draft, base) = (draft.clone(), props.value.clone());
                Callback::from(move |e: InputEvent| {
                    if let Some(input) = e.target_dyn_into::<HtmlInputElement>() {
                        // The message stays until the text is applied again or Escape.
                        let text = typed(&input);
                        draft.set(Some(Draft { base: base.clone(), text, error: drafted_error.clone() }));
                    }
                })
            };
            let onchange = {
                let commit_input = commit_input.clone();
                Callback::from(move |e: Event| {
                    if let Some(input) = e.target_dyn_into::<HtmlInputElement>() {
                        commit_input(&input);
                    } else if let Some(select) = e.target_dyn_into::<HtmlSelectElement>() {
                        commit(select.value(), false);
                    }
                })
            };
            let onkeydown = {
                let (draft, editing) = (draft.clone(), current.is_some());
                Callback::from(move |e: KeyboardEvent| match e.key().as_str() {
                    "Enter" => {
                        e.prevent_default();
                        if let Some(input) = e.target_dyn_into::<HtmlInputElement>() {
                            commit_input(&input);
                        }
                    }
                    "Escape" if editing => {
                        e.prevent_default();
                        draft.set(None);
                    }
                    _ => {}
                })
            };
            (oninput, onchange, Some(onkeydown))
        }
    };

    let id = spec.input_id();
    let invalid = error.as_ref().map(|_| "true");
    let described_by = spec.described_by(error.is_some(), props.note.is_some(), props.restart_hint);
    let value = current.map_or_else(|| props.value.clone(), |d| AttrValue::from(d.text));
    let input = match &spec.entry {
        Entry::Choice(options) => html! {
            <select id={id.clone()} data-testid={id.clone()} ref={props.input_ref.clone()}
                aria-invalid={invalid} aria-describedby={described_by} {onchange}>
                { for options.iter().map(|(option, label)| html! {
                    <option value={option.clone()} selected={option.as_str() == value.as_str()}>
                        {label}
                    </option>
                }) }
            </select>
        },
        Entry::Switch => html! {
            <input id={id.clone()} data-testid={id.clone()} ref={props.input_ref.clone()}
                type="checkbox" role="switch" checked={value.as_str() == show_on_off(true)}
                aria-invalid={invalid} aria-describedby={described_by} {oninput} {onchange} {onkeydown} />
        },
        entry => {
            let number = *entry == Entry::Number;
            // Commit on `change` only where what was typed is applied on leaving the field.
            let onchange = onkeydown.is_some().then_some(onchange);
            let maxlength = match entry {
                Entry::Text { max_len } => Some(max_len.to_string()),
                _ => None,
            };
            html! {
                <input
                    id={id.clone()}
                    data-testid={id.clone()}
                    ref={props.input_ref.clone()}
                    type={if number { "number" } else { "text" }}
                    inputmode={spec.inputmode()}
                    autocomplete={(!number).then_some("off")}
                    spellcheck={(*entry == Entry::Time).then_some("false")}
                    {maxlength}
                    min={spec.min.map(|min| min.to_string())}
                    max={spec.max.map(|max| max.to_string())}
                    step={spec.step}
                    placeholder={spec.placeholder}
                    {value}
                    aria-invalid={invalid}
                    aria-describedby={described_by}
                    {oninput}
                    {onchange}
                    {onkeydown}
                />
            }
        }
    };
    let label_text = html! {
        <>
            {&spec.label}
            if !spec.unit.is_empty() {
                <span class="visually-hidden">{format!(" ({})", unit_words(spec.unit))}</span>
            }
        </>
    };
    let unit = html! {
        <>
            if spec.unit_shown() {
                <span class="control-unit" aria-hidden="true">{spec.unit}</span>
            }
        </>
    };
    let lines = html! {
        <>
            { help(spec) }
            if let Some(note) = &props.note {
                <p class="control-note" id={spec.note_id()}>{note}</p>
            }
            if props.restart_hint {
                <p class="control-hint" id={spec.hint_id()}>
                    <span aria-hidden="true">{"↻ "}</span>{"Applies on restart"}
                </p>
            }
            if let Some(message) = &error {
                { error_line(&spec.error_id(), &spec.error_hook(), message) }
            }
        </>
    };
    let (wide, invalid_class) = (spec.wide().then_some("wide"), error.is_some().then_some("invalid"));
    match spec.panel {
        // A fix's card: the field on one row, then the fix's button, help and error.
        Panel::Fix(_) => html! {
            <div class="fix">
                <span class="fix-field">
                    <label for={id}>{label_text}</label>
                    { input }
                    { unit }
                </span>
                { props.children.clone() }
                { lines }
            </div>
        },
        Panel::Controls | Panel::Timeline => html! {
            <div class={classes!("control", wide, invalid_class)}>
                <label class="control-label" for={id}>{label_text}</label>
                <span class="control-input">
                    { input }
                    // In the settings panel always there, empty or not, so that the inputs line up.
                    { unit }
                </span>
                { props.children.clone() }
                { lines }
            </div>
        },
    }
}

/// What `input` holds as text: its value, or for a switch `on` or `off`.
fn typed(input: &HtmlInputElement) -> String {
    if input.type_() == "checkbox" { show_on_off(input.checked()).to_owned() } else { input.value() }
}

/// The help line: the real setting's name in code, then what it does.
fn help(spec: &FieldSpec) -> Html {
    html! {
        <p class="control-help" id={spec.help_id()}>
            if let Some((product, name)) = spec.setting {
                {product}{" "}<code>{name}</code>
            }
            {&spec.help}
        </p>
    }
}

/// An inline error, with its element id and test hook: an icon and words, not only colour,
/// announced (`role="alert"`).
pub fn error_line(id: &str, hook: &str, message: &str) -> Html {
    html! {
        <p class="control-error" id={id.to_owned()} role="alert" data-testid={hook.to_owned()}>
            <span aria-hidden="true">{"⚠ "}</span>{message.to_owned()}
        </p>
    }
}
