//! "How sure?": the compare page's what-ifs run over many seeds in Web Workers
//! ([`crate::hooks::use_runs`]), the table filling in as runs arrive — each outcome's
//! mean with its 95 % interval and the range of 90 % of runs, a best marked only where it
//! beats the runner-up beyond chance, each fix against "as it happened" run by run — a
//! strip of when the pool first ran out in every run, and downloads of every run (CSV)
//! and of the statistics (Markdown, `poolsim replicate --format md`'s).

use std::rc::Rc;

use poolsim_content::replications::cells::{SureColumn, SureRow, rows};
use poolsim_content::replications::{Batch, csv, report};
use poolsim_content::variants::VariantKind;
use poolsim_engine::Scenario;
use poolsim_engine::replicate::Metric;
use yew::prelude::*;

use crate::components::runs_progress::runs_progress;
use crate::hooks::{Runs, use_runs};
use crate::replicate::{Job, RUNS, parse_runs};

/// Properties of [`HowSure`].
#[derive(Debug, Properties, PartialEq)]
pub struct HowSureProps {
    /// The base scenario.
    pub scenario: Rc<Scenario>,
    /// Reads the chosen what-ifs ("as it happened" first); a wrong value is marked in the
    /// checklist and gives `None`.
    pub read_kinds: Callback<(), Option<Vec<VariantKind>>>,
    /// The single-seed comparison is running: wait for it.
    #[prop_or_default]
    pub busy: bool,
}

/// The "How sure?" section. Keyed by its scenario: a new one starts it afresh (and
/// closes any workers still running).
#[component]
pub fn HowSure(props: &HowSureProps) -> Html {
    let runs_text = use_state(|| "100".to_owned());
    let runs_error = use_state_eq(|| None::<String>);
    let crew = use_runs::<Batch>();
    let export_error = use_state_eq(|| None::<String>);
    let progress = crew.progress();
    let running = progress.as_ref().is_some_and(|p| !p.finished());

    let on_runs = {
        let runs_text = runs_text.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(input) = e.target_dyn_into::<web_sys::HtmlInputElement>() {
                runs_text.set(input.value());
            }
        })
    };
    let on_start = {
        let (crew, runs_text, runs_error) = (crew.clone(), runs_text.clone(), runs_error.clone());
        let (read_kinds, base) = (props.read_kinds.clone(), props.scenario.clone());
        Callback::from(move |_: MouseEvent| {
            let runs = match parse_runs(&runs_text, "Runs") {
                Ok(runs) => runs,
                Err(message) => return runs_error.set(Some(message)),
            };
            runs_error.set(None);
            let Some(kinds) = read_kinds.emit(()) else { return };
            let batch = Batch::new(&base, kinds.iter().map(|k| k.label(base.clock_start)));
            let job = Job::Variants { kinds: serde_json::to_string(&kinds).unwrap_or_default() };
            crew.start(&base, job, batch, runs);
        })
    };
    let on_cancel = {
        let crew = crew.clone();
        Callback::from(move |_: MouseEvent| crew.cancel())
    };

    // Read in place: a run arrives every few hundred milliseconds and each re-renders.
    let results = crew
        .with_tally(|batch| {
            (batch.runs() > 0).then(|| {
                html! {
                    <>
                        { table(&rows(batch, props.scenario.clock_start)) }
                        { strip(batch, &props.scenario) }
                    </>
                }
            })
        })
        .flatten();
    html! {
        <section class="compare-sure" aria-labelledby="h-sure" data-testid="sure">
            <h3 id="h-sure">{"How sure? The same what-ifs over many seeds"}</h3>
            <p>
                {"One run is one morning's luck. Run every what-if again with other seeds — run i of each \
                  with the same seed, so each fix is judged on the same requests — and see the range."}
            </p>
            <div class="compare-actions">
                <label class="sure-runs">
                    {"Runs "}
                    <input type="number" inputmode="numeric" min={RUNS.start().to_string()}
                        max={RUNS.end().to_string()} step="1" value={(*runs_text).clone()} oninput={on_runs}
                        aria-invalid={runs_error.is_some().then_some("true")}
                        aria-describedby={runs_error.is_some().then_some("sure-runs-error")}
                        data-testid="sure-runs" />
                </label>
                if running {
                    <button type="button" class="button" onclick={on_cancel} data-testid="sure-cancel">
                        {"Cancel"}
                    </button>
                } else {
                    <button type="button" class="button primary" onclick={on_start} disabled={props.busy}
                        data-testid="sure-run">
                        {"Run over many seeds"}
                    </button>
                }
                if let Some(p) = &progress {
                    { runs_progress(p, "sure-progress", "") }
                }
            </div>
            if let Some(message) = &*runs_error {
                <p class="status error" id="sure-runs-error" role="alert" data-testid="sure-runs-error">{message}</p>
            }
            if let Some(why) = progress.as_ref().and_then(|p| p.failed.clone()) {
                <p class="status error" role="alert" data-testid="sure-error">
                    {format!("The runs stopped: {why}")}
                </p>
            }
            if let Some(results) = results {
                { results }
                <p class="compare-export">
                    <button type="button" class="button" data-testid="sure-csv"
                        onclick={download(crew.clone(), &props.scenario.name, Export::Csv, export_error.clone())}>
                        {"Download every run (CSV)"}
                    </button>
                    {" "}
                    <button type="button" class="button" data-testid="sure-markdown"
                        onclick={download(crew.clone(), &props.scenario.name, Export::Markdown, export_error.clone())}>
                        {"Download the statistics (Markdown)"}
                    </button>
                </p>
                if let Some(error) = &*export_error {
                    <p class="status error" role="alert">{error.clone()}</p>
                }
            }
        </section>
    }
}

