//! The connections chart: leaked, active and idle connections stacked under the pool's
//! maximum size, over clock time, with timeline markers — Grafana's HikariCP panel, plus
//! the leaked band only a simulator can draw.

use plotters::coord::Shift;
use plotters::prelude::*;
use poolsim_engine::Sample;

use crate::axis::{ValueAxis, format_count};
use crate::frame::{Frame, draw_time_chart, points};
use crate::legend::{LegendItem, Swatch};
use crate::{ChartInput, Theme};

/// Draw the connections chart filling `area`.
pub fn draw_connections<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    input: &ChartInput<'_>,
    theme: &Theme,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let legend = [
        LegendItem { label: "idle", color: theme.idle, swatch: Swatch::Fill },
        LegendItem { label: "active", color: theme.active, swatch: Swatch::Fill },
        LegendItem { label: "leaked (only the simulator knows)", color: theme.leaked, swatch: Swatch::Fill },
        LegendItem { label: "max (maximumPoolSize)", color: theme.limit, swatch: Swatch::Line },
    ];
    let top =
        input.samples.iter().map(|s| s.gauges.max.max(s.gauges.total + s.gauges.opening)).max().unwrap_or(1);
    let frame = Frame { legend: &legend, headline: None, y: ValueAxis::linear(f64::from(top), format_count) };
    draw_time_chart(area, input, theme, frame, |chart| {
        let count = |f: fn(&Sample) -> u32| points(input.samples, move |s| f64::from(f(s)));
        // Painter's order stacks the bands: in use + idle, then in use, then leaked.
        let bands = [
            (theme.idle, count(|s| s.gauges.active + s.gauges.idle)),
            (theme.active, count(|s| s.gauges.active)),
            (theme.leaked, count(|s| s.gauges.leaked)),
        ];
        for (color, data) in bands {
            chart.draw_series(
                AreaSeries::new(data, 0.0, color.mix(0.85)).border_style(color.stroke_width(1)),
            )?;
        }
        chart
            .draw_series(LineSeries::new(count(|s| s.gauges.max), theme.limit.stroke_width(theme.px(1.5))))?;
        Ok(())
    })
}

/// The chart in words, for screen readers: peak in use and leaked now.
pub fn describe_connections(samples: &[Sample]) -> String {
    let Some(last) = samples.last() else { return "Connections over time: no data yet.".to_owned() };
    let peak = samples.iter().map(|s| s.gauges.active).max().unwrap_or(0);
    format!(
        "Connections over time: at most {peak} in use so far; {} in use, {} idle and {} leaked now, of at most {}.",
        last.gauges.active, last.gauges.idle, last.gauges.leaked, last.gauges.max
    )
}
