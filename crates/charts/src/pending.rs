//! The pending chart: requests waiting for a connection (`hikaricp_connections_pending`),
//! a filled area over clock time, with the run's peak as the headline.

use plotters::coord::Shift;
use plotters::prelude::*;
use poolsim_engine::Sample;

use crate::axis::{ValueAxis, format_count};
use crate::frame::{Frame, draw_time_chart, points};
use crate::legend::{LegendItem, Swatch};
use crate::{ChartInput, Theme};

/// Draw the pending chart filling `area`. Decimate its samples with
/// [`Reduce::MostPending`](crate::decimate::Reduce::MostPending) so the peak survives.
pub fn draw_pending<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    input: &ChartInput<'_>,
    theme: &Theme,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let legend = [LegendItem {
        label: "requests waiting for a connection",
        color: theme.pending,
        swatch: Swatch::Fill,
    }];
    let peak = input.samples.iter().map(|s| s.gauges.pending).max().unwrap_or(0);
    let headline =
        Some(if peak == 0 { "no request waited".to_owned() } else { format!("peak {peak} waiting") });
    let frame = Frame { legend: &legend, headline, y: ValueAxis::linear(f64::from(peak), format_count) };
    draw_time_chart(area, input, theme, frame, |chart| {
        let data = points(input.samples, |s| f64::from(s.gauges.pending));
        let color = theme.pending;
        chart.draw_series(
            AreaSeries::new(data, 0.0, color.mix(0.85)).border_style(color.stroke_width(theme.px(1.0))),
        )?;
        Ok(())
    })
}

/// The chart in words, for screen readers: waiting now and the peak.
pub fn describe_pending(samples: &[Sample]) -> String {
    let Some(last) = samples.last() else { return "Requests waiting over time: no data yet.".to_owned() };
    let peak = samples.iter().map(|s| s.gauges.pending).max().unwrap_or(0);
    format!("Requests waiting over time: {} waiting now; at most {peak} so far.", last.gauges.pending)
}
