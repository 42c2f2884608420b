//! The discrete-event simulation of one connection pool (see docs/architecture.md, "Engine semantics").
//!
//! [`Simulation`] owns the clock, the event queue and the state; the event handlers live
//! in sibling files by area: `requests` (arrive, wait, hold, time out, retry), `upkeep`
//! (opening, closing, housekeeping, lifetime, leak detection, abandoned reclaim,
//! restart), `actions` (the timeline and live fixes), `report` (samples, summary,
//! digest). Time is an integer number of microseconds ([`SimTime`], [`SimDuration`]);
//! events at the same time run in the order they were scheduled.

mod actions;
mod arrivals;
mod config;
mod database;
mod interval;
#[cfg(debug_assertions)]
mod invariants;
mod pool;
mod queue;
mod report;
mod requests;
mod upkeep;
mod view;
mod waiters;

pub use view::{Advance, Gauges, Settings, Waiter};

use crate::alerts::Alerts;
use crate::digest::Fnv64;
use crate::histogram::WaitHistogram;
use crate::log::LogRing;
use crate::metrics::{AlertFiring, ConnectionView, DatabaseSample, LogEntry, Sample, Summary};
use crate::rng::Draws;
use crate::scenario::Scenario;
use crate::scenario::validate::validate_action;
use crate::scenario::{Action, TimedEvent};
use crate::time::{SimDuration, SimTime};
use crate::{EngineError, ScenarioError};

use arrivals::Arrivals;
use config::Live;
use database::{Database, Job};
use interval::Interval;
use pool::Pool;
use queue::{Event, EventQueue};
use waiters::Waiters;

/// HikariCP's housekeeper period.
const HOUSEKEEPING: SimDuration = SimDuration::from_secs(30);
/// One sample per simulated second.
const SAMPLE: SimDuration = SimDuration::from_secs(1);
/// A run counts as recovered once it has stayed failure-free this long.
const RECOVERY: SimDuration = SimDuration::from_secs(60);

/// Counts of what happened to requests and attempts over the whole run.
#[derive(Clone, Debug, Default)]
struct Counters {
    /// Distinct requests that arrived.
    requests: u64,
    /// Attempts, retries included.
    attempts: u64,
    /// Attempts that got a connection.
    served: u64,
    /// Attempts that timed out waiting.
    timed_out: u64,
    /// Attempts refused without waiting or dropped from the queue (restart, downtime).
    rejected: u64,
    /// Served attempts whose connection was taken away (restart, abandoned reclaim).
    killed: u64,
    /// Requests that failed for good (no retries left).
    failed: u64,
    /// Requests finished: returned their connection, or leaked it.
    done: u64,
    /// Requests holding a connection they will return.
    holding: u64,
    /// Requests waiting out a retry backoff.
    retry_pending: u64,
    /// Connections leaked.
    leaked: u64,
    /// Connections closed by abandoned reclaim.
    reclaimed: u64,
    /// Attempts refused at once: the pool full and `max_waiting` requests already waiting.
    refused: u64,
    /// Connections opened (warm start included).
    opened: u64,
    /// Connections handed to a random waiter (the counter of those draws).
    handoffs: u64,
    /// Events popped from the queue (stale timers included).
    events: u64,
    first_exhaustion_us: Option<SimTime>,
    first_timeout_us: Option<SimTime>,
    first_refusal_us: Option<SimTime>,
    last_failure_us: Option<SimTime>,
}

/// A running simulation of one scenario.
///
/// Cloning copies the whole state: the page clones a run to seek or to compare a fix
/// against the original from the same instant.
///
/// ```
/// use poolsim_engine::{Action, Scenario, SimTime, Simulation};
///
/// let mut scenario = Scenario::default(); // 10 connections, 100 requests/s × 40 ms
/// scenario.leak.probability = 0.01;       // one request in a hundred leaks
/// let mut sim = Simulation::new(&scenario)?;
/// sim.advance_to(SimTime::from_secs(60))?; // one simulated minute
/// assert_eq!(sim.gauges().leaked, 10);    // every connection has leaked
/// sim.apply(Action::RestartApp { downtime_s: 0.0 })?;
/// assert_eq!(sim.gauges().leaked, 0);
/// let summary = sim.run_to_end();
/// assert!(summary.counts.timed_out > 0 && summary.milestones.first_exhaustion_s.is_some());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug)]
pub struct Simulation {
    scenario: Scenario,
    /// The scenario's events, sorted by time (stable for equal times).
    timeline: Vec<TimedEvent>,
    /// The end of the run.
    end_us: SimTime,
    /// The simulated clock ([`now`](Self::now)).
    now_us: SimTime,
    live: Live,
    draws: Draws,
    queue: EventQueue,
    arrivals: Arrivals,
    pool: Pool,
    waiters: Waiters,
    counts: Counters,
    /// The application is down (restarting) until then.
    down_until_us: SimTime,
    /// Bumped on each restart, so an older restart's "back up" event is stale.
    restart_epoch: u32,
    /// Bumped when the abandoned timeout changes, so older checks are stale.
    abandon_epoch: u32,
    interval: Interval,
    samples: Vec<Sample>,
    next_sample_us: SimTime,
    /// Running digest of every sample taken.
    sample_digest: Fnv64,
    waits: WaitHistogram,
    alerts: Alerts,
    firings: Vec<AlertFiring>,
    log: LogRing,
    applied: Vec<TimedEvent>,
    /// The database behind the pool (`None`: unlimited capacity).
    database: Option<Database>,
    /// Scratch list of the queries the database just finished.
    db_done: Vec<Job>,
    /// One database sample beside each sample (none without a database).
    db_samples: Vec<DatabaseSample>,
}

