//! The page: header, scenario controls, the live pool, charts, outcome, log and playback.
//!
//! One animation loop advances the engine and draws the pool canvas every frame; the
//! panels re-render from the same run at most [`PANEL_REFRESH_MS`] apart, so a frame
//! never pays for a DOM diff.

use std::rc::Rc;

use gloo::events::{EventListener, EventListenerOptions};
use poolsim_charts::parse_clock;
use poolsim_engine::{Action, Scenario, TimedEvent};
use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::components::timeline::form::sort_events;
use crate::components::{
    ChartsPanel, ControlChange, Controls, CopyAddress, Fixes, PlaybackProps, PoolView, Timeline, exhaustion,
    log_view, outcome, playback, preset_picker, readouts,
};
use crate::hooks::{
    FrameFn, LinkStatus, use_address, use_animation_frame, use_prefers_dark, use_prefers_reduced_motion,
};
use crate::live::LiveHandle;
use crate::pages::{Page, page_nav};
use crate::player::{FrameReport, Speed};
use crate::state::{UiAction, UiState};

/// Shortest time between two re-renders of the panels while playing [ms].
pub const PANEL_REFRESH_MS: f64 = 100.0;
/// Engine work allowed per animation frame while playing [ms], leaving the rest of the
/// 16.7 ms frame for drawing.
pub const FRAME_WORK_MS: f64 = 6.0;
/// Engine work per frame while running to the end [ms]: most of the time goes to the
/// engine, yet the page still answers (about 20 frames a second).
pub const RACE_WORK_MS: f64 = 40.0;

/// The whole app.
#[component]
pub fn App() -> Html {
    let state =
        use_reducer(|| UiState::opening(crate::pages::query_value(&crate::pages::search(), "preset")));
    // The address holds the run; the other pages' links carry it along.
    let (link_status, address) = use_address(&state, state.dispatcher());
    let LiveRun { live, pool_canvas, refresh, dark, reduced_motion } =
        use_live_run(&state, Some(crate::components::pool_view::draw_pool_canvas));
    use_playback_keys(state.dispatcher());

    let clock_start_s = parse_clock(&state.scenario.clock_start).unwrap_or(0);
    let (tick, now_s, finished, now, run_stats, error) = {
        let run = live.0.borrow();
        match &run.player {
            Ok(p) => {
                let sim = p.sim();
                let now = (sim.now_us() > 0).then(|| sim.current());
                (run.tick, sim.now_us() as f64 / 1e6, sim.is_finished(), now, run.run_stats, None)
            }
            Err(e) => (run.tick, 0.0, true, None, None, Some(e.clone())),
        }
    };
    let running = now.is_some();
    let record = use_record_action(live.clone(), state.scenario.clone(), state.dispatcher(), refresh.clone());
    let on_control = {
        let (record, dispatch) = (record.clone(), state.dispatcher());
        use_callback(running, move |change: ControlChange, running| match change.live {
            // A change while running happens at this moment: it goes into the timeline, so a
            // restart or a shared link replays it where it happened.
            Some(action) if *running => record.emit(action),
            // Before the run, or a setting no action can change live: a new starting point.
            _ => dispatch
                .dispatch(UiAction::EditScenario { scenario: Rc::new(change.scenario), restart: !*running }),
        })
    };
    let on_seek = {
        let (live, dispatch, scenario) = (live.clone(), state.dispatcher(), state.scenario.clone());
        Callback::from(move |t_s: f64| {
            live.0.borrow_mut().seek(&scenario, (t_s.max(0.0) * 1e6).round() as u64);
            dispatch.dispatch(UiAction::Seek);
        })
    };
    let on_fix = record.clone();
    let on_timeline = {
        let (live, dispatch) = (live.clone(), state.dispatcher());
        Callback::from(move |scenario: Scenario| {
            // The engine cannot re-plan its past: rebuild and re-simulate to where we were.
            let resume_at_us = live.0.borrow().player.as_ref().map_or(0, |p| p.sim().now_us());
            dispatch.dispatch(UiAction::ReplaceScenario { scenario: Rc::new(scenario), resume_at_us });
        })
    };
    let duration_s = state.scenario.duration_s as f64;
    let marks: Vec<f64> = state.scenario.events.iter().map(|e| e.at_s).collect();

    let dispatch = state.dispatcher();
    let act = move |action: UiAction| {
        let dispatch = dispatch.clone();
        Callback::from(move |()| dispatch.dispatch(action.clone()))
    };
    let on_preset = {
        let dispatch = state.dispatcher();
        Callback::from(move |name: String| dispatch.dispatch(UiAction::LoadPreset(name)))
    };
    let on_speed = {
        let dispatch = state.dispatcher();
        Callback::from(move |speed: Speed| dispatch.dispatch(UiAction::SetSpeed(speed)))
    };
    let on_step = {
        let (live, refresh) = (live.clone(), refresh.clone());
        Callback::from(move |()| {
            {
                let mut run = live.0.borrow_mut();
                if let Ok(p) = &mut run.player {
                    p.step_second();
                }
                run.sync();
            }
            refresh.force_update();
        })
    };
    let on_run_to_end = {
        let (live, dispatch) = (live.clone(), state.dispatcher());
        Callback::from(move |()| {
            live.0.borrow_mut().start_run_to_end();
            dispatch.dispatch(UiAction::RunToEnd);
        })
    };

    html! {
        <div class="app">
            <header class="app-header">
                <h1 class="brand">{"poolsim"}</h1>
                <p class="tagline">{"Watch a database connection pool run out — and see what each fix changes."}</p>
                { page_nav(Page::Visualizer, &address) }
                <CopyAddress scenario={state.scenario.clone()} preset={AttrValue::from(state.preset.clone())} />
                <div class="header-preset">
                    { preset_picker(&state.preset, on_preset) }
                </div>
            </header>
            if let LinkStatus::Failed(why) = &link_status {
                <p class="status error link-error" role="alert" data-testid="link-error">
                    {format!("This link could not be opened: {why}. Showing the {} instead.", state.scenario.name)}
                </p>
            }
            <main class="layout">
                <aside class="region region-controls" aria-labelledby="h-controls">
                    <h2 id="h-controls">{"Scenario"}</h2>
                    <p class="scenario-title">{&state.scenario.name}</p>
                    if !state.scenario.description.is_empty() {
                        <details class="scenario-about">
                            <summary>{"About this scenario"}</summary>
                            <p class="scenario-description">{&state.scenario.description}</p>
                        </details>
                    }
                    <Controls scenario={state.scenario.clone()} {running} {now} on_change={on_control} />
                </aside>
                if let Some(error) = error {
                    <p class="region status error" role="alert">{error}</p>
                } else {
                    <section class="region region-pool" aria-labelledby="h-pool">
                        <h2 id="h-pool">{"Pool"}</h2>
                        { exhaustion(&live.0.borrow(), clock_start_s) }
                        <PoolView live={live.clone()} {tick} canvas_ref={pool_canvas} {dark} {reduced_motion} />
                        { readouts(&live.0.borrow(), clock_start_s) }
                    </section>
                    <section class="region region-fixes" aria-labelledby="h-fixes">
                        <h2 id="h-fixes">{"Fix it now"}</h2>
                        <Fixes settings={now} {clock_start_s} {now_s} {on_fix} scenario={Some(state.scenario.clone())} />
                    </section>
                    <section class="region region-charts" aria-labelledby="h-charts">
                        <h2 id="h-charts">{"Charts"}</h2>
                        <ChartsPanel live={live.clone()} {tick} {clock_start_s} {dark} />
                    </section>
                    <section class="region region-timeline" aria-labelledby="h-timeline">
                        <h2 id="h-timeline">{"Timeline"}</h2>
                        <Timeline scenario={state.scenario.clone()} {clock_start_s} {now_s} on_change={on_timeline} />
                    </section>
                    <section class="region region-readouts" aria-labelledby="h-outcome">
                        <h2 id="h-outcome">{"Outcome so far"}</h2>
                        { outcome(&live.0.borrow(), clock_start_s) }
                    </section>
                    <section class="region region-log" aria-labelledby="h-log">
                        <h2 id="h-log">{"Event log"}</h2>
                        { log_view(&live.0.borrow(), clock_start_s) }
                    </section>
                }
            </main>
            <footer class="playback" aria-label="Playback">
                { playback(PlaybackProps {
                    playing: state.playing,
                    speed: state.speed,
                    now_s,
                    duration_s,
                    marks,
                    on_seek,
                    finished,
                    run_stats,
                    on_toggle: act(UiAction::TogglePlay),
                    on_speed,
                    on_step,
                    on_restart: act(UiAction::Restart),
                    on_run_to_end,
                }) }
            </footer>
        </div>
    }
}

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
pub type DrawPool = fn(&web_sys::HtmlCanvasElement, &mut crate::live::Live, bool, bool) -> Result<(), String>;

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

