//! One application instance: its pool, its waiters, its live settings, its counters and
//! its restart state. Without a fleet there is one; a fleet has one per instance, all
//! sharing the clock, the event queue, the traffic and the database.
//!
//! The event handlers work on `Simulation::app`, the instance whose event is running;
//! [`Simulation::switch_to`](super::Simulation) parks it and brings another in by
//! swapping two boxes, so no handler carries an instance index and a single instance
//! pays one comparison per event for the fleet.

use crate::metrics::InstanceSummary;
use crate::scenario::Scenario;
use crate::sim::config::Live;
use crate::sim::pool::Pool;
use crate::sim::queue::Event;
use crate::sim::threads::Server;
use crate::sim::view::Gauges;
use crate::sim::waiters::Waiters;
use crate::time::SimTime;

/// An instance's number in events and jobs (0-based; fleets have at most
/// [`MAX_INSTANCES`](crate::scenario::validate::MAX_INSTANCES)).
pub(crate) type InstanceId = u16;

/// What happened to an instance's requests and connections over the run.
#[derive(Clone, Debug, Default)]
pub(crate) struct Counters {
    /// First attempts the balancer sent here.
    pub(crate) requests: u64,
    /// Attempts sent here, retries included.
    pub(crate) attempts: u64,
    /// Attempts that got a connection.
    pub(crate) served: u64,
    /// Attempts that timed out waiting.
    pub(crate) timed_out: u64,
    /// Attempts refused without waiting or dropped from the queue (restart, downtime).
    pub(crate) rejected: u64,
    /// Served attempts whose connection was taken away (restart, abandoned reclaim).
    pub(crate) killed: u64,
    /// Requests whose last attempt failed here (no retries left).
    pub(crate) failed: u64,
    /// Requests holding a connection they will return (orphans included).
    pub(crate) holding: u64,
    /// Of the requests waiting, those whose caller has given up (orphans).
    pub(crate) orphans_waiting: u64,
    /// Of the requests holding a connection, those whose caller has given up.
    pub(crate) orphans_holding: u64,
    /// Connections leaked.
    pub(crate) leaked: u64,
    /// Connections closed by abandoned reclaim.
    pub(crate) reclaimed: u64,
    /// Attempts refused at once: the pool full and `max_waiting` requests already waiting.
    pub(crate) refused: u64,
    /// Connections opened (warm start included).
    pub(crate) opened: u64,
    /// Health-check probes waiting for a connection (0 or 1), and holding one: nobody's requests.
    pub(crate) probes_waiting: u64,
    pub(crate) probes_holding: u64,
    /// Attempts refused by the server: every thread busy and the accept queue full.
    pub(crate) turned_away: u64,
    /// Attempts that needed no database and got a thread.
    pub(crate) no_db: u64,
    /// Of those, answered before their caller's deadline.
    pub(crate) no_db_answered: u64,
    /// Of those, failed by a restart.
    pub(crate) no_db_killed: u64,
    pub(crate) first_exhaustion_us: Option<SimTime>,
    pub(crate) first_timeout_us: Option<SimTime>,
    pub(crate) first_refusal_us: Option<SimTime>,
    pub(crate) last_failure_us: Option<SimTime>,
}

impl Counters {
    /// Add `other`'s counts to these (a fleet's totals): milestones take the earliest
    /// first and the latest last.
    pub(crate) fn add(&mut self, o: &Counters) {
        self.requests += o.requests;
        self.attempts += o.attempts;
        self.served += o.served;
        self.timed_out += o.timed_out;
        self.rejected += o.rejected;
        self.killed += o.killed;
        self.failed += o.failed;
        self.holding += o.holding;
        self.orphans_waiting += o.orphans_waiting;
        self.orphans_holding += o.orphans_holding;
        self.leaked += o.leaked;
        self.reclaimed += o.reclaimed;
        self.refused += o.refused;
        self.opened += o.opened;
        self.turned_away += o.turned_away;
        self.no_db += o.no_db;
        self.no_db_answered += o.no_db_answered;
        self.no_db_killed += o.no_db_killed;
        let earliest = |a: Option<SimTime>, b: Option<SimTime>| match (a, b) {
            (Some(x), Some(y)) => Some(x.min(y)),
            (x, y) => x.or(y),
        };
        self.first_exhaustion_us = earliest(self.first_exhaustion_us, o.first_exhaustion_us);
        self.first_timeout_us = earliest(self.first_timeout_us, o.first_timeout_us);
        self.first_refusal_us = earliest(self.first_refusal_us, o.first_refusal_us);
        self.last_failure_us = self.last_failure_us.max(o.last_failure_us);
    }
}

