//! The frame every time-series chart shares: background, legend row (with an optional
//! headline figure on the right), clock-time x axis over `0..end_s`, a [`ValueAxis`] y axis,
//! the grid, and the timeline markers drawn over the series. A chart supplies only its
//! legend, its y axis and a closure that draws its series.

use plotters::coord::Shift;
use plotters::prelude::*;

use crate::axis::ValueAxis;
use crate::clock::ClockAxis;
use crate::decimate::PerSecond;
use crate::legend::{LegendItem, draw_legend, layout_legend};
use crate::marker::draw_markers;
use crate::{ChartInput, Theme};

/// The chart context the series closures draw on: clock time [s from the start] × values.
pub type TimeChart<'a, DB> = ChartContext<'a, DB, Cartesian2d<ClockAxis, ValueAxis>>;

/// Margin around the plot [CSS px].
const MARGIN_CSS: f64 = 8.0;
/// Width of the y labels [CSS px] ("100 ms", "12k").
const Y_LABELS_CSS: f64 = 50.0;

/// What a chart puts in the shared frame.
#[derive(Debug)]
pub struct Frame<'a> {
    /// The legend row, left to right.
    pub legend: &'a [LegendItem<'a>],
    /// A figure worth reading at a glance, right of the legend ("peak 37 waiting").
    pub headline: Option<String>,
    /// The y axis.
    pub y: ValueAxis,
}

/// Fill `area` with a chart: the shared frame from `frame`, the series drawn by `series`,
/// then `input.markers` on top. The caller presents the drawing area when done.
pub fn draw_time_chart<DB, F>(
    area: &DrawingArea<DB, Shift>,
    input: &ChartInput<'_>,
    theme: &Theme,
    frame: Frame<'_>,
    series: F,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>>
where
    DB: DrawingBackend,
    F: FnOnce(&mut TimeChart<'_, DB>) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>>,
{
    // The frame is drawn by one function for every chart (not one copy per series closure:
    // the page's download), which calls the series once.
    let mut series = Some(series);
    draw_frame(area, input, theme, frame, &mut |chart| series.take().map_or(Ok(()), |draw| draw(chart)))
}

/// What drawing on a `DB` backend returns.
type Drawn<DB> = Result<(), DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>>;

/// [`draw_time_chart`] with its series behind a reference.
fn draw_frame<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    input: &ChartInput<'_>,
    theme: &Theme,
    frame: Frame<'_>,
    series: &mut dyn FnMut(&mut TimeChart<'_, DB>) -> Drawn<DB>,
) -> Drawn<DB> {
    area.fill(&theme.background)?;
    let legend =
        layout_legend(area, frame.legend, frame.headline.as_deref(), MARGIN_CSS + Y_LABELS_CSS, theme)?;
    let (legend_area, plot_area) = area.split_vertically(legend.height(theme));
    draw_legend(&legend_area, &legend, theme)?;
    let mut chart = ChartBuilder::on(&plot_area)
        .margin(theme.px(MARGIN_CSS))
        .margin_right(theme.px(16.0))
        .x_label_area_size(theme.px(26.0))
        .y_label_area_size(theme.px(Y_LABELS_CSS))
        .build_cartesian_2d(ClockAxis::new(input.clock_start_s, input.end_s), frame.y)?;
    chart
        .configure_mesh()
        .max_light_lines(0)
        .bold_line_style(theme.grid)
        .axis_style(theme.text)
        .label_style(theme.font(12.0).color(&theme.text))
        .draw()?;
    series(&mut chart)?;
    // No `present()` here: the caller owns the document (the dashboard draws every chart
    // on one SVG, and presenting an SVG backend closes it).
    draw_markers(&chart, input.markers, theme)
}

/// `(t_s, value)` points for one series of `samples` (the pool's or the database's).
pub fn points<T: PerSecond>(samples: &[T], value: impl Fn(&T) -> f64) -> Vec<(f64, f64)> {
    samples.iter().map(|s| (f64::from(s.t_s()), value(s))).collect()
}

/// One line per run of consecutive seconds with a value (not `gap`); a lone second is a
/// dot. A second without a value (nothing served, no query finished) is a gap, never a 0.
pub fn draw_gapped<DB: DrawingBackend, T: PerSecond>(
    chart: &mut TimeChart<'_, DB>,
    samples: &[T],
    gap: fn(&T) -> bool,
    value: fn(&T) -> f64,
    style: ShapeStyle,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    for run in samples.split(gap).filter(|run| !run.is_empty()) {
        let line = points(run, value);
        if let [point] = line.as_slice() {
            chart.draw_series(std::iter::once(Circle::new(
                *point,
                style.stroke_width.max(2),
                style.filled(),
            )))?;
        } else {
            chart.draw_series(LineSeries::new(line, style))?;
        }
    }
    Ok(())
}
