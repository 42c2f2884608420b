//! The acquire-time chart: how long requests waited for a connection
//! (`hikaricp_connections_acquire_seconds`), p99 as the main line with p50 and max as thin
//! lines, on a symmetric-log axis so a 30 s timeout plateau does not flatten a 2 ms wait.
//!
//! A second in which no request got a connection has no acquire time: it is a gap in the
//! lines, never a 0 ms point (that would read as "instant" exactly when nothing works).

use plotters::coord::Shift;
use plotters::prelude::*;
use poolsim_engine::Sample;

use crate::axis::{ValueAxis, format_ms};
use crate::frame::{Frame, draw_gapped, draw_time_chart};
use crate::legend::{LegendItem, Swatch};
use crate::{ChartInput, Theme};

/// Draw the acquire-time chart filling `area`. Decimate its samples with
/// [`Reduce::WorstWait`](crate::decimate::Reduce::WorstWait).
pub fn draw_acquire<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    input: &ChartInput<'_>,
    theme: &Theme,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let legend = [
        LegendItem { label: "p99", color: theme.wait_p99, swatch: Swatch::Line },
        LegendItem { label: "p50", color: theme.wait_p50, swatch: Swatch::Line },
        LegendItem { label: "max", color: theme.wait_max, swatch: Swatch::Line },
    ];
    let served = || input.samples.iter().filter(|s| s.served > 0);
    let worst = served().map(|s| s.acquire_max_ms.max(s.acquire_p99_ms)).fold(0.0, f64::max);
    let worst_p99 = served().map(|s| s.acquire_p99_ms).fold(f64::NAN, f64::max);
    let headline = Some(if worst_p99.is_nan() {
        "nothing served yet".to_owned()
    } else {
        format!("worst p99 {}", ms_words(worst_p99))
    });
    let frame = Frame { legend: &legend, headline, y: ValueAxis::symlog(worst, format_ms) };
    draw_time_chart(area, input, theme, frame, |chart| {
        // Thin lines first, the p99 on top; a second that served nothing is a gap.
        let starved = |s: &Sample| s.served == 0;
        draw_gapped(
            chart,
            input.samples,
            starved,
            |s| s.acquire_max_ms,
            theme.wait_max.stroke_width(theme.px(1.0)),
        )?;
        draw_gapped(
            chart,
            input.samples,
            starved,
            |s| s.acquire_p50_ms,
            theme.wait_p50.stroke_width(theme.px(1.0)),
        )?;
        draw_gapped(
            chart,
            input.samples,
            starved,
            |s| s.acquire_p99_ms,
            theme.wait_p99.stroke_width(theme.px(2.0)),
        )
    })
}

/// The chart in words, for screen readers: p99 in the last second and the worst p99.
pub fn describe_acquire(samples: &[Sample]) -> String {
    let Some(last) = samples.last() else { return "Acquire time over time: no data yet.".to_owned() };
    let worst = samples.iter().filter(|s| s.served > 0).map(|s| s.acquire_p99_ms).fold(f64::NAN, f64::max);
    let now = if last.served == 0 {
        "no request got a connection in the last second".to_owned()
    } else {
        format!(
            "p99 {} and median {} in the last second",
            ms_words(last.acquire_p99_ms),
            ms_words(last.acquire_p50_ms)
        )
    };
    let so_far = if worst.is_nan() {
        "nothing served so far".to_owned()
    } else {
        format!("worst p99 {} so far", ms_words(worst))
    };
    format!("Acquire time over time: {now}; {so_far}.")
}

/// A duration for reading aloud: always with its unit (`0 ms`, not the axis's bare `0`).
fn ms_words(ms: f64) -> String {
    if ms == 0.0 { "0 ms".to_owned() } else { format_ms(ms) }
}
