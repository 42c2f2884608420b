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
mod callers;
mod config;
mod database;
mod health;
mod instance;
mod interval;
#[cfg(debug_assertions)]
mod invariants;
mod pool;
mod queue;
mod report;
mod requests;
mod threads;
mod upkeep;
mod view;
mod waiters;

pub use view::{Advance, CallerSettings, Gauges, ServerView, Settings, Waiter};

use crate::alerts::Alerts;
use crate::digest::Fnv64;
use crate::histogram::WaitHistogram;
use crate::log::LogRing;
use crate::metrics::{
    AlertFiring, AppSample, CallerSample, ConnectionView, DatabaseSample, LogEntry, Sample, Summary,
};
use crate::rng::{Draws, Stream};
use crate::scenario::validate::validate_action;
use crate::scenario::{Action, Balancer, FleetConfig, HealthMode, Scenario, Target, TimedEvent};
use crate::time::{SimDuration, SimTime};
use crate::{EngineError, ScenarioError};

use actions::Step;
use arrivals::Arrivals;
use callers::Callers;
use database::{Database, Job};
use health::{HEALTH_PROBE, Health};
use instance::{Instance, InstanceId};
use interval::Interval;
use queue::{Event, EventQueue};
use report::InstanceSeries;
use threads::Work;

/// HikariCP's housekeeper period.
const HOUSEKEEPING: SimDuration = SimDuration::from_secs(30);
/// One sample per simulated second.
const SAMPLE: SimDuration = SimDuration::from_secs(1);
/// A run counts as recovered once it has stayed failure-free this long.
const RECOVERY: SimDuration = SimDuration::from_secs(60);

/// Counts that belong to the run, not to one instance.
#[derive(Clone, Debug, Default)]
struct Totals {
    /// Distinct requests that arrived.
    requests: u64,
    /// Requests answered before their caller's deadline (all answers without one): each
    /// returned its connection, or leaked it (its caller saw an answer).
    done: u64,
    /// Requests the callers' circuit breaker failed at once.
    breaker_failed: u64,
    /// Requests waiting out a retry backoff (a retry is balanced anew, so it belongs to
    /// no instance while it waits).
    retry_pending: u64,
    /// Connections handed to a random waiter (the counter of those draws).
    handoffs: u64,
    /// Attempts refused because no instance was in the balancer (they belong to none).
    unrouted: u64,
    /// The balancer's next turn: the attempts it has placed, modulo the instances.
    turn: u64,
    /// Events popped from the queue (stale timers included).
    events: u64,
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
    /// The scenario's events, sorted by time (stable for equal times), a rollout's
    /// batches each a step of its own; live actions rolled out add theirs.
    timeline: Vec<Step>,
    /// The end of the run.
    end_us: SimTime,
    /// The simulated clock ([`now`](Self::now)).
    now_us: SimTime,
    draws: Draws,
    queue: EventQueue,
    arrivals: Arrivals,
    /// The instance whose event is running (see [`instance`]).
    app: Box<Instance>,
    /// Which instance `app` is.
    current: InstanceId,
    /// Every instance, by number; `parked[current]` is a stand-in while `app` is out.
    /// Boxed so that switching instances swaps two pointers, not two instances.
    #[allow(clippy::vec_box)]
    parked: Vec<Box<Instance>>,
    /// How arrivals are split between instances.
    balancer: Balancer,
    /// The scenario has a fleet: log lines name their instance.
    fleet: bool,
    /// Attempts go through the callers' breaker or the balancer ([`route`](Self::route)).
    gated: bool,
    totals: Totals,
    /// Log a per-instance action's line (only the first instance of a batch does).
    echo_action: bool,
    /// What a batch's action line starts with (`On all 5 instances: `).
    action_scope: Option<String>,
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
    /// The callers in front of the application: their deadline, retries, budget, breaker.
    callers: Callers,
    /// One callers' sample beside each sample.
    caller_samples: Vec<CallerSample>,
    /// Requests done at the last sample (a sample's goodput is the difference).
    done_at_sample: u64,
    /// Attempts take a request thread before they ask the pool (`app`, or `set_threads`).
    threaded: bool,
    /// The requests that need no database.
    work: Work,
    /// One application servers' sample beside each sample.
    app_samples: Vec<AppSample>,
    /// The load balancer's health checks (`None`: every instance always in it).
    health: Option<Box<Health>>,
    /// Each instance's samples, when asked for ([`record_instance_samples`](Self::record_instance_samples)).
    instance_series: Option<Box<InstanceSeries>>,
}

