//! The charts panel: the time-series charts of the run (connections, requests waiting,
//! acquire time, timeouts, throughput, when the scenario models a database its
//! connections, CPU and query stretch, when the run models its callers their goodput
//! and attempts, its request threads or its health checks the servers' threads and load
//! balancer), each on its own canvas drawn by `poolsim_charts`,
//! sharp on HiDPI screens and redrawn as the run moves (at most at the panels' rate), on
//! resize and on theme change. One generic [`ChartCanvas`] draws any [`ChartKind`] of its
//! [`ChartSet`]: the panel's canvases every chart, the embed page's the connections chart
//! alone (so its bundle carries no other chart's code).

use plotters::prelude::IntoDrawingArea;
use plotters_canvas::CanvasBackend;
use poolsim_charts::{AllCharts, ChartInput, ChartKind, ChartSet, Marker, Models, Theme, markers_for};
use poolsim_engine::Simulation;
use web_sys::HtmlCanvasElement;
use yew::prelude::*;

use crate::canvas::{device_pixel_ratio, fit_to_css_size};
use crate::hooks::use_window_resize;
use crate::run::live::{Live, LiveHandle};

/// Properties of [`ChartsPanel`].
#[derive(Debug, Properties, PartialEq)]
pub struct ChartsPanelProps {
    /// The live run.
    pub live: LiveHandle,
    /// Re-render trigger.
    pub tick: u64,
    /// Time of day at simulated time 0 [s since midnight].
    pub clock_start_s: u32,
    /// Dark theme.
    pub dark: bool,
    /// A band to shade on every chart (when the pool ran out over many runs).
    #[prop_or_default]
    pub band: Option<Marker>,
}

/// Every chart of the run, the pool's and the database's connections charts full width.
#[component]
pub fn ChartsPanel(props: &ChartsPanelProps) -> Html {
    // One resize listener for every canvas.
    let resized = use_window_resize();
    let models =
        props.live.read().player.as_ref().map_or_else(|_| Models::default(), |p| Models::of(p.sim()));
    html! {
        <div class="charts-grid">
            { for ChartKind::shown(models).map(|kind| html! {
                <ChartCanvas<AllCharts> key={kind.slug()} {kind} live={props.live.clone()} tick={props.tick}
                    clock_start_s={props.clock_start_s} dark={props.dark} {resized} band={props.band.clone()} />
            }) }
        </div>
    }
}

/// Properties of [`ChartCanvas`].
#[derive(Debug, Properties, PartialEq)]
pub struct ChartCanvasProps {
    /// Which chart.
    pub kind: ChartKind,
    /// The live run.
    pub live: LiveHandle,
    /// Re-render trigger.
    pub tick: u64,
    /// Time of day at simulated time 0 [s since midnight].
    pub clock_start_s: u32,
    /// Dark theme.
    pub dark: bool,
    /// Window resize counter: a change redraws at the new size.
    pub resized: u32,
    /// A band to shade beside the run's own markers.
    #[prop_or_default]
    pub band: Option<Marker>,
}

/// One chart of the set `C` on a canvas, with its title, Grafana metric name and a
/// description in words.
#[component]
pub fn ChartCanvas<C: ChartSet + 'static>(props: &ChartCanvasProps) -> Html {
    let canvas_ref = use_node_ref();
    let status = use_state_eq(|| None::<String>);
    let kind = props.kind;
    {
        let (canvas_ref, status, live) = (canvas_ref.clone(), status.clone(), props.live.clone());
        use_effect_with(
            (props.tick, props.dark, props.resized, props.clock_start_s, props.band.clone()),
            move |(_, dark, _, clock, band)| {
                if let Some(canvas) = canvas_ref.cast::<HtmlCanvasElement>() {
                    status.set(draw::<C>(kind, &canvas, &live.read(), *dark, *clock, band.as_ref()).err());
                }
            },
        );
    }
    let description = describe::<C>(kind, &props.live.read(), props.clock_start_s);
    let class = if kind.is_wide() { "chart chart-wide" } else { "chart" };
    html! {
        <figure {class}>
            <figcaption>
                {kind.title()}
                <code class="metric">{kind.metric()}</code>
            </figcaption>
            <canvas ref={canvas_ref} class="chart-canvas" data-testid={format!("{}-chart", kind.slug())}
                role="img" aria-label={description}></canvas>
            if let Some(error) = &*status {
                <p class="chart-error" role="alert">{format!("The chart could not be drawn: {error}")}</p>
            }
        </figure>
    }
}

/// `kind`'s values in words for its canvas's `aria-label`.
pub(crate) fn describe<C: ChartSet>(kind: ChartKind, live: &Live, clock_start_s: u32) -> String {
    match &live.player {
        Ok(player) => C::describe(kind, &ChartInput::for_run(player.sim(), clock_start_s, &[])),
        Err(_) => "No data: the scenario is invalid.".to_owned(),
    }
}

fn draw<C: ChartSet>(
    kind: ChartKind,
    canvas: &HtmlCanvasElement,
    live: &Live,
    dark: bool,
    clock_start_s: u32,
    band: Option<&Marker>,
) -> Result<(), String> {
    let Ok(player) = &live.player else { return Ok(()) };
    let mut markers = markers_for(player.sim());
    markers.extend(band.cloned());
    draw_run::<C>(kind, canvas, player.sim(), &markers, dark, clock_start_s)
}

/// Draw `kind` of `sim` so far on `canvas` at its CSS size × devicePixelRatio, with
/// `markers` (the run's own, [`markers_for`], and any a page adds: a lesson's moment).
pub(crate) fn draw_run<C: ChartSet>(
    kind: ChartKind,
    canvas: &HtmlCanvasElement,
    sim: &Simulation,
    markers: &[Marker],
    dark: bool,
    clock_start_s: u32,
) -> Result<(), String> {
    let ratio = device_pixel_ratio();
    let Some((width, _)) = fit_to_css_size(canvas, ratio) else { return Ok(()) };
    let drawn = C::decimated(kind, &ChartInput::for_run(sim, clock_start_s, markers), width);
    let theme = if dark { Theme::dark(ratio) } else { Theme::light(ratio) };
    let backend = CanvasBackend::with_canvas_object(canvas.clone()).ok_or("no 2D context")?;
    C::draw(kind, &backend.into_drawing_area(), &drawn.input(), &theme).map_err(|e| e.to_string())
}
