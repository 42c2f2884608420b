//! A lesson step's live figure (the learn page): the step's own run playing beside its
//! text, so a lesson reads as an essay with figures rather than a form. The pool (the embed
//! view's [`PoolView`]) and the chart the step names (`chart` in the lesson's JSON), a play
//! button and a scrubber over simulated time that seeks the run ([`LiveHandle::seek`]), and
//! the moment the text talks about ([`Moment`]) marked on the chart and on the scrubber and
//! said with its clock time. Each figure has its own run and animation loop
//! ([`use_live_run`]), playing at a speed that shows the whole run in about half a minute.
//! With reduced motion it opens still, on the marked moment: the same information, no
//! movement. This is the learn page's own module: the visualizer's bundle carries none of it.

use std::rc::Rc;

use poolsim_charts::{AllCharts, ChartKind, Marker, MarkerKind, markers_for};
use poolsim_content::lessons::Moment;
use poolsim_engine::time::format_clock;
use poolsim_engine::{Scenario, SimTime};
use web_sys::{HtmlCanvasElement, HtmlInputElement};
use yew::prelude::*;

use crate::components::PoolView;
use crate::components::charts_panel::{describe, draw_run};
use crate::components::pool_view::{PoolScope, WholeFleet};
use crate::hooks::{LiveRun, use_live_run, use_window_resize};
use crate::run::live::LiveHandle;
use crate::run::player::Speed;
use crate::state::{UiAction, UiState};

/// Real time a figure takes to play its whole run, at most [s]: the speed is the slowest
/// offered that fits it ([`Speed::at_least`]).
const PLAY_IN_S: u64 = 30;

/// The speed a figure plays a run of `duration_s` at: the whole run in at most
/// [`PLAY_IN_S`] seconds.
pub fn figure_speed(duration_s: u64) -> Speed {
    Speed::at_least(u32::try_from(duration_s.div_ceil(PLAY_IN_S)).unwrap_or(u32::MAX).max(1))
}

/// Properties of [`StepFigure`].
#[derive(Debug, Properties, PartialEq)]
pub struct StepFigureProps {
    /// The step's index in its lesson (for test ids and element ids).
    pub step: usize,
    /// The run the step builds (its preset with its events).
    pub scenario: Rc<Scenario>,
    /// The preset it comes from.
    pub preset: String,
    /// The chart beside the pool.
    pub chart: ChartKind,
    /// The moment the step's text talks about.
    pub moment: Moment,
}

/// The step's run, playing: pool, chart, play/pause, scrubber, the marked moment.
#[component]
pub fn StepFigure(props: &StepFigureProps) -> Html {
    let state = {
        let (scenario, preset) = (props.scenario.clone(), props.preset.clone());
        use_reducer(move || UiState {
            preset,
            speed: figure_speed(scenario.duration_s),
            scenario,
            playing: true,
            resume_at: None,
            generation: 0,
            instance: 0,
            loading: None,
            preset_error: None,
            shipped: None,
        })
    };
    let LiveRun { live, pool_canvas, refresh, dark, reduced_motion } =
        use_live_run(&state, Some(<WholeFleet as PoolScope>::draw));
    let resized = use_window_resize();
    let i = props.step;
    let moment = props.moment;
    let clock_start_s = state.scenario.clock_start.seconds_of_day();
    let clock = |t_s: f64| format_clock(f64::from(clock_start_s) + t_s, true);
    // Go to `t_s`, re-simulating from the start when going back; `pause` stops there.
    let seek = {
        let (live, dispatch, scenario, refresh) =
            (live.clone(), state.dispatcher(), state.scenario.clone(), refresh.clone());
        Callback::from(move |(t_s, pause): (f64, bool)| {
            let t = SimTime::from_micros((t_s.max(0.0) * 1e6).round() as u64);
            if let Some(action) = live.seek(&scenario, t) {
                dispatch.dispatch(action);
            }
            if pause {
                dispatch.dispatch(UiAction::Pause);
            }
            // Render now: the loop runs while the run seeks.
            refresh.force_update();
        })
    };
    // Reduced motion: the figure opens still, on the moment the text talks about.
    {
        let seek = seek.clone();
        use_effect_with(reduced_motion, move |reduced| {
            if *reduced {
                seek.emit((moment.at_s, true));
            }
        });
    }
    let run = live.status();
    let now_s = run.now_s();
    let end_s = run.end.as_secs_f64();
    let on_play = {
        let (live, dispatch, seek, finished) =
            (live.clone(), state.dispatcher(), seek.clone(), run.finished());
        Callback::from(move |_: MouseEvent| {
            if finished {
                // Play again from the start.
                seek.emit((0.0, false));
                dispatch.dispatch(UiAction::Play);
            } else {
                dispatch.dispatch(live.toggle_play());
            }
        })
    };
    let on_scrub = {
        let seek = seek.clone();
        Callback::from(move |e: Event| {
            if let Some(input) = e.target_dyn_into::<HtmlInputElement>()
                && let Some(t_s) = poolsim_engine::scenario::exact::parse_f64(&input.value())
            {
                seek.emit((t_s, false));
            }
        })
    };
    let on_moment = {
        let seek = seek.clone();
        Callback::from(move |_: MouseEvent| seek.emit((moment.at_s, true)))
    };
    let (play_icon, play_label) = match (state.playing, run.finished()) {
        (true, _) => ("⏸", "Pause"),
        (false, true) => ("↺", "Play again"),
        (false, false) => ("▶", "Play"),
    };
    let moment_clock = clock(moment.at_s);
    let share = if end_s > 0.0 { (moment.at_s / end_s).clamp(0.0, 1.0) } else { 0.0 };
    let scrubber_id = format!("figure-time-{i}");
    html! {
        <figure class="learn-figure" data-testid={format!("figure-{i}")}
            aria-label={format!("The run of step {}", i + 1)}>
            <div class="learn-figure-bar">
                <button type="button" class="button primary" data-testid={format!("figure-play-{i}")}
                    aria-pressed={state.playing.to_string()} onclick={on_play}>
                    <span aria-hidden="true">{play_icon}</span>{" "}{play_label}
                </button>
                <time class="learn-figure-clock" data-testid={format!("figure-clock-{i}")}>
                    {clock(now_s)}
                </time>
                if let Some(e) = &run.error {
                    <span class="status error">{e.clone()}</span>
                }
            </div>
            <div class="learn-figure-views">
                <PoolView<WholeFleet> live={live.clone()} tick={run.tick} canvas_ref={pool_canvas} {dark} {reduced_motion} />
                <LessonChart kind={props.chart} live={live.clone()} tick={run.tick} {clock_start_s} {dark} {resized}
                    {moment} step={i} />
            </div>
            <div class="learn-scrub" style={format!("--at: {share:.4}")}>
                <label for={scrubber_id.clone()}>{"Simulated time"}</label>
                <span class="learn-scrub-track">
                    <input id={scrubber_id} type="range" class="scrubber" data-testid={format!("figure-scrubber-{i}")}
                        min="0" max={end_s.to_string()} step="1" value={now_s.floor().to_string()}
                        aria-valuetext={clock(now_s)} onchange={on_scrub} />
                    <span class="learn-scrub-mark" aria-hidden="true" data-testid={format!("figure-mark-{i}")}></span>
                </span>
            </div>
            <p class="learn-moment" data-testid={format!("figure-moment-{i}")}>
                <span>
                    <span class="learn-moment-icon" aria-hidden="true">{"▲"}</span>
                    {format!(" Marked: {moment_clock}, {}. ", moment.what)}
                </span>
                <button type="button" class="button" data-testid={format!("figure-goto-{i}")} onclick={on_moment}>
                    {format!("Go to {moment_clock}")}
                </button>
            </p>
        </figure>
    }
}

