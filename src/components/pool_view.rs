//! The pool view: every connection a slot on a canvas, drawn straight from the animation
//! loop (no DOM diff per frame), with an HTML legend that shows each state's colour and
//! pattern. In a fleet a page chooses its [`PoolScope`]: the visualizer shows one
//! instance's pool ([`OneInstance`]: its connections, its waiting requests and its flows),
//! the embed page the whole fleet as one pool ([`WholeFleet`], so its bundle carries no
//! per-instance code).
//!
//! The visualizer's pool shows requests in motion ([`Motion`], bookkept between frames in
//! the live run): its caption says whether each dot is one request or the requests are too
//! many and drawn as flows, and the canvas reports how many particles move
//! (`data-moving`, none with reduced motion). The embed page keeps the lighter drawing: the
//! whole fleet's queue as a block of dots and its flows as numbers.

use plotters::prelude::IntoDrawingArea;
use poolsim_charts::{Motion, PoolInput, SlotLook, draw_pool};
use poolsim_content::words::instance;
use poolsim_engine::{ConnectionView, Simulation};
use web_sys::HtmlCanvasElement;
use yew::prelude::*;

use crate::canvas::drawing_on;
use crate::hooks::{now_ms, use_window_resize};
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
    /// In a fleet, the instance the page asks for (0-based; see [`PoolScope::shown`]).
    #[prop_or_default]
    pub instance: u32,
    /// Dark theme.
    pub dark: bool,
    /// `prefers-reduced-motion`.
    pub reduced_motion: bool,
}

/// Which pool a page's pool view shows when the scenario has a fleet (without one, both
/// show the pool).
pub trait PoolScope: 'static {
    /// Requests are drawn in motion (and the caption says how).
    const MOTION: bool;

    /// Draw the pool now onto `canvas` (every animation frame while playing, and on a
    /// re-render); `wanted` is the instance the page asks for.
    fn draw(
        canvas: &HtmlCanvasElement,
        live: &Live,
        wanted: u32,
        dark: bool,
        reduced_motion: bool,
    ) -> Result<(), String>;

    /// The instance the pool view shows (0-based), or `None` for the whole fleet.
    fn shown(live: &Live, wanted: u32) -> Option<u32>;
}

/// The instance the page shows (the visualizer): its connections, size, waiters and flows.
#[derive(Debug)]
pub struct OneInstance;

impl PoolScope for OneInstance {
    const MOTION: bool = true;

    fn draw(
        canvas: &HtmlCanvasElement,
        live: &Live,
        wanted: u32,
        dark: bool,
        reduced_motion: bool,
    ) -> Result<(), String> {
        let j = live.shown_instance(wanted);
        let speed = live.speed().factor();
        draw_with(canvas, live, dark, Some(j), |sim, connections, motion| {
            let input = pool_input(live, sim, j, connections, reduced_motion);
            let waiters = sim.instance_waiting(j);
            motion.update(
                now_ms(),
                sim.now(),
                speed,
                input.recent_arrivals,
                waiters,
                connections,
                reduced_motion,
            );
            PoolInput { motion: Some(motion), ..input }
        })
    }

    fn shown(live: &Live, wanted: u32) -> Option<u32> {
        Some(live.shown_instance(wanted))
    }
}

/// Every instance's connections as one pool, with the fleet's sums and flows (the embed
/// page, beside its chart of the fleet's connections).
#[derive(Debug)]
pub struct WholeFleet;

impl PoolScope for WholeFleet {
    const MOTION: bool = false;

    fn draw(
        canvas: &HtmlCanvasElement,
        live: &Live,
        _wanted: u32,
        dark: bool,
        reduced_motion: bool,
    ) -> Result<(), String> {
        draw_with(canvas, live, dark, None, |sim, connections, _| {
            PoolInput::of(sim, connections, reduced_motion)
        })
    }

    fn shown(_: &Live, _: u32) -> Option<u32> {
        None
    }
}

