//! The outcome of a finished run: what failed, when the pool ran out, how long it took,
//! and with a database behind the pool, where the time went in it and its connections. In
//! a fleet, the fleet's totals, and which instance ran out first.

use poolsim_content::words::{count, instance, percent};
use poolsim_engine::analytic::usable_connections;
use poolsim_engine::time::format_clock;
use yew::prelude::*;

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
