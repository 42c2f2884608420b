//! The throughput chart: requests arriving and requests served per second, two lines over
//! clock time. Served is `rate(hikaricp_connections_acquire_seconds_count)`; arrivals only
//! the simulator knows (a real pool never sees the requests that gave up before asking).
//! Where the lines part, requests are waiting or failing.

use plotters::coord::Shift;
use plotters::prelude::*;
use poolsim_engine::Sample;

use crate::axis::{ValueAxis, format_count};
use crate::frame::{Frame, draw_time_chart, points};
use crate::legend::{LegendItem, Swatch};
use crate::{ChartInput, Theme};

/// Draw the throughput chart filling `area`. Decimate its samples with
/// [`Reduce::MeanRates`](crate::decimate::Reduce::MeanRates).
pub fn draw_throughput<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    input: &ChartInput<'_>,
    theme: &Theme,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let legend = [
        LegendItem { label: "served/s", color: theme.served, swatch: Swatch::Line },
        LegendItem {
            label: "arrivals/s (only the simulator knows)",
            color: theme.arrivals,
            swatch: Swatch::Line,
        },
    ];
    let peak = input.samples.iter().map(|s| s.arrivals.max(s.served)).max().unwrap_or(0);
    let frame =
        Frame { legend: &legend, headline: None, y: ValueAxis::linear(f64::from(peak), format_count) };
    draw_time_chart(area, input, theme, frame, |chart| {
        let served = points(input.samples, |s| f64::from(s.served));
        chart.draw_series(LineSeries::new(served, theme.served.stroke_width(theme.px(2.0))))?;
        // Dashed on top, so both read where they coincide (a healthy pool serves every arrival).
        let arrivals = points(input.samples, |s| f64::from(s.arrivals));
        let style = theme.arrivals.stroke_width(theme.px(1.5));
        chart.draw_series(DashedLineSeries::new(arrivals, theme.px(6.0), theme.px(4.0), style))?;
        Ok(())
    })
}

/// The chart in words, for screen readers: the last second and the share served so far.
pub fn describe_throughput(samples: &[Sample]) -> String {
    let Some(last) = samples.last() else { return "Throughput per second: no data yet.".to_owned() };
    let arrived: u64 = samples.iter().map(|s| u64::from(s.arrivals)).sum();
    let served: u64 = samples.iter().map(|s| u64::from(s.served)).sum();
    let share = if arrived == 0 {
        "no arrivals so far".to_owned()
    } else {
        format!(
            "{} % of arrivals served so far",
            poolsim_content::words::short_number(served as f64 * 100.0 / arrived as f64)
        )
    };
    format!(
        "Throughput per second: {} arrived and {} served in the last second; {share}.",
        last.arrivals, last.served
    )
}