/// The pool's connections, the waiting queue and a legend.
#[component]
pub fn PoolView<S: PoolScope>(props: &PoolViewProps) -> Html {
    let resized = use_window_resize();
    {
        let (live, canvas_ref) = (props.live.clone(), props.canvas_ref.clone());
        use_effect_with(
            (props.tick, props.instance, props.dark, props.reduced_motion, resized),
            move |(_, instance, dark, reduced, _)| {
                if let Some(canvas) = canvas_ref.cast::<HtmlCanvasElement>() {
                    // A failed draw leaves the previous frame; the loop tries again next frame.
                    let _ = S::draw(&canvas, &live.read(), *instance, *dark, *reduced);
                }
            },
        );
    }
    let (label, frame_ms, mode) = {
        let live = props.live.read();
        let mode = S::MOTION.then(|| {
            let motion = live.motion();
            let still = if props.reduced_motion { " Reduced motion: nothing moves." } else { "" };
            (format!("{}{still}", motion.caption()), motion.moving().to_string())
        });
        let label = describe(&live, S::shown(&live, props.instance));
        // Median per-frame work (engine + this drawing) for performance checks, see README.
        (
            mode.as_ref().map_or(label.clone(), |(caption, _)| format!("{label} {caption}")),
            live.frame_work_stats().map(|(p50, max)| format!("{p50:.2} {max:.2}")),
            mode,
        )
    };
    let (caption, moving) = mode.unzip();
    html! {
        <figure class="pool-figure">
            <canvas ref={props.canvas_ref.clone()} class="pool-canvas" data-testid="pool-canvas"
                data-frame-ms={frame_ms} data-moving={moving} role="img" aria-label={label}></canvas>
            <figcaption class="legend">
                if let Some(caption) = caption {
                    <span class="pool-mode" data-testid="pool-mode">{caption}</span>
                }
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

/// In a fleet, which instance a pool is: `"app-3 of 20"` (`None` without a fleet).
pub fn instance_label(sim: &Simulation, j: u32) -> Option<String> {
    let count = sim.instance_count();
    (count > 1).then(|| format!("{} of {count}", instance(j + 1)))
}

/// A sentence a screen reader can say about the pool now: instance `shown`'s in a fleet
/// (`None`: the fleet's sums).
fn describe(live: &Live, shown: Option<u32>) -> String {
    let Ok(player) = &live.player else { return "No pool: the scenario is invalid.".to_owned() };
    let sim = player.sim();
    let (g, which) = match shown {
        Some(j) => (
            sim.instance_gauges(j).unwrap_or_default(),
            instance_label(sim, j).map(|l| format!("{l}: ")).unwrap_or_default(),
        ),
        None => (sim.gauges(), String::new()),
    };
    format!(
        "{which}Pool of {max}: {active} in use ({leaked} leaked), {idle} idle, {opening} opening; {pending} requests waiting.",
        max = g.max,
        active = g.active,
        leaked = g.leaked,
        idle = g.idle,
        opening = g.opening,
        pending = g.pending
    )
}

/// Draw the pool as it is now onto `canvas` (called every animation frame while playing):
/// the connections of instance `shown` (`None`: every instance's), as `input` makes them
/// the pool view's input (a closure of each scope's own, so a page links only its own;
/// given the run's [`Motion`] to bring up to date if it draws requests in motion).
fn draw_with(
    canvas: &HtmlCanvasElement,
    live: &Live,
    dark: bool,
    shown: Option<u32>,
    input: impl for<'a> FnOnce(&Simulation, &'a [ConnectionView], &'a mut Motion) -> PoolInput<'a>,
) -> Result<(), String> {
    let (Some((backend, theme)), Ok(player)) = (drawing_on(canvas, dark)?, &live.player) else {
        return Ok(());
    };
    live.with_connections(shown, |connections| {
        let mut motion = live.motion();
        draw_pool(&backend.into_drawing_area(), &input(player.sim(), connections, &mut motion), &theme)
            .map_err(|e| e.to_string())
    })
}

/// What the pool view draws of instance `j` (the pool, without a fleet): its connections,
/// size and waiters, and its flows per second.
fn pool_input<'a>(
    live: &Live,
    sim: &Simulation,
    j: u32,
    connections: &'a [ConnectionView],
    reduced_motion: bool,
) -> PoolInput<'a> {
    let input = PoolInput::of(sim, connections, reduced_motion);
    match sim.instance_gauges(j).filter(|_| sim.instance_count() > 1) {
        // The samples are the fleet's sums: an instance's size, queue and flows are its own.
        Some(g) => {
            let [recent_arrivals, recent_served, recent_timeouts] = live.instance_flows(j);
            PoolInput {
                max_size: g.max,
                waiting: g.pending,
                recent_arrivals,
                recent_served,
                recent_timeouts,
                ..input
            }
        }
        None => input,
    }
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