fn table(rows: &[SureRow]) -> Html {
    html! {
        <div class="compare-table-wrap" role="region" aria-labelledby="sure-caption" tabindex="0">
            <table class="compare-table sure-table" data-testid="sure-table">
                <caption id="sure-caption">
                    {"Mean over the runs, its 95 % confidence interval, and the range of 90 % of runs. "}
                    <strong>{"✓ and bold"}</strong>
                    {": better than every other row beyond chance, run by run."}
                </caption>
                <thead>
                    <tr>
                        <th scope="col">{"What if"}</th>
                        { for SureColumn::ALL.iter().map(|c| html! { <th scope="col" class="num">{c.heading()}</th> }) }
                    </tr>
                </thead>
                <tbody>
                    { for rows.iter().enumerate().map(|(i, row)| html! {
                        <tr data-testid={format!("sure-row-{i}")}>
                            <th scope="row">
                                {&row.label}
                                if let Some(against) = &row.against_base {
                                    <span class="sure-detail" data-testid={format!("sure-against-{i}")}>{against}</span>
                                }
                            </th>
                            { for SureColumn::ALL.iter().zip(&row.cells).map(|(c, cell)| html! {
                                <td class={if cell.best { "num compare-best" } else { "num" }}
                                    data-testid={format!("sure-cell-{i}-{}", c.slug())}
                                    data-best={cell.best.then_some("true")}>
                                    <span class="compare-value">{&cell.text}</span>
                                    if cell.best {
                                        <span class="compare-mark" aria-hidden="true">{"✓"}</span>
                                        <span class="visually-hidden">{" (best)"}</span>
                                    }
                                    <span class="sure-detail">{&cell.detail}</span>
                                </td>
                            }) }
                        </tr>
                    }) }
                </tbody>
            </table>
        </div>
    }
}

