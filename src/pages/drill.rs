//! A diagnosis drill on the learn page: a mystery incident shown only as a real
//! dashboard and log show it — leaked connections count as active, and the log holds the
//! pool's own lines, never the timeline's; with a database behind the pool, its own
//! graphs too (queries running, query time, CPU) — then the learner picks a cause and a
//! fix and sees the answer with the hidden truth.

use std::rc::Rc;

use poolsim_content::lessons::drills::{Cause, Drill, Fix};
use poolsim_engine::time::format_clock;
use poolsim_engine::{DatabaseSample, LogKind, Sample, Simulation, Summary};
use web_sys::HtmlSelectElement;
use yew::prelude::*;

use poolsim_content::words::{count, millis};

/// A drill's run, as the page shows it.
#[derive(Debug, PartialEq)]
struct Incident {
    /// One row a minute: what a dashboard plots.
    minutes: Vec<Minute>,
    /// The pool's log lines (timeouts and the like), newest last; the timeline's own
    /// lines are left out (they would name the cause).
    log: Vec<String>,
    /// The outcome, for the reveal.
    summary: Summary,
}

/// A minute of dashboard.
#[derive(Debug, PartialEq)]
struct Minute {
    at_s: u32,
    active: u32,
    idle: u32,
    pending: u32,
    arrivals_per_s: f64,
    served_per_s: f64,
    timeouts: u32,
    acquire_p99_ms: Option<f64>,
    /// The database's minute, when the drill has one.
    database: Option<DatabaseMinute>,
}

/// A minute of the database's dashboard (`pg_stat_activity` and the host's CPU).
#[derive(Debug, PartialEq)]
struct DatabaseMinute {
    /// Queries running at the end of the minute.
    running: u32,
    /// Mean query time over the minute [ms]; `None` when none finished.
    query_ms: Option<f64>,
    /// Share of the cores busy over the minute, 0–1.
    cpu: f64,
}

/// Run `drill` to its end and read it as a dashboard would.
fn incident(drill: &Drill) -> Option<Incident> {
    let mut sim = Simulation::new(&drill.scenario).ok()?;
    sim.run_to_end();
    // One database sample beside each pool sample, when the drill has a database.
    let mut database = sim.database_samples().chunks(60).map(database_minute);
    let minutes =
        sim.samples().chunks(60).map(|s| Minute { database: database.next(), ..minute(s) }).collect();
    let clock_start = f64::from(drill.scenario.clock_start.seconds_of_day());
    let log = sim
        .log()
        .filter(|e| e.kind != LogKind::Action)
        .map(|e| format!("{} {}", format_clock(clock_start + e.t_us.as_secs_f64(), true), e.message))
        .collect::<Vec<_>>();
    let log = log[log.len().saturating_sub(8)..].to_vec();
    Some(Incident { minutes, log, summary: sim.summary() })
}

/// A minute of samples as one dashboard row (`active` counts leaked connections, as a
/// real dashboard does; the acquire time is over the requests served).
fn minute(samples: &[Sample]) -> Minute {
    let n = samples.len().max(1) as f64;
    let last = samples.last().copied().unwrap_or_default();
    Minute {
        at_s: samples.first().map_or(0, |s| s.t_s),
        active: last.gauges.active,
        idle: last.gauges.idle,
        pending: last.gauges.pending,
        arrivals_per_s: samples.iter().map(|s| f64::from(s.arrivals)).sum::<f64>() / n,
        served_per_s: samples.iter().map(|s| f64::from(s.served)).sum::<f64>() / n,
        timeouts: samples.iter().map(|s| s.timeouts).sum(),
        acquire_p99_ms: samples.iter().filter(|s| s.served > 0).map(|s| s.acquire_p99_ms).reduce(f64::max),
        database: None,
    }
}

/// A minute of database samples as one dashboard row: queries running at its end, their
/// mean time over it (weighted by the queries finished each second), the cores' busy share.
fn database_minute(samples: &[DatabaseSample]) -> DatabaseMinute {
    let queries: u32 = samples.iter().map(|s| s.queries).sum();
    let query_ms = (queries > 0)
        .then(|| samples.iter().map(|s| s.query_ms * f64::from(s.queries)).sum::<f64>() / f64::from(queries));
    DatabaseMinute {
        running: samples.last().map_or(0, |s| s.running),
        query_ms,
        cpu: samples.iter().map(|s| s.utilisation).sum::<f64>() / samples.len().max(1) as f64,
    }
}

/// Properties of [`DrillView`].
#[derive(Debug, Properties, PartialEq)]
pub struct DrillViewProps {
    /// The drill.
    pub drill: Rc<Drill>,
}

