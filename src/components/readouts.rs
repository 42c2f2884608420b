//! Live readouts: the pool's gauges now, named as in Grafana, and the scenario's clock. In
//! a fleet, the sums over every instance, and they say so.

use poolsim_engine::time::format_clock;
use yew::prelude::*;

use crate::run::fleet::fleet_of;
use crate::run::live::Live;
use poolsim_content::words::count;

/// The clock and the gauges a dashboard shows, plus the leaked count only a simulator knows.
pub fn readouts(live: &Live, clock_start_s: u32) -> Html {
    let Ok(player) = &live.player else { return html! {} };
    let sim = player.sim();
    let g = sim.gauges();
    let summary = sim.summary();
    // No request got a connection in the last second: there is no acquire time to show.
    let p99 = match sim.samples().last() {
        Some(s) if s.served > 0 => format!("{:.1} ms", s.acquire_p99_ms),
        Some(_) => "— (none served)".to_owned(),
        None => "—".to_owned(),
    };
    let clock = format_clock(f64::from(clock_start_s) + sim.now().as_secs_f64(), true);
    let gauges = [
        ("Total", g.total.to_string(), "hikaricp_connections", "readout-total"),
        ("Active", g.active.to_string(), "hikaricp_connections_active", "readout-active"),
        ("Idle", g.idle.to_string(), "hikaricp_connections_idle", "readout-idle"),
        ("Pending", g.pending.to_string(), "hikaricp_connections_pending", "readout-pending"),
        (
            "Timeouts",
            count(summary.counts.timed_out),
            "hikaricp_connections_timeout_total",
            "readout-timeouts",
        ),
        ("Served", count(summary.counts.served), "requests served", "readout-served"),
        ("Acquire p99", p99, "hikaricp_connections_acquire_seconds", "readout-p99"),
    ];
    html! {
        <div class="live-readouts">
            <p class="clock">
                <span class="clock-label">{"Clock"}</span>
                <time data-testid="clock">{clock}</time>
            </p>
            if let Some(fleet) = fleet_of(sim) {
                <p class="readout-scope" data-testid="readout-scope">{format!("Totals of the {fleet}:")}</p>
            }
            <dl class="readouts gauges">
                { for gauges.into_iter().map(|(label, value, metric, id)| html! {
                    <div class="readout">
                        <dt>{label}</dt>
                        <dd data-testid={id}>{value}</dd>
                        <dd class="metric-name">{metric}</dd>
                    </div>
                }) }
                <div class="readout simulator-only">
                    <dt>{"Leaked"}</dt>
                    <dd data-testid="readout-leaked">{g.leaked}</dd>
                    <dd class="metric-name">{"only the simulator can see this — dashboards count them as active"}</dd>
                </div>
            </dl>
        </div>
    }
}
