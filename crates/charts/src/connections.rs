//! The connections chart: leaked, active and idle connections stacked under the pool's
//! maximum size, over clock time, with timeline markers — Grafana's HikariCP panel, plus
//! the leaked band only a simulator can draw.

use plotters::coord::Shift;
use plotters::prelude::*;

use crate::clock::ClockAxis;
use crate::legend::{LegendItem, Swatch, draw_legend, legend_height};
use crate::marker::draw_markers;
use crate::{ChartInput, Theme};

/// Draw the connections chart filling `area`.
pub fn draw_connections<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    input: &ChartInput<'_>,
    theme: &Theme,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    area.fill(&theme.background)?;
    let (legend_area, area) = area.split_vertically(legend_height(theme));
    let legend = [
        LegendItem { label: "idle", color: theme.idle, swatch: Swatch::Fill },
        LegendItem { label: "active", color: theme.active, swatch: Swatch::Fill },
        LegendItem { label: "leaked (only the simulator knows)", color: theme.leaked, swatch: Swatch::Fill },
        LegendItem { label: "max (maximumPoolSize)", color: theme.limit, swatch: Swatch::Line },
    ];
    draw_legend(&legend_area, &legend, theme)?;
    let top = input.samples.iter().map(|s| s.max.max(s.total + s.opening)).max().unwrap_or(1).max(1);
    let y_max = f64::from(top) * 1.12;
    let label_font = || ("sans-serif", theme.font(12.0)).into_font().color(&theme.text);

    let mut chart = ChartBuilder::on(&area)
        .margin(theme.px(8.0))
        .margin_right(theme.px(16.0))
        .x_label_area_size(theme.px(26.0))
        .y_label_area_size(theme.px(44.0))
        .build_cartesian_2d(
            ClockAxis::new(input.clock_start_s, input.end_s),
            0f64..y_max,
        )?;

    chart
        .configure_mesh()
        .max_light_lines(0)
        .bold_line_style(theme.grid)
        .axis_style(theme.text)
        .y_labels(6)
        .y_label_formatter(&|y: &f64| format!("{y:.0}"))
        .label_style(label_font())
        .draw()?;

    let points = |f: &dyn Fn(&poolsim_engine::Sample) -> u32| -> Vec<(f64, f64)> {
        input.samples.iter().map(|s| (f64::from(s.t_s), f64::from(f(s)))).collect()
    };
    // Painter's order stacks the bands: in use + idle, then in use, then leaked.
    let bands = [
        (theme.idle, points(&|s| s.active + s.idle)),
        (theme.active, points(&|s| s.active)),
        (theme.leaked, points(&|s| s.leaked)),
    ];
    for (color, data) in bands {
        chart.draw_series(AreaSeries::new(data, 0.0, color.mix(0.85)).border_style(color.stroke_width(1)))?;
    }
    chart.draw_series(LineSeries::new(points(&|s| s.max), theme.limit.stroke_width(theme.px(1.5))))?;
    draw_markers(&mut chart, input.markers, y_max, theme)?;
    area.present()
}
