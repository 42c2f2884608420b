//! The timeline editor: the scenario's timed events as a list in time order — clock
//! time, the action in words, Edit and Remove — with an add / edit form offering every
//! engine action. Rows at or before the current simulated time are marked as past.
//!
//! A save is checked field by field ([`validate_action`](poolsim_engine::validate_action))
//! and then as a whole scenario ([`Scenario::validate`]: the time must lie within the
//! run). A refused save shows an inline message naming the field, keeps what was typed
//! and changes nothing; an accepted one is reported once through `on_change`.
//!
//! The logic is plain Rust in `crate::forms` (the form, typed times) and the actions'
//! words in `poolsim_content::words::action`, tested natively; the components only wire
//! it to the DOM.

pub mod editor;

use std::cell::RefCell;
use std::rc::Rc;

use poolsim_engine::{ActionKind, Scenario};
use yew::prelude::*;

use self::editor::{DraftEdit, EventForm};
use crate::forms::action::{Draft, FormError, Target, time_help, time_order};
use crate::forms::time::show_time;
use poolsim_content::words::action::{sentence, target_words};

/// Properties of [`Timeline`].
#[derive(Debug, Properties, PartialEq)]
pub struct TimelineProps {
    /// The scenario whose events are listed (its `events` need not be sorted).
    pub scenario: Rc<Scenario>,
    /// The scenario's `clock_start` [s since midnight].
    pub clock_start_s: u32,
    /// Current simulated time [s from the start]; 0 before the run starts.
    pub now_s: f64,
    /// Called once per accepted change with the new scenario: it passed
    /// [`Scenario::validate`] and its events are sorted by time (ties kept in order).
    pub on_change: Callback<Scenario>,
}

/// The open form: what it edits, what it holds, why its last save was refused.
#[derive(Clone, Debug, PartialEq)]
struct Open {
    target: Target,
    draft: Draft,
    error: Option<FormError>,
}

