//! The timeouts chart: acquire timeouts per second (the rate of
//! `hikaricp_connections_timeout_total`) with the other failures (restarts, reclaimed
//! holders, downtime) stacked on top, over clock time.

use plotters::coord::Shift;
use plotters::prelude::*;
use poolsim_engine::Sample;

use crate::axis::{ValueAxis, format_count};
use crate::frame::{Frame, draw_time_chart, points};
use crate::legend::{LegendItem, Swatch};
use crate::{ChartInput, Theme};

/// Draw the timeouts chart filling `area`. Decimate its samples with
/// [`Reduce::MostFailures`](crate::decimate::Reduce::MostFailures).
pub fn draw_timeouts<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    input: &ChartInput<'_>,
    theme: &Theme,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let legend = [
        LegendItem { label: "timeouts/s", color: theme.failure, swatch: Swatch::Fill },
        LegendItem {
            label: "other failures/s (restart, reclaim)",
            color: theme.other_failure,
            swatch: Swatch::Fill,
        },
    ];
    let all_failures = |s: &Sample| s.failed.max(s.timeouts);
    let peak = input.samples.iter().map(all_failures).max().unwrap_or(0);
    let peak_timeouts = input.samples.iter().map(|s| s.timeouts).max().unwrap_or(0);
    let headline =
        Some(if peak == 0 { "no failures".to_owned() } else { format!("peak {peak_timeouts} timeouts/s") });
    let frame = Frame { legend: &legend, headline, y: ValueAxis::linear(f64::from(peak), format_count) };
    draw_time_chart(area, input, theme, frame, |chart| {
        // Stacked: all failures behind, timeouts in front; what shows above them is the rest.
        let stack = [
            (theme.other_failure, points(input.samples, |s| f64::from(all_failures(s)))),
            (theme.failure, points(input.samples, |s| f64::from(s.timeouts))),
        ];
        for (color, data) in stack {
            chart.draw_series(
                AreaSeries::new(data, 0.0, color.mix(0.85)).border_style(color.stroke_width(1)),
            )?;
        }
        Ok(())
    })
}

/// The chart in words, for screen readers: the last second and the peak.
pub fn describe_timeouts(samples: &[Sample]) -> String {
    let Some(last) = samples.last() else { return "Timeouts per second: no data yet.".to_owned() };
    let peak = samples.iter().map(|s| s.timeouts).max().unwrap_or(0);
    let other = last.failed.saturating_sub(last.timeouts);
    format!(
        "Timeouts per second: {} timeouts and {other} other failures in the last second; at most {peak} timeouts in one second so far.",
        last.timeouts
    )
}