impl Simulation {
    /// Build a simulation of `scenario`, validating it first. At time 0 the pool holds
    /// `min_idle` idle connections (a warm start) and the first arrival is scheduled.
    pub fn new(scenario: &Scenario) -> Result<Simulation, ScenarioError> {
        scenario.validate()?;
        let instances = FleetConfig::instances_of(scenario);
        let timeline = Step::timeline(&scenario.events, instances);

        let end_us = SimTime::from_secs(scenario.duration_s);
        let app = Box::new(Instance::new(scenario));
        let draws = Draws::new(scenario.seed);
        let mut queue = EventQueue::new(end_us);
        // Timeline events go in first, so at equal times they run before anything else.
        for (i, step) in timeline.iter().enumerate() {
            queue.push_rare(step.at, Event::Timeline { index: i as u32 });
        }
        queue.push_rare(SimTime::ZERO + HOUSEKEEPING, Event::Housekeeping);
        let arrivals = Arrivals::start(draws, app.live.settings.rate_per_s, &mut queue);
        let mut alerts = Alerts::default();
        for rule in &scenario.alerts {
            alerts.add(rule.clone());
        }
        let mut sim = Simulation {
            scenario: scenario.clone(),
            timeline,
            end_us,
            now_us: SimTime::ZERO,
            draws,
            queue,
            arrivals,
            parked: (0..instances).map(|_| app.clone()).collect(),
            app,
            current: 0,
            balancer: scenario.fleet.as_ref().map_or(Balancer::RoundRobin, |f| f.balancer),
            fleet: scenario.fleet.is_some(),
            gated: false,
            totals: Totals::default(),
            echo_action: true,
            action_scope: None,
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
            callers: Callers::new(&scenario.traffic),
            caller_samples: Vec::new(),
            done_at_sample: 0,
            threaded: scenario.app.is_some(),
            work: Work::new(scenario.app.as_ref()),
            app_samples: Vec::new(),
            health: scenario
                .health_check
                .as_ref()
                .filter(|_| instances > 1)
                .map(|h| Box::new(Health::new(h, instances))),
            instance_series: None,
        };
        sim.schedule_health_checks();
        if sim.fleet {
            sim.log.set_instance(Some(1));
        }
        sim.update_gate();
        for j in 0..instances {
            sim.switch_to(j as InstanceId);
            sim.warm_start();
        }
        sim.switch_to(0);
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
    /// same state one unbudgeted call would reach. Moot leak and abandoned checks the
    /// event queue drops on the way (the queue's `pop_due`) are counted in
    /// [`Advance::events`] but use none of the budget: each costs a few instructions.
    pub fn advance(&mut self, t: SimTime, max_events: u64) -> Result<Advance, EngineError> {
        if t < self.now_us {
            return Err(EngineError::TimeInPast { now: self.now_us, requested: t });
        }
        let target = t.min(self.end_us);
        let mut events = 0u64;
        while events < max_events {
            // A moot check of another instance than the current one is still dispatched:
            // it switches the instance, which the next events may rely on.
            let (app, current) = (&self.app, self.current);
            let Some((time, event)) = self.queue.pop_due(target, |e| app.check_is_moot(current, e)) else {
                self.count_moot(&mut events);
                self.reach(target);
                self.log.flush();
                return Ok(Advance { reached: true, events });
            };
            // Samples cover (t_s − 1, t_s]: take each once every event at or before it has run.
            self.take_samples_before(time);
            self.now_us = time;
            self.dispatch(event);
            events += 1;
            self.totals.events += 1;
            #[cfg(debug_assertions)]
            self.check_invariants(self.totals.events.is_multiple_of(1024));
        }
        // The budget ran out; it may have been exactly enough.
        self.count_moot(&mut events);
        let reached = self.queue.peek_time().is_none_or(|t| t > target);
        if reached {
            self.reach(target);
        }
        self.log.flush();
        Ok(Advance { reached, events })
    }

    /// Count the checks the queue dropped as moot as events run, as they were before it
    /// dropped them (a summary's `events_processed` counts them).
    fn count_moot(&mut self, events: &mut u64) {
        let moot = self.queue.take_moot();
        *events += moot;
        self.totals.events += moot;
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

    /// Apply a live action now (at [`now`](Self::now)), as a fix button does, on every
    /// instance. Impossible values are refused with [`EngineError::InvalidAction`] naming
    /// the field. Applied actions are recorded in [`applied`](Self::applied) so the run can
    /// be replayed.
    pub fn apply(&mut self, action: Action) -> Result<(), EngineError> {
        self.apply_to(action, Target::default())
    }

    /// Apply a live action now on the instances `target` names (and, with a rollout, its
    /// later batches at their times): [`apply`](Self::apply) for chosen instances of a fleet.
    pub fn apply_to(&mut self, action: Action, target: Target) -> Result<(), EngineError> {
        validate_action(&action, "").map_err(EngineError::InvalidAction)?;
        crate::scenario::validate::validate_target(&target, action.kind(), self.instance_count(), "")
            .map_err(EngineError::InvalidAction)?;
        let event = TimedEvent { at_s: self.now_us.as_secs_f64(), action, target };
        let mut steps = Step::expand(&event, self.now_us, self.instance_count()).into_iter();
        if let Some(first) = steps.next() {
            self.perform(&first.action, first.on.as_deref());
        }
        // Later batches of a rollout run as timeline steps.
        for step in steps {
            self.queue.push_rare(step.at, Event::Timeline { index: self.timeline.len() as u32 });
            self.timeline.push(step);
        }
        self.applied.push(event);
        // Counted like the timeline event it replays as.
        self.totals.events += 1;
        #[cfg(debug_assertions)]
        self.check_invariants(true);
        self.log.flush();
        Ok(())
    }

    /// Live actions applied with [`apply`](Self::apply), with the time each took effect.
    pub fn applied(&self) -> &[TimedEvent] {
        &self.applied
    }

    /// Application instances: the fleet's, or 1.
    pub fn instance_count(&self) -> u32 {
        self.parked.len() as u32
    }

    /// Instance `j` (0-based, below [`instance_count`](Self::instance_count)).
    fn instance(&self, j: usize) -> &Instance {
        if j == usize::from(self.current) { &self.app } else { &self.parked[j] }
    }

    /// Every instance, in order.
    fn instances(&self) -> impl Iterator<Item = &Instance> + '_ {
        (0..self.parked.len()).map(|j| self.instance(j))
    }

    /// Make instance `j` the one the handlers work on.
    #[inline]
    fn switch_to(&mut self, j: InstanceId) {
        if j != self.current {
            self.swap_in(j);
        }
    }

    fn swap_in(&mut self, j: InstanceId) {
        let (from, to) = (usize::from(self.current), usize::from(j));
        std::mem::swap(&mut self.app, &mut self.parked[from]);
        std::mem::swap(&mut self.app, &mut self.parked[to]);
        self.current = j;
        if self.fleet {
            self.log.set_instance(Some(u32::from(j) + 1));
        }
    }

    /// Send attempt `attempt` of request `k` through the callers' breaker to the instance
    /// the balancer picks; false when the breaker failed it at once.
    #[inline(always)]
    fn route(&mut self, k: u64, attempt: u32) -> bool {
        // One flag for both, so a lone instance without a breaker pays one test.
        if !self.gated {
            return true;
        }
        self.route_gated(k, attempt)
    }

    fn route_gated(&mut self, k: u64, attempt: u32) -> bool {
        // A fleet without a breaker does not call out of line for it.
        if self.callers.breaker.is_some() && !self.breaker_admits() {
            return false;
        }
        if self.parked.len() > 1 {
            let j = match &self.health {
                None => self.balance(k, attempt),
                Some(h) if h.in_balancer == self.parked.len() as u32 => self.balance(k, attempt),
                Some(h) if h.in_balancer == 0 => {
                    self.no_healthy_upstream(k, attempt);
                    return false;
                }
                Some(_) => self.balance_healthy(k, attempt),
            };
            self.switch_to(j);
        }
        true
    }

    /// Attempts pass a gate before the application: a breaker, or a balancer.
    fn update_gate(&mut self) {
        self.gated = self.parked.len() > 1 || self.callers.breaker.is_some();
    }

    /// The balancer's turn for the next attempt: 0, 1 … instances − 1, then 0 again
    /// (counted, not divided: a division per attempt costs a fleet a few per cent).
    fn next_turn(&mut self) -> u64 {
        let turn = self.totals.turn;
        self.totals.turn = if turn + 1 >= self.parked.len() as u64 { 0 } else { turn + 1 };
        turn
    }

    /// The instance the balancer picks for attempt `attempt` of request `k`.
    fn balance(&mut self, k: u64, attempt: u32) -> InstanceId {
        let n = self.parked.len() as u64;
        let turn = self.next_turn();
        let j = match self.balancer {
            Balancer::RoundRobin => turn,
            Balancer::Random => ((self.draws.unit(Stream::Balance, k, attempt) * n as f64) as u64).min(n - 1),
            Balancer::LeastOutstanding => {
                // The first instance in turn with the fewest requests in progress.
                let mut best = (u64::MAX, turn);
                for i in 0..n {
                    let j = (turn + i) % n;
                    let load = self.instance(j as usize).outstanding();
                    if load < best.0 {
                        best = (load, j);
                    }
                }
                best.1
            }
        };
        j as InstanceId
    }

    /// Every open or opening connection of the first instance (the only one without a
    /// fleet), by slot id; [`instance_connections`](Self::instance_connections) for another.
    pub fn connections(&self) -> impl Iterator<Item = ConnectionView> + '_ {
        self.instance_connections(0)
    }

