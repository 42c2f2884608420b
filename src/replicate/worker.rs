//! The replication worker: a Web Worker (gloo-worker) that runs replications of a plan,
//! one per message, and answers with each run's outcomes.
//!
//! The page first sends the plan ([`Input::Plan`]: the scenario and the what-ifs as JSON,
//! read as files are), then one [`Input::Run`] at a time. One run per message keeps
//! cancelling prompt: a worker reads its next message (the one that tells it to stop)
//! as soon as its run is done. Messages are bincode, gloo-worker's own codec: outcomes
//! cross to the page to the bit, so the page's statistics are `poolsim replicate`'s.

use gloo_worker::{HandlerId, Worker, WorkerScope};
use poolsim_content::replications::{ReplicationError, replication};
use poolsim_content::variants::VariantKind;
use poolsim_engine::Scenario;
use poolsim_engine::replicate::Outcome;
use serde::{Deserialize, Serialize};

/// What the page asks of a worker.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Input {
    /// What every later run runs: the base scenario (JSON) and the what-ifs, "as it
    /// happened" first.
    Plan {
        /// The scenario as JSON ([`Scenario::from_json`] reads it).
        scenario: String,
        /// The rows, in order, as JSON (`poolsim replicate --variant`'s form: bincode
        /// cannot carry their internally tagged enum).
        kinds: String,
    },
    /// Run replication `i` of every row.
    Run(u32),
}

/// What a worker answers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Output {
    /// Replication `run`'s outcome of every row, in row order.
    Ran {
        /// The replication index.
        run: u32,
        /// One outcome per row.
        outcomes: Vec<Outcome>,
    },
    /// Replication `run` could not run, and why (in words, with its row and seed).
    Failed {
        /// The replication index.
        run: u32,
        /// Why.
        message: String,
    },
}

/// A worker's state: the plan it runs.
#[derive(Debug, Default)]
pub struct ReplicationWorker {
    plan: Option<(Scenario, Vec<VariantKind>)>,
}

impl Worker for ReplicationWorker {
    type Message = ();
    type Input = Input;
    type Output = Output;

    fn create(_scope: &WorkerScope<Self>) -> Self {
        Self::default()
    }

    fn update(&mut self, _scope: &WorkerScope<Self>, _msg: ()) {}

    fn received(&mut self, scope: &WorkerScope<Self>, msg: Input, id: HandlerId) {
        match msg {
            Input::Plan { scenario, kinds } => {
                // The page validated both already; a plan that cannot be read fails each run.
                let kinds = serde_json::from_str::<Vec<VariantKind>>(&kinds).ok();
                self.plan = Scenario::from_json(&scenario).ok().zip(kinds);
            }
            Input::Run(run) => scope.respond(id, self.run(run)),
        }
    }
}

impl ReplicationWorker {
    /// Replication `run` of the plan, as the page is told it.
    fn run(&self, run: u32) -> Output {
        let Some((base, kinds)) = &self.plan else {
            return Output::Failed { run, message: "the worker has no scenario to run".into() };
        };
        match replication(base, kinds, run) {
            Ok(outcomes) => Output::Ran { run, outcomes },
            Err(e) => Output::Failed { run, message: failure(run, &e) },
        }
    }
}

/// "run 7 (seed 123…), row 2: pool.max_size: …".
pub fn failure(run: u32, e: &ReplicationError) -> String {
    format!("run {run} (seed {}), row {}: {}", e.seed, e.row, e.error)
}
