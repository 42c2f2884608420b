//! [`use_runs`]: a batch of runs in the workers ([`crate::replicate::Crew`]) that belongs
//! to a component — the visualizer's "How sure?" and a lesson's replicated step (one
//! scenario over many seeds, [`Runs::start_seeds`]), the compare page's "How sure?" (its
//! what-ifs), its sweep and its search for the smallest pool (one size's runs after
//! another). The component re-renders as each run arrives; the workers close when every
//! run is in, on [`Runs::cancel`], on a new start, and when the component goes. Parts of
//! a page that ask for the very same runs share them ([`Runs::start_once`]: a lesson's
//! steps over the same morning).

use std::cell::RefCell;
use std::rc::Rc;

use poolsim_engine::Scenario;
use poolsim_engine::replicate::Replications;
use yew::prelude::*;

use crate::replicate::{Crew, Job, Progress, Tally, hardware_workers};

/// The runs of [`use_runs`], their outcomes gathered into a `T`.
pub struct Runs<T> {
    crew: Rc<RefCell<Option<Crew<T>>>>,
    /// What [`Runs::start_once`] started the crew on: its scenario, job and number of runs.
    started: Rc<RefCell<Option<(Scenario, Job, u32)>>>,
    update: UseForceUpdateHandle,
}

impl<T> Clone for Runs<T> {
    fn clone(&self) -> Self {
        Runs { crew: self.crew.clone(), started: self.started.clone(), update: self.update.clone() }
    }
}

/// The same runs: a component handed them re-renders with what else it is handed.
impl<T> PartialEq for Runs<T> {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.crew, &other.crew)
    }
}

impl<T: Tally> std::fmt::Debug for Runs<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Runs").field("crew", &self.crew).finish_non_exhaustive()
    }
}

impl<T: Tally> Runs<T> {
    /// Run runs 0 to `runs` − 1 of `job` on `scenario`, into `tally` (replacing any runs
    /// before, whose workers close).
    pub fn start(&self, scenario: &Scenario, job: Job, tally: T, runs: u32) {
        let update = self.update.clone();
        let changed = Callback::from(move |()| update.force_update());
        let crew = Crew::start(scenario, job, tally, runs, hardware_workers(), changed);
        *self.crew.borrow_mut() = Some(crew);
        *self.started.borrow_mut() = None;
        self.update.force_update();
    }

    /// [`Runs::start`], unless these very runs (the same scenario, job and number) were
    /// started already: then they are shared as they are, under way, in, or stopped with
    /// the runs done kept. Runs that failed start afresh.
    pub fn start_once(&self, scenario: &Scenario, job: Job, tally: T, runs: u32) {
        let same =
            self.started.borrow().as_ref().is_some_and(|(s, j, n)| (s, j, *n) == (scenario, &job, runs));
        let failed = self.progress().is_some_and(|p| p.failed.is_some());
        if !same || failed {
            self.start(scenario, job.clone(), tally, runs);
            *self.started.borrow_mut() = Some((scenario.clone(), job, runs));
        }
    }

    /// Stop: the runs done are kept, the workers close.
    pub fn cancel(&self) {
        if let Some(c) = self.crew.borrow().as_ref() {
            c.cancel();
        }
        self.update.force_update();
    }

    /// Where the runs are; `None` before any start.
    pub fn progress(&self) -> Option<Progress> {
        self.crew.borrow().as_ref().map(Crew::progress)
    }

    /// `f` of the runs so far; `None` before any start.
    pub fn with_tally<R>(&self, f: impl FnOnce(&T) -> R) -> Option<R> {
        let crew = self.crew.borrow();
        Some(f(&crew.as_ref()?.tally()))
    }
}

impl Runs<Replications> {
    /// Run `scenario` alone over `runs` seeds: `poolsim replicate`'s runs of it.
    pub fn start_seeds(&self, scenario: &Scenario, runs: u32) {
        self.start(scenario, Job::Seeds, Replications::new(), runs);
    }
}

/// Runs in the workers for this component: none until [`Runs::start`].
#[hook]
pub fn use_runs<T: Tally>() -> Runs<T> {
    let crew = use_mut_ref(|| None::<Crew<T>>);
    let started = use_mut_ref(|| None::<(Scenario, Job, u32)>);
    let update = use_force_update();
    // Every run in (or one failed): the workers have nothing left to do.
    let finished = crew.borrow().as_ref().is_some_and(|c| c.progress().finished());
    {
        let crew = crew.clone();
        use_effect_with(finished, move |finished| {
            if *finished && let Some(c) = crew.borrow().as_ref() {
                c.stop();
            }
        });
    }
    // Gone from the page: the workers close with the crew.
    {
        let crew = crew.clone();
        use_effect_with((), move |()| move || drop(crew.borrow_mut().take()));
    }
    Runs { crew, started, update }
}
