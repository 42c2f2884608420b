//! The live run, shared between the animation loop (which advances and draws it every
//! frame) and the panels (which re-render from it at most ~10 times a second).

use std::cell::RefCell;
use std::rc::Rc;

use poolsim_engine::{ConnectionView, Scenario};

use crate::log_feed::LogFeed;
use crate::player::{FrameReport, Player, Speed};

/// What "run to end" reports: how much was simulated, how fast.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RunStats {
    /// Simulated time covered [s].
    pub simulated_s: f64,
    /// Attempts simulated (retries included).
    pub attempts: u64,
    /// Wall-clock time it took in this browser [ms].
    pub wall_ms: f64,
}

/// A run in progress and what the page derives from it.
#[derive(Debug)]
pub struct Live {
    /// The run, or why the scenario cannot run.
    pub player: Result<Player, String>,
    /// The event log as displayed.
    pub log: LogFeed,
    /// Reused buffer of connection views for drawing the pool.
    pub connections: Vec<ConnectionView>,
    /// Set by "run to end".
    pub run_stats: Option<RunStats>,
    /// Bumped each time the panels should re-render.
    pub tick: u64,
}

impl Live {
    /// A run of `scenario` at time 0.
    pub fn new(scenario: &Scenario) -> Self {
        let mut live = Self {
            player: Player::new(scenario).map_err(|e| e.to_string()),
            log: LogFeed::default(),
            connections: Vec::new(),
            run_stats: None,
            tick: 0,
        };
        live.sync();
        live
    }

    /// One animation frame of playback.
    pub fn frame(&mut self, elapsed_real_ms: f64, speed: Speed, has_time: impl FnMut() -> bool) -> FrameReport {
        match &mut self.player {
            Ok(player) => player.frame(elapsed_real_ms, speed, has_time),
            Err(_) => FrameReport::default(),
        }
    }

    /// Run to the end now, timing it with `now_ms` (the browser's clock) [ms].
    pub fn run_to_end(&mut self, now_ms: impl Fn() -> f64) {
        if let Ok(player) = &mut self.player {
            let started = now_ms();
            player.run_to_end();
            let wall_ms = now_ms() - started;
            let summary = player.sim().summary();
            self.run_stats = Some(RunStats { simulated_s: summary.simulated_s, attempts: summary.attempts, wall_ms });
        }
        self.sync();
    }

    /// Bring the derived views (log rows) up to date and mark the panels stale.
    pub fn sync(&mut self) {
        if let Ok(player) = &self.player {
            let sim = player.sim();
            self.log.update(sim.log(), sim.log_total());
        }
        self.tick += 1;
    }
}

/// A cheap, shared handle to the live run. Two handles are equal when they share the run.
#[derive(Clone, Debug)]
pub struct LiveHandle(pub Rc<RefCell<Live>>);

impl LiveHandle {
    /// A handle to a new run of `scenario`.
    pub fn new(scenario: &Scenario) -> Self {
        Self(Rc::new(RefCell::new(Live::new(scenario))))
    }
}

impl PartialEq for LiveHandle {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}
