//! The controls panel: every knob of a scenario, grouped as an engineer thinks of them
//! (traffic, work, pool, database, leak, detection & reclaim, monitoring, run), each
//! labelled with its unit, range and the real HikariCP / Tomcat / PostgreSQL setting it
//! mirrors.
//!
//! A value applies on Enter or when the field loses focus. The candidate scenario must
//! pass [`Scenario::validate`]; a refused value shows an inline message and changes
//! nothing. An accepted one is reported as a [`ControlChange`]: the new base scenario,
//! plus the engine [`Action`] that applies it to a running pool when one exists.
//!
//! The logic (parsing, candidates, live actions) is plain Rust in [`crate::forms`], tested
//! natively; the components only wire it to the DOM.

pub mod alerts;

pub use crate::forms::edit::ControlChange;

use std::rc::Rc;

use poolsim_engine::{HoldDistribution, Scenario, Settings};
use yew::prelude::*;

use self::alerts::AlertRules;
use crate::components::field::{Field, Report};
use crate::forms::edit::Edit;
use crate::forms::knob::{DATABASE_KNOBS, Knob};
use poolsim_content::words::one_in_n;

/// Applies an edit of the panel: `Err` carries the message to show beside the field.
pub type OnEdit = Callback<Edit, Result<(), String>>;

/// Properties of [`Controls`].
#[derive(Debug, Properties, PartialEq)]
pub struct ControlsProps {
    /// The current settings (the base scenario a restart runs).
    pub scenario: Rc<Scenario>,
    /// The run has started (simulated time > 0): changes apply live where the engine can.
    pub running: bool,
    /// The running engine's settings now (after timeline events and live fixes), shown
    /// beside a field whose running value differs from the scenario's.
    #[prop_or_default]
    pub now: Option<Settings>,
    /// Called once per accepted change.
    pub on_change: Callback<ControlChange>,
}

/// The panel of every scenario setting.
#[component]
pub fn Controls(props: &ControlsProps) -> Html {
    // The scenario the next edit builds on: the props, or the change just emitted if the
    // parent has not re-rendered yet (Enter then blur must not apply a value twice).
    let latest = use_mut_ref(|| props.scenario.clone());
    *latest.borrow_mut() = props.scenario.clone();
    let on_edit: OnEdit = {
        let latest = latest.clone();
        use_callback(props.on_change.clone(), move |edit: Edit, on_change| {
            let current = latest.borrow().clone();
            if let Some(change) = crate::forms::edit::apply(&edit, &current)? {
                *latest.borrow_mut() = Rc::new(change.scenario.clone());
                on_change.emit(change);
            }
            Ok(())
        })
    };

    let s = &*props.scenario;
    let running = props.running;
    let field = |knob: Knob| {
        let now = props.now.as_ref().and_then(|now| knob.read_now(now)).filter(|v| *v != knob.read(s));
        let note = match (knob, &now, &props.now) {
            (Knob::LeakProbability, Some(_), Some(settings)) => {
                Some(AttrValue::from(format!("Now {}", one_in_n(settings.leak_probability))))
            }
            (Knob::LeakProbability, ..) => Some(AttrValue::from(one_in_n(s.leak.probability))),
            (_, Some(value), _) => {
                Some(AttrValue::from(format!("Now {value} (set by the timeline or a live fix).")))
            }
            _ => None,
        };
        knob_field(knob, s, note, running && !knob.is_live(), &on_edit)
    };

    html! {
        <div class="controls" data-testid="controls">
            <p class="controls-intro">
                {"Type a value, then press Enter or leave the field; Esc undoes what you typed."}
            </p>
            <fieldset class="control-group">
                <legend>{"Traffic"}</legend>
                { field(Knob::Rate) }
                { field(Knob::RetryAttempts) }
                { field(Knob::RetryBackoff) }
                { field(Knob::Deadline) }
            </fieldset>
            <fieldset class="control-group">
                <legend>{"Application server"}</legend>
                { field(Knob::Threads) }
                if s.app.is_some() {
                    { field(Knob::AcceptQueue) }
                }
            </fieldset>
            <fieldset class="control-group">
                <legend>{"Work"}</legend>
                { field(Knob::Hold) }
                { field(Knob::HoldDistribution) }
                if s.work.hold_distribution == HoldDistribution::Lognormal {
                    { field(Knob::LognormalSigma) }
                }
                { field(Knob::SlowShare) }
                { field(Knob::SlowHold) }
            </fieldset>
            <fieldset class="control-group">
                <legend>{"Pool"}</legend>
                { field(Knob::MaxSize) }
                { field(Knob::MinIdle) }
                { field(Knob::ConnectionTimeout) }
                { field(Knob::IdleTimeout) }
                { field(Knob::MaxLifetime) }
                { field(Knob::Connect) }
            </fieldset>
            <fieldset class="control-group">
                <legend>{"Fleet"}</legend>
                { field(Knob::Instances) }
                if s.fleet.is_some() {
                    { field(Knob::Balancer) }
                    { field(Knob::HealthCheck) }
                }
            </fieldset>
            <fieldset class="control-group">
                <legend>{"Database"}</legend>
                { field(Knob::Database) }
                if s.database.is_some() {
                    { for DATABASE_KNOBS.into_iter().map(field) }
                }
            </fieldset>
            <fieldset class="control-group">
                <legend>{"Leak"}</legend>
                { field(Knob::LeakProbability) }
            </fieldset>
            <fieldset class="control-group">
                <legend>{"Detection & reclaim"}</legend>
                { field(Knob::LeakDetection) }
                { field(Knob::Abandoned) }
            </fieldset>
            <fieldset class="control-group">
                <legend>{"Monitoring"}</legend>
                <AlertRules scenario={props.scenario.clone()} {running} on_edit={on_edit.clone()} />
            </fieldset>
            <fieldset class="control-group">
                <legend>{"Run"}</legend>
                { field(Knob::Seed) }
                { field(Knob::Duration) }
            </fieldset>
        </div>
    }
}

/// The field of one knob in `scenario`, committed as an [`Edit::Set`].
fn knob_field(
    knob: Knob,
    scenario: &Scenario,
    note: Option<AttrValue>,
    restart_hint: bool,
    on_edit: &OnEdit,
) -> Html {
    let on_commit = on_edit.reform(move |text| Edit::Set(knob, text));
    html! {
        <Field spec={knob.spec(scenario)} value={knob.read(scenario)} report={Report::OnCommit(on_commit)}
            {note} {restart_hint} />
    }
}
