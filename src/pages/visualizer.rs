//! The visualizer page (`index.html`): header, scenario controls, the fleet (when the
//! scenario has one), the live pool, charts, outcome, log and playback.
//!
//! The run and its animation loop are [`use_live_run`](crate::hooks::use_live_run)'s,
//! shared with the other pages that play a run. The page asks the run
//! ([`LiveHandle`]'s methods) to seek, step, run to the end or apply a fix; the panels read
//! it as they render.

use std::rc::Rc;

use gloo::events::{EventListener, EventListenerOptions};
use poolsim_charts::Marker;
use poolsim_engine::{Action, Scenario, SimTime, TimedEvent};
use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::components::fleet_view::shown_instance;
use crate::components::pool_view::{OneInstance, PoolScope};
use crate::components::preset_picker::show_picked;
use crate::components::{
    ChartsPanel, ControlChange, Controls, CopyLayout, CopyLink, Fixes, FleetView, LinkTo, OutcomeSpread,
    PlaybackProps, PoolView, Timeline, exhaustion, log_view, outcome, playback, preset_picker, readouts,
};
use crate::forms::action::sort_events;
use crate::hooks::{LinkStatus, LiveRun, use_address, use_live_run};
use crate::pages::{Page, page_nav};
use crate::run::live::{LiveHandle, Status};
use crate::run::player::Speed;
use crate::state::{UiAction, UiState};