    /// Every open or opening connection of instance `j` (0-based; none past the last).
    pub fn instance_connections(&self, j: u32) -> impl Iterator<Item = ConnectionView> + '_ {
        let pool = (j < self.instance_count()).then(|| &self.instance(j as usize).pool);
        pool.into_iter().flat_map(|p| (0..p.conns.len() as u32).filter_map(|id| p.view(id)))
    }

    /// The pools' state now, summed over the fleet (one pool's without a fleet).
    pub fn gauges(&self) -> Gauges {
        if self.parked.len() == 1 {
            return self.app.gauges();
        }
        self.instances().map(Instance::gauges).fold(Gauges::default(), |a, g| Gauges {
            total: a.total + g.total,
            active: a.active + g.active,
            idle: a.idle + g.idle,
            pending: a.pending + g.pending,
            opening: a.opening + g.opening,
            leaked: a.leaked + g.leaked,
            suspected: a.suspected + g.suspected,
            max: a.max + g.max,
        })
    }

    /// Instance `j`'s pool now (0-based); `None` past the last.
    pub fn instance_gauges(&self, j: u32) -> Option<Gauges> {
        (j < self.instance_count()).then(|| self.instance(j as usize).gauges())
    }

    /// Requests waiting for a connection at the first instance (the only one without a
    /// fleet), longest waiter first.
    pub fn waiting(&self) -> impl Iterator<Item = Waiter> + '_ {
        self.instance_waiting(0)
    }

    /// Requests waiting for a connection at instance `j` (0-based; none past the last),
    /// longest waiter first.
    pub fn instance_waiting(&self, j: u32) -> impl Iterator<Item = Waiter> + '_ {
        let waiters = (j < self.instance_count()).then(|| &self.instance(j as usize).waiters);
        waiters.into_iter().flat_map(|w| w.iter()).filter(|w| w.k != HEALTH_PROBE).map(|w| Waiter {
            request: w.k,
            attempt: w.attempt,
            since_us: w.since_us,
            deadline_us: w.deadline_us,
            gave_up: w.gave_up,
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

    /// What the callers saw, one sample per simulated second beside
    /// [`samples`](Self::samples) (the same seconds), whether or not the run models them.
    pub fn caller_samples(&self) -> &[CallerSample] {
        &self.caller_samples
    }

    /// The run models its callers — a deadline, a retry policy beyond a fixed pause, a
    /// breaker, or an action that changed one — and reports what they saw: the summary's
    /// `callers`, the CSV's callers' columns.
    pub fn models_callers(&self) -> bool {
        self.callers.modelled
    }

    /// The application servers, one sample per simulated second beside
    /// [`samples`](Self::samples) (the same seconds), whether or not the run models them.
    pub fn app_samples(&self) -> &[AppSample] {
        &self.app_samples
    }

    /// The run models its request threads (`app`, or a `set_threads` action) and reports
    /// them: the summary's `app`, the CSV's threads' columns.
    pub fn models_threads(&self) -> bool {
        self.threaded
    }

    /// The run has health checks of its fleet's instances and reports them: the summary's
    /// `health`, the CSV's `in_balancer` column.
    pub fn models_health(&self) -> bool {
        self.health.is_some()
    }

    /// Instance `j`'s request threads and its place in the load balancer now (0-based;
    /// `None` past the last).
    pub fn instance_server(&self, j: u32) -> Option<ServerView> {
        (j < self.instance_count()).then(|| {
            let inst = self.instance(j as usize);
            ServerView {
                threads: self.threaded.then_some(inst.server.threads),
                threads_busy: inst.server.busy,
                accept_queue: inst.server.queue.len(),
                in_balancer: self.health.as_ref().is_none_or(|h| h.admits(j as usize)),
                down: inst.starting || self.now_us < inst.down_until_us,
            }
        })
    }

    /// What the fleet's health checks do now (`None`: the run has none).
    pub fn health_mode(&self) -> Option<HealthMode> {
        self.health.as_ref().map(|h| h.mode())
    }

    /// The callers' settings in force after every action so far, and their breaker's state.
    pub fn caller_settings(&self) -> CallerSettings {
        let c = &self.callers;
        CallerSettings {
            deadline_ms: u64::from(c.deadline_ms),
            retry: c.retry.clone(),
            breaker: c.breaker_config.clone(),
            breaker_state: c.breaker_state(),
        }
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

    /// The live settings after every action so far (the first instance's in a fleet).
    pub fn current(&self) -> Settings {
        self.instance_settings(0).unwrap_or(Settings { min_idle: 0, ..self.app.live.settings })
    }

    /// Instance `j`'s live settings (0-based); `None` past the last.
    pub fn instance_settings(&self, j: u32) -> Option<Settings> {
        (j < self.instance_count()).then(|| {
            let live = &self.instance(j as usize).live;
            Settings { min_idle: live.min_idle(), ..live.settings }
        })
    }

    /// Run one event.
    fn dispatch(&mut self, event: Event) {
        match event {
            Event::Arrival => {
                let k = self.arrivals.arrived(self.draws, &mut self.queue);
                self.totals.requests += 1;
                if !self.route(k, 0) {
                    return;
                }
                self.app.counts.requests += 1;
                self.arrive(k, 0);
            }
            Event::Retry { k, attempt } => {
                self.totals.retry_pending -= 1;
                if !self.route(k, attempt) {
                    return;
                }
                self.interval.retries += 1;
                self.callers.counts.retries += 1;
                self.arrive(k, attempt);
            }
            Event::AcquireTimeout { inst, ticket } => {
                self.switch_to(inst);
                self.acquire_timeout(ticket);
            }
            Event::HoldEnd { inst, conn, lease } => {
                self.switch_to(inst);
                self.hold_end(conn, lease);
            }
            Event::Opened { inst, conn, lease } => {
                self.switch_to(inst);
                self.opened(conn, lease);
            }
            // A check the queue did not drop as moot (one of another instance, or one out of
            // its lane's order) may still be: the same test decides.
            Event::LeakCheck { inst, conn, .. } => {
                self.switch_to(inst);
                if !self.app.check_is_moot(inst, &event) {
                    self.leak_check(conn);
                }
            }
            Event::AbandonCheck { inst, conn, .. } => {
                self.switch_to(inst);
                if !self.app.check_is_moot(inst, &event) {
                    self.abandon_check(conn);
                }
            }
            Event::Lifetime { inst, conn, serial } => {
                self.switch_to(inst);
                self.lifetime_reached(conn, serial);
            }
            Event::Housekeeping => {
                self.queue.push_rare(self.now_us.saturating_add(HOUSEKEEPING), Event::Housekeeping);
                for j in 0..self.parked.len() {
                    self.switch_to(j as InstanceId);
                    self.housekeeping();
                }
            }
            Event::Timeline { index } => {
                if let Some(step) = self.timeline.get(index as usize) {
                    let (action, on) = (step.action.clone(), step.on.clone());
                    self.perform(&action, on.as_deref());
                }
            }
            Event::RestartDone { inst, epoch } => {
                self.switch_to(inst);
                self.restart_done(epoch);
            }
            Event::DatabaseDone => self.database_done(),
            Event::OpenRetry { inst } => {
                self.switch_to(inst);
                self.retry_open();
            }
            Event::CallerDeadline { inst, conn, lease } => {
                self.switch_to(inst);
                self.caller_deadline(conn, lease);
            }
            Event::AcceptDeadline { .. }
            | Event::NoDbDone { .. }
            | Event::HealthCheck { .. }
            | Event::ProbeDone { .. }
            | Event::HealthRestart { .. }
            | Event::StartupTimeout { .. } => self.dispatch_server(event),
        }
    }

    /// Run an event of the application servers or their balancer: out of line, so a run
    /// without them keeps `dispatch` inlined in the event loop.
    #[cold]
    #[inline(never)]
    fn dispatch_server(&mut self, event: Event) {
        match event {
            Event::AcceptDeadline { inst, ticket } => {
                self.switch_to(inst);
                self.accept_deadline(ticket);
            }
            Event::NoDbDone { inst, epoch } => {
                self.switch_to(inst);
                self.no_db_done(epoch);
            }
            Event::HealthCheck { inst } => {
                self.switch_to(inst);
                self.health_check();
            }
            Event::ProbeDone { inst, conn, lease } => {
                self.switch_to(inst);
                self.probe_done(conn, lease);
            }
            Event::HealthRestart { inst, epoch } => {
                self.switch_to(inst);
                self.health_restart(epoch);
            }
            Event::StartupTimeout { inst, epoch } => {
                self.switch_to(inst);
                self.startup_timeout(epoch);
            }
            _ => {}
        }
    }
}
