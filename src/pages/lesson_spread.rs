//! A replicated lesson step's runs ([`poolsim_content::lessons::Step::replications`]): the
//! step's scenario run over many seeds in the compare page's Web Workers
//! ([`crate::hooks::use_runs`], the seeds and numbers of `poolsim replicate`; the lesson's
//! steps over the same scenario and number of runs share them), its progress
//! with a Stop button, and the learner's prediction graded against the range of 90 % of
//! the runs so far ([`lessons::band`]) — it narrows as runs arrive, and a stopped crew
//! keeps the runs it has.

use std::rc::Rc;

use poolsim_content::lessons::{self, Band, Quantity, Spread};
use poolsim_engine::Scenario;
use poolsim_engine::replicate::Replications;
use yew::prelude::*;

use crate::components::runs_progress::runs_progress;
use crate::hooks::Runs;
use crate::replicate::{Job, Progress};

/// Properties of [`StepSpread`].
#[derive(Debug, Properties, PartialEq)]
pub struct StepSpreadProps {
    /// The step's index (test ids).
    pub step: usize,
    /// The step's scenario.
    pub scenario: Rc<Scenario>,
    /// Runs to make.
    pub runs: u32,
    /// What the question measures.
    pub quantity: Quantity,
    /// The question's unit.
    pub unit: String,
    /// The learner's prediction, in the question's unit.
    pub prediction: f64,
    /// The lesson's runs, which the step starts or shares.
    pub seeds: Runs<Replications>,
    /// Where they are (a new figure re-renders the step).
    pub progress: Option<Progress>,
}

/// The step's runs over many seeds and the verdict against their range. The runs start
/// when it appears, unless a step before started the same ones, and stop when the lesson
/// goes (or on Stop).
#[component]
pub fn StepSpread(props: &StepSpreadProps) -> Html {
    let seeds = props.seeds.clone();
    {
        let (seeds, scenario, runs) = (seeds.clone(), props.scenario.clone(), props.runs);
        use_effect_with((), move |()| seeds.start_once(&scenario, Job::Seeds, Replications::new(), runs));
    }
    let on_stop = {
        let seeds = seeds.clone();
        Callback::from(move |_: MouseEvent| seeds.cancel())
    };
    let i = props.step;
    let progress = props.progress.clone();
    let spread = seeds.with_tally(|runs| Spread::of(props.quantity, runs)).flatten();
    let running = progress.as_ref().is_some_and(|p| !p.finished());
    html! {
        <div class="learn-spread" data-testid={format!("spread-{i}")}>
            <div class="compare-actions">
                if let Some(p) = &progress {
                    { runs_progress(p, format!("spread-progress-{i}"), "The same run over many seeds: ") }
                }
                if running {
                    <button type="button" class="button" onclick={on_stop} data-testid={format!("spread-stop-{i}")}>
                        {"Stop"}
                    </button>
                }
            </div>
            if let Some(why) = progress.as_ref().and_then(|p| p.failed.clone()) {
                <p class="status error" role="alert">{format!("The runs stopped: {why}")}</p>
            }
            { spread_words(i, props.prediction, &props.unit, spread.as_ref(), progress.as_ref().map_or(0, |p| p.done), running) }
        </div>
    }
}

/// The verdict and the range in words; before a run where the quantity happened, what
/// is awaited.
fn spread_words(
    i: usize,
    prediction: f64,
    unit: &str,
    spread: Option<&Spread>,
    done: u32,
    running: bool,
) -> Html {
    let n = |x: f64| number(x, unit);
    let Some(s) = spread else {
        let text = if done == 0 {
            "Waiting for the first runs…".to_owned()
        } else if running {
            format!("It has not happened in any of the {done} runs so far.")
        } else {
            format!("It happened in none of the {done} runs: your prediction had nothing to fall in.")
        };
        return html! { <p class="learn-verdict" data-testid={format!("spread-verdict-{i}")}>{text}</p> };
    };
    let range = format!("{} to {}", n(s.low), n(s.high));
    let so_far = if running { format!(" (so far, {} runs)", s.runs) } else { String::new() };
    let (band, verdict) = match lessons::band(prediction, s) {
        Band::Inside => ("inside", format!("✓ Within the range of 90 % of the runs{so_far}: {range}.")),
        Band::Below => ("below", format!("✗ Too low: below the range of 90 % of the runs{so_far}, {range}.")),
        Band::Above => {
            ("above", format!("✗ Too high: above the range of 90 % of the runs{so_far}, {range}."))
        }
    };
    let reached = if s.reached < s.runs {
        format!("It happened in {} of {} runs; the range is of those.", s.reached, s.runs)
    } else {
        format!("It happened in every one of the {} runs.", s.runs)
    };
    html! {
        <>
            <p class="learn-verdict" data-testid={format!("spread-verdict-{i}")}
                data-band={band}>{verdict}</p>
            <dl class="learn-numbers" data-testid={format!("spread-numbers-{i}")}>
                <div><dt>{"You said"}</dt><dd>{n(prediction)}</dd></div>
                <div><dt>{"Median run"}</dt><dd data-testid={format!("spread-median-{i}")}>{n(s.median)}</dd></div>
                <div><dt>{"90 % of runs"}</dt><dd data-testid={format!("spread-range-{i}")}>{range}</dd></div>
            </dl>
            <p class="learn-status">{reached}</p>
        </>
    }
}

/// A lesson's number with its unit: whole from 100 up, else to a tenth.
pub fn number(x: f64, unit: &str) -> String {
    if x.abs() >= 100.0 { format!("{x:.0} {unit}") } else { format!("{x:.1} {unit}") }
}
