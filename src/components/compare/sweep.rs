//! "Sweep": the compare page's scenario replicated over a grid of two knobs in the "How
//! sure?" workers ([`use_runs`] with [`Job::Sweep`]: `poolsim sweep`'s runs,
//! seeds and numbers), drawn as the command line's heatmap ([`poolsim_charts::draw_heatmap`])
//! filling in as cells complete; each cell reachable by keyboard and hover, showing its
//! numbers; the cells as CSV (`poolsim sweep --format csv`'s bytes); and the smallest pool
//! that survives, searched size by size as `poolsim smallest-pool` searches and answered
//! in its sentence.
//!
//! The form's rules are [`super::sweep_form`]'s (native tests); the drawing and the words
//! are the command line's (`poolsim_charts::heatmap`, `poolsim_content::words`).

use std::cell::RefCell;
use std::rc::Rc;

use plotters::prelude::IntoDrawingArea;
use poolsim_charts::{HeatPlot, Heatmap, draw_heatmap, heatmap_height, heatmap_plot};
use poolsim_content::replications::sweep::{cell_numbers, cells_csv};
use poolsim_content::words::replicate::{outcome_title, smallest_pool_answer};
use poolsim_content::words::{Clock, count, short_number};
use poolsim_engine::Scenario;
use poolsim_engine::replicate::Replications;
use poolsim_engine::replicate::sweep::{Knob, Searching, Side, SweepOutcome};
use web_sys::{HtmlCanvasElement, HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use super::sweep_form::{AxisForm, Refusal, SweepForm, SweepPlan, field, ids, read, side_label};
use crate::canvas::drawing_on;
use crate::components::runs_progress::runs_progress;
use crate::hooks::{Runs, use_runs};
use crate::replicate::{Job, SweepRuns};

/// Properties of [`SweepSection`].
#[derive(Debug, Properties, PartialEq)]
pub struct SweepProps {
    /// The base scenario.
    pub scenario: Rc<Scenario>,
    /// Dark theme for the heatmap.
    #[prop_or_default]
    pub dark: bool,
}

/// What the sweep under way or done was asked (its runs are the section's [`use_runs`]).
struct Running {
    plan: SweepPlan,
    /// The time typed, for the command line's `--until`.
    until: String,
}

/// The smallest-pool search under way or done.
struct Hunt {
    search: Searching,
    runs: u32,
    /// The size being tried (its runs, a sweep of one cell's runs, are the search's
    /// [`use_runs`]: one kind of runs on the page, not two).
    probe: Option<u32>,
    /// Why it stopped early.
    failed: Option<String>,
    cancelled: bool,
}

impl Hunt {
    fn finished(&self) -> bool {
        self.failed.is_some() || self.cancelled || (self.probe.is_none() && self.search.next_size().is_none())
    }
}

/// The "Sweep" section. Keyed by its scenario: a new one starts it afresh.
#[component]
pub fn SweepSection(props: &SweepProps) -> Html {
    let base = props.scenario.clone();
    // A cell, not a state: a button clicked right after typing (the field's change comes
    // on the click's mousedown) reads what was typed, not the last render's copy.
    let form = use_mut_ref({
        let base = base.clone();
        move || SweepForm::new(&base)
    });
    let refusals = use_state_eq(Vec::<Refusal>::new);
    let running = use_mut_ref(|| None::<Running>);
    let runs = use_runs::<SweepRuns>();
    let hunt = use_mut_ref(|| None::<Hunt>);
    let probe_runs = use_runs::<SweepRuns>();
    let update = use_force_update();
    let selected = use_state_eq(|| None::<usize>);
    let canvas = use_node_ref();
    let plot = use_state_eq(|| None::<(f64, f64, f64, f64)>);
    let export_error = use_state_eq(|| None::<String>);
    let draw_error = use_state_eq(|| None::<String>);
    let clock = Clock::new(base.clock_start, base.duration_s);
    let changed = {
        let update = update.clone();
        Callback::from(move |()| update.force_update())
    };

    let progress = runs.progress();
    let sweeping = progress.as_ref().is_some_and(|p| !p.finished());
    let complete = runs.with_tally(SweepRuns::complete).unwrap_or(0);
    let hunting = hunt.borrow().as_ref().is_some_and(|h| !h.finished());

    // One effect after each render (one is lighter in the page than two): the search goes
    // on to its next size once a size's runs are in; the heatmap is drawn as cells
    // complete, and the focusable cells placed over it.
    {
        let (running, runs, hunt, probe_runs, canvas, plot, base, draw_error, changed) = (
            running.clone(),
            runs.clone(),
            hunt.clone(),
            probe_runs.clone(),
            canvas.clone(),
            plot.clone(),
            base.clone(),
            draw_error.clone(),
            changed.clone(),
        );
        let probe = hunt
            .borrow()
            .as_ref()
            .and_then(|h| h.probe)
            .map(|n| (n, probe_runs.progress().is_some_and(|p| p.finished())));
        let (dark, outcome) = (props.dark, form.borrow().outcome);
        use_effect_with((probe, complete, dark, outcome, progress.is_some()), move |_| {
            step_hunt(&hunt, &probe_runs, &base, &changed);
            let r = running.borrow();
            let Some(r) = r.as_ref() else { return };
            let Some(c) = canvas.cast::<HtmlCanvasElement>() else { return };
            let Some(map) = runs.with_tally(|tally| heatmap(&base, &r.plan, tally, outcome)) else { return };
            match draw(&c, &map, dark) {
                Ok(Some(rect)) => plot.set(Some(rect)),
                Ok(None) => {}
                Err(e) => draw_error.set(Some(e)),
            }
        });
    }

    let on_start = {
        let (form, refusals, running, runs, selected, base) =
            (form.clone(), refusals.clone(), running.clone(), runs.clone(), selected.clone(), base.clone());
        Callback::from(move |_: MouseEvent| {
            let plan = match read(&form.borrow(), &base) {
                Ok(plan) => plan,
                Err(r) => return refusals.set(r),
            };
            refusals.set(Vec::new());
            selected.set(None);
            let job = Job::Sweep {
                x: plan.sweep.x.to_string(),
                y: plan.sweep.y.map(|y| y.to_string()),
                runs: plan.runs,
            };
            let tally = SweepRuns::new(plan.sweep.len(), plan.runs);
            let total = plan.total_runs();
            let until = form.borrow().until.trim().to_owned();
            *running.borrow_mut() = Some(Running { plan, until });
            runs.start(&base, job, tally, total);
        })
    };
    let on_cancel = {
        let runs = runs.clone();
        Callback::from(move |_: MouseEvent| runs.cancel())
    };
    let on_hunt = {
        let (form, refusals, hunt, probe_runs, base, changed) =
            (form.clone(), refusals.clone(), hunt.clone(), probe_runs.clone(), base.clone(), changed.clone());
        Callback::from(move |_: MouseEvent| {
            let (runs, survival) = match search_settings(&form.borrow(), &base) {
                Ok(p) => p,
                Err(r) => return refusals.set(r),
            };
            refusals.set(Vec::new());
            *hunt.borrow_mut() = Some(Hunt {
                search: Searching::new(base.pool.max_size, survival),
                runs,
                probe: None,
                failed: None,
                cancelled: false,
            });
            step_hunt(&hunt, &probe_runs, &base, &changed);
        })
    };
    let on_hunt_cancel = {
        let (hunt, probe_runs) = (hunt.clone(), probe_runs.clone());
        Callback::from(move |_: MouseEvent| {
            if let Some(h) = hunt.borrow_mut().as_mut() {
                h.cancelled = true;
                h.probe = None;
            }
            probe_runs.cancel();
        })
    };

    let set = |f: Set| setter(&form, &base, &changed, f);
    let refusal = |id: &str| refusals.iter().find(|(r, _)| *r == id).map(|(_, m)| m.clone());
    let form = form.borrow().clone();
    let survival_now = survival_of(&form, &base);
    let axis = |side: Side| {
        let ids = ids(side);
        let a = match side {
            Side::X => &form.x,
            Side::Y => &form.y,
        };
        axis_fieldset(
            side_label(side),
            a,
            ids,
            ids.map(refusal),
            AXIS_SETTERS.map(|f| set(Set::Axis(side, f))),
        )
    };
    let (x_fields, y_fields) = (axis(Side::X), axis(Side::Y));

    let running_now = running.borrow();
    let result = running_now.as_ref();
    html! {
        <section class="compare-sweep" aria-labelledby="h-sweep" data-testid="sweep">
            <h3 id="h-sweep">{"Sweep: two knobs over ranges, and the smallest pool that survives"}</h3>
            <p>{"Each cell: the scenario with two settings changed, over many seeds, as poolsim sweep runs it."}</p>
            <div class="sweep-form">
                { x_fields }
                { y_fields }
                <fieldset class="sweep-axis">
                    <legend>{"Runs and outcome"}</legend>
                    { text_field(field::RUNS, "Runs per cell", &form.runs, set(Set::Form(|f, v| f.runs = v)), false,
                        refusal(field::RUNS)) }
                    <div class="sweep-field sweep-field-wide">
                        <label for="sweep-outcome">{"Cells show"}</label>
                        <select id="sweep-outcome" data-testid="sweep-outcome"
                            onchange={set(Set::Form(|f, v| if let Some(o) = SweepOutcome::from_key(&v) { f.outcome = o }))}>
                            { for SweepOutcome::all().map(|o| html! {
                                <option value={o.key()} selected={o == form.outcome}>
                                    {outcome_title(o, &survival_now, &clock)}
                                </option>
                            }) }
                        </select>
                    </div>
                    { text_field(field::UNTIL, "Survive until (HH:MM; empty: the whole run)", &form.until,
                        set(Set::Form(|f, v| f.until = v)), true, refusal(field::UNTIL)) }
                </fieldset>
            </div>
            <div class="compare-actions">
                if sweeping {
                    <button type="button" class="button" onclick={on_cancel} data-testid="sweep-cancel">{"Cancel"}</button>
                } else {
                    <button type="button" class="button primary" onclick={on_start} disabled={hunting}
                        data-testid="sweep-run">{"Run the sweep"}</button>
                }
                if let (Some(p), Some(r)) = (&progress, result) {
                    { runs_progress(p, "sweep-progress",
                        &format!("{} of {} cells · ", count(complete as u64), count(r.plan.sweep.len() as u64))) }
                }
            </div>
            if let Some(why) = progress.as_ref().and_then(|p| p.failed.clone()) {
                <p class="status error" role="alert" data-testid="sweep-error">{format!("The sweep stopped: {why}")}</p>
            }
            if let Some(error) = &*draw_error {
                <p class="chart-error" role="alert">{format!("The heatmap could not be drawn: {error}")}</p>
            }
            if let Some(r) = result {
                { runs.with_tally(|tally| heatmap_figure(&canvas, &base, &r.plan, tally, form.outcome, *plot,
                    &selected, &clock)).unwrap_or_default() }
                <p class="compare-export">
                    <button type="button" class="button" data-testid="sweep-csv"
                        onclick={download(running.clone(), runs.clone(), &base.name, export_error.clone())}>
                        {"Download the cells (CSV)"}
                    </button>
                    {" The command line's: "}
                    <code data-testid="sweep-command">
                        {format!("poolsim sweep … {}", super::sweep_form::command_args(&r.plan, &r.until))}
                    </code>
                </p>
                if let Some(error) = &*export_error {
                    <p class="status error" role="alert">{error.clone()}</p>
                }
            }
            { hunt_view(&hunt.borrow(), &probe_runs, &clock, on_hunt, on_hunt_cancel, sweeping) }
        </section>
    }
}

/// What a field's change sets: a field of the form, or one of an axis's.
#[derive(Clone, Copy)]
enum Set {
    Form(fn(&mut SweepForm, String)),
    Axis(Side, fn(&mut AxisForm, String, &Scenario)),
}

/// An axis's fields, as [`axis_fieldset`] takes them: the knob (a knob just chosen takes
/// its own sensible range around the scenario's value), from, to, steps, equal ratios.
const AXIS_SETTERS: [fn(&mut AxisForm, String, &Scenario); 5] = [
    |a, v, base| {
        if let Some(k) = knob_of(&v) {
            *a = AxisForm::around(k, base);
        }
    },
    |a, v, _| a.from = v,
    |a, v, _| a.to = v,
    |a, v, _| a.steps = v,
    |a, v, _| a.log = v == "true",
];

/// A field's change event, written into `form` as `f` says (then a render).
#[inline(never)]
fn setter(
    form: &Rc<RefCell<SweepForm>>,
    base: &Rc<Scenario>,
    changed: &Callback<()>,
    f: Set,
) -> Callback<Event> {
    let (form, base, changed) = (form.clone(), base.clone(), changed.clone());
    Callback::from(move |e: Event| {
        let value = e
            .target_dyn_into::<HtmlInputElement>()
            .map(|i| if i.type_() == "checkbox" { i.checked().to_string() } else { i.value() })
            .or_else(|| e.target_dyn_into::<HtmlSelectElement>().map(|s| s.value()));
        if let Some(value) = value {
            let mut form = form.borrow_mut();
            match f {
                Set::Form(f) => f(&mut form, value),
                Set::Axis(Side::X, f) => f(&mut form.x, value, &base),
                Set::Axis(Side::Y, f) => f(&mut form.y, value, &base),
            }
            drop(form);
            changed.emit(());
        }
    })
}

/// The knob a select's value names: its place in [`Knob::ALL`].
fn knob_of(value: &str) -> Option<Knob> {
    value.parse::<usize>().ok().and_then(|i| Knob::ALL.get(i).copied())
}

/// A field typed as text, its label before it and its refusal (`error`) after it.
#[inline(never)]
fn text_field(
    id: &'static str,
    label: &str,
    value: &str,
    on: Callback<Event>,
    wide: bool,
    error: Option<String>,
) -> Html {
    let error_id = format!("{id}-error");
    html! {
        <div class={if wide { "sweep-field sweep-field-wide" } else { "sweep-field" }}>
            <label for={id}>{label}</label>
            <input {id} type="text" inputmode="decimal" spellcheck="false" value={value.to_owned()}
                oninput={Callback::from(move |e: InputEvent| on.emit(e.into()))} data-testid={id}
                aria-invalid={error.is_some().then_some("true")}
                aria-describedby={error.is_some().then(|| error_id.clone())} />
            if let Some(message) = error {
                <span class="control-error" id={error_id.clone()} role="alert" data-testid={error_id}>{message}</span>
            }
        </div>
    }
}

/// One axis's fields: its knob, from, to, steps (`ids`, their refusals `errors`) and
/// whether it steps by equal ratios; `on` sets each (the knob, from, to, steps, log).
#[inline(never)]
fn axis_fieldset(
    side: &'static str,
    a: &AxisForm,
    ids: [&'static str; 4],
    errors: [Option<String>; 4],
    on: [Callback<Event>; 5],
) -> Html {
    let [knob_id, from_id, to_id, steps_id] = ids;
    let [knob_error, from_error, to_error, steps_error] = errors;
    let [on_knob, on_from, on_to, on_steps, on_log] = on;
    html! {
        <fieldset class="sweep-axis">
            <legend>{side}</legend>
            <div class="sweep-field">
                <label for={knob_id}>{"Knob"}</label>
                <select id={knob_id} data-testid={knob_id} onchange={on_knob}
                    aria-invalid={knob_error.is_some().then_some("true")}>
                    { for Knob::ALL.iter().enumerate().map(|(i, k)| html! {
                        <option value={i.to_string()} selected={*k == a.knob}>{k.path()}</option>
                    }) }
                </select>
                if let Some(message) = knob_error {
                    <span class="control-error" role="alert" data-testid={format!("{knob_id}-error")}>{message}</span>
                }
            </div>
            { text_field(from_id, "From", &a.from, on_from, false, from_error) }
            { text_field(to_id, "To", &a.to, on_to, false, to_error) }
            { text_field(steps_id, "Steps", &a.steps, on_steps, false, steps_error) }
            <label class="sweep-log">
                <input type="checkbox" checked={a.log} onchange={on_log} data-testid={format!("{knob_id}-log")} />
                {" Equal ratios (log)"}
            </label>
        </fieldset>
    }
}

/// The survival the form's time asks for (the whole run while it is unreadable).
fn survival_of(form: &SweepForm, base: &Scenario) -> poolsim_engine::replicate::sweep::Survival {
    search_settings(form, base).map(|(_, s)| s).unwrap_or_default()
}

/// The runs and the survival of the form, for the search (its axes aside).
fn search_settings(
    form: &SweepForm,
    base: &Scenario,
) -> Result<(u32, poolsim_engine::replicate::sweep::Survival), Vec<Refusal>> {
    let mut probe = form.clone();
    probe.x = AxisForm::around(Knob::MaxSize, base);
    probe.y = AxisForm::around(Knob::Rate, base);
    read(&probe, base).map(|p| (p.runs, p.survival))
}

/// Start the search's next size in `probe_runs`, or record the size just run and go on;
/// `changed` is called whenever the search moved.
fn step_hunt(
    hunt: &Rc<RefCell<Option<Hunt>>>,
    probe_runs: &Runs<SweepRuns>,
    base: &Scenario,
    changed: &Callback<()>,
) {
    let moved = {
        let mut guard = hunt.borrow_mut();
        match guard.as_mut() {
            Some(h) => advance(h, probe_runs, base),
            None => false,
        }
    };
    if moved {
        changed.emit(());
    }
}

/// One step of the search (see [`step_hunt`]); whether anything changed.
fn advance(h: &mut Hunt, probe_runs: &Runs<SweepRuns>, base: &Scenario) -> bool {
    if h.failed.is_some() || h.cancelled {
        return false;
    }
    if let Some(n) = h.probe {
        let Some(p) = probe_runs.progress().filter(|p| p.finished()) else { return false };
        let share = probe_runs.with_tally(|t| h.search.survival().count(&t.cells[0])).unwrap_or_default();
        h.probe = None;
        if let Some(why) = p.failed {
            h.failed = Some(why);
            return true;
        }
        h.search.record(n, share);
    }
    let Some(n) = h.search.next_size() else { return true };
    let scenario = Knob::MaxSize.with(base, f64::from(n));
    if let Err(e) = scenario.validate() {
        h.failed = Some(format!("a pool of {n} is refused: {e}"));
        return true;
    }
    let job = Job::Pool { max_size: n, until_s: h.search.survival().until_s };
    probe_runs.start(base, job, SweepRuns::new(1, h.runs), h.runs);
    h.probe = Some(n);
    true
}

/// The search's button, progress and answer.
fn hunt_view(
    hunt: &Option<Hunt>,
    probe_runs: &Runs<SweepRuns>,
    clock: &Clock,
    on_hunt: Callback<MouseEvent>,
    on_cancel: Callback<MouseEvent>,
    sweeping: bool,
) -> Html {
    let running = hunt.as_ref().is_some_and(|h| !h.finished());
    let status = hunt.as_ref().map(|h| {
        let tried = match h.search.probes().len() {
            1 => "1 size".to_owned(),
            n => format!("{} sizes", count(n as u64)),
        };
        match (h.probe, &h.failed, probe_runs.progress()) {
            (_, Some(why), _) => format!("The search stopped: {why}"),
            _ if h.cancelled => format!("Cancelled after {tried} tried."),
            (Some(n), None, Some(p)) => format!(
                "Trying a pool of {}: {} of {} runs ({tried} tried so far)",
                count(u64::from(n)),
                count(u64::from(p.done)),
                count(u64::from(p.runs)),
            ),
            _ => format!("{tried} tried."),
        }
    });
    let answer = hunt
        .as_ref()
        .filter(|h| h.finished() && h.failed.is_none() && !h.cancelled)
        .map(|h| smallest_pool_answer(&h.search.clone().found(), clock));
    html! {
        <div class="sweep-hunt" data-testid="sweep-hunt">
            <div class="compare-actions">
                if running {
                    <button type="button" class="button" onclick={on_cancel} data-testid="sweep-hunt-cancel">
                        {"Cancel the search"}
                    </button>
                } else {
                    <button type="button" class="button" onclick={on_hunt} disabled={sweeping}
                        data-testid="sweep-hunt-run">{"Find the smallest pool that survives"}</button>
                }
                if let Some(status) = status {
                    <span role="status" data-testid="sweep-hunt-status"
                        data-finished={(!running).then_some("true")}>{status}</span>
                }
            </div>
            if let Some(answer) = answer {
                <p class="sweep-answer" data-testid="sweep-hunt-answer">{answer}</p>
            }
        </div>
    }
}

/// The heatmap of the complete cells of `plan`'s runs so far, `tally` (a cell still
/// running is left grey).
fn heatmap(base: &Scenario, plan: &SweepPlan, tally: &SweepRuns, outcome: SweepOutcome) -> Heatmap {
    let done: Vec<Replications> = tally
        .cells
        .iter()
        .map(|c| if c.len() >= tally.runs as usize { c.clone() } else { Replications::new() })
        .collect();
    Heatmap::for_sweep(
        &base.name,
        &plan.sweep,
        &done,
        plan.sweep.own(base),
        outcome,
        &plan.survival,
        &Clock::new(base.clock_start, base.duration_s),
    )
}

/// Draw `map` on `canvas`; the cells' box in CSS px (left, top, right, bottom).
fn draw(
    canvas: &HtmlCanvasElement,
    map: &Heatmap,
    dark: bool,
) -> Result<Option<(f64, f64, f64, f64)>, String> {
    let Some((backend, theme)) = drawing_on(canvas, dark)? else { return Ok(None) };
    let area = backend.into_drawing_area();
    let HeatPlot { left, top, right, bottom } =
        heatmap_plot(&area, map, &theme).map_err(|e| e.to_string())?;
    draw_heatmap(&area, map, &theme).map_err(|e| e.to_string())?;
    let css = |px: i32| f64::from(px) / theme.scale;
    Ok(Some((css(left), css(top), css(right), css(bottom))))
}

/// The heatmap's canvas, its cells as a grid of focusable buttons laid over it, and the
/// numbers of the cell in focus (or under the pointer).
#[allow(clippy::too_many_arguments)]
fn heatmap_figure(
    canvas: &NodeRef,
    base: &Scenario,
    plan: &SweepPlan,
    tally: &SweepRuns,
    outcome: SweepOutcome,
    plot: Option<(f64, f64, f64, f64)>,
    selected: &UseStateHandle<Option<usize>>,
    clock: &Clock,
) -> Html {
    let map = heatmap(base, plan, tally, outcome);
    let sweep = &plan.sweep;
    let (columns, rows) = (sweep.columns(), sweep.rows());
    let words = |index: usize| {
        let cell = sweep.cell(index);
        let at = match (sweep.y, cell.y) {
            (Some(y), Some(v)) => format!(
                "{} = {}, {} = {}",
                sweep.x.knob.path(),
                short_number(cell.x),
                y.knob.path(),
                short_number(v)
            ),
            _ => format!("{} = {}", sweep.x.knob.path(), short_number(cell.x)),
        };
        let runs = &tally.cells[index];
        let numbers = if runs.len() >= tally.runs as usize {
            cell_numbers(outcome, runs, &plan.survival, clock).unwrap_or_default()
        } else {
            format!("{} of {} runs in", count(runs.len() as u64), count(u64::from(tally.runs)))
        };
        format!("{at}: {numbers}")
    };
    let focused = selected.unwrap_or(0).min(map.cells.len().saturating_sub(1));
    let overlay = plot.map(|(left, top, right, bottom)| {
        let style = format!(
            "left:{left}px;top:{top}px;width:{}px;height:{}px;grid-template-columns:repeat({columns},1fr);\
             grid-template-rows:repeat({rows},1fr)",
            right - left,
            bottom - top
        );
        // Row 0 is at the bottom: the grid lists the top row first.
        let order: Vec<usize> = (0..rows).rev().flat_map(|row| (0..columns).map(move |c| row * columns + c)).collect();
        html! {
            <div class="sweep-cells" {style} role="group" aria-label="The heatmap's cells: arrow keys move between them">
                { for order.into_iter().map(|i| {
                    let cell = &map.cells[i];
                    let on_focus = { let s = selected.clone(); Callback::from(move |_: FocusEvent| s.set(Some(i))) };
                    let on_hover = { let s = selected.clone(); Callback::from(move |_: MouseEvent| s.set(Some(i))) };
                    let on_key = Callback::from(move |e: KeyboardEvent| {
                        let (c, row) = (i % columns, i / columns);
                        let next = match e.key().as_str() {
                            "ArrowRight" if c + 1 < columns => Some(i + 1),
                            "ArrowLeft" if c > 0 => Some(i - 1),
                            "ArrowUp" if row + 1 < rows => Some(i + columns),
                            "ArrowDown" if row > 0 => Some(i - columns),
                            "Home" => Some(row * columns),
                            "End" => Some(row * columns + columns - 1),
                            _ => None,
                        };
                        if let Some(next) = next {
                            e.prevent_default();
                            focus(&format!("sweep-cell-{next}"));
                        }
                    });
                    html! {
                        <button type="button" class="sweep-cell" id={format!("sweep-cell-{i}")}
                            data-testid={format!("sweep-cell-{i}")} data-text={cell.text.clone()}
                            data-survives={cell.survives.then_some("true")}
                            tabindex={if i == focused { "0" } else { "-1" }} aria-label={words(i)}
                            aria-pressed={(Some(i) == **selected).then_some("true")}
                            onfocus={on_focus} onmouseenter={on_hover} onkeydown={on_key}>
                        </button>
                    }
                }) }
            </div>
        }
    });
    html! {
        <figure class="sweep-heatmap">
            <div class="sweep-canvas-wrap">
                <canvas ref={canvas.clone()} class="chart-canvas sweep-canvas" role="img"
                    style={format!("height:{}px", heatmap_height(map.rows()))}
                    aria-label={map.describe()} data-testid="sweep-heatmap"
                    data-cells-done={tally.complete().to_string()}></canvas>
                { overlay.unwrap_or_default() }
            </div>
            <figcaption class="sweep-detail" data-testid="sweep-cell-detail" aria-live="polite">
                { selected.map_or_else(
                    || "Focus or point at a cell for its numbers.".to_owned(),
                    words) }
            </figcaption>
        </figure>
    }
}

/// Move the keyboard focus to the element `id`.
fn focus(id: &str) {
    use wasm_bindgen::JsCast;
    if let Some(el) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id))
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = el.focus();
    }
}

/// Download the cells so far as `poolsim sweep --format csv` writes them.
fn download(
    running: Rc<RefCell<Option<Running>>>,
    runs: Runs<SweepRuns>,
    name: &str,
    error: UseStateHandle<Option<String>>,
) -> Callback<MouseEvent> {
    let slug = crate::share::files::slug(name);
    Callback::from(move |_: MouseEvent| {
        let running = running.borrow();
        let Some(r) = running.as_ref() else { return };
        let Some(text) = runs.with_tally(|t| cells_csv(&r.plan.sweep, &t.cells, &r.plan.survival)) else {
            return;
        };
        error.set(
            crate::share::download::download_text(&format!("{slug}-sweep.csv"), "text/csv", &text).err(),
        );
    })
}
