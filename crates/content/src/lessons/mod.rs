//! Lessons for teaching resource management, kept as data (`lessons/*.json`): a preset,
//! and steps that each change the timeline (apply a fix at a time), run the simulation
//! (to a time or to the end) and ask the learner to predict a number before seeing it.
//! The answer is always the real simulated outcome; where a formula predicts it (Little's
//! law, the time a leak takes to exhaust the pool) the formula's estimate is shown beside
//! it, so the learner sees the model, the simulation and their own guess side by side.
//!
//! ```
//! use poolsim_content::lessons;
//! let lesson = lessons::find("littles-law").expect("a lesson");
//! let answer = lesson.steps[0].answer(&lesson).expect("it runs");
//! assert!(answer.simulated.is_some_and(|busy| busy > 7.5 && busy < 8.5));
//! ```

pub mod drills;
pub mod glossary;

use serde::Deserialize;

use crate::presets;
use poolsim_engine::ScenarioError;
use poolsim_engine::SimTime;
use poolsim_engine::Simulation;
use poolsim_engine::analytic::{littles_law_active, time_to_exhaustion_s};
use poolsim_engine::scenario::Scenario;
use poolsim_engine::scenario::TimedEvent;

/// The lessons' files, in teaching order.
const FILES: [&str; 8] = [
    include_str!("../../lessons/01-littles-law.json"),
    include_str!("../../lessons/02-queueing.json"),
    include_str!("../../lessons/03-slow-death.json"),
    include_str!("../../lessons/04-bigger-pool.json"),
    include_str!("../../lessons/05-rollback-or-restart.json"),
    include_str!("../../lessons/06-detection-or-reclaim.json"),
    include_str!("../../lessons/07-which-alert.json"),
    include_str!("../../lessons/08-june-15.json"),
];

/// A lesson: a preset and the steps that walk through it.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Lesson {
    /// Short kebab-case name, for links (`learn.html#littles-law`) and saved progress.
    pub id: String,
    /// The title.
    pub title: String,
    /// The preset the lesson runs (see [`presets`]).
    pub preset: String,
    /// What the lesson is about, in a few sentences.
    pub intro: String,
    /// The steps, in order.
    pub steps: Vec<Step>,
}

/// One step: what to do to the scenario, how far to run it, and what to predict.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Step {
    /// What happens, and the idea behind it.
    pub text: String,
    /// Timeline events this step adds to the preset (a fix at a time).
    #[serde(default)]
    pub events: Vec<TimedEvent>,
    /// Run to this time [s from the start]; the end of the scenario if absent.
    #[serde(default)]
    pub until_s: Option<u64>,
    /// What the learner predicts before running.
    pub question: Question,
    /// What the answer shows, said after the run.
    pub explain: String,
}

/// A prediction to make: a number, judged against the simulation within a tolerance.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Question {
    /// The question, as the learner reads it.
    pub ask: String,
    /// What is measured.
    pub quantity: Quantity,
    /// The unit the answer is in.
    pub unit: String,
    /// How far off a prediction may be and still count [share of the simulated value].
    pub tolerance: f64,
}

/// What a question measures in a run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Quantity {
    /// Mean connections in use over the run (`hikaricp_connections_active`).
    MeanActive,
    /// Minutes from the start until the pool first ran out.
    MinutesToExhaustion,
    /// Requests that failed, as a share of all requests [%].
    FailedPercent,
    /// Requests that failed.
    Failed,
    /// Connections leaked so far.
    Leaked,
    /// Minutes from the start until the first alert fired.
    MinutesToFirstAlert,
}

/// The answer to a step's question.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Answer {
    /// What the simulation measured; `None` when it never happened (the pool never ran out).
    pub simulated: Option<f64>,
    /// What a formula predicts, where one does.
    pub analytic: Option<f64>,
}

/// How close a prediction came.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Grade {
    /// Within the question's tolerance of the simulated value.
    Close,
    /// Off: the prediction divided by the simulated value (`f64::INFINITY` when the
    /// simulation says zero and the prediction does not).
    Off { ratio: f64 },
    /// The simulation never reached the quantity (nothing to compare with).
    Never,
}

/// Every lesson, in teaching order. The files are part of poolsim and checked by its
/// tests, so reading them cannot fail in a build that passed them.
pub fn all() -> Vec<Lesson> {
    FILES.iter().filter_map(|json| serde_json::from_str(json).ok()).collect()
}

