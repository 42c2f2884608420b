//! The Monitoring group: the scenario's alert rules, each with its threshold and `for`
//! duration editable, a remove button, and "add a rule" on a chosen metric.

use std::rc::Rc;

use poolsim_engine::{AlertMetric, Scenario};
use web_sys::HtmlSelectElement;
use yew::prelude::*;

use super::{OnEdit, knob_field};
use crate::components::field::error_line;
use crate::forms::edit::Edit;
use crate::forms::knob::Knob;
use crate::forms::parse;

/// Properties of [`AlertRules`].
#[derive(Debug, Properties, PartialEq)]
pub struct AlertRulesProps {
    /// The current settings.
    pub scenario: Rc<Scenario>,
    /// The run has started: edits and removals apply on restart, a new rule at once.
    pub running: bool,
    /// Apply an edit.
    pub on_edit: OnEdit,
}

/// The alert rules, editable.
#[component]
pub fn AlertRules(props: &AlertRulesProps) -> Html {
    let metric = use_state_eq(|| AlertMetric::Usage);
    let error = use_state_eq(|| None::<String>);
    let metric_select = use_node_ref();

    let on_metric = {
        let metric = metric.clone();
        Callback::from(move |e: Event| {
            if let Some(chosen) =
                e.target_dyn_into::<HtmlSelectElement>().and_then(|s| AlertMetric::from_name(&s.value()))
            {
                metric.set(chosen);
            }
        })
    };
    let on_add = {
        let (metric, error, on_edit) = (metric.clone(), error.clone(), props.on_edit.clone());
        Callback::from(move |_: MouseEvent| error.set(on_edit.emit(Edit::AddAlert(*metric)).err()))
    };
    let remove = |i: usize| {
        let (error, on_edit, metric_select) = (error.clone(), props.on_edit.clone(), metric_select.clone());
        Callback::from(move |_: MouseEvent| {
            error.set(on_edit.emit(Edit::RemoveAlert(i)).err());
            // The button goes away with its rule: keep keyboard users in the group.
            if let Some(select) = metric_select.cast::<web_sys::HtmlElement>() {
                let _ = select.focus();
            }
        })
    };

    let s = &*props.scenario;
    html! {
        <div class="alert-rules">
            if s.alerts.is_empty() {
                <p class="control-help">{"No alert rules: nothing warns before the pool runs out."}</p>
            } else {
                <ul class="alert-list">
                    { for s.alerts.iter().enumerate().map(|(i, rule)| {
                        let field = |knob: Knob| knob_field(knob, s, None, props.running, &props.on_edit);
                        html! {
                            <li key={rule.name.clone()} class="alert-rule" data-testid={format!("control-alert-{i}")}>
                                <fieldset>
                                    <legend>
                                        <span class="alert-name">{&rule.name}</span>{" "}
                                        <code class="alert-expr">{format!(
                                            "{} > {} for {} s",
                                            rule.metric.name(), parse::show(rule.above), rule.for_s
                                        )}</code>
                                    </legend>
                                    { field(Knob::AlertAbove(i)) }
                                    { field(Knob::AlertFor(i)) }
                                    <button type="button" class="button small" onclick={remove(i)}
                                        data-testid={format!("control-alert-remove-{i}")}
                                        aria-label={format!("Remove alert rule {}", rule.name)}>
                                        {"Remove"}
                                    </button>
                                </fieldset>
                            </li>
                        }
                    }) }
                </ul>
            }
            <div class="alert-add">
                <label class="control-label" for="control-alert-metric">{"New rule on"}</label>
                <span class="alert-add-row">
                    <select id="control-alert-metric" data-testid="control-alert-metric" ref={metric_select}
                        aria-describedby="control-alert-metric-help" onchange={on_metric}>
                        { for AlertMetric::ALL.iter().map(|m| html! {
                            <option value={m.name()} selected={*m == *metric}>{format!("{} — {}", m.name(), m.meaning())}</option>
                        }) }
                    </select>
                    <button type="button" class="button small" data-testid="control-alert-add" onclick={on_add}>
                        {"Add rule"}
                    </button>
                </span>
                <p class="control-help" id="control-alert-metric-help">
                    {"A new rule starts at once; "}
                    {"it fires when the metric stays above its threshold for the given time (Prometheus "}
                    <code>{"for:"}</code>{")."}
                </p>
                if let Some(message) = &*error {
                    { error_line("control-alerts-error", "control-error-alerts", message) }
                }
            </div>
        </div>
    }
}
