//! The replication worker: a Web Worker (gloo-worker) that runs the runs of a plan, one
//! per message, and answers with each run's outcomes. The one protocol every batch of
//! runs on the compare page speaks: "How sure?"'s what-ifs, a sweep's cells and the
//! smallest-pool search's pool sizes.
//!
//! The page first sends the plan ([`Input::Plan`]: the scenario as JSON, read as files
//! are, and the [`Job`]), then one [`Input::Run`] at a time. One run per message keeps
//! cancelling prompt: a worker reads its next message (the one that tells it to stop)
//! as soon as its run is done. Messages are bincode, gloo-worker's own format ([`Wire`]):
//! outcomes cross to the page to the bit, so the page's statistics are the command line's
//! (`poolsim replicate`, `poolsim sweep`, `poolsim smallest-pool`) for the same runs.

use gloo_worker::{Codec, HandlerId, Worker, WorkerScope};
use js_sys::Uint8Array;
use poolsim_content::replications::{ReplicationError, replication};
use poolsim_content::variants::VariantKind;
use poolsim_engine::Scenario;
use poolsim_engine::replicate::sweep::{Axis, Knob, Sweep};
use poolsim_engine::replicate::{self, Outcome};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use wasm_bindgen::JsValue;

/// The messages' codec: bincode, as gloo-worker's own [`gloo_worker::Bincode`] writes
/// them, without its panic messages. A message that does not decode is a bug either way;
/// formatting bincode's error for the panic (its `Debug`, and the I/O errors' with it)
/// would cost every page that runs workers about 1.5 KB of download.
#[derive(Debug)]
pub struct Wire;

impl Codec for Wire {
    fn encode<I: Serialize>(input: I) -> JsValue {
        match bincode::serialize(&input) {
            Ok(bytes) => Uint8Array::from(bytes.as_slice()).into(),
            Err(_) => wasm_bindgen::throw_str("poolsim: a worker message could not be encoded"),
        }
    }

    fn decode<O: DeserializeOwned>(input: JsValue) -> O {
        bincode::deserialize(&Uint8Array::from(input).to_vec())
            .unwrap_or_else(|_| wasm_bindgen::throw_str("poolsim: a worker message could not be decoded"))
    }
}

/// What the page asks of a worker.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Input {
    /// What every later run runs: the base scenario and the job.
    Plan {
        /// The scenario as JSON ([`Scenario::from_json`] reads it).
        scenario: String,
        /// What a run of it is.
        job: Job,
    },
    /// Run run `i` of the plan.
    Run(u32),
}

/// What one run of a plan is.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Job {
    /// One scenario as it is: run `i` is its replication `i` (`poolsim replicate` without
    /// what-ifs), for a page that says how sure one run is.
    Seeds,
    /// "How sure?": run `i` is replication `i` of every what-if, answered in row order.
    Variants {
        /// The rows, in order, "as it happened" first, as JSON (`poolsim replicate
        /// --variant`'s form: bincode cannot carry their internally tagged enum).
        kinds: String,
    },
    /// A sweep: run `n` is replication `n % runs` of cell `n / runs`, as `poolsim sweep`
    /// numbers its runs (so its seeds are the command line's).
    Sweep {
        /// The columns' axis, `KNOB=FROM..TO:STEPS[:log]`.
        x: String,
        /// The rows' axis, if any.
        y: Option<String>,
        /// Runs of each cell.
        runs: u32,
    },
    /// One pool size of the smallest-pool search: run `i` is replication `i` with a pool
    /// of `max_size`, stopped at `until_s` (`poolsim smallest-pool`'s runs).
    Pool {
        /// `pool.max_size` [connections].
        max_size: u32,
        /// Where the run may stop [s from the start]; `None`: its end.
        until_s: Option<f64>,
    },
}

/// What a worker answers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Output {
    /// Run `run`'s outcomes: one per what-if, in row order, or the one of a sweep's cell
    /// or of a pool size.
    Ran {
        /// The run's number in the plan.
        run: u32,
        /// Its outcomes.
        outcomes: Vec<Outcome>,
    },
    /// Run `run` could not run, and why (in words, with its seed).
    Failed {
        /// The run's number in the plan.
        run: u32,
        /// Why.
        message: String,
    },
}

/// A plan read: what each run runs.
#[derive(Debug)]
enum Plan {
    Seeds(Scenario),
    Variants(Scenario, Vec<VariantKind>),
    Sweep(Scenario, Sweep, u32),
    Pool(Scenario, Option<f64>),
}

impl Plan {
    /// The plan `job` of `scenario` (JSON), or why it cannot be read (the page checked
    /// both already: this is a bug's message).
    fn read(scenario: &str, job: Job) -> Result<Plan, String> {
        let base = Scenario::from_json(scenario).map_err(|e| e.to_string())?;
        let axis = |text: &str| Axis::parse(text).map_err(|e| format!("{text}: {e}"));
        Ok(match job {
            Job::Seeds => Plan::Seeds(base),
            Job::Variants { kinds } => {
                Plan::Variants(base, serde_json::from_str(&kinds).map_err(|e| e.to_string())?)
            }
            Job::Sweep { x, y, runs } => {
                let y = y.as_deref().map(axis).transpose()?;
                Plan::Sweep(base, Sweep::new(axis(&x)?, y).map_err(|e| e.to_string())?, runs.max(1))
            }
            Job::Pool { max_size, until_s } => {
                Plan::Pool(Knob::MaxSize.with(&base, f64::from(max_size)), until_s)
            }
        })
    }

