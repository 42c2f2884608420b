//! The compare view: pick what-ifs of the scenario (as it happened, no fix, a bigger pool
//! only, a rollback at a time, abandoned reclaim, a usage alert …), run them all to the
//! end with the same seed — in budgeted slices per animation frame, with a progress bar —
//! then see them overlaid on two charts, an outcome table with the best value of each
//! column marked, and the lesson of each row in words.
//!
//! The numbers are `poolsim compare`'s: the same engine functions
//! ([`poolsim_content::variants`]) build, run and word them. The logic is plain Rust,
//! tested natively: [`choice`] (the checklist), [`batch`] (the sliced runs), [`cells`]
//! (the table's words). One component wires it to the DOM; its parts are plain functions
//! ([`checklist`], [`chart`], [`table`]), which keeps the page's download small.

pub mod batch;
pub mod cells;
pub mod chart;
pub mod checklist;
pub mod choice;
pub mod sure;
pub mod sweep;
pub mod sweep_form;
pub mod table;

use poolsim_engine::time::ClockTime;
use std::rc::Rc;

use poolsim_charts::CompareMetric;
use poolsim_content::variants::{VariantKind, VariantOutcome};
use poolsim_engine::Scenario;
use web_sys::HtmlCanvasElement;
use yew::prelude::*;

use self::batch::{Batch, Series};
use self::choice::{Checklist, ChecklistAction, Param, choices_for};
use crate::hooks::{FrameFn, use_animation_frame, use_window_resize};

/// Engine work per animation frame while a comparison runs [ms]: most of the frame, yet
/// the page still answers (about 25 frames a second).
pub const COMPARE_WORK_MS: f64 = 30.0;

/// A finished comparison: what the charts and the table show.
#[derive(Debug)]
pub struct Comparison {
    /// The base scenario's `clock_start`.
    pub clock_start: ClockTime,
    /// The outcome table's rows, in words, the baseline first.
    pub rows: Vec<cells::Row>,
    /// What the charts draw of each row's run.
    pub series: Vec<Series>,
    /// The longest run's length [s].
    pub end_s: u64,
    /// The outcome table as Markdown, a lesson per row (`poolsim compare --md`'s).
    pub markdown: String,
}

impl Comparison {
    /// The comparison of `outcomes` (with their chart `series`) for a run starting at
    /// `clock_start`.
    pub fn new(
        title: &str,
        clock_start: ClockTime,
        outcomes: &[VariantOutcome],
        series: Vec<Series>,
    ) -> Self {
        let end_s = outcomes.iter().map(|o| o.duration_s).max().unwrap_or(0);
        let markdown = poolsim_content::variants::markdown(title, clock_start, outcomes);
        Self { rows: cells::rows(outcomes, clock_start), clock_start, series, end_s, markdown }
    }
}

/// Properties of [`Compare`].
#[derive(Debug, Properties, PartialEq)]
pub struct CompareProps {
    /// The base scenario: "as it happened".
    pub scenario: Rc<Scenario>,
    /// The preset it came from: `june-15-2024` offers the June 15 what-ifs.
    #[prop_or_default]
    pub preset: Option<AttrValue>,
    /// Dark theme for the charts.
    #[prop_or_default]
    pub dark: bool,
}

/// Where the view is.
#[derive(Clone, Debug, Default)]
enum Phase {
    /// Nothing run yet (or the scenario changed).
    #[default]
    Idle,
    /// Running: variant `row` of `rows`, `percent` of the work done.
    Running { row: usize, rows: usize, percent: u32, label: String },
    /// Finished.
    Done(Rc<Comparison>),
    /// Refused or failed, with the reason.
    Failed(String),
}

impl PartialEq for Phase {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Phase::Idle, Phase::Idle) => true,
            (Phase::Running { row: a, percent: p, .. }, Phase::Running { row: b, percent: q, .. }) => {
                (a, p) == (b, q)
            }
            (Phase::Done(a), Phase::Done(b)) => Rc::ptr_eq(a, b),
            (Phase::Failed(a), Phase::Failed(b)) => a == b,
            _ => false,
        }
    }
}

