//! The playback bar: play/pause, speed, step, restart, run to end, progress through the run.

use web_sys::HtmlSelectElement;
use yew::prelude::*;

use crate::run::live::RunStats;
use crate::run::player::Speed;
use poolsim_content::words::{compact_count, duration_text};

/// What [`playback`] shows and whom it tells.
#[derive(Debug)]
pub struct PlaybackProps {
    /// Simulated time is running.
    pub playing: bool,
    /// A preset is on its way: nothing to play until it is in.
    pub loading: bool,
    /// Current speed.
    pub speed: Speed,
    /// Simulated time now [s].
    pub now_s: f64,
    /// Length of the run [s].
    pub duration_s: f64,
    /// Times of the timeline's events [s], drawn as ticks on the scrubber.
    pub marks: Vec<f64>,
    /// The run reached its end.
    pub finished: bool,
    /// Set after "run to end".
    pub run_stats: Option<RunStats>,
    /// Play or pause.
    pub on_toggle: Callback<()>,
    /// Choose a speed.
    pub on_speed: Callback<Speed>,
    /// One simulated second.
    pub on_step: Callback<()>,
    /// Start over.
    pub on_restart: Callback<()>,
    /// Simulate the rest at once.
    pub on_run_to_end: Callback<()>,
    /// Go to a simulated time [s] (re-simulated from the start when going back).
    pub on_seek: Callback<f64>,
}

/// Buttons and speed for moving through simulated time. Keyboard: space plays or pauses,
/// arrow keys change speed (handled by the app for the whole page).
pub fn playback(props: PlaybackProps) -> Html {
    let click = |cb: &Callback<()>| {
        let cb = cb.clone();
        Callback::from(move |_: MouseEvent| cb.emit(()))
    };
    let on_speed = {
        let cb = props.on_speed.clone();
        Callback::from(move |e: Event| {
            if let Some(select) = e.target_dyn_into::<HtmlSelectElement>()
                && let Ok(i) = select.value().parse::<usize>()
                && let Some(speed) = Speed::ALL.get(i)
            {
                cb.emit(*speed);
            }
        })
    };
    let on_seek = {
        let cb = props.on_seek.clone();
        Callback::from(move |e: Event| {
            if let Some(input) = e.target_dyn_into::<web_sys::HtmlInputElement>()
                && let Some(t_s) = poolsim_engine::scenario::exact::parse_f64(&input.value())
            {
                cb.emit(t_s);
            }
        })
    };
    let (play_label, play_icon) = if props.playing { ("Pause", "⏸") } else { ("Play", "▶") };
    // Nothing moves through a run that is about to be replaced.
    let (ended, loading) = (props.finished || props.loading, props.loading);
    html! {
        <div class="playback-controls">
            <button type="button" class="button primary" data-testid="play" aria-pressed={props.playing.to_string()}
                disabled={ended} aria-busy={loading.then_some("true")} onclick={click(&props.on_toggle)} title="Play or pause (space)">
                <span aria-hidden="true">{play_icon}</span>{" "}{play_label}
            </button>
            <label class="speed">
                <span>{"Speed"}</span>
                <select data-testid="speed" onchange={on_speed} title="Speed (arrow keys)">
                    { for Speed::ALL.iter().enumerate().map(|(i, s)| html! {
                        <option value={i.to_string()} selected={*s == props.speed}>{s.label()}</option>
                    }) }
                </select>
            </label>
            <button type="button" class="button" data-testid="step" disabled={ended}
                onclick={click(&props.on_step)} title="Advance one simulated second">{"Step 1 s"}</button>
            <button type="button" class="button" data-testid="restart" disabled={loading} onclick={click(&props.on_restart)}>
                {"Restart"}
            </button>
            <button type="button" class="button" data-testid="run-to-end" disabled={ended}
                onclick={click(&props.on_run_to_end)}>{"Run to end"}</button>
            <input type="range" class="scrubber" data-testid="scrubber" min="0"
                max={props.duration_s.to_string()} step="1" value={props.now_s.floor().to_string()}
                list="timeline-marks" aria-label="Simulated time: drag to go to any moment"
                disabled={loading} onchange={on_seek} />
            <datalist id="timeline-marks">
                { for props.marks.iter().map(|t| html! { <option value={t.to_string()}></option> }) }
            </datalist>
            if let Some(stats) = props.run_stats {
                <p class="run-stats" data-testid="run-stats" role="status">
                    {format!(
                        "Simulated {} — {} requests — in {:.0} ms",
                        duration_text(stats.simulated_s), compact_count(stats.attempts), stats.wall_ms
                    )}
                </p>
            }
        </div>
    }
}
