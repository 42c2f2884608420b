//! The learn page (`learn.html`): the lessons ([`poolsim_content::lessons`]) one step at a
//! time — read, predict a number, run the real simulation, and compare the prediction
//! with the simulated outcome and the formula's estimate. Once run, the step's run plays
//! beside its text ([`super::lesson_figure`]): the pool, the step's chart, scrubbable, the
//! moment the text talks about marked. Progress is kept in this browser;
//! `learn.html#<lesson>` opens a lesson, and each step links to its run in the visualizer
//! and in the embed view (for a course page).

use std::collections::BTreeMap;
use std::rc::Rc;

use poolsim_charts::ChartKind;
use poolsim_content::lessons::drills::{self, Drill};
use poolsim_content::lessons::glossary;
use poolsim_content::lessons::{self, Answer, Grade, Lesson, grade};
use poolsim_content::presets;
use poolsim_engine::Scenario;
use poolsim_engine::replicate::Replications;
use poolsim_engine::scenario::exact::parse_f64;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::drill::DrillView;
use super::lesson_figure::StepFigure;
use super::lesson_spread::{StepSpread, number};
use super::{Page, page_nav};
use crate::hooks::{Runs, address_of, use_runs};

/// Where progress is kept [localStorage key]: `{"<lesson id>": <steps done>}`.
pub const PROGRESS_KEY: &str = "poolsim.learn.v1";

/// Steps done per lesson.
pub type Progress = BTreeMap<String, usize>;

/// The hint under a prediction field, until something that is not a number is typed.
const HINT: &str = "Your prediction, as a number.";

/// Progress as stored; anything unreadable is no progress.
pub fn read_progress(text: Option<&str>) -> Progress {
    text.and_then(|t| serde_json::from_str(t).ok()).unwrap_or_default()
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

fn load_progress() -> Progress {
    read_progress(storage().and_then(|s| s.get_item(PROGRESS_KEY).ok().flatten()).as_deref())
}

/// Keep `progress`; a full or unavailable storage only means it is not kept.
fn save_progress(progress: &Progress) {
    if let (Some(storage), Ok(json)) = (storage(), serde_json::to_string(progress)) {
        let _ = storage.set_item(PROGRESS_KEY, &json);
    }
}

/// What the page shows: a lesson or a drill (by index).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Item {
    Lesson(usize),
    Drill(usize),
    Glossary,
}

/// The lesson or drill the address names (`#littles-law`, `#mystery-a`), else the first lesson.
fn item_in_address(all: &[Lesson], drills: &[Drill]) -> Item {
    let hash = web_sys::window().and_then(|w| w.location().hash().ok()).unwrap_or_default();
    let id = hash.trim_start_matches('#');
    match (all.iter().position(|l| l.id == id), drills.iter().position(|d| d.id == id)) {
        (Some(i), _) => Item::Lesson(i),
        (None, Some(i)) => Item::Drill(i),
        (None, None) if id == GLOSSARY_ID => Item::Glossary,
        (None, None) => Item::Lesson(0),
    }
}