/// When the pool first ran out, run by run: a dot per run on the run's clock, one line
/// per what-if, with its 5th–95th percentile band.
fn strip(batch: &Batch, scenario: &Scenario) -> Html {
    const W: f64 = 640.0;
    const LEFT: f64 = 28.0;
    const ROW: f64 = 22.0;
    let end = scenario.duration_s.max(1) as f64;
    let x = |s: f64| LEFT + (W - LEFT - 8.0) * (s / end).clamp(0.0, 1.0);
    let h = ROW * batch.variants.len() as f64 + 18.0;
    let clock = |s: f64| scenario.clock_start.after(s).format(false);
    let reports: Vec<_> = batch.variants.iter().map(|v| v.runs.report()).collect();
    let described: Vec<String> = batch
        .variants
        .iter()
        .zip(&reports)
        .map(|(v, s)| {
            let first = s.stats(Metric::FirstExhaustionS);
            match (first.p5, first.p95) {
                (Some(lo), Some(hi)) => format!(
                    "{}: ran out in {} of {} runs, 90 % of them between {} and {}",
                    v.label,
                    first.n,
                    s.runs,
                    clock(lo),
                    clock(hi)
                ),
                _ => format!("{}: never ran out in {} runs", v.label, s.runs),
            }
        })
        .collect();
    html! {
        <figure class="sure-strip">
            <figcaption>{"When the pool first ran out, one dot per run"}</figcaption>
            <svg viewBox={format!("0 0 {W} {h}")} role="img" aria-label={described.join(". ")}
                data-testid="sure-strip">
                { for batch.variants.iter().zip(&reports).enumerate().map(|(i, (v, report))| {
                    let y = ROW * i as f64 + ROW / 2.0;
                    let first = report.stats(Metric::FirstExhaustionS);
                    html! {
                        <g class="sure-strip-row">
                            <text x="4" y={(y + 4.0).to_string()} class="sure-strip-tick">{i}</text>
                            <line x1={LEFT.to_string()} x2={(W - 8.0).to_string()} y1={y.to_string()} y2={y.to_string()}
                                class="sure-strip-axis" />
                            if let (Some(lo), Some(hi)) = (first.p5, first.p95) {
                                <rect x={x(lo).to_string()} y={(y - 6.0).to_string()}
                                    width={(x(hi) - x(lo)).max(1.0).to_string()} height="12" class="sure-strip-band" />
                            }
                            { for v.runs.values(Metric::FirstExhaustionS).into_iter().map(|s| html! {
                                <circle cx={x(s).to_string()} cy={y.to_string()} r="2.5" class="sure-strip-dot" />
                            }) }
                        </g>
                    }
                }) }
                <text x={LEFT.to_string()} y={(h - 4.0).to_string()} class="sure-strip-tick">{clock(0.0)}</text>
                <text x={(W - 8.0).to_string()} y={(h - 4.0).to_string()} text-anchor="end" class="sure-strip-tick">
                    {clock(end)}
                </text>
            </svg>
            <ul class="compare-lessons sure-strip-key">
                { for described.iter().enumerate().map(|(i, d)| html! {
                    <li><span class="compare-lesson-row" aria-hidden="true">{i}</span>{" "}{d}</li>
                }) }
            </ul>
        </figure>
    }
}

#[derive(Clone, Copy)]
enum Export {
    Csv,
    Markdown,
}

/// Download the runs so far as `what`; a refused download says why.
fn download(
    crew: Runs<Batch>,
    name: &str,
    what: Export,
    error: UseStateHandle<Option<String>>,
) -> Callback<MouseEvent> {
    let slug = crate::share::files::slug(name);
    Callback::from(move |_: MouseEvent| {
        let Some(done) = crew.with_tally(|batch| match what {
            Export::Csv => crate::share::download::download_text(
                &format!("{slug}-runs.csv"),
                "text/csv",
                &csv::write(batch),
            ),
            Export::Markdown => crate::share::download::download_text(
                &format!("{slug}-how-sure.md"),
                "text/markdown",
                &report::markdown(batch),
            ),
        }) else {
            return;
        };
        error.set(done.err());
    })
}
