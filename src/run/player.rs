//! The player: turns real time into simulated time at the chosen speed and advances the
//! engine in bounded slices, so a frame never blocks whatever the scenario's size.
//!
//! Real and simulated time are kept apart by type: real time is the browser's clock, plain
//! `f64` milliseconds named `*_real_ms`; simulated time is the engine's [`SimTime`] and
//! [`SimDuration`]. One function, `simulated_span`, turns the one into the other at the
//! chosen speed. A background tab that returns after minutes gets one clamped step, not a
//! huge catch-up.

use poolsim_engine::{Action, EngineError, Scenario, ScenarioError, SimDuration, SimTime, Simulation};

/// The longest real time one frame may account for [ms]: a tab returning from the
/// background resumes where it was instead of racing to catch up.
pub const MAX_FRAME_REAL_MS: f64 = 100.0;
/// The "step" button's simulated time.
const STEP: SimDuration = SimDuration::from_secs(1);
/// Events processed between two looks at the frame's time budget while playing.
const EVENTS_PER_SLICE: u64 = 4_096;
/// The same when racing (run to end, seek, "max"): the engine writes out its pending log
/// lines each time it hands control back, so racing in small slices would format nearly
/// every timeout line of an outage; in slices this large it formats a few per slice
/// (~10 ms of work in the browser, well inside a racing frame's budget).
const EVENTS_PER_RACE_SLICE: u64 = 131_072;

/// How fast simulated time runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Speed {
    /// Simulated seconds per real second.
    Times(u32),
    /// As fast as the frame budget allows.
    Max,
}

impl Speed {
    /// The speeds offered, slowest first.
    pub const ALL: [Speed; 9] = [
        Speed::Times(1),
        Speed::Times(10),
        Speed::Times(60),
        Speed::Times(300),
        Speed::Times(600),
        Speed::Times(1800),
        Speed::Times(3600),
        Speed::Times(7200),
        Speed::Max,
    ];

    /// Label for buttons and readouts: `60×`, `max`.
    pub fn label(self) -> String {
        match self {
            Speed::Times(n) => format!("{n}×"),
            Speed::Max => "max".to_owned(),
        }
    }

    /// The speed a link names (`"60x"`, `"max"`): the offered speed closest to it from
    /// above (`"45x"` plays at 60×), or `None` for anything else.
    pub fn from_link(text: &str) -> Option<Self> {
        if text == "max" {
            return Some(Speed::Max);
        }
        let n: u32 = text.strip_suffix('x')?.parse().ok().filter(|n| *n > 0)?;
        Some(Self::at_least(n))
    }

    /// The slowest offered speed of at least `n`×, or [`Speed::Max`] past them all.
    pub fn at_least(n: u32) -> Self {
        Self::ALL.into_iter().find(|s| matches!(s, Speed::Times(m) if *m >= n)).unwrap_or(Speed::Max)
    }

    /// How a link names this speed: `"60x"`, `"max"`.
    pub fn to_link(self) -> String {
        match self {
            Speed::Times(n) => format!("{n}x"),
            Speed::Max => "max".to_owned(),
        }
    }

    /// Simulated seconds per real second (a million for [`Speed::Max`]: faster than any
    /// offered speed, yet finite so that none of anything stays none).
    pub fn factor(self) -> f64 {
        match self {
            Speed::Times(n) => f64::from(n),
            Speed::Max => 1e6,
        }
    }

    /// The next speed up (or the same at the top).
    pub fn faster(self) -> Self {
        let i = Self::ALL.iter().position(|s| *s == self).unwrap_or(0);
        Self::ALL[(i + 1).min(Self::ALL.len() - 1)]
    }

    /// The next speed down (or the same at the bottom).
    pub fn slower(self) -> Self {
        let i = Self::ALL.iter().position(|s| *s == self).unwrap_or(0);
        Self::ALL[i.saturating_sub(1)]
    }
}