/// The learn page.
#[component]
pub fn LearnPage() -> Html {
    let all = use_memo((), |()| lessons::all());
    let drills = use_memo((), |()| drills::all());
    let item = use_state(|| item_in_address(&all, &drills));
    let chosen = match *item {
        Item::Lesson(i) => i,
        Item::Drill(_) | Item::Glossary => 0,
    };
    let progress = use_state(load_progress);
    let on_choose = {
        let item = item.clone();
        Callback::from(move |i: usize| item.set(Item::Lesson(i)))
    };
    let on_step_done = {
        let (progress, all) = (progress.clone(), all.clone());
        Callback::from(move |step: usize| {
            let mut next = (*progress).clone();
            let id = all[chosen].id.clone();
            let done = next.entry(id).or_default();
            *done = (*done).max(step + 1);
            save_progress(&next);
            progress.set(next);
        })
    };
    let lesson = all[chosen].clone();
    let on_glossary = {
        let item = item.clone();
        Callback::from(move |_: MouseEvent| item.set(Item::Glossary))
    };
    let drill_links = drills.iter().enumerate().map(|(i, d)| {
        let onclick = {
            let item = item.clone();
            Callback::from(move |_: MouseEvent| item.set(Item::Drill(i)))
        };
        html! {
            <li>
                <a href={format!("#{}", d.id)} class="learn-link" aria-current={(*item == Item::Drill(i)).then_some("page")}
                    data-testid={format!("drill-{}", d.id)} {onclick}>{&d.title}</a>
            </li>
        }
    });
    let main = match *item {
        Item::Drill(i) => {
            html! { <DrillView key={drills[i].id.clone()} drill={Rc::new(drills[i].clone())} /> }
        }
        Item::Glossary => html! { <GlossaryView /> },
        Item::Lesson(_) => html! {
            <LessonView key={lesson.id.clone()} lesson={Rc::new(lesson.clone())}
                done={progress.get(&lesson.id).copied().unwrap_or(0)} on_step_done={on_step_done} />
        },
    };
    html! {
        <div class="app">
            <header class="app-header">
                <h1 class="brand">{"poolsim"}</h1>
                { page_nav(Page::Learn, &format!("?preset={}", lesson.preset)) }
            </header>
            <main class="learn">
                <nav class="region learn-list" aria-labelledby="h-lessons">
                    <h2 id="h-lessons">{"Lessons"}</h2>
                    <ol>
                        { for all.iter().enumerate().map(|(i, l)| {
                            lesson_link(i, l, *item == Item::Lesson(i), &progress, &on_choose)
                        }) }
                    </ol>
                    <h2 id="h-drills">{"Diagnose"}</h2>
                    <p class="learn-status">{"Mystery incidents, seen as a real dashboard sees them."}</p>
                    <ol>{ for drill_links }</ol>
                    <h2 id="h-glossary">{"Reference"}</h2>
                    <p><a href={format!("#{GLOSSARY_ID}")} class="learn-link" data-testid="glossary-link"
                        aria-current={(*item == Item::Glossary).then_some("page")} onclick={on_glossary}>
                        {"The knobs of real pools"}
                    </a></p>
                </nav>
                { main }
            </main>
        </div>
    }
}

/// The glossary's anchor (`learn.html#glossary`).
const GLOSSARY_ID: &str = "glossary";

/// Each poolsim knob beside its name and default in real pools, and a preset running
/// each pool's defaults (linked to the visualizer once the browser has packed its link).
#[component]
fn GlossaryView() -> Html {
    let g = use_memo((), |_| glossary::glossary());
    let links = use_state(BTreeMap::<String, String>::new);
    {
        let (g, links) = (g.clone(), links.clone());
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                let mut packed = BTreeMap::new();
                for name in g.presets.iter().flatten() {
                    let Ok(scenario) = presets::load(name) else { continue };
                    let shipped = presets::story(name).map(|_| &scenario);
                    if let Ok(address) = address_of(&scenario, name, shipped).await {
                        packed.insert(name.clone(), address);
                    }
                }
                links.set(packed);
            });
        });
    }
    let try_it = |names: &Vec<String>| {
        let items = names.iter().filter_map(|name| presets::preset(name)).map(|p| match links.get(p.name) {
            Some(address) => html! {
                <li><a href={format!("./{address}")} data-testid={format!("pool-preset-{}", p.name)}>{p.title}</a></li>
            },
            None => html! { <li>{p.title}</li> },
        });
        html! { <td>if names.is_empty() { {"as sqlx: the same defaults"} } else { <ul class="pool-presets">{ for items }</ul> }</td> }
    };
    html! {
        <article class="region learn-lesson" aria-labelledby="h-glossary-title" data-testid="glossary">
            <h2 id="h-glossary-title">{"The knobs of real pools"}</h2>
            <p class="learn-intro">
                {"What each poolsim setting is called in the pools people run, with its default there. \
                  The same idea can behave differently: Go's database/sql has no acquire timeout and no limit \
                  on open connections unless you set one, and hands a freed connection to any waiter; \
                  pgbouncer refuses clients past max_client_conn. The last row runs each pool's defaults \
                  in the visualizer."}
            </p>
            // The pools side by side scroll sideways on narrow screens: a labelled region the
            // keyboard can reach and scroll; the knob column stays in view (learn.css).
            <div class="drill-table-wrap" role="region" aria-labelledby="h-glossary-title" tabindex="0">
                <table class="drill-table glossary-table">
                    <thead><tr>
                        <th scope="col">{"poolsim"}</th>
                        { for g.pools.iter().map(|p| html! { <th scope="col">{p}</th> }) }
                    </tr></thead>
                    <tbody>
                        { for g.rows.iter().map(|r| html! {
                            <tr>
                                <th scope="row"><code>{&r.knob}</code><span class="learn-status">{&r.meaning}</span></th>
                                { for r.names.iter().map(|n| html! { <td>{n}</td> }) }
                            </tr>
                        }) }
                        <tr data-testid="pool-presets">
                            <th scope="row">{"Try it"}<span class="learn-status">{"A preset with this pool's defaults."}</span></th>
                            { for g.presets.iter().map(try_it) }
                        </tr>
                    </tbody>
                </table>
            </div>
        </article>
    }
}