/// Apply an action to the running engine at the current simulated time and record it in
/// the scenario's timeline at that time, so the run can be replayed and shared exactly.
#[hook]
fn use_record_action(
    live: LiveHandle,
    scenario: Rc<Scenario>,
    dispatch: UseReducerDispatcher<UiState>,
    refresh: UseForceUpdateHandle,
) -> Callback<Action> {
    use_callback((live, scenario), move |action: Action, (live, scenario)| {
        let at_s = {
            let mut run = live.0.borrow_mut();
            let Ok(player) = run.player.as_mut() else { return };
            let at_s = player.sim().now_us() as f64 / 1e6;
            // The controls and fix buttons validated the value; a refusal changes nothing.
            if player.apply(action.clone()).is_err() {
                return;
            }
            run.sync();
            at_s
        };
        let mut next = (**scenario).clone();
        next.events.push(TimedEvent { at_s, action });
        sort_events(&mut next.events);
        dispatch.dispatch(UiAction::EditScenario { scenario: Rc::new(next), restart: false });
        refresh.force_update();
    })
}

/// Space plays or pauses; arrow keys change speed — unless a form field has the focus
/// (it needs those keys itself).
#[hook]
fn use_playback_keys(dispatch: UseReducerDispatcher<UiState>) {
    use_effect_with((), move |()| {
        let listener = web_sys::window().and_then(|w| w.document()).map(|document| {
            let options = EventListenerOptions::enable_prevent_default();
            EventListener::new_with_options(&document, "keydown", options, move |event| {
                let Some(event) = event.dyn_ref::<KeyboardEvent>() else { return };
                if event.ctrl_key() || event.meta_key() || event.alt_key() || in_form_field(event) {
                    return;
                }
                let action = match event.key().as_str() {
                    " " => UiAction::TogglePlay,
                    "ArrowUp" | "ArrowRight" => UiAction::Faster,
                    "ArrowDown" | "ArrowLeft" => UiAction::Slower,
                    _ => return,
                };
                event.prevent_default();
                dispatch.dispatch(action);
            })
        });
        move || drop(listener)
    });
}

fn in_form_field(event: &KeyboardEvent) -> bool {
    let Some(target) = event.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()) else {
        return false;
    };
    matches!(target.tag_name().as_str(), "INPUT" | "SELECT" | "TEXTAREA" | "BUTTON")
}

/// Milliseconds from the page's time origin (0 where there is no `performance`).
fn now_ms() -> f64 {
    web_sys::window().and_then(|w| w.performance()).map_or(0.0, |p| p.now())
}
