//! Replications in the browser, off the main thread, on every core: a [`Crew`] of Web
//! Workers ([`worker::ReplicationWorker`], built by Trunk as `poolsim-worker`), as many as
//! `navigator.hardwareConcurrency`, each running one run of a plan ([`Job`]) at a time and
//! handed the next as it answers. Outcomes stream into a [`Tally`]: a [`Batch`] of
//! what-ifs ("How sure?"), whose statistics are the very numbers `poolsim replicate`
//! prints for the same scenario, what-ifs and runs (the same
//! [`poolsim_content::replications`] code runs each replication and reports them), or a
//! sweep's cells ([`SweepRuns`], `poolsim sweep`'s; one pool size's runs, a step of
//! `poolsim smallest-pool`'s search, are a sweep of one cell).
//!
//! Cancelling drops the crew: each worker is told to close, which it does once its
//! current run is done (a run is a fraction of a second for the presets).

pub mod worker;

use std::cell::RefCell;
use std::rc::Rc;

use gloo_worker::{Spawnable, WorkerBridge};
use poolsim_content::replications::Batch;
use poolsim_content::words::count;
use poolsim_engine::Scenario;
use poolsim_engine::replicate::sweep::Sweep;
use poolsim_engine::replicate::{MAX_RUNS, Outcome, Replications};
use yew::Callback;

pub use self::worker::Job;
use self::worker::{Input, Output, ReplicationWorker, Wire};

/// The worker's loader, beside the page (Trunk's `data-loader-shim`).
pub const WORKER_LOADER: &str = "./poolsim-worker_loader.js";

/// The fewest and most runs the page offers.
pub const RUNS: std::ops::RangeInclusive<u32> = 10..=1_000;

/// A number of runs as typed into the field labelled `label`: a whole number in [`RUNS`],
/// or why not, in words that start with the label.
pub fn parse_runs(text: &str, label: &str) -> Result<u32, String> {
    match text.trim().parse::<u32>() {
        Ok(n) if RUNS.contains(&n) => Ok(n),
        _ => Err(format!(
            "{label}: give a whole number from {} to {} (not “{}”).",
            RUNS.start(),
            count(u64::from(*RUNS.end())),
            text.trim()
        )),
    }
}

/// The most workers a crew starts, whatever the machine says.
const MAX_WORKERS: usize = 16;

const _: () = assert!(*RUNS.end() <= MAX_RUNS);

/// Where a crew's work is.
#[derive(Clone, Debug, PartialEq)]
pub struct Progress {
    /// Runs finished.
    pub done: u32,
    /// Runs asked for.
    pub runs: u32,
    /// Workers running them.
    pub workers: usize,
    /// Milliseconds since the crew started.
    pub elapsed_ms: f64,
    /// Why it stopped early, if it did.
    pub failed: Option<String>,
    /// The user stopped it.
    pub cancelled: bool,
}

impl Progress {
    /// Every run is in (or one failed).
    pub fn finished(&self) -> bool {
        self.done >= self.runs || self.failed.is_some() || self.cancelled
    }

    /// Milliseconds still to go at the pace so far; `None` before the first run is in.
    pub fn left_ms(&self) -> Option<f64> {
        (self.done > 0 && !self.finished())
            .then(|| self.elapsed_ms / f64::from(self.done) * f64::from(self.runs - self.done))
    }
}

/// Where a crew's outcomes go, run by run, in whatever order they finish.
pub trait Tally: std::fmt::Debug + 'static {
    /// Record run `run`'s `outcomes`; refused (with why) when the run is there already.
    fn push(&mut self, run: u32, outcomes: &[Outcome]) -> Result<(), String>;
}

impl Tally for Batch {
    fn push(&mut self, run: u32, outcomes: &[Outcome]) -> Result<(), String> {
        Batch::push(self, run, outcomes)
    }
}

/// One scenario's runs as it is ([`Job::Seeds`]): a page that says how sure one run is
/// ([`crate::hooks::use_runs`]).
impl Tally for Replications {
    fn push(&mut self, run: u32, outcomes: &[Outcome]) -> Result<(), String> {
        let outcome = outcomes.first().ok_or_else(|| format!("run {run} came back empty"))?;
        Replications::push(self, run, *outcome).map_err(|e| format!("run {run}: {e}"))
    }
}

/// A sweep's runs, cell by cell: run `n` is replication `n % runs` of cell `n / runs`
/// ([`Sweep::cell_and_run`]).
#[derive(Clone, Debug, PartialEq)]
pub struct SweepRuns {
    /// Runs of each cell.
    pub runs: u32,
    /// Each cell's runs, in cell order.
    pub cells: Vec<Replications>,
}

impl SweepRuns {
    /// No runs yet of `cells` cells of `runs` runs each.
    pub fn new(cells: usize, runs: u32) -> Self {
        SweepRuns { runs, cells: vec![Replications::new(); cells] }
    }

    /// Cells with every run in.
    pub fn complete(&self) -> usize {
        self.cells.iter().filter(|c| c.len() >= self.runs as usize).count()
    }
}

impl Tally for SweepRuns {
    fn push(&mut self, run: u32, outcomes: &[Outcome]) -> Result<(), String> {
        let (cell, i) = Sweep::cell_and_run(run, self.runs);
        let runs = self.cells.get_mut(cell).ok_or_else(|| format!("run {run} is beyond the sweep"))?;
        let outcome = outcomes.first().ok_or_else(|| format!("run {run} came back empty"))?;
        runs.push(i, *outcome).map_err(|e| format!("cell {}, run {i}: {e}", cell + 1))
    }
}

