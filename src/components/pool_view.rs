//! The pool view: every connection a slot on a canvas, drawn straight from the animation
//! loop (no DOM diff per frame), with an HTML legend that shows each state's colour and
//! pattern.

use plotters::prelude::IntoDrawingArea;
use plotters_canvas::CanvasBackend;
use poolsim_charts::{PoolInput, SlotLook, Theme, draw_pool};
use web_sys::HtmlCanvasElement;
use yew::prelude::*;

use crate::canvas::{device_pixel_ratio, fit_to_css_size};
use crate::hooks::use_window_resize;
use crate::run::live::{Live, LiveHandle};

/// Properties of [`PoolView`].
#[derive(Debug, Properties, PartialEq)]
pub struct PoolViewProps {
    /// The live run.
    pub live: LiveHandle,
    /// Changes whenever the run moved (re-render trigger).
    pub tick: u64,
    /// The canvas, shared with the animation loop that redraws it every frame.
    pub canvas_ref: NodeRef,
    /// Dark theme.
    pub dark: bool,
    /// `prefers-reduced-motion`.
    pub reduced_motion: bool,
}

/// The pool's connections, the waiting queue and a legend.
#[component]
pub fn PoolView(props: &PoolViewProps) -> Html {
    let resized = use_window_resize();
    {
        let (live, canvas_ref) = (props.live.clone(), props.canvas_ref.clone());
        use_effect_with(
            (props.tick, props.dark, props.reduced_motion, resized),
            move |(_, dark, reduced, _)| {
                if let Some(canvas) = canvas_ref.cast::<HtmlCanvasElement>() {
                    // A failed draw leaves the previous frame; the loop tries again next frame.
                    let _ = draw_pool_canvas(&canvas, &live.read(), *dark, *reduced);
                }
            },
        );
    }
    let (label, frame_ms) = {
        let live = props.live.read();
        // Median per-frame work (engine + this drawing) for performance checks, see README.
        (describe(&live), live.frame_work_stats().map(|(p50, max)| format!("{p50:.2} {max:.2}")))
    };
    html! {
        <figure class="pool-figure">
            <canvas ref={props.canvas_ref.clone()} class="pool-canvas" data-testid="pool-canvas"
                data-frame-ms={frame_ms} role="img" aria-label={label}></canvas>
            <figcaption class="legend" aria-label="Legend">
                { for LEGEND.iter().map(|look| html! {
                    <span class="legend-item">{ swatch(*look) }{look.label()}</span>
                }) }
            </figcaption>
        </figure>
    }
}

/// Legend entries, in the order a connection lives through them.
const LEGEND: [SlotLook; 6] = [
    SlotLook::Opening,
    SlotLook::Idle,
    SlotLook::Active,
    SlotLook::Suspected,
    SlotLook::Leaked,
    SlotLook::Empty,
];

/// A sentence a screen reader can say about the pool now.
fn describe(live: &Live) -> String {
    let Ok(player) = &live.player else { return "No pool: the scenario is invalid.".to_owned() };
    let g = player.sim().gauges();
    format!(
        "Pool of {max}: {active} in use ({leaked} leaked), {idle} idle, {opening} opening; {pending} requests waiting.",
        max = g.max,
        active = g.active,
        leaked = g.leaked,
        idle = g.idle,
        opening = g.opening,
        pending = g.pending
    )
}

/// Draw the pool as it is now onto `canvas` (called every animation frame while playing).
pub fn draw_pool_canvas(
    canvas: &HtmlCanvasElement,
    live: &Live,
    dark: bool,
    reduced_motion: bool,
) -> Result<(), String> {
    let ratio = device_pixel_ratio();
    if fit_to_css_size(canvas, ratio).is_none() {
        return Ok(());
    }
    let Ok(player) = &live.player else { return Ok(()) };
    let sim = player.sim();
    let theme = if dark { Theme::dark(ratio) } else { Theme::light(ratio) };
    let backend = CanvasBackend::with_canvas_object(canvas.clone()).ok_or("no 2D context")?;
    live.with_connections(|connections| {
        let input = PoolInput::of(sim, connections, reduced_motion);
        draw_pool(&backend.into_drawing_area(), &input, &theme).map_err(|e| e.to_string())
    })
}

/// A legend swatch drawn like the slot itself (colour and pattern), via CSS classes.
fn swatch(look: SlotLook) -> Html {
    let class = match look {
        SlotLook::Empty => "swatch empty",
        SlotLook::Opening => "swatch opening",
        SlotLook::Idle => "swatch idle",
        SlotLook::Active => "swatch active",
        SlotLook::Suspected => "swatch suspected",
        SlotLook::Leaked => "swatch leaked",
    };
    html! { <span class={class} aria-hidden="true"></span> }
}