/// The mystery, the diagnosis form, and the answer once given.
#[component]
pub fn DrillView(props: &DrillViewProps) -> Html {
    let drill = &props.drill;
    let incident = use_memo(drill.clone(), |d| incident(d));
    let answer = use_state(|| None::<(Cause, Fix)>);
    let cause = use_mut_ref(|| Cause::ALL[0]);
    let fix = use_mut_ref(|| Fix::ALL[0]);
    // The pickers show what will be judged: each option says whether it is the one chosen.
    let (chosen_cause, chosen_fix) = (*cause.borrow(), *fix.borrow());
    let on_cause = {
        let cause = cause.clone();
        Callback::from(move |e: Event| {
            if let Some(s) = e.target_dyn_into::<HtmlSelectElement>() {
                *cause.borrow_mut() = Cause::ALL[s.selected_index().max(0) as usize % Cause::ALL.len()];
            }
        })
    };
    let on_fix = {
        let fix = fix.clone();
        Callback::from(move |e: Event| {
            if let Some(s) = e.target_dyn_into::<HtmlSelectElement>() {
                *fix.borrow_mut() = Fix::ALL[s.selected_index().max(0) as usize % Fix::ALL.len()];
            }
        })
    };
    let onsubmit = {
        let answer = answer.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            answer.set(Some((*cause.borrow(), *fix.borrow())));
        })
    };
    let clock_start = f64::from(drill.scenario.clock_start.seconds_of_day());
    let Some(incident) = incident.as_ref() else {
        return html! { <p class="status error" role="alert">{"This drill cannot run."}</p> };
    };
    let with_database = drill.scenario.database.is_some();
    html! {
        <article class="region learn-lesson" aria-labelledby="h-drill" data-testid="drill">
            <h2 id="h-drill">{&drill.title}</h2>
            <p class="learn-intro">{&drill.briefing}</p>
            <div class="drill-table-wrap" role="region" aria-labelledby="drill-dashboard-caption" tabindex="0">
                <table class="drill-table" data-testid="drill-dashboard">
                    <caption id="drill-dashboard-caption">{"The dashboard, a row a minute (hikaricp_connections_*)"}</caption>
                    <thead><tr>
                        <th scope="col">{"time"}</th><th scope="col">{"active"}</th><th scope="col">{"idle"}</th>
                        <th scope="col">{"pending"}</th><th scope="col">{"arrivals/s"}</th><th scope="col">{"served/s"}</th>
                        <th scope="col">{"timeouts"}</th><th scope="col">{"acquire p99"}</th>
                        if with_database {
                            <th scope="col">{"db queries running"}</th><th scope="col">{"db query time"}</th>
                            <th scope="col">{"db CPU"}</th>
                        }
                    </tr></thead>
                    <tbody>
                        { for incident.minutes.iter().map(|m| html! {
                            <tr>
                                <th scope="row">{format_clock(clock_start + f64::from(m.at_s), false)}</th>
                                <td>{m.active}</td><td>{m.idle}</td><td>{m.pending}</td>
                                <td>{format!("{:.0}", m.arrivals_per_s)}</td><td>{format!("{:.0}", m.served_per_s)}</td>
                                <td>{count(u64::from(m.timeouts))}</td><td>{m.acquire_p99_ms.map_or("—".to_owned(), |ms| format!("{ms:.0} ms"))}</td>
                                if let Some(db) = &m.database {
                                    <td>{db.running}</td><td>{db.query_ms.map_or("—".to_owned(), millis)}</td>
                                    <td>{format!("{:.0} %", db.cpu * 100.0)}</td>
                                }
                            </tr>
                        }) }
                    </tbody>
                </table>
            </div>
            <h3>{"The log (last lines)"}</h3>
            <ol class="drill-log" data-testid="drill-log">
                { for incident.log.iter().map(|line| html! { <li><code>{line}</code></li> }) }
            </ol>
            <form class="learn-predict drill-form" {onsubmit}>
                <label for="drill-cause">{"What went wrong?"}</label>
                <select id="drill-cause" data-testid="drill-cause" onchange={on_cause}>
                    { for Cause::ALL.iter().map(|c| html! { <option selected={*c == chosen_cause}>{c.label()}</option> }) }
                </select>
                <label for="drill-fix">{"What would you do?"}</label>
                <select id="drill-fix" data-testid="drill-fix" onchange={on_fix}>
                    { for Fix::ALL.iter().map(|f| html! { <option selected={*f == chosen_fix}>{f.label()}</option> }) }
                </select>
                <span><button type="submit" class="button primary" data-testid="drill-submit">{"Diagnose"}</button></span>
            </form>
            if let Some((c, f)) = *answer {
                { reveal(drill, incident, c, f) }
            }
        </article>
    }
}

/// The verdict and the hidden truth.
fn reveal(drill: &Drill, incident: &Incident, cause: Cause, fix: Fix) -> Html {
    let judged = drill.judge(cause, fix);
    let mark = |right: bool| if right { "✓" } else { "✗" };
    let s = &incident.summary;
    html! {
        <div class="learn-outcome" role="status" data-testid="drill-answer">
            <p class="learn-verdict" data-testid="drill-verdict">
                {format!("{} Cause: {}. {} Fix: {}.", mark(judged.cause_right), drill.cause.label(),
                    mark(judged.fix_right), drill.fix.label())}
            </p>
            <p>{&drill.explain}</p>
            <p data-testid="drill-truth">
                {format!("What only the simulator could see: {} connections leaked; {} of {} requests failed ({:.1} %).",
                    count(s.counts.leaked), count(s.counts.failed), count(s.requests), s.counts.failed_share * 100.0)}
                if let Some(db) = &s.database {
                    {format!(" A query took {} in the database on average, {:.0} times its time alone; at most {} ran at once.",
                        millis(db.mean_query_ms), db.mean_stretch, count(u64::from(db.peak_running)))}
                }
            </p>
        </div>
    }
}
