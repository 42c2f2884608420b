//! Lessons for teaching resource management, kept as data (`lessons/*.json`): a preset,
//! and steps that each change the timeline (apply a fix at a time), run the simulation
//! (to a time or to the end) and ask the learner to predict a number before seeing it.
//! The answer is always the real simulated outcome; where a formula predicts it (Little's
//! law, the time a leak takes to exhaust the pool, the database's cores as a queue's
//! servers, the Universal Scalability Law) the formula's estimate is shown beside it, so
//! the learner sees the model, the simulation and their own guess side by side. A run
//! that models its callers is also measured by their attempts per request and the share
//! answered in time. A step may run its scenario over many seeds ([`Step::replications`]):
//! its prediction is then graded against the range of 90 % of the runs ([`Spread`]), not
//! against one run.
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
use poolsim_engine::analytic::{
    erlang_c_mean_wait_ms, fleet_connection_excess, littles_law_active, time_to_exhaustion_s, usl_capacity,
    usl_saturated_query_ms,
};
use poolsim_engine::replicate::{Metric, Percentiles, Replications};
use poolsim_engine::scenario::TimedEvent;
use poolsim_engine::scenario::{Action, DatabaseConfig, FleetConfig, HoldDistribution, Scenario};

/// The lessons' files, in teaching order.
const FILES: [&str; 12] = [
    include_str!("../../lessons/01-littles-law.json"),
    include_str!("../../lessons/02-queueing.json"),
    include_str!("../../lessons/03-slow-death.json"),
    include_str!("../../lessons/04-bigger-pool.json"),
    include_str!("../../lessons/05-rollback-or-restart.json"),
    include_str!("../../lessons/06-detection-or-reclaim.json"),
    include_str!("../../lessons/07-which-alert.json"),
    include_str!("../../lessons/08-june-15.json"),
    include_str!("../../lessons/09-pool-size.json"),
    include_str!("../../lessons/10-fleet-arithmetic.json"),
    include_str!("../../lessons/11-retries.json"),
    include_str!("../../lessons/12-how-sure.json"),
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
    /// The preset this step runs instead of the lesson's, if any: a lesson may set two
    /// databases side by side.
    #[serde(default)]
    pub preset: Option<String>,
    /// Timeline events this step adds to the preset (a fix at a time).
    #[serde(default)]
    pub events: Vec<TimedEvent>,
    /// Run to this time [s from the start]; the end of the scenario if absent.
    #[serde(default)]
    pub until_s: Option<u64>,
    /// The chart the step's figure shows beside its text, by its short name (`connections`,
    /// `pending`, `acquire`, `goodput` …: `poolsim_charts::ChartKind::slug`); the
    /// connections chart if absent ([`DEFAULT_CHART`]).
    #[serde(default)]
    pub chart: Option<String>,
    /// Run the step's scenario this many times, replication `i` with the seed `poolsim
    /// replicate` gives it (10 to 1,000), and grade the prediction against the range of
    /// 90 % of the runs ([`Spread`]); only for a quantity a replication measures
    /// ([`Quantity::replicated`]). Every replicated step of a lesson runs the same scenario
    /// the same number of times: the learn page runs them once and every such step asks
    /// its question of them.
    #[serde(default)]
    pub replications: Option<u32>,
    /// What the learner predicts before running.
    pub question: Question,
    /// What the answer shows, said after the run.
    pub explain: String,
}

/// The chart a step's figure shows when the step names none: the pool's connections.
pub const DEFAULT_CHART: &str = "connections";

/// The moment a step's text talks about, marked on its figure.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Moment {
    /// When [s from the start of the run].
    pub at_s: f64,
    /// What happens then, in a few words ("the pool runs out").
    pub what: &'static str,
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
    /// Mean response [ms]: the wait for a connection plus the query in the database
    /// ([`Summary::mean_response_ms`](poolsim_engine::Summary::mean_response_ms)).
    MeanResponseMs,
    /// Mean time a query spent in the database [ms].
    MeanQueryMs,
    /// Queries the database finished per second of the run so far.
    QueriesPerS,
    /// Most connections the database held at once, every instance's together.
    PeakDbConnections,
    /// Attempts (first tries and retries) per first try over the last minute of the run
    /// so far: how many times each request is tried at that moment of a retry storm.
    AttemptsPerRequest,
    /// Requests answered before their caller's deadline, as a share of all requests [%]
    /// (the goodput of a run that models its callers).
    AnsweredInTimePercent,
}

