//! The running simulation of a page and its one animation loop, shared by the pages that
//! play a run (the visualizer, the embed view) or race one to its end (the share page).
//! Each frame advances the engine under a work budget and draws the pool canvas; the
//! panels re-render from the same run at most [`PANEL_REFRESH_MS`] apart, so a frame
//! never pays for a DOM diff.

use std::rc::Rc;

use yew::prelude::*;

use crate::hooks::{
    FrameFn, use_animation_frame, use_prefers_dark, use_prefers_reduced_motion, use_preset_loader,
};
use crate::run::live::{Live, LiveHandle};
use crate::state::{UiAction, UiState};

pub use crate::run::live::{FRAME_WORK_MS, RACE_WORK_MS};

/// Shortest time between two re-renders of the panels while playing [ms].
pub const PANEL_REFRESH_MS: f64 = 100.0;

/// The running simulation of a page: the run (rebuilt when the state's generation
/// changes, and sent to where it should resume), the pool canvas it draws on, and the one
/// animation loop that advances it, draws the pool each frame and re-renders the page at
/// most [`PANEL_REFRESH_MS`] apart.
#[derive(Debug)]
pub struct LiveRun {
    /// The run.
    pub live: LiveHandle,
    /// The pool view's canvas, drawn every frame.
    pub pool_canvas: NodeRef,
    /// Re-renders the page (the panels read the run as they render).
    pub refresh: UseForceUpdateHandle,
    /// Dark theme.
    pub dark: bool,
    /// The user prefers reduced motion.
    pub reduced_motion: bool,
}

/// How a page draws the pool each frame (`None`: a page without one, which then carries
/// no pool-drawing code): its [`PoolScope::draw`](crate::components::pool_view::PoolScope::draw),
/// given the instance the page shows (`UiState::instance`), dark theme and reduced motion.
pub type DrawPool = fn(&web_sys::HtmlCanvasElement, &Live, u32, bool, bool) -> Result<(), String>;

/// Run `state`'s scenario (see [`LiveRun`]), drawing the pool with `draw_pool` every frame,
/// and fetch the preset it waits for ([`use_preset_loader`]).
/// The loop runs while the page plays or the run has work of its own (a seek, a run to the
/// end); each frame the run itself decides how far to go, from the page's `playing` and
/// `speed`.
#[hook]
pub fn use_live_run(state: &UseReducerHandle<UiState>, draw_pool: Option<DrawPool>) -> LiveRun {
    use_preset_loader(state);
    let live = {
        let (scenario, resume_at) = (state.scenario.clone(), state.resume_at);
        use_memo(state.generation, move |_| LiveHandle::starting_at(&scenario, resume_at))
    };
    let live: LiveHandle = (*live).clone();
    let refresh = use_force_update();
    let pool_canvas = use_node_ref();
    let dark = use_prefers_dark();
    let reduced_motion = use_prefers_reduced_motion();
    let last_refresh_ms = use_mut_ref(|| 0.0_f64);

    let on_frame: FrameFn = {
        let (live, pool_canvas, refresh) = (live.clone(), pool_canvas.clone(), refresh.clone());
        let (dispatch, playing, speed, instance) =
            (state.dispatcher(), state.playing, state.speed, state.instance);
        Rc::new(move |elapsed_ms: f64| {
            let started = now_ms();
            let frame = live.frame(elapsed_ms, playing, speed, now_ms);
            if let (Some(draw), Some(canvas)) = (draw_pool, pool_canvas.cast()) {
                let _ = draw(&canvas, &live.read(), instance, dark, reduced_motion);
            }
            live.record_frame_work(now_ms() - started);
            // An arrived seek re-renders at once: the page then stops the loop if it is paused.
            let due =
                frame.finished || frame.arrived || now_ms() - *last_refresh_ms.borrow() >= PANEL_REFRESH_MS;
            if due {
                live.sync();
                *last_refresh_ms.borrow_mut() = now_ms();
                refresh.force_update();
            }
            if frame.finished {
                dispatch.dispatch(UiAction::Finished);
            }
        })
    };
    use_animation_frame(state.playing || live.busy(), on_frame);
    LiveRun { live, pool_canvas, refresh, dark, reduced_motion }
}

/// Milliseconds from the page's time origin (0 where there is no `performance`).
pub fn now_ms() -> f64 {
    web_sys::window().and_then(|w| w.performance()).map_or(0.0, |p| p.now())
}
