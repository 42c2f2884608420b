//! Charts as SVG text: the command line's `--svg`, exports and native tests. The very same
//! drawing functions draw on the page's canvases.

use plotters::coord::Shift;
use plotters::prelude::*;

use crate::{ChartInput, ChartKind, Theme};

/// Height of the dashboard's heading row [px].
const HEADING_PX: u32 = 40;
/// Height of each chart's title row [px].
const TITLE_PX: u32 = 28;
/// Height of the wide charts (the pool's and the database's connections) [px]; the others
/// are [`SMALL_CHART_PX`].
const WIDE_CHART_PX: u32 = 300;
/// Height of the other charts [px].
const SMALL_CHART_PX: u32 = 220;

/// One chart as a standalone SVG document of `width` × `height` pixels;
/// `input` already decimated (see [`ChartKind::decimated`]).
pub fn chart_svg(
    kind: ChartKind,
    input: &ChartInput<'_>,
    width: u32,
    height: u32,
    dark: bool,
) -> Result<String, String> {
    let theme = theme(dark);
    let mut out = String::new();
    {
        let area = SVGBackend::with_string(&mut out, (width, height)).into_drawing_area();
        kind.draw(&area, input, &theme).and_then(|()| area.present()).map_err(|e| e.to_string())?;
    }
    Ok(out)
}

/// The connections chart as a standalone SVG document of `width` × `height` pixels.
pub fn connections_svg(
    input: &ChartInput<'_>,
    width: u32,
    height: u32,
    dark: bool,
) -> Result<String, String> {
    chart_svg(ChartKind::Connections, input, width, height, dark)
}

/// Height of the dashboard [px] (its width is the caller's) of the charts `input` shows
/// ([`ChartInput::shown`]).
pub fn dashboard_height(input: &ChartInput<'_>) -> u32 {
    HEADING_PX + input.shown().map(|kind| TITLE_PX + chart_height(kind)).sum::<u32>()
}

/// A run's dashboard as one SVG document `width` pixels wide, [`dashboard_height`] tall:
/// `heading` (the scenario's name), then every chart of the run ([`ChartInput::shown`])
/// stacked, each under its title and Grafana metric name. `input` holds the run's full
/// per-second series: each chart decimates them for `width` its own way.
pub fn dashboard_svg(
    heading: &str,
    input: &ChartInput<'_>,
    width: u32,
    dark: bool,
) -> Result<String, String> {
    let theme = theme(dark);
    let mut out = String::new();
    {
        let height = dashboard_height(input);
        let root = SVGBackend::with_string(&mut out, (width, height)).into_drawing_area();
        draw_dashboard(&root, heading, input, &theme)
            .and_then(|()| root.present())
            .map_err(|e| e.to_string())?;
    }
    Ok(out)
}

fn draw_dashboard<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    heading: &str,
    input: &ChartInput<'_>,
    theme: &Theme,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    root.fill(&theme.background)?;
    let (heading_area, mut rest) = root.split_vertically(HEADING_PX);
    let bold = |size: f64| crate::theme::sans_serif(size).style(FontStyle::Bold).color(&theme.text);
    heading_area.draw(&Text::new(heading, (16, 12), bold(18.0)))?;
    let width = root.dim_in_pixel().0;
    for kind in input.shown() {
        let (title_area, below) = rest.split_vertically(TITLE_PX);
        let (chart_area, below) = below.split_vertically(chart_height(kind));
        rest = below;
        title_area.draw(&Text::new(kind.caption(), (16, 8), bold(14.0)))?;
        kind.draw(&chart_area, &kind.decimated(input, width).input(), theme)?;
    }
    Ok(())
}

fn chart_height(kind: ChartKind) -> u32 {
    if kind.is_wide() { WIDE_CHART_PX } else { SMALL_CHART_PX }
}

fn theme(dark: bool) -> Theme {
    if dark { Theme::dark(1.0) } else { Theme::light(1.0) }
}
