//! The page: header, scenario controls, the live pool, charts, outcome, log and playback.
//!
//! One animation loop advances the engine and draws the pool canvas every frame; the
//! panels re-render from the same run at most [`PANEL_REFRESH_MS`] apart, so a frame
//! never pays for a DOM diff.

use std::rc::Rc;

use gloo::events::{EventListener, EventListenerOptions};
use poolsim_charts::parse_clock;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::components::{
    ChartsPanel, ControlChange, Controls, Exhaustion, LogView, Outcome, Playback, PoolView, PresetPicker,
    Readouts,
};
use crate::hooks::{FrameFn, use_animation_frame, use_prefers_dark, use_prefers_reduced_motion};
use crate::live::LiveHandle;
use crate::player::Speed;
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
    let state = use_reducer(UiState::default);
    let live = {
        let scenario = state.scenario.clone();
        use_memo(state.generation, move |_| LiveHandle::new(&scenario))
    };
    let live: LiveHandle = (*live).clone();
    let refresh = use_force_update();
    let pool_canvas = use_node_ref();
    let dark = use_prefers_dark();
    let reduced_motion = use_prefers_reduced_motion();
    let last_refresh_ms = use_mut_ref(|| 0.0_f64);

    let on_frame: FrameFn = {
        let (live, pool_canvas, refresh) = (live.clone(), pool_canvas.clone(), refresh.clone());
        let (dispatch, to_end) = (state.dispatcher(), state.to_end);
        let (speed, budget_ms) =
            if to_end { (Speed::Max, RACE_WORK_MS) } else { (state.speed, FRAME_WORK_MS) };
        Rc::new(move |elapsed_ms: f64| {
            let started = now_ms();
            let deadline = started + budget_ms;
            let (finished, due) = {
                let mut run = live.0.borrow_mut();
                let report = run.frame(elapsed_ms, speed, || now_ms() < deadline);
                if to_end {
                    run.race_frame(now_ms() - started);
                }
                if let Some(canvas) = pool_canvas.cast() {
                    let _ = crate::components::pool_view::draw_pool_canvas(
                        &canvas,
                        &mut run,
                        dark,
                        reduced_motion,
                    );
                }
                run.record_frame_work(now_ms() - started);
                let due = report.finished || now_ms() - *last_refresh_ms.borrow() >= PANEL_REFRESH_MS;
                if due {
                    run.sync();
                    *last_refresh_ms.borrow_mut() = now_ms();
                }
                (report.finished, due)
            };
            // Re-render only after the run is no longer borrowed.
            if due {
                refresh.force_update();
            }
            if finished {
                dispatch.dispatch(UiAction::Finished);
            }
        })
    };
    use_animation_frame(state.playing, on_frame);
    use_playback_keys(state.dispatcher());

    let clock_start_s = parse_clock(&state.scenario.clock_start).unwrap_or(0);
    let (tick, progress, finished, now, run_stats, error) = {
        let run = live.0.borrow();
        match &run.player {
            Ok(p) => {
                let sim = p.sim();
                let progress = sim.now_us() as f64 / sim.end_us().max(1) as f64;
                let now = (sim.now_us() > 0).then(|| sim.current());
                (run.tick, progress, sim.is_finished(), now, run.run_stats, None)
            }
            Err(e) => (run.tick, 0.0, true, None, None, Some(e.clone())),
        }
    };
    let running = now.is_some();
    let on_control = use_control_change(live.clone(), state.dispatcher(), refresh.clone());

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
                <div class="header-preset">
                    <PresetPicker selected={state.preset.clone()} on_change={on_preset} />
                </div>
            </header>
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
                        <Exhaustion live={live.clone()} {tick} {clock_start_s} />
                        <PoolView live={live.clone()} {tick} canvas_ref={pool_canvas} {dark} {reduced_motion} />
                        <Readouts live={live.clone()} {tick} {clock_start_s} />
                    </section>
                    <section class="region region-charts" aria-labelledby="h-charts">
                        <h2 id="h-charts">{"Charts"}</h2>
                        <ChartsPanel live={live.clone()} {tick} {clock_start_s} {dark} />
                    </section>
                    <section class="region region-readouts" aria-labelledby="h-outcome">
                        <h2 id="h-outcome">{"Outcome so far"}</h2>
                        <Outcome live={live.clone()} {tick} {clock_start_s} />
                    </section>
                    <section class="region region-log" aria-labelledby="h-log">
                        <h2 id="h-log">{"Event log"}</h2>
                        <LogView live={live.clone()} {tick} {clock_start_s} />
                    </section>
                }
            </main>
            <footer class="playback" aria-label="Playback">
                <Playback
                    playing={state.playing}
                    speed={state.speed}
                    {progress}
                    {finished}
                    {run_stats}
                    on_toggle={act(UiAction::TogglePlay)}
                    {on_speed}
                    {on_step}
                    on_restart={act(UiAction::Restart)}
                    {on_run_to_end}
                />
            </footer>
        </div>
    }
}

/// A settings change: applied to the running engine at the current simulated time when
/// the run has started (and recorded by the engine), and always kept as the scenario a
/// restart runs. Before the run starts, the run is rebuilt so the initial pool matches.
#[hook]
fn use_control_change(
    live: LiveHandle,
    dispatch: UseReducerDispatcher<UiState>,
    refresh: UseForceUpdateHandle,
) -> Callback<ControlChange> {
    // Stable across the panels' refreshes, so the controls do not re-render with them.
    use_callback(live, move |change: ControlChange, live| {
        let running = {
            let mut run = live.0.borrow_mut();
            let started = run.player.as_ref().is_ok_and(|p| p.sim().now_us() > 0);
            if started && let (Some(action), Ok(player)) = (change.live, run.player.as_mut()) {
                // The controls validated the value; an engine refusal leaves the run as it was.
                let _ = player.apply(action);
                run.sync();
            }
            started
        };
        dispatch.dispatch(UiAction::EditScenario { scenario: Rc::new(change.scenario), restart: !running });
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