/// What one frame did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FrameReport {
    /// Engine events processed.
    pub events: u64,
    /// The run reached its end during this frame.
    pub finished: bool,
}

/// A running simulation and its playback clock.
#[derive(Clone, Debug)]
pub struct Player {
    sim: Simulation,
}

impl Player {
    /// A player at time 0 of `scenario`.
    pub fn new(scenario: &Scenario) -> Result<Self, ScenarioError> {
        Ok(Self { sim: Simulation::new(scenario)? })
    }

    /// The simulation, for reading.
    pub fn sim(&self) -> &Simulation {
        &self.sim
    }

    /// Advance by `elapsed_real_ms` of real time at `speed`, doing engine work in slices
    /// while `has_time()` says the frame's budget allows. Simulated time that could not be
    /// reached within the budget is dropped, not owed: playback then runs slower than asked
    /// rather than freezing the tab.
    pub fn frame(
        &mut self,
        elapsed_real_ms: f64,
        speed: Speed,
        has_time: impl FnMut() -> bool,
    ) -> FrameReport {
        match speed {
            Speed::Max => self.race_to(self.sim.end(), has_time),
            Speed::Times(n) => {
                let target = self.sim.now().saturating_add(simulated_span(elapsed_real_ms, n));
                self.advance_towards(target, EVENTS_PER_SLICE, has_time)
            }
        }
    }

    /// Advance towards `target` (clamped to the run's end) as far as the frame's budget
    /// allows: `has_time()` is asked between slices of engine work.
    pub fn race_to(&mut self, target: SimTime, has_time: impl FnMut() -> bool) -> FrameReport {
        self.advance_towards(target, EVENTS_PER_RACE_SLICE, has_time)
    }

    fn advance_towards(
        &mut self,
        target: SimTime,
        slice: u64,
        mut has_time: impl FnMut() -> bool,
    ) -> FrameReport {
        let mut report = FrameReport::default();
        let target = target.min(self.sim.end()).max(self.sim.now());
        // The target is never in the past, so `advance` cannot fail; if it ever did, the
        // frame would simply stop.
        while let Ok(progress) = self.sim.advance(target, slice) {
            report.events += progress.events;
            if progress.reached || !has_time() {
                break;
            }
        }
        report.finished = self.sim.is_finished();
        report
    }

    /// Advance exactly one simulated second (the "step" button).
    pub fn step_second(&mut self) -> FrameReport {
        let target = self.sim.now().saturating_add(STEP).min(self.sim.end());
        let before = self.sim.summary().events_processed;
        let _ = self.sim.advance_to(target);
        FrameReport {
            events: self.sim.summary().events_processed.saturating_sub(before),
            finished: self.sim.is_finished(),
        }
    }

    /// Apply a live action (a control changed while running) at the current time.
    pub fn apply(&mut self, action: Action) -> Result<(), EngineError> {
        self.sim.apply(action)
    }
}

