//! The add / edit form of the timeline: time, action kind, the fields that kind needs
//! (labelled, with units and help), Save and Cancel. It holds no state of its own: each
//! keystroke goes up as a [`DraftEdit`], so the timeline keeps the text when a save is
//! refused and shows the message beside the field it names.

use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use poolsim_engine::ActionKind;

use crate::components::field::{Field, Report, error_line};
use crate::forms::action::{Draft, FormError, TIME_FIELD};
use crate::forms::field::{FieldSpec, TARGET_BATCH, TARGET_EVERY, TARGET_INSTANCES, TIMELINE_ERROR};

/// One change the user made in the form.
#[derive(Clone, Debug, PartialEq)]
pub enum DraftEdit {
    /// New text in the time field.
    Time(String),
    /// Another action kind chosen.
    Kind(ActionKind),
    /// New text (or choice) in the field of this name.
    Field(&'static str, String),
    /// New text in a fleet field ([`FieldSpec::target`]).
    Target(&'static str, String),
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
    /// The scenario's fleet size, if it has a fleet: actions on instances then say which.
    #[prop_or_default]
    pub fleet: Option<u32>,
    /// A change in the form.
    pub on_edit: Callback<DraftEdit>,
    /// Save was pressed (or Enter in a field).
    pub on_save: Callback<()>,
    /// Cancel was pressed (or Escape).
    pub on_cancel: Callback<()>,
}

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
    let on_time = props.on_edit.reform(DraftEdit::Time);
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
    let error_on = |field: &str| {
        props.error.as_ref().filter(|e| e.field == field).map(|e| AttrValue::from(e.message.clone()))
    };
    let fleet = props.fleet.filter(|_| draft.kind.per_instance());
    const TARGET_FIELDS: [&str; 3] = [TARGET_INSTANCES, TARGET_BATCH, TARGET_EVERY];
    let on_a_field = props.error.as_ref().is_some_and(|e| {
        e.field == TIME_FIELD
            || draft.kind.fields().iter().any(|f| f.name == e.field)
            || (fleet.is_some() && TARGET_FIELDS.contains(&e.field.as_str()))
    });
    let heading = if props.editing { "Edit event" } else { "New event" };
    html! {
        <form class="timeline-form" aria-label={heading} {onsubmit} {onkeydown}>
            <p class="timeline-form-title">{heading}</p>
            <Field spec={FieldSpec::time(props.time_help.to_string())} value={draft.time.clone()}
                report={Report::OnInput(on_time)} error={error_on(TIME_FIELD)} input_ref={time_ref} />
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
                let name = field.name;
                let spec = FieldSpec::action(field);
                let key = spec.input_id();
                let report = Report::OnInput(props.on_edit.reform(move |text| DraftEdit::Field(name, text)));
                let value = draft.value(name).to_owned();
                html! { <Field {key} {spec} {value} {report} error={error_on(name)} /> }
            }) }
            if draft.kind.fields().is_empty() {
                <p class="control-help">{"This action has no settings."}</p>
            }
            if let Some(instances) = fleet {
                { for TARGET_FIELDS.iter().map(|&name| {
                    let spec = FieldSpec::target(name, instances);
                    let key = spec.input_id();
                    let report = Report::OnInput(props.on_edit.reform(move |text| DraftEdit::Target(name, text)));
                    let value = draft.target_text(name).to_owned();
                    html! { <Field {key} {spec} {value} {report} error={error_on(name)} /> }
                }) }
            }
            if let Some(error) = props.error.as_ref().filter(|_| !on_a_field) {
                { error_line(TIMELINE_ERROR, TIMELINE_ERROR, &error.message) }
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
