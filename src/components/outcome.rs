//! The outcome of a finished run: what failed, when the pool ran out, how long it took,
//! and with a database behind the pool, where the time went in it and its connections. In
//! a fleet, the fleet's totals, and which instance ran out first. Below it, "How sure?":
//! the same scenario over many seeds ([`OutcomeSpread`]).

use std::rc::Rc;

use poolsim_charts::{Marker, MarkerKind};
use poolsim_content::words::replicate::spread_sentence;
use poolsim_content::words::{Clock, count, instance, percent};
use poolsim_engine::Scenario;
use poolsim_engine::analytic::usable_connections;
use poolsim_engine::replicate::{Metric, Percentiles, Replications};
use poolsim_engine::time::format_clock;
use yew::prelude::*;

use crate::components::runs_progress::runs_progress;
use crate::hooks::use_runs;

use crate::run::fleet::{first_exhausted, fleet_of};
use crate::run::live::Live;

/// The run's outcome so far, times in the scenario's clock.
pub fn outcome(live: &Live, clock_start_s: u32) -> Html {
    let Ok(player) = &live.player else { return html! {} };
    let s = player.sim().summary();
    let clock = |t: Option<f64>| {
        t.map_or_else(|| "—".to_owned(), |t| format_clock(f64::from(clock_start_s) + t, true))
    };
    let first_out = first_exhausted(&s).map(|i| format!(" ({})", instance(i.instance))).unwrap_or_default();
    let mut readouts = vec![
        ("Requests", count(s.requests), "outcome-requests"),
        ("Served", count(s.counts.served), "outcome-served"),
        (
            "Failed",
            format!("{} ({:.1} %)", count(s.counts.failed), s.counts.failed_share * 100.0),
            "outcome-failed",
        ),
        ("Leaked", count(s.counts.leaked), "outcome-leaked"),
        ("First exhaustion", clock(s.milestones.first_exhaustion_s) + &first_out, "outcome-exhaustion"),
        ("First timeout", clock(s.milestones.first_timeout_s), "outcome-first-timeout"),
        ("Recovered", clock(s.milestones.recovered_s), "outcome-recovered"),
        ("Mean wait", format!("{:.1} ms", s.mean_wait_ms), "outcome-mean-wait"),
        ("Wait p99", format!("{:.1} ms", s.p99_wait_ms), "outcome-p99"),
    ];
    if let (Some(db), Some(config)) = (&s.database, &player.sim().scenario().database) {
        let usable = usable_connections(config.max_connections, config.reserved_connections);
        readouts.extend([
            ("Mean query", format!("{:.1} ms", db.mean_query_ms), "outcome-db-query"),
            ("Database busy", percent(db.utilisation), "outcome-db-busy"),
            ("DB connections", format!("{} of {usable}", db.peak_connections), "outcome-db-connections"),
            ("Refused by the DB", count(db.refused_opens), "outcome-db-refused"),
        ]);
    }
    html! {
        <>
            if let Some(fleet) = fleet_of(player.sim()) {
                <p class="readout-scope" data-testid="outcome-scope">{format!("Totals of the {fleet}:")}</p>
            }
            <dl class="readouts">
                { for readouts.into_iter().map(|(label, value, id)| html! {
                    <div class="readout">
                        <dt>{label}</dt>
                        <dd data-testid={id}>{value}</dd>
                    </div>
                }) }
            </dl>
        </>
    }
}

/// Runs the visualizer's "How sure?" makes of its scenario.
pub const SURE_RUNS: u32 = 100;

/// What "How sure?" is for, before its first runs.
const INVITATION: &str = "One run is one draw of chance: run the same scenario with other seeds to see how far it could have gone either way.";