/// The simulated time `elapsed_real_ms` of the browser's clock [ms] stands for at `n`×,
/// to the nearest µs: at most [`MAX_FRAME_REAL_MS`] of it, none for a nonsense clock.
fn simulated_span(elapsed_real_ms: f64, n: u32) -> SimDuration {
    let real_ms =
        if elapsed_real_ms.is_finite() { elapsed_real_ms.clamp(0.0, MAX_FRAME_REAL_MS) } else { 0.0 };
    SimDuration::from_micros((real_ms * 1_000.0 * f64::from(n)).round() as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_name_speeds_and_odd_ones_round_up_to_an_offered_speed() {
        for speed in Speed::ALL {
            assert_eq!(Speed::from_link(&speed.to_link()), Some(speed));
        }
        assert_eq!(Speed::from_link("45x"), Some(Speed::Times(60)));
        assert_eq!(Speed::from_link("1000000x"), Some(Speed::Max));
        for bad in ["", "x", "0x", "-5x", "fast", "60", "1e3x"] {
            assert_eq!(Speed::from_link(bad), None, "{bad}");
        }
    }

    #[test]
    fn the_slowest_speed_at_least_as_fast_as_asked() {
        assert_eq!(Speed::at_least(1), Speed::Times(1));
        assert_eq!(Speed::at_least(20), Speed::Times(60));
        assert_eq!(Speed::at_least(600), Speed::Times(600));
        assert_eq!(Speed::at_least(7201), Speed::Max);
    }

    /// An instant [µs].
    fn at_us(us: u64) -> SimTime {
        SimTime::from_micros(us)
    }

    fn player(json: &str) -> Player {
        Player::new(&Scenario::from_json(json).expect("valid")).expect("builds")
    }

    #[test]
    fn playback_runs_at_the_chosen_speed() {
        let mut p = player(r#"{ "duration_s": 600 }"#);
        p.frame(16.0, Speed::Times(60), || true);
        assert_eq!(p.sim().now(), at_us(960_000), "16 ms at 60× is 0.96 simulated seconds");
        p.frame(50.0, Speed::Times(1), || true);
        assert_eq!(p.sim().now(), at_us(1_010_000));
    }

    #[test]
    fn a_returning_background_tab_does_not_catch_up() {
        let mut p = player(r#"{ "duration_s": 3600 }"#);
        // Ten minutes in the background at 10×: one clamped frame of 100 ms, i.e. 1 s.
        p.frame(600_000.0, Speed::Times(10), || true);
        assert_eq!(p.sim().now(), SimTime::from_secs(1));
        p.frame(f64::NAN, Speed::Times(10), || true);
        assert_eq!(p.sim().now(), SimTime::from_secs(1), "a nonsense clock moves nothing");
    }

    #[test]
    fn an_exhausted_budget_stops_the_frame_short() {
        let mut p = player(r#"{ "duration_s": 300, "traffic": { "rate_per_s": 2000 } }"#);
        let report = p.frame(100.0, Speed::Max, || false);
        assert!(report.events > 0 && !report.finished);
        assert!(p.sim().now() < p.sim().end(), "one slice only, not the whole run");
        while !p.frame(100.0, Speed::Max, || true).finished {}
        assert!(p.sim().is_finished());
    }

    #[test]
    fn speeds_step_up_and_down_within_bounds() {
        assert_eq!(Speed::Times(1).slower(), Speed::Times(1));
        assert_eq!(Speed::Times(1).faster(), Speed::Times(10));
        assert_eq!(Speed::Max.faster(), Speed::Max);
        assert_eq!(Speed::Max.slower(), Speed::Times(7200));
        assert_eq!(Speed::Times(3600).label(), "3600×");
    }

    #[test]
    fn max_is_faster_than_every_offered_speed_yet_finite() {
        // The pool view multiplies arrivals by it: no arrivals stay none at max.
        assert_eq!(Speed::Times(600).factor(), 600.0);
        assert!(Speed::ALL.iter().all(|s| *s == Speed::Max || s.factor() < Speed::Max.factor()));
        assert_eq!(0.0 * Speed::Max.factor(), 0.0);
    }

    #[test]
    fn racing_to_a_time_stops_there_and_never_passes_the_end() {
        let mut p = player(r#"{ "duration_s": 600 }"#);
        let report = p.race_to(SimTime::from_secs(90), || true);
        assert_eq!(p.sim().now(), SimTime::from_secs(90));
        assert!(!report.finished);
        p.race_to(SimTime::MAX, || true);
        assert!(p.sim().is_finished());
    }

    #[test]
    fn step_advances_one_simulated_second() {
        let mut p = player(r#"{ "duration_s": 2 }"#);
        p.step_second();
        assert_eq!(p.sim().now(), SimTime::from_secs(1));
        p.step_second();
        let report = p.step_second();
        assert!(report.finished);
        assert_eq!(p.sim().now(), SimTime::from_secs(2), "never past the end");
    }
}