/// The compare view.
#[component]
pub fn Compare(props: &CompareProps) -> Html {
    let list = use_mut_ref(|| Checklist(choices_for(&props.scenario, props.preset.as_deref())));
    let update = use_force_update();
    let batch = use_mut_ref(|| None::<Batch>);
    let phase = use_state_eq(Phase::default);
    let canvases = [use_node_ref(), use_node_ref()];
    let chart_error = use_state_eq(|| None::<String>);
    let export_error = use_state_eq(|| None::<String>);
    let resized = use_window_resize();

    // A new base scenario: its own what-ifs; results of the old one no longer apply.
    let made_for = use_mut_ref(|| (props.scenario.clone(), props.preset.clone()));
    let key = (props.scenario.clone(), props.preset.clone());
    if *made_for.borrow() != key {
        list.borrow_mut().apply(ChecklistAction::Reset(choices_for(&key.0, key.1.as_deref())));
        *made_for.borrow_mut() = key;
        *batch.borrow_mut() = None;
        phase.set(Phase::Idle);
    }

    let on_frame: FrameFn = {
        let (batch, phase) = (batch.clone(), phase.clone());
        let (clock_start, title) = (props.scenario.clock_start, props.scenario.name.clone());
        Rc::new(move |_elapsed_ms: f64| {
            let deadline = now_ms() + COMPARE_WORK_MS;
            // Borrowed only for the work: setting the phase may re-render at once.
            let next = {
                let mut slot = batch.borrow_mut();
                match slot.as_mut().map(|b| b.step(|| now_ms() < deadline)) {
                    Some(Ok(false)) => slot.as_ref().map_or(Phase::Idle, running),
                    Some(Ok(true)) => {
                        let (outcomes, series) = slot.take().map(Batch::into_results).unwrap_or_default();
                        Phase::Done(Rc::new(Comparison::new(&title, clock_start, &outcomes, series)))
                    }
                    Some(Err(e)) => {
                        *slot = None;
                        Phase::Failed(e)
                    }
                    None => Phase::Idle,
                }
            };
            phase.set(next);
        })
    };
    let is_running = matches!(*phase, Phase::Running { .. });
    use_animation_frame(is_running, on_frame);

    // Draw the charts once they are on the page, and again on resize or theme change.
    {
        let (canvases, chart_error) = (canvases.clone(), chart_error.clone());
        let done = match &*phase {
            Phase::Done(c) => Some(c.clone()),
            _ => None,
        };
        let key = (done.as_ref().map(|c| Rc::as_ptr(c) as usize), props.dark, resized);
        use_effect_with(key, move |(_, dark, _)| {
            let Some(c) = done else { return };
            let drawn = CompareMetric::ALL.into_iter().zip(&canvases).try_for_each(|(metric, node)| {
                node.cast::<HtmlCanvasElement>()
                    .map_or(Ok(()), |canvas| chart::draw(metric, &canvas, &c, *dark))
            });
            chart_error.set(drawn.err());
        });
    }

    let on_action = {
        let list = list.clone();
        Callback::from(move |action: ChecklistAction| {
            list.borrow_mut().apply(action);
            update.force_update();
        })
    };
    let on_edit = {
        let (on_action, base) = (on_action.clone(), props.scenario.clone());
        Callback::from(move |(row, param, text): (usize, Param, String)| {
            on_action.emit(ChecklistAction::Edit { row, param, text, base: base.clone() });
        })
    };
    // The chosen what-ifs, "as it happened" first; a wrong value is marked where it is.
    let read_kinds = {
        let (list, on_action, base) = (list.clone(), on_action.clone(), props.scenario.clone());
        Callback::from(move |()| -> Result<Vec<VariantKind>, ()> {
            let read: Result<Vec<_>, _> = list
                .borrow()
                .0
                .iter()
                .enumerate()
                .filter(|(i, c)| *i == 0 || c.chosen)
                .map(|(row, c)| c.read(&base).map_err(|(param, message)| (row, param, message)))
                .collect();
            read.map_err(|(row, param, message)| {
                on_action.emit(ChecklistAction::Refuse { row, param, message })
            })
        })
    };
    let on_run = {
        let (read_kinds, batch, phase) = (read_kinds.clone(), batch.clone(), phase.clone());
        let base = props.scenario.clone();
        Callback::from(move |_: MouseEvent| {
            let Ok(kinds) = read_kinds.emit(()) else {
                phase.set(Phase::Failed("A value above cannot be used: correct it, then run again.".into()));
                return;
            };
            let labels: Vec<String> = kinds.iter().map(|k| k.label(base.clock_start)).collect();
            match Batch::new(&base, kinds) {
                Ok(b) => {
                    phase.set(running(&b));
                    *batch.borrow_mut() = Some(b);
                }
                Err((row, message)) => {
                    let label = labels.get(row).map_or("A what-if", String::as_str);
                    phase.set(Phase::Failed(format!("{label} cannot run: {message}")));
                }
            }
        })
    };
    let read_for_sure = {
        let read_kinds = read_kinds.clone();
        Callback::from(move |()| read_kinds.emit(()).ok())
    };

    html! {
        <div class="compare" data-testid="compare">
            <p class="compare-intro">
                {"Run what-ifs of this scenario side by side. Each runs to the end with the same seed: \
                  the same requests arrive and the same ones leak, so every difference is the fix's doing."}
            </p>
            { checklist::checklist(&list.borrow(), props.scenario.clock_start, is_running, &on_action, &on_edit) }
            <div class="compare-actions">
                <button type="button" class="button primary" data-testid="compare-run" onclick={on_run}
                    disabled={is_running}>
                    {"Run comparison"}
                </button>
                if let Phase::Running { row, rows, percent, label } = &*phase {
                    <div class="compare-progress" data-testid="compare-progress">
                        <progress max="100" value={percent.to_string()} aria-label="Comparison progress"></progress>
                        <span role="status">{format!("Running {} of {rows}: {label}", row + 1)}</span>
                    </div>
                }
            </div>
            if let Phase::Failed(message) = &*phase {
                <p class="status error" role="alert" data-testid="compare-error">{message}</p>
            }
            if let Phase::Done(c) = &*phase {
                <div class="compare-charts">
                    { for CompareMetric::ALL.into_iter().zip(&canvases).map(|(m, node)| chart::figure(m, node, c)) }
                </div>
                if let Some(error) = &*chart_error {
                    <p class="chart-error" role="alert">{format!("The charts could not be drawn: {error}")}</p>
                }
                { table::outcome_table(&c.rows) }
                <p class="compare-export">
                    <button type="button" class="button" data-testid="compare-markdown"
                        onclick={download_markdown(c.clone(), props.scenario.name.clone(), export_error.clone())}>
                        {"Download the table (Markdown)"}
                    </button>
                    {" A table with a lesson per row, ready to paste into a postmortem."}
                </p>
                if let Some(error) = &*export_error {
                    <p class="status error" role="alert">{error.clone()}</p>
                }
            }
            <sure::HowSure key={format!("{:p}", Rc::as_ptr(&props.scenario))} scenario={props.scenario.clone()}
                read_kinds={read_for_sure} busy={is_running} />
            <sweep::SweepSection key={format!("{:p}", Rc::as_ptr(&props.scenario))} scenario={props.scenario.clone()}
                dark={props.dark} />
        </div>
    }
}

/// Download `c`'s table as `<scenario>-compare.md`; a refused download says why.
fn download_markdown(
    c: Rc<Comparison>,
    scenario_name: String,
    error: UseStateHandle<Option<String>>,
) -> Callback<MouseEvent> {
    Callback::from(move |_: MouseEvent| {
        let file = format!("{}-compare.md", crate::share::files::slug(&scenario_name));
        error.set(crate::share::download::download_text(&file, "text/markdown", &c.markdown).err());
    })
}

/// The phase of a running `b`, as the progress bar shows it.
fn running(b: &Batch) -> Phase {
    let p = b.progress();
    Phase::Running {
        row: p.row,
        rows: p.rows,
        percent: (p.share * 100.0).round() as u32,
        label: b.label(p.row),
    }
}

/// Milliseconds from the page's time origin (0 where there is no `performance`).
fn now_ms() -> f64 {
    web_sys::window().and_then(|w| w.performance()).map_or(0.0, |p| p.now())
}
