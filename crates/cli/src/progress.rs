//! Progress bars on stderr, for a person watching a long command: only when stderr is a
//! terminal, so pipes, files, CI logs and tests never see one; stdout is never touched.

use std::io::IsTerminal;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use poolsim_engine::{Simulation, Summary};

/// Events a `poolsim run` step simulates between two updates of its bar (a few ms).
const STEP_EVENTS: u64 = 200_000;

/// A run this quick shows no bar at all.
const SHOW_AFTER: Duration = Duration::from_millis(300);

/// A bar counting `len` `unit`s on stderr, or `None` when stderr is not a terminal. Its
/// prefix (`ProgressBar::with_prefix`, empty by default) says what is counted.
pub fn bar(len: u64, unit: &str) -> Option<ProgressBar> {
    if !std::io::stderr().is_terminal() {
        return None;
    }
    let template = format!("{{prefix}}{{bar:40}} {{pos}}/{{len}} {unit} · {{elapsed}}, about {{eta}} to go");
    let style = ProgressStyle::with_template(&template).unwrap_or_else(|_| ProgressStyle::default_bar());
    Some(ProgressBar::with_draw_target(Some(len), ProgressDrawTarget::stderr()).with_style(style))
}

/// Run `sim` to its end, as [`Simulation::run_to_end`] does, with a bar of simulated
/// seconds once the run has taken [`SHOW_AFTER`]. The run is the same: budgeted steps
/// reach the state one call would.
pub fn run_to_end(sim: &mut Simulation) -> Summary {
    if !std::io::stderr().is_terminal() {
        return sim.run_to_end();
    }
    let started = Instant::now();
    let end = sim.end();
    let mut shown: Option<ProgressBar> = None;
    while !sim.is_finished() {
        if sim.advance(end, STEP_EVENTS).is_err() {
            break; // Cannot happen: the end is never in the past.
        }
        if shown.is_none() && started.elapsed() >= SHOW_AFTER {
            shown = bar(end.as_secs(), "simulated s");
        }
        if let Some(bar) = &shown {
            bar.set_position(sim.now().as_secs());
        }
    }
    if let Some(bar) = shown {
        bar.finish_and_clear();
    }
    sim.summary()
}
