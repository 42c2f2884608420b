//! The event log: HikariCP-style lines with simulated timestamps, newest first, floods
//! folded into one row with a count; in a fleet, each line's instance (`app-3`). The list
//! scrolls, so it takes the keyboard's focus (`tabindex`) and then its arrow keys (the
//! visualizer's playback keys leave them to it); what matters in it is announced by the
//! page's live region instead (`aria-live="off"` here: a storm of lines would drown it).

use poolsim_engine::time::format_clock;
use poolsim_engine::{LogLevel, SimTime};
use yew::prelude::*;

use crate::run::live::Live;
use poolsim_content::words::{count, instance};

/// Rows shown at once.
const SHOWN: usize = 60;

/// The newest log rows.
pub fn log_view(live: &Live, clock_start_s: u32) -> Html {
    let clock = |t: SimTime| format_clock(f64::from(clock_start_s) + t.as_secs_f64(), true);
    let rows = live.log().rows().rev().take(SHOWN).map(|row| {
        // The label written out in capitals, not `to_uppercase`d: that links Unicode's case
        // tables (12 KB gzip).
        let (level, label) = match row.level {
            LogLevel::Info => ("info", "INFO"),
            LogLevel::Warn => ("warn", "WARN"),
            LogLevel::Error => ("error", "ERROR"),
        };
        let folded = (row.count > 1).then(|| {
            let span_s = (row.last - row.t).as_secs_f64().max(1.0);
            format!("× {} in {span_s:.0} s", count(row.count))
        });
        html! {
            <li class={classes!("log-line", format!("level-{level}"))}>
                <time>{clock(row.t)}</time>
                <span class="log-level">{label}</span>
                if let Some(n) = row.instance { <span class="log-instance">{instance(n)}</span> }
                <span class="log-message">{&row.message}</span>
                if let Some(folded) = folded { <span class="log-count">{folded}</span> }
            </li>
        }
    });
    html! {
        <>
            <ol class="log" data-testid="log" aria-live="off" tabindex="0">{ for rows }</ol>
            if live.log().missed() > 0 {
                <p class="log-missed">{format!("{} older lines not shown", count(live.log().missed()))}</p>
            }
        </>
    }
}