/// What the workers share with the page.
#[derive(Debug)]
struct Shared<T> {
    tally: T,
    /// The next replication to hand out.
    next: u32,
    runs: u32,
    workers: usize,
    done: u32,
    started_ms: f64,
    elapsed_ms: f64,
    failed: Option<String>,
    cancelled: bool,
}

/// Runs in Web Workers, their outcomes into a `T`. Dropping it cancels them.
pub struct Crew<T> {
    shared: Rc<RefCell<Shared<T>>>,
    bridges: Rc<RefCell<Vec<WorkerBridge<ReplicationWorker>>>>,
}

impl<T: Tally> std::fmt::Debug for Crew<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Crew").field("shared", &self.shared).finish_non_exhaustive()
    }
}

impl<T: Tally> Crew<T> {
    /// Start runs 0 to `runs` − 1 of `job` on `base` on `workers` workers, their outcomes
    /// into `tally`; `changed` is called after each run.
    pub fn start(
        base: &Scenario,
        job: Job,
        tally: T,
        runs: u32,
        workers: usize,
        changed: Callback<()>,
    ) -> Self {
        let workers = workers.clamp(1, MAX_WORKERS).min(runs.max(1) as usize);
        let shared = Rc::new(RefCell::new(Shared {
            tally,
            next: 0,
            runs,
            workers,
            done: 0,
            started_ms: now_ms(),
            elapsed_ms: 0.0,
            failed: None,
            cancelled: false,
        }));
        let bridges: Rc<RefCell<Vec<WorkerBridge<ReplicationWorker>>>> = Rc::default();
        let plan = Input::Plan { scenario: poolsim_content::export::scenario_json_compact(base), job };
        for k in 0..workers {
            let (weak_shared, weak_bridges, changed) =
                (Rc::downgrade(&shared), Rc::downgrade(&bridges), changed.clone());
            let bridge = ReplicationWorker::spawner()
                .encoding::<Wire>()
                .callback(move |out: Output| {
                    let (Some(shared), Some(bridges)) = (weak_shared.upgrade(), weak_bridges.upgrade())
                    else {
                        return; // cancelled
                    };
                    let next = record(&mut shared.borrow_mut(), out);
                    if let (Some(run), Some(bridge)) = (next, bridges.borrow().get(k)) {
                        bridge.send(Input::Run(run));
                    }
                    changed.emit(());
                })
                .spawn_with_loader(WORKER_LOADER);
            bridge.send(plan.clone());
            if let Some(run) = take_next(&mut shared.borrow_mut()) {
                bridge.send(Input::Run(run));
            }
            bridges.borrow_mut().push(bridge);
        }
        Crew { shared, bridges }
    }

    /// Where the work is.
    pub fn progress(&self) -> Progress {
        let s = self.shared.borrow();
        let stopped = s.done >= s.runs || s.failed.is_some() || s.cancelled;
        Progress {
            done: s.done,
            runs: s.runs,
            workers: s.workers,
            elapsed_ms: if stopped { s.elapsed_ms } else { now_ms() - s.started_ms },
            failed: s.failed.clone(),
            cancelled: s.cancelled,
        }
    }

    /// The runs so far (borrowed: a render reads it as runs arrive; a download copies it).
    pub fn tally(&self) -> std::cell::Ref<'_, T> {
        std::cell::Ref::map(self.shared.borrow(), |s| &s.tally)
    }

    /// Close the workers: they have nothing left to do.
    pub fn stop(&self) {
        self.bridges.borrow_mut().clear();
    }

    /// Stop handing out runs and close the workers; the runs already in are kept.
    pub fn cancel(&self) {
        {
            let mut s = self.shared.borrow_mut();
            if !(s.done >= s.runs || s.failed.is_some()) {
                s.cancelled = true;
                s.elapsed_ms = now_ms() - s.started_ms;
            }
        }
        self.stop();
    }
}

/// Record `out`; the next run for the worker that sent it, if any is left.
fn record<T: Tally>(s: &mut Shared<T>, out: Output) -> Option<u32> {
    if s.failed.is_some() || s.cancelled {
        return None;
    }
    match out {
        Output::Ran { run, outcomes } => {
            if let Err(e) = s.tally.push(run, &outcomes) {
                s.failed = Some(e);
                return None;
            }
            s.done += 1;
            s.elapsed_ms = now_ms() - s.started_ms;
            take_next(s)
        }
        Output::Failed { message, .. } => {
            s.elapsed_ms = now_ms() - s.started_ms;
            s.failed = Some(message);
            None
        }
    }
}

fn take_next<T>(s: &mut Shared<T>) -> Option<u32> {
    (s.next < s.runs).then(|| {
        s.next += 1;
        s.next - 1
    })
}

/// How many workers the machine offers (`navigator.hardwareConcurrency`, at least 1).
pub fn hardware_workers() -> usize {
    web_sys::window().map_or(1, |w| w.navigator().hardware_concurrency() as usize).max(1)
}

/// Milliseconds from the page's time origin (0 where there is no `performance`).
fn now_ms() -> f64 {
    web_sys::window().and_then(|w| w.performance()).map_or(0.0, |p| p.now())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_are_a_whole_number_from_10_to_1000() {
        assert_eq!(parse_runs(" 200 ", "Runs"), Ok(200));
        for bad in ["9", "1001", "abc", "", "2.5", "-10"] {
            let message = parse_runs(bad, "Runs per cell").expect_err(bad);
            assert!(message.starts_with("Runs per cell: give a whole number from 10 to 1,000"), "{message}");
        }
    }
}