/// The visualizer page.
#[component]
pub fn VisualizerPage() -> Html {
    let state = use_reducer(|| UiState::opening(crate::pages::query_param("preset").as_deref()));
    // The address holds the run; the other pages' links carry it along.
    let (link_status, address) = use_address(&state, state.dispatcher());
    let LiveRun { live, pool_canvas, refresh, dark, reduced_motion } =
        use_live_run(&state, Some(<OneInstance as PoolScope>::draw));
    use_playback_keys(live.clone(), state.dispatcher());

    let clock_start_s = state.scenario.clock_start.seconds_of_day();
    let status = live.status();
    let (now_s, finished) = (status.now_s(), status.finished());
    let Status { tick, settings: now, callers, health, run_stats, error, .. } = status;
    let running = now.is_some();
    // A newcomer's first line, until the first run starts: what to do, and what to watch.
    let started_once = use_state(|| false);
    {
        let started_once = started_once.clone();
        use_effect_with(running, move |running| {
            if *running {
                started_once.set(true);
            }
        });
    }
    let first_line = !*started_once && !running && state.picked() == poolsim_content::presets::SEED_INCIDENT;
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
        let (live, dispatch, scenario, refresh) =
            (live.clone(), state.dispatcher(), state.scenario.clone(), refresh.clone());
        Callback::from(move |t_s: f64| {
            if let Some(action) =
                live.seek(&scenario, SimTime::from_micros((t_s.max(0.0) * 1e6).round() as u64))
            {
                dispatch.dispatch(action);
            }
            // Render now: the loop runs while the run seeks.
            refresh.force_update();
        })
    };
    let on_fix = record.clone();
    let on_timeline = {
        let (live, dispatch) = (live.clone(), state.dispatcher());
        Callback::from(move |scenario: Scenario| {
            // The engine cannot re-plan its past: rebuild and re-simulate to where we were.
            let resume_at = live.now();
            dispatch.dispatch(UiAction::ReplaceScenario { scenario: Rc::new(scenario), resume_at });
        })
    };
    let duration_s = state.scenario.duration_s as f64;
    let marks: Vec<f64> = state.scenario.events.iter().map(|e| e.at_s).collect();

    let dispatch = state.dispatcher();
    let act = move |action: UiAction| {
        let dispatch = dispatch.clone();
        Callback::from(move |()| dispatch.dispatch(action.clone()))
    };
    // The picker shows the preset in force (or on its way), even after a choice that failed.
    let picker = use_node_ref();
    {
        let picker = picker.clone();
        use_effect_with(state.picked().to_owned(), move |picked| show_picked(&picker, picked));
    }
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
            live.step_second();
            refresh.force_update();
        })
    };
    let on_run_to_end = {
        let (live, dispatch) = (live.clone(), state.dispatcher());
        Callback::from(move |()| dispatch.dispatch(live.start_run_to_end()))
    };
    let on_toggle = {
        let (live, dispatch) = (live.clone(), state.dispatcher());
        Callback::from(move |()| dispatch.dispatch(live.toggle_play()))
    };
    let on_instance = {
        let dispatch = state.dispatcher();
        Callback::from(move |j: u32| dispatch.dispatch(UiAction::SelectInstance(j)))
    };
    // When the pool ran out over many runs ("How sure?"), shaded on the charts.
    let band = use_state_eq(|| None::<Marker>);
    // The same callback every render: "How sure?" re-renders with its runs, not with the
    // page's every refresh during playback.
    let on_band = {
        let band = band.setter();
        use_callback((), move |b: Option<Marker>, ()| band.set(b))
    };
    let fleet = state.scenario.fleet.is_some();
    let instance = live.read().shown_instance(state.instance);

    html! {
        <div class="app">
            <header class="app-header">
                <h1 class="brand">{"poolsim"}</h1>
                <p class="tagline">{"Watch a database connection pool run out — and see what each fix changes."}</p>
                { page_nav(Page::Visualizer, &address) }
                <CopyLink scenario={state.scenario.clone()} layout={CopyLayout::Header}
                    link={LinkTo::Address { preset: AttrValue::from(state.preset.clone()), shipped: state.shipped.clone() }} />
                <div class="header-preset">
                    { preset_picker(state.picked(), on_preset, picker.clone()) }
                    if let Some(why) = &state.preset_error {
                        <p class="status error" role="alert" data-testid="preset-error">
                            {format!("Not opened: {why}. The scenario is unchanged.")}
                        </p>
                    }
                </div>
            </header>
            if let LinkStatus::Failed(why) = &link_status {
                <p class="status error link-error" role="alert" data-testid="link-error">
                    {format!("This link could not be opened: {why}. Showing the {} instead.", state.scenario.name)}
                </p>
            }
            if first_line {
                <aside class="first-minute" aria-label="First steps" data-testid="first-minute">
                    {format!("Press play — at {} the pool runs out. Then try a fix.", poolsim_content::presets::SEED_RUNS_OUT_AT)}
                </aside>
            }
            <main class="layout">
                <aside class="region region-controls" aria-labelledby="h-controls">
                    <h2 id="h-controls">{"Scenario and its settings"}</h2>
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
                    <div class="pool-column">
                        if fleet {
                            <section class="region region-fleet" aria-labelledby="h-fleet">
                                <h2 id="h-fleet">{"Fleet: every instance's pool"}</h2>
                                <FleetView live={live.clone()} {tick} selected={instance} on_select={on_instance} {dark} />
                            </section>
                        }
                        <section class="region region-pool" aria-labelledby="h-pool">
                            <h2 id="h-pool">{"Pool: connections in use, idle and leaked"}</h2>
                            { exhaustion(&live.read(), clock_start_s) }
                            { shown_instance(&live.read(), instance) }
                            <PoolView<OneInstance> live={live.clone()} {tick} canvas_ref={pool_canvas} {instance} {dark} {reduced_motion} />
                            { readouts(&live.read(), clock_start_s) }
                        </section>
                    </div>
                    <section class="region region-fixes" aria-labelledby="h-fixes">
                        <h2 id="h-fixes">{"Fix it now: apply a fix at this moment"}</h2>
                        <Fixes settings={now} {callers} {health} {clock_start_s} {now_s} {on_fix} scenario={Some(state.scenario.clone())} />
                    </section>
                    <section class="region region-charts" aria-labelledby="h-charts">
                        <h2 id="h-charts">{"Charts: the pool over time"}</h2>
                        <ChartsPanel live={live.clone()} {tick} {clock_start_s} {dark} band={(*band).clone()} />
                    </section>
                    <section class="region region-timeline" aria-labelledby="h-timeline">
                        <h2 id="h-timeline">{"Timeline: what happens, and when"}</h2>
                        <Timeline scenario={state.scenario.clone()} {clock_start_s} {now_s} on_change={on_timeline} />
                    </section>
                    <section class="region region-readouts" aria-labelledby="h-outcome">
                        <h2 id="h-outcome">{"Outcome so far: requests served and failed"}</h2>
                        { outcome(&live.read(), clock_start_s) }
                        <OutcomeSpread key={format!("{:p}", Rc::as_ptr(&state.scenario))}
                            scenario={state.scenario.clone()} on_band={on_band} />
                    </section>
                    <section class="region region-log" aria-labelledby="h-log">
                        <h2 id="h-log">{"Event log: the pool's own messages"}</h2>
                        { log_view(&live.read(), clock_start_s) }
                    </section>
                }
            </main>
            <footer class="playback" aria-label="Playback">
                { playback(PlaybackProps {
                    playing: state.playing,
                    loading: state.loading.is_some(),
                    speed: state.speed,
                    now_s,
                    duration_s,
                    marks,
                    finished,
                    run_stats,
                    on_toggle,
                    on_speed,
                    on_step,
                    on_restart: act(UiAction::Restart),
                    on_run_to_end,
                    on_seek,
                }) }
            </footer>
        </div>
    }
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
        // The controls and fix buttons validated the value; a refusal changes nothing.
        let Some(at_s) = live.apply_now(action.clone()) else { return };
        let mut next = (**scenario).clone();
        next.events.push(TimedEvent::new(at_s, action));
        sort_events(&mut next.events);
        dispatch.dispatch(UiAction::EditScenario { scenario: Rc::new(next), restart: false });
        refresh.force_update();
    })
}

/// Space plays or pauses (as the play button does, through the run); arrow keys change
/// speed — unless a form field or the event log has the focus (it needs those keys itself:
/// the log scrolls with them).
#[hook]
fn use_playback_keys(live: LiveHandle, dispatch: UseReducerDispatcher<UiState>) {
    // Listens again for each new run (a restart, a preset, an opened link).
    use_effect_with(live, move |live| {
        let live = live.clone();
        let listener = web_sys::window().and_then(|w| w.document()).map(|document| {
            let options = EventListenerOptions::enable_prevent_default();
            EventListener::new_with_options(&document, "keydown", options, move |event| {
                let Some(event) = event.dyn_ref::<KeyboardEvent>() else { return };
                // A view that took the key for itself (the fleet's rows) has it.
                if event.default_prevented() {
                    return;
                }
                if event.ctrl_key() || event.meta_key() || event.alt_key() || in_form_field(event) {
                    return;
                }
                let action = match event.key().as_str() {
                    " " => live.toggle_play(),
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

/// The key is for a form field, or for the event log (the one focusable list: it scrolls).
fn in_form_field(event: &KeyboardEvent) -> bool {
    let Some(target) = event.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()) else {
        return false;
    };
    matches!(target.tag_name().as_str(), "INPUT" | "SELECT" | "TEXTAREA" | "BUTTON" | "OL")
}
