//! The moment of exhaustion, and the analytic companions that predict it: the time a leak
//! leaves before the pool runs out, Little's law's expected active connections and, with a
//! database, its arithmetic ([`poolsim_content::words::database`]).

use poolsim_engine::analytic::{littles_law_active, time_to_exhaustion_s};
use poolsim_engine::time::format_clock;
use poolsim_engine::{Scenario, Settings, Simulation, Summary};
use yew::prelude::*;

use crate::run::fleet::{first_exhausted, fleet_of};
use crate::run::live::Live;

/// A banner once the pool has run out; before that, the analytic estimates. First, the
/// page's polite live region.
pub fn exhaustion(live: &Live, clock_start_s: u32) -> Html {
    let Ok(player) = &live.player else { return html! {} };
    let sim = player.sim();
    let summary = sim.summary();
    html! {
        <>
            { announcement(live, sim, &summary, clock_start_s) }
            { banner(sim, &summary, |t| format_clock(f64::from(clock_start_s) + t, true)) }
        </>
    }
}

/// The page's one polite live region, visually hidden: the latest of what matters, said
/// once — the pool ran out (and when), an alert fired, an action or fix took effect (the
/// log's line), the pool recovered. Exhaustion, alerts and recovery come from the run's
/// summary and firings, not the log, whose floods can drop lines between two renders at a
/// high speed. The words change with these events only, never with each frame, so a
/// screen reader says each once.
pub fn announcement(live: &Live, sim: &Simulation, summary: &Summary, clock_start_s: u32) -> Html {
    let m = &summary.milestones;
    let (alert, action) = (sim.alert_firings().last(), live.log().last_action());
    let mut said = (-1.0, String::new());
    // The latest that happened; on a tie, the later in this list.
    for (t, what, name) in [
        (m.first_exhaustion_s, "the pool ran out, every connection in use.", ""),
        (alert.map(|a| a.at_s), "alert fired: ", alert.map_or("", |a| &a.name)),
        (action.map(|(t, _)| t.as_secs_f64()), action.map_or("", |(_, line)| line), ""),
        (m.recovered_s, "the last request failed; the pool has recovered.", ""),
    ] {
        if let Some(t) = t.filter(|&t| t >= said.0) {
            said = (t, format!("At {}: {what}{name}", format_clock(f64::from(clock_start_s) + t, true)));
        }
    }
    let said = said.1;
    html! { <p class="visually-hidden" aria-live="polite" data-testid="announcement">{said}</p> }
}