/// One application instance and its pool.
#[derive(Clone, Debug)]
pub(crate) struct Instance {
    pub(crate) pool: Pool,
    pub(crate) waiters: Waiters,
    pub(crate) live: Live,
    pub(crate) counts: Counters,
    /// Its request threads and accept queue.
    pub(crate) server: Server,
    /// The application is down (restarting) until then.
    pub(crate) down_until_us: SimTime,
    /// Restarted by the health checks, it opens `min_idle` connections before it takes
    /// requests (`down_until_us` is then the end of time).
    pub(crate) starting: bool,
    /// Bumped on each restart, so an older restart's "back up" event is stale.
    pub(crate) restart_epoch: u32,
    /// Bumped when the abandoned timeout changes, so older checks are stale.
    pub(crate) abandon_epoch: u32,
}

impl Instance {
    /// An instance at time 0, before its warm start.
    pub(crate) fn new(scenario: &Scenario) -> Self {
        Self {
            pool: Pool::default(),
            waiters: Waiters::default(),
            live: Live::new(scenario),
            counts: Counters::default(),
            server: Server::new(scenario.app.as_ref()),
            down_until_us: SimTime::ZERO,
            starting: false,
            restart_epoch: 0,
            abandon_epoch: 0,
        }
    }

    /// A leak or abandoned check of this instance (number `me`) that would do nothing
    /// now: its connection came back (or was closed) since the check was scheduled, or
    /// the abandoned timeout changed since. The event loop drops these as they come due
    /// ([`EventQueue::pop_due`](crate::sim::queue::EventQueue::pop_due)) instead of
    /// running them, and the dispatch asks the same before it runs a check.
    #[inline]
    pub(crate) fn check_is_moot(&self, me: InstanceId, event: &Event) -> bool {
        match *event {
            Event::LeakCheck { inst, conn, lease } => inst == me && !self.pool.out_under(conn, lease),
            Event::AbandonCheck { inst, conn, lease, epoch } => {
                inst == me && (epoch != self.abandon_epoch || !self.pool.out_under(conn, lease))
            }
            _ => false,
        }
    }

    /// Its pool's state now.
    pub(crate) fn gauges(&self) -> Gauges {
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

    /// Requests in progress here: waiting for a connection or holding one (and, with
    /// threads, waiting for a thread or holding one without the database).
    pub(crate) fn outstanding(&self) -> u64 {
        u64::from(self.waiters.len()) + self.counts.holding + self.server.outstanding()
    }

    /// Connections the database sees from this instance: those open, and those being
    /// opened now — one at most on HikariCP's single creator thread (the others wait
    /// their turn in the pool).
    pub(crate) fn db_connections(&self) -> u32 {
        let connecting = if self.live.flavour.opens_one_at_a_time() {
            if self.pool.creator.is_none() && self.pool.to_open.is_empty() {
                self.pool.opening.min(1)
            } else {
                // The creator works by events (opens cost database CPU): only its current
                // open is connecting; a sleeping creator's queue is not.
                u32::from(self.pool.creator.is_some())
            }
        } else {
            self.pool.opening
        };
        self.pool.total() + connecting
    }

    /// What it did, for the summary (`number` counts from 1).
    pub(crate) fn summary(&self, number: u32) -> InstanceSummary {
        let c = &self.counts;
        InstanceSummary {
            instance: number,
            requests: c.requests,
            attempts: c.attempts,
            served: c.served,
            timed_out: c.timed_out,
            refused: c.refused,
            failed: c.failed,
            leaked: c.leaked,
            reclaimed: c.reclaimed,
            connections_opened: c.opened,
            first_exhaustion_s: c.first_exhaustion_us.map(SimTime::as_secs_f64),
            first_timeout_s: c.first_timeout_us.map(SimTime::as_secs_f64),
            max_size: self.live.max_size(),
            leak_probability: self.live.settings.leak_probability,
        }
    }
}
