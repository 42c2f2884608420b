//! The compare charts on canvases: the runs overlaid on one metric, sharp on HiDPI
//! screens (CSS size × `devicePixelRatio`), and said in words for screen readers.

use plotters::prelude::IntoDrawingArea;
use plotters_canvas::CanvasBackend;
use poolsim_charts::{CompareInput, CompareMetric, CompareRun, Theme, draw_compare};
use poolsim_engine::Sample;
use web_sys::HtmlCanvasElement;
use yew::prelude::*;

use super::Comparison;
use crate::canvas::{device_pixel_ratio, fit_to_css_size};

/// The chart of `metric` as a figure: its title and its canvas (`canvas` draws on it).
pub fn figure(metric: CompareMetric, canvas: &NodeRef, comparison: &Comparison) -> Html {
    let description = with_input(metric, comparison, None, |input| metric.describe(input));
    html! {
        <figure class="chart compare-chart">
            <figcaption>{metric.title()}</figcaption>
            <canvas ref={canvas.clone()} class="chart-canvas" data-testid={format!("compare-chart-{}", metric.slug())}
                role="img" aria-label={description}></canvas>
        </figure>
    }
}

/// Draw the chart of `metric` on `canvas`, sized to its CSS box.
pub fn draw(
    metric: CompareMetric,
    canvas: &HtmlCanvasElement,
    comparison: &Comparison,
    dark: bool,
) -> Result<(), String> {
    let ratio = device_pixel_ratio();
    let Some((width, _)) = fit_to_css_size(canvas, ratio) else { return Ok(()) };
    let theme = if dark { Theme::dark(ratio) } else { Theme::light(ratio) };
    let backend = CanvasBackend::with_canvas_object(canvas.clone()).ok_or("no 2D context")?;
    with_input(metric, comparison, Some(width), |input| {
        draw_compare(&backend.into_drawing_area(), input, metric, &theme).map_err(|e| e.to_string())
    })
}

/// The runs of `comparison` as a [`CompareInput`] for `metric`, decimated for a plot
/// `width` device pixels wide (`None`: as kept), handed to `f`.
fn with_input<T>(
    metric: CompareMetric,
    comparison: &Comparison,
    width: Option<u32>,
    f: impl FnOnce(&CompareInput<'_>) -> T,
) -> T {
    let kept = |i: usize| -> &[Sample] {
        let s = &comparison.series[i];
        if metric == CompareMetric::InUse { &s.in_use } else { &s.timeouts }
    };
    let n = comparison.series.len().min(comparison.rows.len());
    let decimated: Vec<Vec<Sample>> = match width {
        Some(w) => (0..n).map(|i| metric.samples_for(kept(i), w)).collect(),
        None => Vec::new(),
    };
    let runs: Vec<CompareRun<'_>> = (0..n)
        .map(|i| CompareRun {
            label: &comparison.rows[i].label,
            samples: decimated.get(i).map_or_else(|| kept(i), Vec::as_slice),
        })
        .collect();
    let input = CompareInput {
        runs: &runs,
        clock_start_s: comparison.clock_start.seconds_of_day(),
        end_s: u32::try_from(comparison.end_s).unwrap_or(u32::MAX),
    };
    f(&input)
}
