//! The running simulation of a page and its one animation loop, shared by the pages that
//! play a run (the visualizer, the embed view) or race one to its end (the share page).
//! Each frame advances the engine under a work budget and draws the pool canvas; the
//! panels re-render from the same run at most [`PANEL_REFRESH_MS`] apart, so a frame
//! never pays for a DOM diff.

use std::rc::Rc;

use yew::prelude::*;

use crate::hooks::{FrameFn, use_animation_frame, use_prefers_dark, use_prefers_reduced_motion};
use crate::run::live::LiveHandle;
use crate::run::player::FrameReport;
use crate::state::{UiAction, UiState};

/// Shortest time between two re-renders of the panels while playing [ms].
pub const PANEL_REFRESH_MS: f64 = 100.0;
/// Engine work allowed per animation frame while playing [ms], leaving the rest of the
/// 16.7 ms frame for drawing.
pub const FRAME_WORK_MS: f64 = 6.0;
/// Engine work per frame while running to the end [ms]: most of the time goes to the
/// engine, yet the page still answers (about 20 frames a second).
pub const RACE_WORK_MS: f64 = 40.0;

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
/// no pool-drawing code): [`draw_pool_canvas`](crate::components::pool_view::draw_pool_canvas).
pub type DrawPool =
    fn(&web_sys::HtmlCanvasElement, &mut crate::run::live::Live, bool, bool) -> Result<(), String>;

/// Run `state`'s scenario as its playback settings say (see [`LiveRun`]), drawing the
/// pool with `draw_pool` every frame.
#[hook]
pub fn use_live_run(state: &UseReducerHandle<UiState>, draw_pool: Option<DrawPool>) -> LiveRun {
    let live = {
        let (scenario, resume_at_us) = (state.scenario.clone(), state.resume_at_us);
        use_memo(state.generation, move |_| {
            let live = LiveHandle::new(&scenario);
            if let Some(t_us) = resume_at_us {
                live.0.borrow_mut().seek(&scenario, t_us);
            }
            live
        })
    };
    let live: LiveHandle = (*live).clone();
    let refresh = use_force_update();
    let pool_canvas = use_node_ref();
    let dark = use_prefers_dark();
    let reduced_motion = use_prefers_reduced_motion();
    let last_refresh_ms = use_mut_ref(|| 0.0_f64);

    let on_frame: FrameFn = {
        let (live, pool_canvas, refresh) = (live.clone(), pool_canvas.clone(), refresh.clone());
        let state_speed = state.speed;
        let (dispatch, to_end, seeking, playing) =
            (state.dispatcher(), state.to_end, state.seeking, state.playing);
        Rc::new(move |elapsed_ms: f64| {
            let started = now_ms();
            let (finished, due, arrived) = {
                let mut run = live.0.borrow_mut();
                let budget_ms = if to_end || run.seeking() { RACE_WORK_MS } else { FRAME_WORK_MS };
                let deadline = started + budget_ms;
                let speed = run.frame_speed(to_end, playing, state_speed);
                let report = match speed {
                    Some(speed) => run.frame_or_seek(elapsed_ms, speed, || now_ms() < deadline),
                    None => FrameReport::default(),
                };
                let arrived = seeking && !run.seeking();
                if to_end {
                    run.race_frame(now_ms() - started);
                }
                if let (Some(draw), Some(canvas)) = (draw_pool, pool_canvas.cast()) {
                    let _ = draw(&canvas, &mut run, dark, reduced_motion);
                }
                run.record_frame_work(now_ms() - started);
                let due =
                    report.finished || arrived || now_ms() - *last_refresh_ms.borrow() >= PANEL_REFRESH_MS;
                if due {
                    run.sync();
                    *last_refresh_ms.borrow_mut() = now_ms();
                }
                (report.finished, due, arrived)
            };
            // Re-render only after the run is no longer borrowed.
            if due {
                refresh.force_update();
            }
            if arrived {
                dispatch.dispatch(UiAction::SeekDone);
            }
            if finished {
                dispatch.dispatch(UiAction::Finished);
            }
        })
    };
    use_animation_frame(state.playing || state.seeking, on_frame);
    LiveRun { live, pool_canvas, refresh, dark, reduced_motion }
}

/// Milliseconds from the page's time origin (0 where there is no `performance`).
fn now_ms() -> f64 {
    web_sys::window().and_then(|w| w.performance()).map_or(0.0, |p| p.now())
}