/// A lesson in the list: its title, how far the learner got, and a link to it.
fn lesson_link(
    i: usize,
    lesson: &Lesson,
    current: bool,
    progress: &Progress,
    on_choose: &Callback<usize>,
) -> Html {
    let done = progress.get(&lesson.id).copied().unwrap_or(0);
    let status = if done >= lesson.steps.len() {
        "✓ done".to_owned()
    } else if done > 0 {
        format!("{done} of {} steps", lesson.steps.len())
    } else {
        String::new()
    };
    let onclick = {
        let on_choose = on_choose.clone();
        Callback::from(move |_: MouseEvent| on_choose.emit(i))
    };
    html! {
        <li>
            <a href={format!("#{}", lesson.id)} class="learn-link" aria-current={current.then_some("page")}
                data-testid={format!("lesson-{}", lesson.id)} {onclick}>{&lesson.title}</a>
            if !status.is_empty() {
                <span class="learn-status" data-testid={format!("lesson-status-{}", lesson.id)}>{status}</span>
            }
        </li>
    }
}

/// Properties of [`LessonView`].
#[derive(Debug, Properties, PartialEq)]
pub struct LessonViewProps {
    /// The lesson.
    pub lesson: Rc<Lesson>,
    /// Steps the learner has done before.
    pub done: usize,
    /// A step was answered (its index).
    pub on_step_done: Callback<usize>,
}

/// One step's outcome, once run.
#[derive(Clone, Debug, PartialEq)]
struct Ran {
    prediction: f64,
    answer: Answer,
    /// Where to watch the step's run: the part of the address after the page.
    address: Option<String>,
    /// The run the step builds, played by its figure.
    scenario: Option<Rc<Scenario>>,
}

/// A lesson: its intro and its steps, each revealed when the one before is answered.
#[component]
pub fn LessonView(props: &LessonViewProps) -> Html {
    let lesson = &props.lesson;
    let ran = use_state(|| vec![None::<Ran>; lesson.steps.len()]);
    // The lesson's runs over many seeds, shared by its replicated steps.
    let seeds = use_runs::<Replications>();
    let shown = ran.iter().take_while(|r| r.is_some()).count().max(props.done.min(lesson.steps.len() - 1));
    html! {
        <article class="region learn-lesson" aria-labelledby="h-lesson" data-testid="lesson">
            <h2 id="h-lesson">{&lesson.title}</h2>
            <p class="learn-intro">{&lesson.intro}</p>
            <ol class="learn-steps">
                { for (0..=shown.min(lesson.steps.len() - 1)).map(|i| step_view(lesson, i, &ran, &props.on_step_done, &seeds)) }
            </ol>
        </article>
    }
}