    /// Run `run`.
    fn run(&self, run: u32) -> Output {
        let ran = |outcomes| Output::Ran { run, outcomes };
        let failed = |message| Output::Failed { run, message };
        match self {
            Plan::Seeds(base) => match replicate::run(base, run) {
                Ok(outcome) => ran(vec![outcome]),
                Err(e) => {
                    failed(format!("run {run} (seed {}): {e}", replicate::replication_seed(base.seed, run)))
                }
            },
            Plan::Variants(base, kinds) => match replication(base, kinds, run) {
                Ok(outcomes) => ran(outcomes),
                Err(e) => failed(failure(run, &e)),
            },
            Plan::Sweep(base, sweep, runs) => {
                let (index, i) = Sweep::cell_and_run(run, *runs);
                if index >= sweep.len() {
                    return failed(format!("run {run} is beyond the sweep's {} cells", sweep.len()));
                }
                match sweep.run(base, &sweep.cell(index), i) {
                    Ok(outcome) => ran(vec![outcome]),
                    Err(e) => failed(format!(
                        "cell {}, run {i} (seed {}): {e}",
                        index + 1,
                        replicate::replication_seed(base.seed, i)
                    )),
                }
            }
            Plan::Pool(scenario, until_s) => match replicate::run_until(scenario, run, *until_s) {
                Ok(outcome) => ran(vec![outcome]),
                Err(e) => failed(format!(
                    "a pool of {}, run {run} (seed {}): {e}",
                    scenario.pool.max_size,
                    replicate::replication_seed(scenario.seed, run)
                )),
            },
        }
    }
}

/// A worker's state: the plan it runs, or why it could not read it.
#[derive(Debug)]
pub struct ReplicationWorker {
    plan: Result<Plan, String>,
}

impl Worker for ReplicationWorker {
    type Message = ();
    type Input = Input;
    type Output = Output;

    fn create(_scope: &WorkerScope<Self>) -> Self {
        Self { plan: Err("the worker has no scenario to run".into()) }
    }

    fn update(&mut self, _scope: &WorkerScope<Self>, _msg: ()) {}

    fn received(&mut self, scope: &WorkerScope<Self>, msg: Input, id: HandlerId) {
        match msg {
            Input::Plan { scenario, job } => self.plan = Plan::read(&scenario, job),
            Input::Run(run) => scope.respond(id, run_of(&self.plan, run)),
        }
    }
}

/// Run `run` of `plan`, or say that there is no plan to run.
fn run_of(plan: &Result<Plan, String>, run: u32) -> Output {
    match plan {
        Ok(plan) => plan.run(run),
        Err(why) => Output::Failed { run, message: format!("the plan could not be read: {why}") },
    }
}

/// "run 7 (seed 123…), row 2: pool.max_size: …".
pub fn failure(run: u32, e: &ReplicationError) -> String {
    format!("run {run} (seed {}), row {}: {}", e.seed, e.row, e.error)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan(job: Job) -> Plan {
        let scenario = poolsim_content::export::scenario_json(&Scenario::default());
        Plan::read(&scenario, job).expect("a plan")
    }

    #[test]
    fn a_sweeps_run_n_is_the_command_lines_cell_and_replication() {
        let (x, y) = ("pool.max_size=5..20:4", "traffic.rate_per_s=50..100:2");
        let p = plan(Job::Sweep { x: x.into(), y: Some(y.into()), runs: 3 });
        let sweep = Sweep::new(Axis::parse(x).expect("x"), Some(Axis::parse(y).expect("y"))).expect("sweep");
        let base = Scenario::default();
        // Run 16 is cell 5 (second row, second column), replication 1.
        let expected = sweep.run(&base, &sweep.cell(5), 1).expect("runs");
        assert_eq!(p.run(16), Output::Ran { run: 16, outcomes: vec![expected] });
        assert!(matches!(p.run(24), Output::Failed { run: 24, .. }), "8 cells × 3 runs");
    }

    #[test]
    fn a_seeds_run_is_the_scenarios_replication_as_it_happened() {
        let p = plan(Job::Seeds);
        let base = Scenario::default();
        let kinds = [VariantKind::AsItHappened {}];
        let as_it_happened = replication(&base, &kinds, 3).expect("runs");
        assert_eq!(p.run(3), Output::Ran { run: 3, outcomes: as_it_happened });
        assert_ne!(p.run(3), p.run(4), "each run has its own seed");
    }

    #[test]
    fn a_pool_sizes_run_stops_where_the_search_asks() {
        let p = plan(Job::Pool { max_size: 7, until_s: Some(60.0) });
        let expected = replicate::run_until(&Knob::MaxSize.with(&Scenario::default(), 7.0), 2, Some(60.0))
            .expect("runs");
        assert_eq!(p.run(2), Output::Ran { run: 2, outcomes: vec![expected] });
        let unreadable = Plan::read("{", Job::Pool { max_size: 7, until_s: None });
        assert!(matches!(run_of(&unreadable, 0), Output::Failed { run: 0, .. }));
    }
}
