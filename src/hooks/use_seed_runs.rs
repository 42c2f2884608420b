//! [`use_seed_runs`]: one scenario run "as it happened" over many seeds in the workers
//! ([`crate::replicate::Crew`], `poolsim replicate`'s seeds and numbers), for a page that
//! shows how sure one run is (a lesson's replicated step). The component re-renders as
//! each run arrives; the workers close when every run is in, on [`SeedRuns::cancel`], on
//! a new start, and when the component goes.

use std::cell::RefCell;
use std::rc::Rc;

use poolsim_engine::Scenario;
use poolsim_engine::replicate::Replications;
use yew::prelude::*;

use crate::replicate::{Crew, Job, Progress, hardware_workers};

/// The runs of [`use_seed_runs`].
#[derive(Clone)]
pub struct SeedRuns {
    crew: Rc<RefCell<Option<Crew<Replications>>>>,
    update: UseForceUpdateHandle,
}

impl std::fmt::Debug for SeedRuns {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SeedRuns").field("crew", &self.crew).finish_non_exhaustive()
    }
}

impl SeedRuns {
    /// Run `scenario` over `runs` seeds (replacing any runs before, whose workers close).
    pub fn start(&self, scenario: &Scenario, runs: u32) {
        let update = self.update.clone();
        let changed = Callback::from(move |()| update.force_update());
        // `poolsim replicate`'s runs of the scenario alone.
        let crew = Crew::start(scenario, Job::Seeds, Replications::new(), runs, hardware_workers(), changed);
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
    pub fn with_runs<R>(&self, f: impl FnOnce(&Replications) -> R) -> Option<R> {
        let crew = self.crew.borrow();
        Some(f(&crew.as_ref()?.tally()))
    }
}

/// Runs over seeds for this component: none until [`SeedRuns::start`].
#[hook]
pub fn use_seed_runs() -> SeedRuns {
    let crew = use_mut_ref(|| None::<Crew<Replications>>);
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
    SeedRuns { crew, update }
}
