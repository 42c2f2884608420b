//! The add / edit form of the timeline: time, action kind, the fields that kind needs
//! (labelled, with units and help), Save and Cancel. It holds no state of its own: each
//! keystroke goes up as a [`DraftEdit`], so the timeline keeps the text when a save is
//! refused and shows the message beside the field it names.

use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use poolsim_engine::{ActionField, ActionKind, FieldInput};

use crate::forms::action::{Draft, FormError, TIME_FIELD};
use crate::forms::knob::{METRICS, unit_words};

/// One change the user made in the form.
#[derive(Clone, Debug, PartialEq)]
pub enum DraftEdit {
    /// New text in the time field.
    Time(String),
    /// Another action kind chosen.
    Kind(ActionKind),
    /// New text (or choice) in the field of this name.
    Field(&'static str, String),
}

/// Properties of [`EventForm`].
#[derive(Debug, Properties, PartialEq)]
pub struct EventFormProps {
    /// What the form holds.
    pub draft: Draft,
    /// Why the last save was refused.
    pub error: Option<FormError>,
    /// Editing an existing event (else adding one).
    pub editing: bool,
    /// Help line of the time field (the run's range in clock time).
    pub time_help: AttrValue,
    /// A change in the form.
    pub on_edit: Callback<DraftEdit>,
    /// Save was pressed (or Enter in a field).
    pub on_save: Callback<()>,
    /// Cancel was pressed (or Escape).
    pub on_cancel: Callback<()>,
}

/// Id (and test hook) of the element that shows why a save was refused.
const ERROR_ID: &str = "timeline-error";

/// The add / edit form.
#[component]
pub fn EventForm(props: &EventFormProps) -> Html {
    let time_ref = use_node_ref();
    {
        // Opened: put the keyboard in the time field.
        let time_ref = time_ref.clone();
        use_effect_with((), move |()| {
            if let Some(input) = time_ref.cast::<HtmlInputElement>() {
                let _ = input.focus();
            }
        });
    }
    let onsubmit = {
        let on_save = props.on_save.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            on_save.emit(());
        })
    };
    let onkeydown = {
        let on_cancel = props.on_cancel.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Escape" {
                e.prevent_default();
                on_cancel.emit(());
            }
        })
    };
    let on_time = {
        let on_edit = props.on_edit.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(input) = e.target_dyn_into::<HtmlInputElement>() {
                on_edit.emit(DraftEdit::Time(input.value()));
            }
        })
    };
    let on_kind = {
        let on_edit = props.on_edit.clone();
        Callback::from(move |e: Event| {
            if let Some(kind) =
                e.target_dyn_into::<HtmlSelectElement>().and_then(|s| ActionKind::from_name(&s.value()))
            {
                on_edit.emit(DraftEdit::Kind(kind));
            }
        })
    };
    let cancel = {
        let on_cancel = props.on_cancel.clone();
        Callback::from(move |_: MouseEvent| on_cancel.emit(()))
    };

    let draft = &props.draft;
    let error_on = |field: &str| props.error.as_ref().filter(|e| e.field == field);
    let on_a_field = props
        .error
        .as_ref()
        .is_some_and(|e| e.field == TIME_FIELD || draft.kind.fields().iter().any(|f| f.name == e.field));
    let time_error = error_on(TIME_FIELD);
    let heading = if props.editing { "Edit event" } else { "New event" };
    html! {
        <form class="timeline-form" aria-label={heading} {onsubmit} {onkeydown}>
            <p class="timeline-form-title">{heading}</p>
            <div class={classes!("control", time_error.is_some().then_some("invalid"))}>
                <label class="control-label" for="timeline-time">{"Time"}</label>
                <span class="control-input">
                    <input id="timeline-time" data-testid="timeline-time" type="text" ref={time_ref}
                        inputmode="numeric" autocomplete="off" spellcheck="false" placeholder="HH:MM:SS"
                        value={draft.time.clone()}
                        aria-invalid={time_error.is_some().then_some("true")}
                        aria-describedby={described_by("timeline-time", time_error.is_some())}
                        oninput={on_time} />
                </span>
                <p class="control-help" id="timeline-time-help">{&props.time_help}</p>
                if let Some(error) = time_error {
                    { error_message(&error.message) }
                }
            </div>
            <div class="control">
                <label class="control-label" for="timeline-kind">{"Action"}</label>
                <span class="control-input timeline-kind">
                    <select id="timeline-kind" data-testid="timeline-kind" onchange={on_kind}>
                        { for ActionKind::ALL.iter().map(|kind| html! {
                            <option value={kind.name()} selected={*kind == draft.kind}>{kind.label()}</option>
                        }) }
                    </select>
                </span>
            </div>
            { for draft.kind.fields().iter().map(|field| {
                field_view(field, draft.value(field.name), error_on(field.name), &props.on_edit)
            }) }
            if draft.kind.fields().is_empty() {
                <p class="control-help">{"This action has no settings."}</p>
            }
            if let Some(error) = props.error.as_ref().filter(|_| !on_a_field) {
                { error_message(&error.message) }
            }
            <div class="timeline-form-buttons">
                <button type="submit" class="button primary small" data-testid="timeline-save">
                    { if props.editing { "Save" } else { "Add to timeline" } }
                </button>
                <button type="button" class="button small" data-testid="timeline-cancel" onclick={cancel}>
                    {"Cancel"}
                </button>
            </div>
        </form>
    }
}