/// The editable list of timeline events.
#[component]
pub fn Timeline(props: &TimelineProps) -> Html {
    // The form lives in a cell, not in state: two keystrokes (or a keystroke and Save)
    // before the next render must both see the latest text.
    let open: Rc<RefCell<Option<Open>>> = use_mut_ref(|| None);
    let redraw = use_force_update();
    // The scenario the next change builds on: the props, or the change just emitted if
    // the parent has not re-rendered yet (a double click must not remove two events).
    let latest = use_mut_ref(|| props.scenario.clone());
    *latest.borrow_mut() = props.scenario.clone();
    let add_ref = use_node_ref();

    let focus_add = {
        let add_ref = add_ref.clone();
        move || {
            if let Some(button) = add_ref.cast::<web_sys::HtmlElement>() {
                let _ = button.focus();
            }
        }
    };
    let (clock_start_s, now_s) = (props.clock_start_s, props.now_s);
    let on_add = {
        let (open, latest, redraw) = (open.clone(), latest.clone(), redraw.clone());
        Callback::from(move |_: MouseEvent| {
            let scenario = latest.borrow().clone();
            let at_s = now_s.clamp(0.0, scenario.duration_s as f64).floor();
            let draft = Draft::new(ActionKind::Note, at_s, clock_start_s, &scenario);
            *open.borrow_mut() = Some(Open { target: Target::New, draft, error: None });
            redraw.force_update();
        })
    };
    let on_edit = {
        let (open, latest, redraw) = (open.clone(), latest.clone(), redraw.clone());
        Callback::from(move |edit: DraftEdit| {
            let scenario = latest.borrow().clone();
            if let Some(form) = open.borrow_mut().as_mut() {
                match edit {
                    DraftEdit::Time(text) => form.draft.time = text,
                    DraftEdit::Kind(kind) => form.draft.choose(kind, &scenario),
                    DraftEdit::Field(name, text) => form.draft.set(name, text),
                    DraftEdit::Target(name, text) => form.draft.set_target_text(name, text),
                }
            }
            redraw.force_update();
        })
    };
    let on_save = {
        let (open, latest, redraw, on_change) =
            (open.clone(), latest.clone(), redraw.clone(), props.on_change.clone());
        let focus_add = focus_add.clone();
        Callback::from(move |()| {
            let Some(form) = open.borrow().clone() else { return };
            let scenario = latest.borrow().clone();
            match crate::forms::action::save(&scenario, &form.target, &form.draft, clock_start_s) {
                Ok(next) => {
                    *open.borrow_mut() = None;
                    *latest.borrow_mut() = Rc::new(next.clone());
                    on_change.emit(next);
                    focus_add();
                }
                Err(error) => *open.borrow_mut() = Some(Open { error: Some(error), ..form }),
            }
            redraw.force_update();
        })
    };
    let on_cancel = {
        let (open, redraw, focus_add) = (open.clone(), redraw.clone(), focus_add.clone());
        Callback::from(move |()| {
            *open.borrow_mut() = None;
            redraw.force_update();
            focus_add();
        })
    };
    let edit = |index: usize| {
        let (open, latest, redraw) = (open.clone(), latest.clone(), redraw.clone());
        let original = props.scenario.events.get(index).cloned();
        Callback::from(move |_: MouseEvent| {
            let scenario = latest.borrow().clone();
            let Some(original) = original.clone() else { return };
            let draft = Draft::from_event(&original, clock_start_s, &scenario);
            *open.borrow_mut() = Some(Open { target: Target::Edit { index, original }, draft, error: None });
            redraw.force_update();
        })
    };
    let remove = |index: usize| {
        let (open, latest, redraw, on_change) =
            (open.clone(), latest.clone(), redraw.clone(), props.on_change.clone());
        let focus_add = focus_add.clone();
        let original = props.scenario.events.get(index).cloned();
        Callback::from(move |_: MouseEvent| {
            let Some(original) = &original else { return };
            let scenario = latest.borrow().clone();
            if let Some(next) = crate::forms::action::remove(&scenario, index, original) {
                // A form editing the removed event has nothing left to edit.
                let editing_it = matches!(
                    open.borrow().as_ref().map(|f| &f.target),
                    Some(Target::Edit { original: o, .. }) if o == original
                );
                if editing_it {
                    *open.borrow_mut() = None;
                }
                *latest.borrow_mut() = Rc::new(next.clone());
                on_change.emit(next);
                redraw.force_update();
            }
            // The button goes away with its row: keep keyboard users in the timeline.
            focus_add();
        })
    };

    let scenario = &*props.scenario;
    let form = open.borrow().clone();
    let form_view = |form: &Open| {
        html! {
            <EventForm
                draft={form.draft.clone()}
                error={form.error.clone()}
                editing={matches!(form.target, Target::Edit { .. })}
                time_help={time_help(scenario, clock_start_s)}
                fleet={scenario.fleet.as_ref().map(|f| f.instances)}
                on_edit={on_edit.clone()}
                on_save={on_save.clone()}
                on_cancel={on_cancel.clone()}
            />
        }
    };
    let editing_index = match form.as_ref().map(|f| &f.target) {
        Some(Target::Edit { index, original }) => {
            crate::forms::action::locate(&scenario.events, *index, original)
        }
        _ => None,
    };
    let started = now_s > 0.0;
    let order = time_order(&scenario.events);
    // Where the "now" line goes: before the first event still ahead.
    let ahead_from = order.iter().position(|&i| !(started && scenario.events[i].at_s <= now_s));
    let now_line = html! {
        <li class="timeline-now" data-testid="timeline-now">
            {format!("Now {}", show_time(now_s, clock_start_s))}
        </li>
    };

    html! {
        <div class="timeline" data-testid="timeline">
            if order.is_empty() {
                <p class="timeline-empty">{"No timeline events: the run goes as set up."}</p>
            } else {
                <ol class="timeline-list" aria-label="Timeline events">
                    { for order.iter().enumerate().map(|(row, &index)| {
                        let event = &scenario.events[index];
                        let past = started && event.at_s <= now_s;
                        let is_note = event.action.kind() == ActionKind::Note;
                        let time = show_time(event.at_s, clock_start_s);
                        let kind = event.action.kind().label();
                        let editing = editing_index == Some(index);
                        html! {
                            <>
                            if started && ahead_from == Some(row) {
                                { now_line.clone() }
                            }
                            <li class={classes!(
                                "timeline-item",
                                past.then_some("past"),
                                editing.then_some("editing")
                            )}>
                                <div class="timeline-row" data-testid={format!("timeline-row-{row}")}
                                    data-past={past.then_some("true")}>
                                    <span class="timeline-time">
                                        <span class="timeline-mark" aria-hidden="true">
                                            { if past { "✓" } else { "•" } }
                                        </span>
                                        {time.clone()}
                                        if past {
                                            <span class="visually-hidden">{" (done)"}</span>
                                        }
                                    </span>
                                    <span class={classes!("timeline-what", is_note.then_some("note"))}>
                                        if is_note {
                                            <span class="timeline-badge">{"Note"}</span>{" "}
                                        }
                                        {sentence(&event.action)}
                                        if let Some(on) = target_words(&event.target) {
                                            <span class="timeline-target">{format!(" — {on}")}</span>
                                        }
                                    </span>
                                    <span class="timeline-buttons">
                                        <button type="button" class="button small" onclick={edit(index)}
                                            data-testid={format!("timeline-edit-{row}")}
                                            aria-label={format!("Edit {time}: {kind}")}
                                            aria-expanded={editing.then_some("true")}>
                                            {"Edit"}
                                        </button>
                                        <button type="button" class="button small" onclick={remove(index)}
                                            data-testid={format!("timeline-remove-{row}")}
                                            aria-label={format!("Remove {time}: {kind}")}>
                                            {"Remove"}
                                        </button>
                                    </span>
                                </div>
                                if editing {
                                    if let Some(form) = &form {
                                        { form_view(form) }
                                    }
                                }
                            </li>
                            </>
                        }
                    }) }
                    if started && ahead_from.is_none() {
                        { now_line.clone() }
                    }
                </ol>
            }
            if let Some(form) = form.as_ref().filter(|_| editing_index.is_none()) {
                { form_view(form) }
            }
            <button type="button" class="button small timeline-add" data-testid="timeline-add" ref={add_ref}
                onclick={on_add}>
                {"Add event"}
            </button>
        </div>
    }
}