impl Quantity {
    /// What a replication's outcome measures of this quantity, and the factor from the
    /// outcome's unit to the question's: `None` for a quantity only one run measures.
    pub fn replicated(self) -> Option<(Metric, f64)> {
        match self {
            Quantity::MinutesToExhaustion => Some((Metric::FirstExhaustionS, 1.0 / 60.0)),
            Quantity::FailedPercent => Some((Metric::FailedShare, 100.0)),
            _ => None,
        }
    }
}

/// How a quantity spread over a replicated step's runs, in the question's unit.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Spread {
    /// Runs in.
    pub runs: u32,
    /// Of those, the runs where the quantity happened (the pool ran out at all).
    pub reached: u32,
    /// 5th percentile (nearest rank, as `poolsim replicate` reports it).
    pub low: f64,
    /// Median.
    pub median: f64,
    /// 95th percentile.
    pub high: f64,
}

impl Spread {
    /// The spread of `quantity` over `runs`; `None` before a run where it happened, or
    /// for a quantity replications do not measure.
    pub fn of(quantity: Quantity, runs: &Replications) -> Option<Spread> {
        let (metric, scale) = quantity.replicated()?;
        let values = runs.values(metric);
        let p = Percentiles::of(&values)?;
        Some(Spread {
            runs: u32::try_from(runs.len()).unwrap_or(u32::MAX),
            reached: u32::try_from(values.len()).unwrap_or(u32::MAX),
            low: p.p5 * scale,
            median: p.median * scale,
            high: p.p95 * scale,
        })
    }
}

/// Where a prediction falls against the runs of a replicated step.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Band {
    /// Below the range of 90 % of the runs.
    Below,
    /// Within it.
    Inside,
    /// Above it.
    Above,
}

/// Where `prediction` falls against `spread`.
pub fn band(prediction: f64, spread: &Spread) -> Band {
    if prediction < spread.low {
        Band::Below
    } else if prediction > spread.high {
        Band::Above
    } else {
        Band::Inside
    }
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
    /// The name of the preset this step runs: its own, or the lesson's.
    pub fn preset<'a>(&'a self, lesson: &'a Lesson) -> &'a str {
        self.preset.as_deref().unwrap_or(&lesson.preset)
    }

    /// The scenario this step runs: its preset with the step's events added.
    pub fn scenario(&self, lesson: &Lesson) -> Result<Scenario, ScenarioError> {
        let mut scenario = presets::load(self.preset(lesson))?;
        scenario.events.extend(self.events.iter().cloned());
        TimedEvent::sort(&mut scenario.events);
        scenario.validate()?;
        Ok(scenario)
    }

    /// The chart its figure shows: the one the step names, else [`DEFAULT_CHART`].
    pub fn chart_name(&self) -> &str {
        self.chart.as_deref().unwrap_or(DEFAULT_CHART)
    }

    /// The moment the step's question is about, in a run of `duration_s` that gave `answer`:
    /// when the pool ran out or the first alert fired for a question about that time, else
    /// the time the step runs to, else the end of the run.
    pub fn moment(&self, answer: &Answer, duration_s: u64) -> Moment {
        let when = |what| answer.simulated.map(|min| Moment { at_s: min * 60.0, what });
        let answered = match self.question.quantity {
            Quantity::MinutesToExhaustion => when("the pool runs out"),
            Quantity::MinutesToFirstAlert => when("the first alert fires"),
            _ => None,
        };
        answered.unwrap_or(match self.until_s {
            Some(s) if s < duration_s => Moment { at_s: s as f64, what: "the time the question asks about" },
            _ => Moment { at_s: duration_s as f64, what: "the end of the run the question is about" },
        })
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

/// The stretch [`Quantity::AttemptsPerRequest`] counts over: the last minute [one-second samples].
const ATTEMPTS_WINDOW_S: usize = 60;

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
        Quantity::MeanResponseMs => summary.mean_response_ms(),
        Quantity::MeanQueryMs => summary.database.as_ref().map(|db| db.mean_query_ms),
        Quantity::PeakDbConnections => summary.database.as_ref().map(|db| f64::from(db.peak_connections)),
        Quantity::AttemptsPerRequest => {
            let callers = sim.caller_samples();
            let last_minute = &callers[callers.len().saturating_sub(ATTEMPTS_WINDOW_S)..];
            let (firsts, retries) = last_minute
                .iter()
                .fold((0u64, 0u64), |(f, r), c| (f + u64::from(c.first_tries), r + u64::from(c.retries)));
            (firsts > 0).then(|| (firsts + retries) as f64 / firsts as f64)
        }
        Quantity::AnsweredInTimePercent => summary.callers.as_ref().map(|c| c.goodput_share * 100.0),
        Quantity::QueriesPerS => summary
            .database
            .as_ref()
            .filter(|_| summary.simulated_s > 0.0)
            .map(|db| db.queries as f64 / summary.simulated_s),
    }
}