/// Properties of [`LessonChart`].
#[derive(Debug, Properties, PartialEq)]
struct LessonChartProps {
    kind: ChartKind,
    live: LiveHandle,
    tick: u64,
    clock_start_s: u32,
    dark: bool,
    resized: u32,
    moment: Moment,
    step: usize,
}

/// The step's chart, with the run's own markers and the moment the text talks about.
#[component]
fn LessonChart(props: &LessonChartProps) -> Html {
    let canvas_ref = use_node_ref();
    let status = use_state_eq(|| None::<String>);
    let (kind, moment) = (props.kind, props.moment);
    {
        let (canvas_ref, status, live) = (canvas_ref.clone(), status.clone(), props.live.clone());
        use_effect_with(
            (props.tick, props.dark, props.resized, props.clock_start_s),
            move |(_, dark, _, clock_start_s)| {
                let (Some(canvas), Ok(player)) =
                    (canvas_ref.cast::<HtmlCanvasElement>(), &live.read().player)
                else {
                    return;
                };
                let sim = player.sim();
                let mut markers = markers_for(sim);
                let label = format!("▲ {}", format_clock(f64::from(*clock_start_s) + moment.at_s, false));
                markers.push(Marker { t_s: moment.at_s, label, kind: MarkerKind::Moment, until_s: None });
                status.set(draw_run::<AllCharts>(kind, &canvas, sim, &markers, *dark, *clock_start_s).err());
            },
        );
    }
    let description = describe::<AllCharts>(kind, &props.live.read(), props.clock_start_s);
    html! {
        <figure class="chart">
            <figcaption>{kind.title()}<code class="metric">{kind.metric()}</code></figcaption>
            <canvas ref={canvas_ref} class="chart-canvas" data-testid={format!("figure-chart-{}", props.step)}
                data-chart={kind.slug()} role="img" aria-label={description}></canvas>
            if let Some(error) = &*status {
                <p class="chart-error" role="alert">{format!("The chart could not be drawn: {error}")}</p>
            }
        </figure>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_figure_plays_its_whole_run_in_half_a_minute_at_most() {
        assert_eq!(figure_speed(600), Speed::Times(60), "ten minutes in 10 s");
        assert_eq!(figure_speed(3_600), Speed::Times(300), "an hour in 12 s");
        assert_eq!(figure_speed(10_800), Speed::Times(600), "three hours in 18 s");
        assert_eq!(figure_speed(20), Speed::Times(1));
        assert_eq!(figure_speed(0), Speed::Times(1));
    }
}
