//! The outcome of a finished run: what failed, when the pool ran out, how long it took.

use poolsim_engine::time::format_clock;
use yew::prelude::*;

use crate::run::live::Live;

/// The run's outcome so far, times in the scenario's clock.
pub fn outcome(live: &Live, clock_start_s: u32) -> Html {
    let Ok(player) = &live.player else { return html! {} };
    let s = player.sim().summary();
    let clock = |t: Option<f64>| {
        t.map_or_else(|| "—".to_owned(), |t| format_clock(f64::from(clock_start_s) + t, true))
    };
    let readouts = [
        ("Requests", group_thousands(s.requests), "outcome-requests"),
        ("Served", group_thousands(s.served), "outcome-served"),
        (
            "Failed",
            format!("{} ({:.1} %)", group_thousands(s.failed), s.failed_share * 100.0),
            "outcome-failed",
        ),
        ("Leaked", group_thousands(s.leaked), "outcome-leaked"),
        ("First exhaustion", clock(s.first_exhaustion_s), "outcome-exhaustion"),
        ("First timeout", clock(s.first_timeout_s), "outcome-first-timeout"),
        ("Recovered", clock(s.recovered_s), "outcome-recovered"),
        ("Mean wait", format!("{:.1} ms", s.mean_wait_ms), "outcome-mean-wait"),
        ("Wait p99", format!("{:.1} ms", s.p99_wait_ms), "outcome-p99"),
    ];
    html! {
        <dl class="readouts">
            { for readouts.into_iter().map(|(label, value, id)| html! {
                <div class="readout">
                    <dt>{label}</dt>
                    <dd data-testid={id}>{value}</dd>
                </div>
            }) }
        </dl>
    }
}

/// `1234567` → `1,234,567` (the engine's, so the page and the exports agree).
pub use poolsim_content::export::group_thousands;

/// `2_700_000` → `2.7 M`; `12_300` → `12.3 k`.
pub fn compact_count(n: u64) -> String {
    match n {
        0..1_000 => n.to_string(),
        1_000..1_000_000 => format!("{:.1} k", n as f64 / 1e3),
        _ => format!("{:.1} M", n as f64 / 1e6),
    }
}

/// `18000` → `5 h 00 m`; `90` → `1 m 30 s`.
pub fn duration_text(seconds: f64) -> String {
    let total = seconds.max(0.0).round() as u64;
    let (h, m, s) = (total / 3600, (total / 60) % 60, total % 60);
    if h > 0 { format!("{h} h {m:02} m") } else { format!("{m} m {s:02} s") }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_as_engineers_write_them() {
        assert_eq!(group_thousands(0), "0");
        assert_eq!(group_thousands(1_234_567), "1,234,567");
        assert_eq!(group_thousands(100), "100");
        assert_eq!(compact_count(2_700_000), "2.7 M");
        assert_eq!(compact_count(12_300), "12.3 k");
        assert_eq!(duration_text(18_000.0), "5 h 00 m");
        assert_eq!(duration_text(90.0), "1 m 30 s");
    }
}