/// The banner: the moment the pool ran out (or the estimate of when it will), and the
/// analytic companions.
fn banner(sim: &Simulation, summary: &Summary, clock: impl Fn(f64) -> String) -> Html {
    let settings = sim.current();
    let gauges = sim.gauges();
    let samples = sim.samples();

    // Little's law over the last minute: expected busy connections = λ × mean hold.
    let expected = littles_law_active(settings.rate_per_s, settings.hold_ms);
    let recent = &samples[samples.len().saturating_sub(60)..];
    let observed = if recent.is_empty() {
        None
    } else {
        let busy: u64 =
            recent.iter().map(|s| u64::from(s.gauges.active - s.gauges.leaked.min(s.gauges.active))).sum();
        Some(busy as f64 / recent.len() as f64)
    };
    let littles = html! {
        <p class="analytic" data-testid="littles-law">
            {format!(
                "Little's law: expected active ≈ {:.0} req/s × {} ms = {expected:.1}",
                settings.rate_per_s, settings.hold_ms
            )}
            { observed.map(|o| format!("; observed {o:.1} (last minute, leaked excluded)")).unwrap_or_default() }
        </p>
    };
    // With a database, what theory says of it, for the settings in force.
    let database = poolsim_content::words::database::companions(
        sim.scenario(),
        settings.max_size,
        settings.rate_per_s,
        settings.hold_ms,
    );
    let littles = html! {
        <>
            { littles }
            if !database.is_empty() {
                <ul class="analytic analytic-list" data-testid="database-companions">
                    { for database.into_iter().map(|line| html! { <li>{line}</li> }) }
                </ul>
            }
        </>
    };

    if let Some(t) = summary.milestones.first_exhaustion_s {
        // The pool's size when it ran out (a later resize must not rewrite history). In a
        // fleet, the first instance to run out's: its size now (the samples are the sums).
        let first = first_exhausted(summary);
        let size_then = match first {
            Some(i) => i.max_size,
            None => samples.get(t as usize).map_or(gauges.max, |s| s.gauges.max),
        };
        let (which, of_fleet) = match (first, fleet_of(sim)) {
            (Some(i), Some(fleet)) => (
                format!("{}'s pool", poolsim_content::words::instance(i.instance)),
                format!(", the first of the {fleet}"),
            ),
            _ => ("Pool".to_owned(), String::new()),
        };
        let healthy_now = gauges.pending == 0 && samples.last().is_none_or(|s| s.failed == 0);
        let (class, after) = match summary.milestones.recovered_s {
            Some(r) if healthy_now => {
                // A pool that refuses instead of letting requests wait turned them away.
                let how = if summary.counts.timed_out == 0 && summary.refused > 0 {
                    "and new requests were refused"
                } else {
                    "with requests waiting"
                };
                let after = format!(
                    " — all {size_then} connections were in use {how}. Requests failed until {}.",
                    clock(r)
                );
                ("banner exhausted recovered", after)
            }
            _ => ("banner exhausted", format!(" — {}", what_now(size_then, &settings, sim.scenario()))),
        };
        return html! {
            <>
                <div class={class} data-testid="exhaustion-banner">
                    <strong>{format!("{which} exhausted at ")}<time data-testid="exhaustion">{clock(t)}</time>{of_fleet}</strong>
                    <span>{after}</span>
                </div>
                { littles }
            </>
        };
    }
    let estimate = (settings.leak_probability > 0.0)
        .then(|| {
            // Connections already leaked are gone: the estimate runs on what is left.
            let left = gauges.max.saturating_sub(gauges.leaked);
            time_to_exhaustion_s(left, settings.rate_per_s, settings.hold_ms, settings.leak_probability)
        })
        .flatten();
    html! {
        <>
            if let Some(seconds) = estimate {
                <div class="banner warning" data-testid="exhaustion-estimate">
                    {format!("At this leak rate the pool runs out in ~{}", poolsim_content::words::approx_duration(seconds))}
                    <span class="formula">{" (T ≈ (N − λ·hold) / (λ·p))"}</span>
                </div>
            }
            { littles }
        </>
    }
}

/// What an exhausted pool does to each new request, in the pool's own terms: wait up to the
/// acquire timeout, wait for ever (no timeout), or be refused at once (`max_waiting`).
fn what_now(size: u32, settings: &Settings, scenario: &Scenario) -> String {
    let waits = match settings.connection_timeout_ms {
        0 => "waits for a connection as long as it takes (no timeout)".to_owned(),
        ms => format!("waits up to {:.0} s for a connection, then fails", ms as f64 / 1000.0),
    };
    match scenario.pool.max_waiting {
        Some(0) => format!("all {size} connections in use: each new request is refused at once."),
        Some(most) => format!(
            "all {size} connections in use: each new request {waits}, or is refused at once when {most} already wait."
        ),
        None => format!("all {size} connections in use and requests waiting: each new request {waits}."),
    }
}

#[cfg(test)]
mod tests {
    use super::what_now;
    use poolsim_content::presets;
    use poolsim_engine::Simulation;

    /// The banner says what each pool does once it is full, in its own terms.
    #[test]
    fn an_exhausted_pool_says_what_a_new_request_meets() {
        let says = |name: &str| {
            let scenario = presets::load(name).expect("preset");
            let sim = Simulation::new(&scenario).expect("runs");
            what_now(100, &sim.current(), &scenario)
        };
        assert!(
            says("june-15-2024").ends_with("each new request waits up to 30 s for a connection, then fails.")
        );
        assert!(
            says("go-no-deadline").contains("as long as it takes (no timeout)"),
            "{}",
            says("go-no-deadline")
        );
        assert!(says("go-database-sql").ends_with("each new request is refused at once."));
        assert!(
            says("pgbouncer-session").contains("or is refused at once when"),
            "{}",
            says("pgbouncer-session")
        );
    }
}
