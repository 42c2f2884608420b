//! The what-ifs to compare, as a checklist: a checkbox per row and its parameters
//! (applied when the field loses focus or on Enter), with an inline message for a value
//! that cannot be used.

use poolsim_engine::time::ClockTime;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::choice::{Checklist, ChecklistAction, Param, params};

/// The checklist of what-ifs in `list`, labelled with clock times of a run starting at
/// `clock_start`; nothing can change while `running`. Choices go to `on_action`, typed
/// values (row, field, text) to `on_edit`.
pub fn checklist(
    list: &Checklist,
    clock_start: ClockTime,
    running: bool,
    on_action: &Callback<ChecklistAction>,
    on_edit: &Callback<(usize, Param, String)>,
) -> Html {
    html! {
        <fieldset class="compare-choices" disabled={running}>
            <legend>{"What if…"}</legend>
            <ul class="compare-choice-list">
                { for list.0.iter().enumerate().map(|(i, choice)| {
                    let on_choose = {
                        let on_action = on_action.clone();
                        Callback::from(move |e: Event| {
                            if let Some(input) = e.target_dyn_into::<HtmlInputElement>() {
                                on_action.emit(ChecklistAction::Choose(i, input.checked()));
                            }
                        })
                    };
                    let error_id = format!("compare-error-{i}");
                    html! {
                        <li class="compare-choice" key={i}>
                            <label class="compare-choice-label">
                                <input type="checkbox" data-testid={format!("compare-variant-{i}")}
                                    checked={i == 0 || choice.chosen} disabled={i == 0}
                                    onchange={on_choose} />
                                <span>{choice.kind.label(clock_start)}</span>
                                if i == 0 {
                                    <span class="compare-baseline">{"baseline"}</span>
                                }
                            </label>
                            { for params(&choice.kind).iter().zip(&choice.texts).map(|(param, text)| {
                                let invalid = choice.error.as_ref().is_some_and(|(p, _)| p == param);
                                field(i, *param, text, invalid.then_some(error_id.as_str()), on_edit)
                            }) }
                            if let Some((_, message)) = &choice.error {
                                <p class="compare-error" id={error_id.clone()} role="alert"
                                    data-testid={error_id.clone()}>{message}</p>
                            }
                        </li>
                    }
                }) }
            </ul>
        </fieldset>
    }
}

/// One parameter field of row `row`; `error_id` names its message when refused.
fn field(
    row: usize,
    param: Param,
    text: &str,
    error_id: Option<&str>,
    on_edit: &Callback<(usize, Param, String)>,
) -> Html {
    let apply = {
        let on_edit = on_edit.clone();
        move |input: HtmlInputElement| on_edit.emit((row, param, input.value()))
    };
    let onchange = {
        let apply = apply.clone();
        Callback::from(move |e: Event| {
            if let Some(input) = e.target_dyn_into::<HtmlInputElement>() {
                apply(input);
            }
        })
    };
    let onkeydown = Callback::from(move |e: KeyboardEvent| {
        if e.key() == "Enter"
            && let Some(input) = e.target_dyn_into::<HtmlInputElement>()
        {
            e.prevent_default();
            apply(input);
        }
    });
    let inputmode = if param.is_clock() { "text" } else { "decimal" };
    html! {
        <label class="compare-param">
            <span>{param.label()}</span>
            <input type="text" {inputmode} data-testid={format!("compare-param-{row}-{}", param.slug())}
                class={if param.is_clock() { "compare-clock" } else { "compare-number" }}
                value={text.to_owned()} placeholder={param.is_clock().then_some("HH:MM")}
                aria-invalid={error_id.map(|_| "true")} aria-describedby={error_id.map(str::to_owned)}
                {onchange} {onkeydown} />
            <span class="compare-unit">{param.unit()}</span>
        </label>
    }
}