/// What a formula predicts for the step, where one does: Little's law for the mean in
/// use, the leak formula for the minutes to exhaustion (a leak present from the start),
/// and for a database at a steady load ([`QueryLoad`]): the cores as an M/M/c queue's
/// servers for the mean response, the Universal Scalability Law for the query time of a
/// saturated pool and the queries a second.
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
        Quantity::MeanResponseMs => QueryLoad::of(step, scenario)?.queued_at_the_cores_ms(),
        Quantity::MeanQueryMs => QueryLoad::of(step, scenario)?.saturated_query_ms(),
        Quantity::QueriesPerS => QueryLoad::of(step, scenario)?.queries_per_s(),
        Quantity::PeakDbConnections => fleet_connections(step, scenario),
        _ => None,
    }
}

/// Fleet arithmetic: the connections a fleet can hold, `K × max_size` (the largest pool the
/// timeline sets up to the step's end) but no more than the database's usable slots.
fn fleet_connections(step: &Step, scenario: &Scenario) -> Option<f64> {
    let db = scenario.database.as_ref()?;
    let until = step.until_s.map_or(scenario.duration_s as f64, |s| s as f64);
    let largest = scenario
        .events
        .iter()
        .filter(|e| e.at_s <= until)
        .filter_map(|e| match e.action {
            Action::ResizePool { max_size, .. } => Some(max_size),
            _ => None,
        })
        .fold(scenario.pool.max_size, u32::max);
    let instances = FleetConfig::instances_of(scenario);
    let excess = fleet_connection_excess(instances, largest, db.max_connections, db.reserved_connections);
    Some(f64::from(instances) * f64::from(largest) - excess.max(0) as f64)
}

/// A steady load of queries on a database, as the formulas see it: the rate and pool in
/// force at the start, unchanged until the step's end, each hold a query alone in the
/// database (`db_share` 1), of one mean (no slow share).
struct QueryLoad<'a> {
    database: &'a DatabaseConfig,
    /// Arrivals [requests/s].
    rate_per_s: f64,
    /// A query's time alone [ms].
    service_ms: f64,
    /// Connections.
    pool: u32,
    hold_distribution: HoldDistribution,
}

/// A database whose contention (σ) is at most this, without coherency cost, is taken
/// for CPU-bound: its cores serve as an M/M/c queue's servers.
const CPU_BOUND_CONTENTION: f64 = 0.01;

impl<'a> QueryLoad<'a> {
    /// The load of `scenario` up to the step's end, if it is one the formulas describe.
    fn of(step: &Step, scenario: &'a Scenario) -> Option<Self> {
        let database = scenario.database.as_ref()?;
        let until = step.until_s.map_or(scenario.duration_s as f64, |s| s as f64);
        let changes = scenario.events.iter().any(|e| {
            e.at_s > 0.0
                && e.at_s < until
                && matches!(e.action, Action::SetRate { .. } | Action::SetHold { .. })
        });
        let steady = !changes && database.db_share == 1.0 && scenario.work.slow_share == 0.0;
        steady.then(|| QueryLoad {
            database,
            rate_per_s: rate_at_start(scenario),
            service_ms: scenario.work.hold_ms,
            pool: pool_size_at_start(scenario),
            hold_distribution: scenario.work.hold_distribution,
        })
    }