impl Simulation {
    /// Build a simulation of `scenario`, validating it first. At time 0 the pool holds
    /// `min_idle` idle connections (a warm start) and the first arrival is scheduled.
    pub fn new(scenario: &Scenario) -> Result<Simulation, ScenarioError> {
        scenario.validate()?;
        let mut timeline = scenario.events.clone();
        TimedEvent::sort(&mut timeline);

        let end_us = SimTime::from_secs(scenario.duration_s);
        let live = Live::new(scenario);
        let draws = Draws::new(scenario.seed);
        let mut queue = EventQueue::new(end_us);
        // Timeline events go in first, so at equal times they run before anything else.
        for (i, e) in timeline.iter().enumerate() {
            queue.push_rare(SimTime::from_secs_f64(e.at_s), Event::Timeline { index: i as u32 });
        }
        queue.push_rare(SimTime::ZERO + HOUSEKEEPING, Event::Housekeeping);
        let arrivals = Arrivals::start(draws, live.settings.rate_per_s, &mut queue);
        let mut alerts = Alerts::default();
        for rule in &scenario.alerts {
            alerts.add(rule.clone());
        }
        let mut sim = Simulation {
            scenario: scenario.clone(),
            timeline,
            end_us,
            now_us: SimTime::ZERO,
            live,
            draws,
            queue,
            arrivals,
            pool: Pool::default(),
            waiters: Waiters::default(),
            counts: Counters::default(),
            down_until_us: SimTime::ZERO,
            restart_epoch: 0,
            abandon_epoch: 0,
            interval: Interval::default(),
            samples: Vec::new(),
            next_sample_us: SimTime::ZERO + SAMPLE,
            sample_digest: Fnv64::default(),
            waits: WaitHistogram::default(),
            alerts,
            firings: Vec::new(),
            log: LogRing::new(scenario.pool.flavour),
            applied: Vec::new(),
            database: scenario.database.as_ref().map(Database::new),
            db_done: Vec::new(),
            db_samples: Vec::new(),
        };
        sim.warm_start();
        sim.log.flush();
        Ok(sim)
    }

    /// The scenario this run simulates.
    pub fn scenario(&self) -> &Scenario {
        &self.scenario
    }

    /// The simulated clock.
    pub fn now(&self) -> SimTime {
        self.now_us
    }

    /// End of the run: `duration_s` seconds from the start.
    pub fn end(&self) -> SimTime {
        self.end_us
    }

    /// The clock has reached the end of the run.
    pub fn is_finished(&self) -> bool {
        self.now_us == self.end_us
    }

    /// Run every event with time ≤ `t` (clamped to the end of the run) and leave the
    /// clock exactly at that time. Asking for a time before the clock is an error.
    pub fn advance_to(&mut self, t: SimTime) -> Result<(), EngineError> {
        self.advance(t, u64::MAX).map(|_| ())
    }

    /// Like [`advance_to`](Self::advance_to), but stop after `max_events` events so a
    /// frame never blocks. If the budget runs out first, the clock stays at the time of
    /// the last event processed and `reached` is false; calling again continues to the
    /// same state one unbudgeted call would reach.
    pub fn advance(&mut self, t: SimTime, max_events: u64) -> Result<Advance, EngineError> {
        if t < self.now_us {
            return Err(EngineError::TimeInPast { now: self.now_us, requested: t });
        }
        let target = t.min(self.end_us);
        let mut events = 0u64;
        while events < max_events {
            let Some((time, event)) = self.queue.pop_due(target) else {
                self.reach(target);
                self.log.flush();
                return Ok(Advance { reached: true, events });
            };
            // Samples cover (t_s − 1, t_s]: take each once every event at or before it has run.
            self.take_samples_before(time);
            self.now_us = time;
            self.dispatch(event);
            events += 1;
            self.counts.events += 1;
            #[cfg(debug_assertions)]
            self.check_invariants(self.counts.events.is_multiple_of(1024));
        }
        // The budget ran out; it may have been exactly enough.
        let reached = self.queue.peek_time().is_none_or(|t| t > target);
        if reached {
            self.reach(target);
        }
        self.log.flush();
        Ok(Advance { reached, events })
    }