/// Properties of [`OutcomeSpread`].
#[derive(Debug, Properties, PartialEq)]
pub struct OutcomeSpreadProps {
    /// The scenario as the page holds it (the fixes applied so far in its timeline).
    pub scenario: Rc<Scenario>,
    /// The band of when the pool ran out over the runs so far, for the charts; `None`
    /// when there is none (no runs, or the pool never ran out).
    pub on_band: Callback<Option<Marker>>,
}

/// "How sure?" under the outcome: the scenario over [`SURE_RUNS`] seeds in the workers
/// ([`use_runs`], `poolsim replicate`'s seeds and numbers), with its progress and a
/// Stop, then when the pool ran out over them and what share failed, in words
/// ([`spread_sentence`]), and a band on the charts' time axis. Keyed by its scenario: an
/// edit starts afresh.
#[component]
pub fn OutcomeSpread(props: &OutcomeSpreadProps) -> Html {
    let seeds = use_runs::<Replications>();
    let progress = seeds.progress();
    let running = progress.as_ref().is_some_and(|p| !p.finished());
    // One button: Stop while the runs run, else start them afresh.
    let on_click = {
        let (seeds, scenario) = (seeds.clone(), props.scenario.clone());
        Callback::from(move |_: MouseEvent| {
            if running {
                seeds.cancel();
            } else {
                seeds.start_seeds(&scenario, SURE_RUNS);
            }
        })
    };
    // Runs in, runs where the pool ran out and when, and the failed shares.
    let spread = seeds.with_tally(|runs| {
        let out = runs.values(Metric::FirstExhaustionS);
        let n = |len: usize| u32::try_from(len).unwrap_or(u32::MAX);
        (
            n(runs.len()),
            n(out.len()),
            Percentiles::of(&out),
            Percentiles::of(&runs.values(Metric::FailedShare)),
        )
    });
    let band = spread.and_then(|(_, _, out, _)| {
        let out = out?;
        Some(Marker {
            t_s: out.p5,
            label: "90 % of runs ran out here".to_owned(),
            kind: MarkerKind::Range,
            until_s: Some(out.p95),
        })
    });
    {
        let on_band = props.on_band.clone();
        use_effect_with(band, move |band| on_band.emit(band.clone()));
    }
    // The charts lose the band with the runs.
    {
        let on_band = props.on_band.clone();
        use_effect_with((), move |()| move || on_band.emit(None));
    }
    let clock = Clock::new(props.scenario.clock_start, props.scenario.duration_s);
    // The words, and the figures (s from the start, shares) for tests and tools.
    let words = spread.filter(|(runs, ..)| *runs > 0).map(|(runs, ran_out, out, failed)| {
        let figures = |p: Option<Percentiles>| p.map(|p| format!("{} {} {}", p.p5, p.median, p.p95));
        let said = spread_sentence(runs, ran_out, out, failed, &clock);
        (said, figures(out), figures(failed))
    });
    // One paragraph: why the runs stopped, what they say, or what they would.
    let failed = progress.as_ref().and_then(|p| p.failed.clone());
    let alert = failed.is_some().then_some("alert");
    let (said, hook, exhaustion, failed_share) = match (failed, words) {
        (Some(why), _) => (format!("The runs stopped: {why}"), None, None, None),
        (None, Some((said, exhaustion, failed))) => (said, Some("outcome-spread-words"), exhaustion, failed),
        (None, None) => (INVITATION.to_owned(), None, None, None),
    };
    html! {
        <div class="outcome-spread" data-testid="outcome-spread">
            <div class="compare-actions">
                <button type="button" class="button" onclick={on_click}
                    data-testid={if running { "outcome-spread-stop" } else { "outcome-spread-run" }}>
                    { if running { "Stop".to_owned() } else { format!("How sure? Run it {SURE_RUNS} times") } }
                </button>
                { progress.as_ref().map(|p| runs_progress(p, "outcome-spread-progress", "")) }
            </div>
            <p role={alert} data-testid={hook} data-exhaustion-s={exhaustion} data-failed-share={failed_share}>{said}</p>
        </div>
    }
}