    /// Mean response [ms] with the database's cores as the servers of an M/M/c queue:
    /// the query's time plus Erlang C's wait. The pool is not in the formula: a pool of
    /// at least the cores only decides where the wait happens. For a CPU-bound database
    /// with exponential query times and a pool of at least its cores.
    fn queued_at_the_cores_ms(&self) -> Option<f64> {
        let db = self.database;
        let cpu_bound = db.contention <= CPU_BOUND_CONTENTION && db.coherency == 0.0;
        if !cpu_bound || self.hold_distribution != HoldDistribution::Exponential || self.pool < db.cores {
            return None;
        }
        erlang_c_mean_wait_ms(db.cores, self.rate_per_s, self.service_ms).map(|wait| wait + self.service_ms)
    }

    /// The database's throughput with `n` queries running, in queries alone at a time.
    fn capacity(&self, n: u32) -> f64 {
        let db = self.database;
        usl_capacity(n, db.cores, db.contention, db.coherency)
    }

    /// The load in queries alone at a time (λ·S).
    fn load(&self) -> f64 {
        self.rate_per_s * self.service_ms / 1000.0
    }

    /// The load is more than the database gets through with any number of queries the
    /// pool lets run at once: every connection stays busy, and the queue is the pool's.
    fn saturates_the_pool(&self) -> bool {
        let best = (1..=self.pool).map(|n| self.capacity(n)).fold(0.0, f64::max);
        self.load() >= best
    }

    /// Mean query time [ms] of a pool that never has a connection free: Little's law on
    /// the database with the USL's throughput; `None` for a load the pool keeps up with.
    fn saturated_query_ms(&self) -> Option<f64> {
        let db = self.database;
        if !self.saturates_the_pool() {
            return None;
        }
        usl_saturated_query_ms(self.pool, db.cores, db.contention, db.coherency, self.service_ms)
    }

    /// Queries a second: every one that arrives while the database gets through more than
    /// that even with the whole pool running; what the USL's throughput at the pool's size
    /// allows once the pool is saturated. In between a database past its peak may hold
    /// either way (a queue that tips it over stays): `None`.
    fn queries_per_s(&self) -> Option<f64> {
        if self.load() < self.capacity(self.pool) {
            Some(self.rate_per_s)
        } else if self.saturates_the_pool() {
            Some(self.capacity(self.pool) * 1000.0 / self.service_ms)
        } else {
            None
        }
    }
}

/// The arrival rate in force at the start (a rate set at time 0 counts) [requests/s].
fn rate_at_start(scenario: &Scenario) -> f64 {
    set_at_start(scenario, |a| match a {
        Action::SetRate { rate_per_s } => Some(*rate_per_s),
        _ => None,
    })
    .unwrap_or(scenario.traffic.rate_per_s)
}

/// The pool size in force at the start (a resize at time 0 counts).
fn pool_size_at_start(scenario: &Scenario) -> u32 {
    set_at_start(scenario, |a| match a {
        Action::ResizePool { max_size, .. } => Some(*max_size),
        _ => None,
    })
    .unwrap_or(scenario.pool.max_size)
}

/// The value `pick` reads from the last timeline event at time 0 it accepts: events at
/// the same time run in the order listed, so the last one is in force.
fn set_at_start<T>(scenario: &Scenario, pick: impl Fn(&Action) -> Option<T>) -> Option<T> {
    scenario.events.iter().rev().filter(|e| e.at_s == 0.0).find_map(|e| pick(&e.action))
}

/// The leak probability and when it starts [s]: from the start, or the first deploy.
fn leak_from(scenario: &Scenario) -> Option<(f64, f64)> {
    if scenario.leak.probability > 0.0 {
        return Some((scenario.leak.probability, 0.0));
    }
    scenario.events.iter().find_map(|e| match e.action {
        Action::DeployLeak { probability } if probability > 0.0 => Some((probability, e.at_s)),
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
