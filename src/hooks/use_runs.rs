//! [`use_runs`]: a batch of runs in the workers ([`crate::replicate::Crew`]) that belongs
//! to a component — the visualizer's "How sure?" and a lesson's replicated step (one
//! scenario over many seeds, [`Runs::start_seeds`]), the compare page's "How sure?" (its
//! what-ifs). The component re-renders as each run arrives; the workers close when every
//! run is in, on [`Runs::cancel`], on a new start, and when the component goes.

use std::cell::RefCell;
use std::rc::Rc;

use poolsim_engine::Scenario;
use poolsim_engine::replicate::Replications;
use yew::prelude::*;

use crate::replicate::{Crew, Job, Progress, Tally, hardware_workers};

/// The runs of [`use_runs`], their outcomes gathered into a `T`.
pub struct Runs<T> {
    crew: Rc<RefCell<Option<Crew<T>>>>,
    update: UseForceUpdateHandle,
}

impl<T> Clone for Runs<T> {
    fn clone(&self) -> Self {
        Runs { crew: self.crew.clone(), update: self.update.clone() }
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
        self.update.force_update();
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
    Runs { crew, update }
}
