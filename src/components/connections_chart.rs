//! The connections chart on a canvas, drawn by `poolsim_charts::draw_connections`,
//! sharp on HiDPI screens and redrawn on resize and theme change.

use plotters::prelude::IntoDrawingArea;
use plotters_canvas::CanvasBackend;
use poolsim_charts::{ChartInput, Theme, decimate, draw_connections, format_clock};
use web_sys::HtmlCanvasElement;
use yew::prelude::*;

use crate::canvas::{device_pixel_ratio, fit_to_css_size};
use crate::hooks::{use_prefers_dark, use_window_resize};
use crate::run::FinishedRun;

/// Properties of [`ConnectionsChart`].
#[derive(Debug, Properties, PartialEq)]
pub struct ConnectionsChartProps {
    /// The run to chart.
    pub run: FinishedRun,
}

/// Leaked, active and idle connections against the pool's maximum, over clock time.
#[component]
pub fn ConnectionsChart(props: &ConnectionsChartProps) -> Html {
    let canvas_ref = use_node_ref();
    let dark = use_prefers_dark();
    let resized = use_window_resize();
    let status = use_state_eq(|| None::<String>);
    {
        let canvas_ref = canvas_ref.clone();
        let status = status.clone();
        use_effect_with((props.run.clone(), dark, resized), move |(run, dark, _)| {
            if let Some(canvas) = canvas_ref.cast::<HtmlCanvasElement>() {
                status.set(draw(&canvas, run, *dark).err());
            }
        });
    }
    let summary = &props.run.summary;
    let peak = props.run.samples.iter().map(|s| s.active).max().unwrap_or(0);
    let max = props.run.scenario.pool.max_size;
    let exhausted = summary.first_exhaustion_s.map_or_else(
        || "the pool never ran out".to_owned(),
        |t| format!("the pool ran out at {}", format_clock(f64::from(props.run.clock_start_s) + t, false)),
    );
    let description = format!(
        "Connections over time: at most {peak} of {max} in use; {exhausted}; {} connections leaked.",
        summary.leaked
    );
    html! {
        <figure class="chart">
            <figcaption>
                {"Connections "}
                <code class="metric">{"hikaricp_connections_active / _idle / _max"}</code>
            </figcaption>
            <canvas ref={canvas_ref} class="chart-canvas" data-testid="connections-chart"
                role="img" aria-label={description}></canvas>
            if let Some(error) = &*status {
                <p class="chart-error" role="alert">{format!("The chart could not be drawn: {error}")}</p>
            }
        </figure>
    }
}

fn draw(canvas: &HtmlCanvasElement, run: &FinishedRun, dark: bool) -> Result<(), String> {
    let ratio = device_pixel_ratio();
    let Some((width, _)) = fit_to_css_size(canvas, ratio) else { return Ok(()) };
    let backend = CanvasBackend::with_canvas_object(canvas.clone()).ok_or("no 2D context")?;
    // About one sample per two device pixels: enough detail, flat cost for long runs.
    let samples = decimate(&run.samples, (width / 2).max(2) as usize);
    let input = ChartInput {
        samples: &samples,
        clock_start_s: run.clock_start_s,
        end_s: u32::try_from(run.scenario.duration_s).unwrap_or(u32::MAX),
        markers: &run.markers,
    };
    let theme = if dark { Theme::dark(ratio) } else { Theme::light(ratio) };
    draw_connections(&backend.into_drawing_area(), &input, &theme).map_err(|e| e.to_string())
}