/// The lesson called `id`.
pub fn find(id: &str) -> Option<Lesson> {
    all().into_iter().find(|l| l.id == id)
}

impl Step {
    /// The scenario this step runs: the lesson's preset with the step's events added.
    pub fn scenario(&self, lesson: &Lesson) -> Result<Scenario, ScenarioError> {
        let mut scenario = presets::load(&lesson.preset)?;
        scenario.events.extend(self.events.iter().cloned());
        TimedEvent::sort(&mut scenario.events);
        scenario.validate()?;
        Ok(scenario)
    }

    /// Run the step and measure its question's quantity (and the formula's estimate).
    pub fn answer(&self, lesson: &Lesson) -> Result<Answer, ScenarioError> {
        let scenario = self.scenario(lesson)?;
        let mut sim = Simulation::new(&scenario)?;
        let end = self.until_s.map_or(sim.end(), |s| SimTime::from_secs(s).min(sim.end()));
        // The time is within the run (clamped above): advancing cannot fail.
        let _ = sim.advance_to(end);
        Ok(Answer { simulated: measure(self.question.quantity, &sim), analytic: estimate(self, &scenario) })
    }
}

/// The quantity in `sim` as it is now.
fn measure(quantity: Quantity, sim: &Simulation) -> Option<f64> {
    let summary = sim.summary();
    match quantity {
        Quantity::MeanActive => {
            let samples = sim.samples();
            (!samples.is_empty()).then(|| {
                samples.iter().map(|s| f64::from(s.gauges.active)).sum::<f64>() / samples.len() as f64
            })
        }
        Quantity::MinutesToExhaustion => summary.milestones.first_exhaustion_s.map(|t| t / 60.0),
        Quantity::FailedPercent => Some(summary.counts.failed_share * 100.0),
        Quantity::Failed => Some(summary.counts.failed as f64),
        Quantity::Leaked => Some(summary.counts.leaked as f64),
        Quantity::MinutesToFirstAlert => {
            summary.alerts.values().flatten().copied().reduce(f64::min).map(|t| t / 60.0)
        }
    }
}

/// What a formula predicts for the step, where one does: Little's law for the mean in
/// use, the leak formula for the minutes to exhaustion (a leak present from the start).
fn estimate(step: &Step, scenario: &Scenario) -> Option<f64> {
    let (rate, hold) = (scenario.traffic.rate_per_s, scenario.work.hold_ms);
    match step.question.quantity {
        Quantity::MeanActive => Some(littles_law_active(rate, hold)),
        Quantity::MinutesToExhaustion => {
            let size = pool_size_at_start(scenario);
            let (p, from_s) = leak_from(scenario)?;
            time_to_exhaustion_s(size, rate, hold, p).map(|t| (from_s + t) / 60.0)
        }
        Quantity::Leaked => {
            let (p, from_s) = leak_from(scenario)?;
            let until = step.until_s.map_or(scenario.duration_s as f64, |s| s as f64);
            Some(rate * p * (until - from_s).max(0.0))
        }
        _ => None,
    }
}

/// The pool size in force at the start (a resize at time 0 counts).
fn pool_size_at_start(scenario: &Scenario) -> u32 {
    scenario
        .events
        .iter()
        .filter(|e| e.at_s == 0.0)
        .find_map(|e| match e.action {
            poolsim_engine::Action::ResizePool { max_size, .. } => Some(max_size),
            _ => None,
        })
        .unwrap_or(scenario.pool.max_size)
}

/// The leak probability and when it starts [s]: from the start, or the first deploy.
fn leak_from(scenario: &Scenario) -> Option<(f64, f64)> {
    if scenario.leak.probability > 0.0 {
        return Some((scenario.leak.probability, 0.0));
    }
    scenario.events.iter().find_map(|e| match e.action {
        poolsim_engine::Action::DeployLeak { probability } if probability > 0.0 => {
            Some((probability, e.at_s))
        }
        _ => None,
    })
}

/// How `prediction` compares with the answer, within `tolerance` (a share).
pub fn grade(prediction: f64, answer: &Answer, tolerance: f64) -> Grade {
    let Some(truth) = answer.simulated else { return Grade::Never };
    if (prediction - truth).abs() <= tolerance * truth.abs().max(1.0) {
        return Grade::Close;
    }
    let ratio = if truth == 0.0 { f64::INFINITY } else { prediction / truth };
    Grade::Off { ratio }
}