/// One field of the chosen action: label (unit spelled out for screen readers), input
/// or select, unit, help, and its error if the last save named it.
fn field_view(
    field: &ActionField,
    value: &str,
    error: Option<&FormError>,
    on_edit: &Callback<DraftEdit>,
) -> Html {
    let id = format!("timeline-field-{}", field.name);
    let name = field.name;
    let oninput = {
        let on_edit = on_edit.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(input) = e.target_dyn_into::<HtmlInputElement>() {
                on_edit.emit(DraftEdit::Field(name, input.value()));
            }
        })
    };
    let onchange = {
        let on_edit = on_edit.clone();
        Callback::from(move |e: Event| {
            if let Some(select) = e.target_dyn_into::<HtmlSelectElement>() {
                on_edit.emit(DraftEdit::Field(name, select.value()));
            }
        })
    };
    let invalid = error.is_some().then_some("true");
    let described_by = described_by(&id, error.is_some());
    let input = match field.input {
        FieldInput::Metric => html! {
            <select id={id.clone()} data-testid={id.clone()} aria-invalid={invalid}
                aria-describedby={described_by} {onchange}>
                { for METRICS.iter().map(|(_, metric, what)| html! {
                    <option value={*metric} selected={*metric == value}>
                        {format!("{metric} — {what}")}
                    </option>
                }) }
            </select>
        },
        FieldInput::Text => html! {
            <input id={id.clone()} data-testid={id.clone()} type="text" autocomplete="off"
                maxlength="500" value={value.to_owned()} aria-invalid={invalid}
                aria-describedby={described_by} {oninput} />
        },
        FieldInput::Decimal | FieldInput::Whole | FieldInput::OptionalWhole => html! {
            <input id={id.clone()} data-testid={id.clone()} type="text" autocomplete="off"
                inputmode={if field.input == FieldInput::Decimal { "decimal" } else { "numeric" }}
                placeholder={(field.input == FieldInput::OptionalWhole).then_some("keep")}
                value={value.to_owned()} aria-invalid={invalid}
                aria-describedby={described_by} {oninput} />
        },
    };
    let wide = matches!(field.input, FieldInput::Text | FieldInput::Metric);
    html! {
        <div key={id.clone()}
            class={classes!("control", wide.then_some("wide"), error.is_some().then_some("invalid"))}>
            <label class="control-label" for={id.clone()}>
                {field.label}
                if !field.unit.is_empty() {
                    <span class="visually-hidden">{format!(" ({})", unit_words(field.unit))}</span>
                }
            </label>
            <span class="control-input">
                { input }
                if !field.unit.is_empty() {
                    <span class="control-unit" aria-hidden="true">{field.unit}</span>
                }
            </span>
            <p class="control-help" id={format!("{id}-help")}>{field.help}</p>
            if let Some(error) = error {
                { error_message(&error.message) }
            }
        </div>
    }
}

/// `aria-describedby` of a field: the error first when there is one, then the help.
fn described_by(id: &str, error: bool) -> String {
    if error { format!("{ERROR_ID} {id}-help") } else { format!("{id}-help") }
}

/// The refusal, announced (`role="alert"`) and marked with ⚠ as well as colour.
fn error_message(message: &str) -> Html {
    html! {
        <p class="control-error" id={ERROR_ID} data-testid={ERROR_ID} role="alert">
            <span aria-hidden="true">{"⚠ "}</span>{message.to_owned()}
        </p>
    }
}