/// Step `i` of `lesson`: its text, the prediction form, and the outcome once run.
fn step_view(
    lesson: &Rc<Lesson>,
    i: usize,
    ran: &UseStateHandle<Vec<Option<Ran>>>,
    on_done: &Callback<usize>,
    seeds: &Runs<Replications>,
) -> Html {
    let step = &lesson.steps[i];
    let q = &step.question;
    let input_id = format!("predict-{i}");
    let error_id = format!("predict-error-{i}");
    let onsubmit = {
        let (lesson, ran, on_done, input_id) =
            (lesson.clone(), ran.clone(), on_done.clone(), input_id.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let input = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.get_element_by_id(&input_id))
                .and_then(|el| wasm_bindgen::JsCast::dyn_into::<HtmlInputElement>(el).ok());
            let Some(input) = input else { return };
            let hint = input.get_attribute("aria-describedby").and_then(|id| {
                web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id(&id))
            });
            let typed = input.value();
            let Some(prediction) = parse_f64(typed.trim()).filter(|x| x.is_finite()) else {
                // What was typed stays, marked, with the reason beside it.
                let _ = input.set_attribute("aria-invalid", "true");
                if let Some(hint) = &hint {
                    hint.set_text_content(Some(&format!(
                        "“{}” is not a number: enter your prediction as a number.",
                        typed.trim()
                    )));
                }
                return;
            };
            let _ = input.remove_attribute("aria-invalid");
            if let Some(hint) = &hint {
                hint.set_text_content(Some(HINT));
            }
            let step = &lesson.steps[i];
            let Ok(answer) = step.answer(&lesson) else { return };
            let scenario = step.scenario(&lesson).ok().map(Rc::new);
            let mut next = (*ran).clone();
            next[i] = Some(Ran { prediction, answer, address: None, scenario: scenario.clone() });
            ran.set(next.clone());
            on_done.emit(i);
            // The link to the run, packed by the browser once the answer is on screen.
            if let Some(scenario) = scenario {
                let (ran, preset) = (ran.clone(), step.preset(&lesson).to_owned());
                wasm_bindgen_futures::spawn_local(async move {
                    let shipped = presets::story(&preset).and_then(|p| p.scenario().ok());
                    if let Ok(address) = address_of(&scenario, &preset, shipped.as_ref()).await {
                        let mut with_link = next;
                        if let Some(Some(r)) = with_link.get_mut(i) {
                            r.address = Some(address);
                        }
                        ran.set(with_link);
                    }
                });
            }
        })
    };
    let done = ran.get(i).cloned().flatten();
    let outcome = done.as_ref().map(|r| outcome_view(i, step, r, seeds));
    html! {
        <li key={i} class="learn-step" data-testid={format!("step-{i}")}>
            <div class="learn-text">
                <p>{&step.text}</p>
                <form class="learn-predict" {onsubmit} novalidate=true>
                    <label for={input_id.clone()}>{&q.ask}</label>
                    <span class="learn-input">
                        <input id={input_id} type="text" inputmode="decimal" data-testid={format!("predict-{i}")}
                            aria-describedby={error_id.clone()} autocomplete="off" />
                        <span class="learn-unit">{&q.unit}</span>
                        <button type="submit" class="button primary" data-testid={format!("run-step-{i}")}>{"Run it"}</button>
                    </span>
                    <span id={error_id} class="learn-hint" data-testid={format!("predict-hint-{i}")}>{HINT}</span>
                </form>
                { outcome.unwrap_or_default() }
            </div>
            { figure_view(lesson, i, done.as_ref()) }
        </li>
    }
}

