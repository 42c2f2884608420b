//! The connections chart on a canvas, drawn by `poolsim_charts::draw_connections`,
//! sharp on HiDPI screens and redrawn as the run moves (at most at the panels' rate),
//! on resize and on theme change.

use plotters::prelude::IntoDrawingArea;
use plotters_canvas::CanvasBackend;
use poolsim_charts::{ChartInput, Theme, decimate, draw_connections};
use web_sys::HtmlCanvasElement;
use yew::prelude::*;

use crate::canvas::{device_pixel_ratio, fit_to_css_size};
use crate::hooks::use_window_resize;
use crate::live::{Live, LiveHandle};
use crate::markers::markers;

/// Properties of [`ConnectionsChart`].
#[derive(Debug, Properties, PartialEq)]
pub struct ConnectionsChartProps {
    /// The live run.
    pub live: LiveHandle,
    /// Re-render trigger.
    pub tick: u64,
    /// Time of day at simulated time 0 [s since midnight].
    pub clock_start_s: u32,
    /// Dark theme.
    pub dark: bool,
}

/// Leaked, active and idle connections against the pool's maximum, over clock time.
#[component]
pub fn ConnectionsChart(props: &ConnectionsChartProps) -> Html {
    let canvas_ref = use_node_ref();
    let resized = use_window_resize();
    let status = use_state_eq(|| None::<String>);
    {
        let (canvas_ref, status, live) = (canvas_ref.clone(), status.clone(), props.live.clone());
        use_effect_with((props.tick, props.dark, resized, props.clock_start_s), move |(_, dark, _, clock)| {
            if let Some(canvas) = canvas_ref.cast::<HtmlCanvasElement>() {
                status.set(draw(&canvas, &live.0.borrow(), *dark, *clock).err());
            }
        });
    }
    let description = describe(&props.live.0.borrow());
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

fn describe(live: &Live) -> String {
    let Ok(player) = &live.player else { return "No data: the scenario is invalid.".to_owned() };
    let sim = player.sim();
    let peak = sim.samples().iter().map(|s| s.active).max().unwrap_or(0);
    let leaked = sim.gauges().leaked;
    format!("Connections over time: at most {peak} in use so far; {leaked} leaked now.")
}

fn draw(canvas: &HtmlCanvasElement, live: &Live, dark: bool, clock_start_s: u32) -> Result<(), String> {
    let Ok(player) = &live.player else { return Ok(()) };
    let ratio = device_pixel_ratio();
    let Some((width, _)) = fit_to_css_size(canvas, ratio) else { return Ok(()) };
    let sim = player.sim();
    // About one sample per two device pixels: enough detail, flat cost for long runs.
    let samples = decimate(sim.samples(), (width / 2).max(2) as usize);
    let marks = markers(sim);
    let input = ChartInput {
        samples: &samples,
        clock_start_s,
        end_s: u32::try_from(sim.end_us() / 1_000_000).unwrap_or(u32::MAX),
        markers: &marks,
    };
    let theme = if dark { Theme::dark(ratio) } else { Theme::light(ratio) };
    let backend = CanvasBackend::with_canvas_object(canvas.clone()).ok_or("no 2D context")?;
    draw_connections(&backend.into_drawing_area(), &input, &theme).map_err(|e| e.to_string())
}