    /// Every event up to `target` has run: move the clock there. The sample at exactly
    /// `target` waits until the clock moves on (a live action applied now still belongs
    /// in it, as a timeline action at this time would), except at the end of the run.
    fn reach(&mut self, target: SimTime) {
        let through =
            if target == self.end_us { target.saturating_add(SimDuration::from_micros(1)) } else { target };
        self.take_samples_before(through);
        self.now_us = target;
    }

    /// Run to the end of the scenario and return the summary.
    pub fn run_to_end(&mut self) -> Summary {
        // The end is never in the past, so this cannot fail.
        let _ = self.advance_to(self.end_us);
        self.summary()
    }

    /// Apply a live action now (at [`now`](Self::now)), as a fix button does.
    /// Impossible values are refused with [`EngineError::InvalidAction`] naming the field.
    /// Applied actions are recorded in [`applied`](Self::applied) so the run can be replayed.
    pub fn apply(&mut self, action: Action) -> Result<(), EngineError> {
        validate_action(&action, "").map_err(EngineError::InvalidAction)?;
        self.applied.push(TimedEvent { at_s: self.now_us.as_secs_f64(), action: action.clone() });
        self.perform(&action);
        // Counted like the timeline event it replays as.
        self.counts.events += 1;
        #[cfg(debug_assertions)]
        self.check_invariants(true);
        self.log.flush();
        Ok(())
    }

    /// Live actions applied with [`apply`](Self::apply), with the time each took effect.
    pub fn applied(&self) -> &[TimedEvent] {
        &self.applied
    }

    /// Every open or opening connection, by slot id.
    pub fn connections(&self) -> impl Iterator<Item = ConnectionView> + '_ {
        (0..self.pool.conns.len() as u32).filter_map(|id| self.pool.view(id))
    }

    /// The pool's state now.
    pub fn gauges(&self) -> Gauges {
        Gauges {
            total: self.pool.total(),
            active: self.pool.active(),
            idle: self.pool.idle_count(),
            pending: self.waiters.len(),
            opening: self.pool.opening,
            leaked: self.pool.leaked,
            suspected: self.pool.suspected,
            max: self.live.max_size(),
        }
    }

    /// Requests waiting for a connection, longest waiter first.
    pub fn waiting(&self) -> impl Iterator<Item = Waiter> + '_ {
        self.waiters.iter().map(|w| Waiter {
            request: w.k,
            attempt: w.attempt,
            since_us: w.since_us,
            deadline_us: w.deadline_us,
        })
    }

    /// One sample per simulated second so far, `t_s` = 1, 2, …
    pub fn samples(&self) -> &[Sample] {
        &self.samples
    }

    /// With a database, one sample of it per simulated second beside [`samples`](Self::samples)
    /// (the same seconds); empty without one.
    pub fn database_samples(&self) -> &[DatabaseSample] {
        &self.db_samples
    }

    /// The most recent log lines (up to [`LOG_CAPACITY`](crate::log::LOG_CAPACITY)), oldest first.
    pub fn log(&self) -> impl Iterator<Item = &LogEntry> + '_ {
        self.log.iter()
    }

    /// Lines ever logged: the `seq` the next line will get.
    pub fn log_total(&self) -> u64 {
        self.log.total()
    }

    /// The first firing of each alert rule that has fired, in firing order.
    pub fn alert_firings(&self) -> &[AlertFiring] {
        &self.firings
    }

    /// The live settings after every action so far.
    pub fn current(&self) -> Settings {
        Settings { min_idle: self.live.min_idle(), ..self.live.settings }
    }

    /// Run one event.
    fn dispatch(&mut self, event: Event) {
        match event {
            Event::Arrival => {
                let k = self.arrivals.arrived(self.draws, &mut self.queue);
                self.counts.requests += 1;
                self.arrive(k, 0);
            }
            Event::Retry { k, attempt } => {
                self.counts.retry_pending -= 1;
                self.arrive(k, attempt);
            }
            Event::AcquireTimeout { ticket } => self.acquire_timeout(ticket),
            Event::HoldEnd { conn, lease } => self.hold_end(conn, lease),
            Event::Opened { conn, lease } => self.opened(conn, lease),
            Event::LeakCheck { conn, lease } => self.leak_check(conn, lease),
            Event::AbandonCheck { conn, lease, epoch } => self.abandon_check(conn, lease, epoch),
            Event::Lifetime { conn, serial } => self.lifetime_reached(conn, serial),
            Event::Housekeeping => self.housekeeping(),
            Event::Timeline { index } => {
                if let Some(e) = self.timeline.get(index as usize) {
                    let action = e.action.clone();
                    self.perform(&action);
                }
            }
            Event::RestartDone { epoch } => self.restart_done(epoch),
            Event::DatabaseDone => self.database_done(),
            Event::OpenRetry => self.retry_open(),
        }
    }
}