/// Step `i`'s figure: its run playing once the learner has predicted and run it; until
/// then, where it will play.
fn figure_view(lesson: &Lesson, i: usize, ran: Option<&Ran>) -> Html {
    let step = &lesson.steps[i];
    let chart = ChartKind::from_slug(step.chart_name()).unwrap_or(ChartKind::Connections);
    match ran.and_then(|r| Some((r, r.scenario.clone()?))) {
        Some((r, scenario)) => {
            let moment = step.moment(&r.answer, scenario.duration_s);
            html! {
                <StepFigure step={i} {scenario} preset={step.preset(lesson).to_owned()} {chart} {moment} />
            }
        }
        None => html! {
            <div class="learn-figure learn-figure-waiting" data-testid={format!("figure-waiting-{i}")}>
                <p>{format!("Predict first: the run plays here, with its {} chart, once you run it.",
                    chart.title().to_lowercase())}</p>
            </div>
        },
    }
}

/// What the run showed, against the prediction and the formula; for a replicated step,
/// against the range of its runs over many seeds ([`StepSpread`]), the one run playing
/// beside it one of them.
fn outcome_view(i: usize, step: &lessons::Step, ran: &Ran, seeds: &Runs<Replications>) -> Html {
    let q = &step.question;
    let n = |x: f64| number(x, &q.unit);
    let simulated = ran.answer.simulated.map_or("never".to_owned(), n);
    let verdict = match grade(ran.prediction, &ran.answer, q.tolerance) {
        Grade::Close => "✓ Close: within the simulation's range.".to_owned(),
        Grade::Off { ratio } if ratio > 1.0 => {
            format!("✗ Too high: {:.1}× the simulated value.", ratio.min(999.0))
        }
        Grade::Off { ratio } => format!("✗ Too low: {:.0} % of the simulated value.", ratio * 100.0),
        Grade::Never => "It never happened in this run.".to_owned(),
    };
    let spread = step.replications.zip(ran.scenario.clone()).map(|(runs, scenario)| {
        html! {
            <StepSpread step={i} {scenario} {runs} quantity={q.quantity} unit={q.unit.clone()} prediction={ran.prediction}
                seeds={seeds.clone()} progress={seeds.progress()} />
        }
    });
    // A replicated step's progress speaks for itself as runs arrive ([`StepSpread`]).
    let live = spread.is_none().then_some("status");
    html! {
        <div class="learn-outcome" role={live} data-testid={format!("outcome-{i}")}>
            if let Some(spread) = spread {
                { spread }
                <dl class="learn-numbers">
                    <div><dt>{"The run beside"}</dt><dd data-testid={format!("simulated-{i}")}>{simulated}</dd></div>
                </dl>
            } else {
                <p class="learn-verdict" data-testid={format!("verdict-{i}")}>{verdict}</p>
                <dl class="learn-numbers">
                    <div><dt>{"You said"}</dt><dd>{n(ran.prediction)}</dd></div>
                    <div><dt>{"The simulation"}</dt><dd data-testid={format!("simulated-{i}")}>{simulated}</dd></div>
                    if let Some(a) = ran.answer.analytic {
                        <div><dt>{"The formula"}</dt><dd data-testid={format!("analytic-{i}")}>{n(a)}</dd></div>
                    }
                </dl>
            }
            <p>{step.explain.clone()}</p>
            if let Some(address) = &ran.address {
                <p class="learn-links">
                    <a href={format!("./{address}")} data-testid={format!("watch-{i}")}>{"Watch this run in the visualizer"}</a>
                    {" · "}
                    <a href={format!("embed.html{address}")}>{"Open it in the embed view (for a course page)"}</a>
                </p>
            }
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_reads_back_and_damage_is_no_progress() {
        let mut p = Progress::new();
        p.insert("littles-law".into(), 1);
        let json = serde_json::to_string(&p).expect("json");
        assert_eq!(read_progress(Some(&json)), p);
        for bad in [None, Some(""), Some("[1,2]"), Some("{\"x\": -1}"), Some("not json")] {
            assert_eq!(read_progress(bad), Progress::new(), "{bad:?}");
        }
    }
}
