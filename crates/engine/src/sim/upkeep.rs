//! The pool looking after its connections: opening them one after another, handing a
//! freed one to the longest waiter, closing and refilling, HikariCP's housekeeper and
//! max lifetime, leak detection, Tomcat's abandoned reclaim, and an application restart.

use std::fmt::Write as _;

use crate::flavour::WaitOrder;
use crate::log::Msg;
use crate::metrics::{LogKind, LogLevel};
use crate::rng::Stream;
use crate::sim::Simulation;
use crate::sim::callers::Failure;
use crate::sim::config::ms_to_us;
use crate::sim::database::{Job, JobKind};
use crate::sim::health::HEALTH_PROBE;
use crate::sim::instance::Instance;
use crate::sim::pool::Slot;
use crate::sim::queue::Event;
use crate::sim::waiters::WaitEntry;
use crate::time::{SimDuration, SimTime};

/// HikariCP's first pause after the database refuses a connection.
const OPEN_BACKOFF_FIRST: SimDuration = SimDuration::from_millis(250);
/// Its longest pause (also at most `connectionTimeout`).
const OPEN_BACKOFF_CAP: SimDuration = SimDuration::from_secs(10);

impl Simulation {
    /// Time 0: the pool already holds `min_idle` idle connections. With a database, no
    /// more than it lets the application hold: in a fleet, the instances warm up in order
    /// and the last ones get what slots are left.
    pub(super) fn warm_start(&mut self) {
        let limit = self
            .database
            .as_ref()
            .map_or(u32::MAX, |db| db.usable_connections().saturating_sub(self.fleet_open_connections()));
        for _ in 0..self.app.live.min_idle().min(limit) {
            self.app.counts.opened += 1;
            let id = self.app.pool.alloc(SimTime::ZERO);
            self.connection_ready(id);
            self.app.pool.set_state(id, Slot::Idle, SimTime::ZERO);
            self.app.pool.idle.push(id);
        }
        self.count_db_connections();
    }

    /// Connections the database sees from every instance: open, or being opened now.
    pub(super) fn fleet_db_connections(&self) -> u32 {
        if self.parked.len() == 1 {
            return self.app.db_connections();
        }
        self.instances().map(Instance::db_connections).sum()
    }

    /// Connections open at every instance (opening ones excluded).
    pub(super) fn fleet_open_connections(&self) -> u32 {
        if self.parked.len() == 1 {
            return self.app.pool.total();
        }
        self.instances().map(|i| i.pool.total()).sum()
    }

    /// Tell the database how many connections are open now.
    fn count_db_connections(&mut self) {
        let open = self.fleet_open_connections();
        if let Some(db) = &mut self.database {
            db.count_connections(open);
        }
    }

    /// Open one connection, taking `connect_ms`. HikariCP queues it on its single creator
    /// thread (it starts when the previous one is done); the other pools open side by side.
    /// Behind a database that charges CPU for opens, how long that takes depends on the
    /// load, so the creator starts the next open when the last is done (see
    /// [`begin_open`](Self::begin_open)).
    pub(super) fn open_connection(&mut self) {
        let now = self.now_us;
        self.app.counts.opened += 1;
        let id = self.app.pool.alloc(now);
        if self.opens_cost_cpu() {
            if self.app.live.flavour.opens_one_at_a_time() && self.app.pool.creator.is_some() {
                if let Some(c) = self.app.pool.conns.get_mut(id as usize) {
                    // Not started: no time yet (and a shrink drops it first).
                    c.until_us = SimTime::MAX;
                }
                self.app.pool.to_open.push_back(id);
            } else {
                self.begin_open(id);
            }
            return;
        }
        let ready = if self.app.live.flavour.opens_one_at_a_time() {
            let ready = now.max(self.app.pool.opener_free_us).saturating_add(self.app.live.connect_us);
            self.app.pool.opener_free_us = ready;
            ready
        } else {
            now.saturating_add(self.app.live.connect_us)
        };
        let Some(c) = self.app.pool.conns.get_mut(id as usize) else { return };
        c.until_us = ready;
        let lease = c.lease;
        self.queue.push_rare(ready, Event::Opened { inst: self.current, conn: id, lease });
    }

    /// The database charges CPU for each new connection (`connect_cpu_ms` above 0).
    fn opens_cost_cpu(&self) -> bool {
        self.database.as_ref().is_some_and(|db| !db.connect_cpu().is_zero())
    }

    /// Start opening `conn` now: the database runs its handshake (`connect_cpu_ms` of
    /// CPU, shared with the queries), then the rest of `connect_ms` passes.
    fn begin_open(&mut self, conn: u32) {
        let now = self.now_us;
        let (inst, connect) = (self.current, self.app.live.connect_us);
        let Some(db) = &mut self.database else { return };
        let Some(c) = self.app.pool.conns.get_mut(conn as usize) else { return };
        let cpu = db.connect_cpu();
        // Without contention the open takes `connect_ms` (at least its CPU).
        c.until_us = now.saturating_add(connect.max(cpu));
        let lease = c.lease;
        let job = Job { kind: JobKind::Open, inst, conn, lease, after: connect.saturating_sub(cpu) };
        let next = db.start(now, cpu, job);
        self.queue.set_database(Some(next));
        if self.app.live.flavour.opens_one_at_a_time() {
            self.app.pool.creator = Some((conn, lease));
        }
    }

    /// The database finished a connection's handshake: the connection is open once the
    /// rest of `connect_ms` has passed (if it is still wanted).
    pub(super) fn handshake_done(&mut self, job: Job) {
        let wanted =
            self.app.pool.get(job.conn).is_some_and(|c| c.lease == job.lease && c.state == Slot::Opening);
        if wanted {
            let at = self.now_us.saturating_add(job.after);
            self.queue.push_rare(at, Event::Opened { inst: job.inst, conn: job.conn, lease: job.lease });
        } else {
            self.creator_done(job.conn, job.lease);
        }
    }

    /// The creator is done with (`conn`, `lease`), opened, refused or dropped: it starts
    /// the next queued open, unless it sleeps after a refusal.
    fn creator_done(&mut self, conn: u32, lease: u32) {
        if self.app.pool.creator != Some((conn, lease)) {
            return;
        }
        self.app.pool.creator = None;
        self.start_next_open();
    }

    /// Start the oldest queued open, if the creator is free and awake.
    fn start_next_open(&mut self) {
        if self.app.pool.creator.is_some() || self.app.pool.open_retry_pending {
            return;
        }
        while let Some(id) = self.app.pool.to_open.pop_front() {
            if self.app.pool.get(id).is_some_and(|c| c.state == Slot::Opening) {
                self.begin_open(id);
                return;
            }
        }
    }

    /// A new connection is open: set its lifetime and put it to use.
    pub(super) fn opened(&mut self, conn: u32, lease: u32) {
        let Some(c) = self.app.pool.get(conn) else { return };
        if c.lease != lease || c.state != Slot::Opening {
            self.creator_done(conn, lease);
            return;
        }
        let mut recovered = false;
        // Every other connection the database sees holds a slot (this one is counted as
        // connecting until it is admitted).
        let others = self.fleet_db_connections().saturating_sub(1);
        let creator = self.app.pool.creator == Some((conn, lease));
        if creator {
            self.app.pool.creator = None;
        }
        if let Some(db) = &mut self.database {
            if let Err(fatal) = db.admit(others) {
                self.open_refused(conn, fatal);
                return;
            }
            recovered = !self.app.pool.open_backoff.is_zero();
            self.app.pool.open_backoff = SimDuration::ZERO;
        }
        self.connection_ready(conn);
        self.make_available(conn);
        self.count_db_connections();
        if self.app.starting {
            self.check_started();
        }
        if recovered {
            // The creator got a slot after refusals: it goes on with what the pool needs.
            self.fill_pool();
        }
        if creator {
            self.start_next_open();
        }
    }

    /// The database refused the connection being opened in `conn`: it logs the FATAL line
    /// (HikariCP itself logs it only at DEBUG), and the pool's creator sleeps, then tries
    /// again — 250 ms, 375 ms, 562 ms … (× 1.5), at most `min(10 s, connectionTimeout)`, as
    /// HikariCP's `PoolEntryCreator` does. Waiters time out meanwhile as usual.
    fn open_refused(&mut self, conn: u32, fatal: &str) {
        let now = self.now_us;
        self.app.counts.opened -= 1;
        self.app.pool.set_state(conn, Slot::Free, now);
        self.log.push(now, LogLevel::Error, LogKind::Database, |m| write!(m, "database: FATAL: {fatal}"));
        let cap = match self.app.live.timeout_us {
            t if t.is_zero() => OPEN_BACKOFF_CAP,
            t => t.min(OPEN_BACKOFF_CAP),
        };
        if self.app.pool.open_retry_pending {
            // Opens queued before the first refusal fail alike; the creator sleeps once.
            return;
        }
        let pause = if self.app.pool.open_backoff.is_zero() {
            OPEN_BACKOFF_FIRST
        } else {
            self.app.pool.open_backoff
        };
        let pause = pause.min(cap);
        self.app.pool.open_backoff = SimDuration::from_micros(pause.as_micros() / 2 * 3).min(cap);
        self.app.pool.open_retry_pending = true;
        self.queue.push_rare(now.saturating_add(pause), Event::OpenRetry { inst: self.current });
    }

    /// The creator wakes after a refused open and tries one connection again, if the
    /// pool still wants one (a waiter not covered, or fewer idle than `min_idle`).
    pub(super) fn retry_open(&mut self) {
        self.app.pool.open_retry_pending = false;
        if self.now_us < self.app.down_until_us && !self.app.starting {
            return;
        }
        if !self.app.pool.to_open.is_empty() {
            // Opens queued on the creator go first.
            self.start_next_open();
            return;
        }
        let used = self.app.pool.total() + self.app.pool.opening;
        let wanted = self.app.waiters.len() > self.app.pool.opening
            || self.app.live.min_idle() > self.app.pool.idle_count() + self.app.pool.opening;
        if wanted && used < self.app.live.max_size() {
            self.open_connection();
        }
    }

    /// Stamp a just-opened connection's max lifetime and schedule its retirement.
    fn connection_ready(&mut self, conn: u32) {
        let now = self.now_us;
        let Some(c) = self.app.pool.conns.get_mut(conn as usize) else { return };
        if let Some(life) = self.app.live.lifetime_us(self.draws, c.serial) {
            c.retire_at_us = now.saturating_add(life);
            let serial = c.serial;
            self.queue.push_rare(c.retire_at_us, Event::Lifetime { inst: self.current, conn, serial });
        }
    }

    /// `conn` is free to use: a waiter gets it at once (the longest one, or a random one
    /// under Go's order), else it goes idle, or is closed when `max_idle` are idle already.
    fn make_available(&mut self, conn: u32) {
        let next = match self.app.live.wait_order {
            WaitOrder::Fifo => self.app.waiters.pop_front(),
            WaitOrder::Random if self.app.waiters.len() == 0 => None,
            WaitOrder::Random => {
                let unit = self.draws.unit(Stream::Handoff, self.totals.handoffs, 0);
                self.totals.handoffs += 1;
                self.app.waiters.pop_random(unit)
            }
        };
        if let Some(w) = next {
            if w.k == HEALTH_PROBE {
                return self.probe_served(conn);
            }
            let wait = self.now_us - w.since_us;
            self.serve(w.k, w.attempt, conn, wait);
            if w.due_ms != 0 {
                self.caller_watch(conn, w.since_us.saturating_add(ms_to_us(u64::from(w.due_ms))), w.gave_up);
            }
            self.check_exhausted(false);
        } else if self.app.pool.idle_count() >= self.app.live.idle_cap() {
            // Go's `database/sql` closes a returned connection beyond `SetMaxIdleConns`.
            self.close(conn);
        } else {
            self.app.pool.set_state(conn, Slot::Idle, self.now_us);
            self.app.pool.idle.push(conn);
        }
    }

    /// A request returned `conn`. Past its max lifetime, or above a shrunk maximum, it is
    /// closed (and replaced if needed); otherwise it is reused.
    #[inline(always)] // the hot path's: a request's hold end (a probe's too, rarely)
    pub(super) fn release(&mut self, conn: u32) {
        let Some(c) = self.app.pool.get(conn) else { return };
        let expired = self.now_us >= c.retire_at_us;
        let over_max = self.app.pool.total() + self.app.pool.opening > self.app.live.max_size();
        if expired || over_max {
            let why = if expired { "connection has passed maxLifetime" } else { "pool was resized smaller" };
            self.close(conn);
            let prefix = self.log.prefix();
            self.log.push(self.now_us, LogLevel::Info, LogKind::Housekeeping, |m| {
                write!(m, "{prefix}Closing connection conn{conn}: ({why})")
            });
            self.fill_pool();
        } else {
            self.make_available(conn);
        }
    }

    /// Close `conn` and free its slot (it leaves the idle stack if it was idle).
    fn close(&mut self, conn: u32) {
        if self.app.pool.get(conn).is_some_and(|c| c.state == Slot::Idle) {
            self.app.pool.remove_idle(conn);
        }
        self.app.pool.set_state(conn, Slot::Free, self.now_us);
        self.backends_exit(1);
    }

    /// `closed` open connections were closed now: each backend's exit costs the database
    /// `close_cpu_ms` of CPU, shared with the queries (a connection still opening never
    /// got a backend, so its caller does not count it). Out of line: one copy for every
    /// kind of close.
    #[inline(never)]
    pub(super) fn backends_exit(&mut self, closed: u32) {
        let now = self.now_us;
        let inst = self.current;
        let Some(db) = &mut self.database else { return };
        let cpu = db.close_cpu();
        if cpu.is_zero() || closed == 0 {
            return;
        }
        let job = Job { kind: JobKind::Close, inst, conn: 0, lease: 0, after: SimDuration::ZERO };
        let mut next = now;
        for _ in 0..closed {
            next = db.start(now, cpu, job);
        }
        self.queue.set_database(Some(next));
    }

    /// HikariCP's `fillPool`: open connections until `min_idle` are idle or being opened,
    /// and, when requests wait, one per waiter not already covered, within `max_size`.
    pub(super) fn fill_pool(&mut self) {
        if (self.now_us < self.app.down_until_us && !self.app.starting) || self.app.pool.open_retry_pending {
            return;
        }
        let used = self.app.pool.total() + self.app.pool.opening;
        let room = self.app.live.max_size().saturating_sub(used);
        let for_idle =
            self.app.live.min_idle().saturating_sub(self.app.pool.idle_count() + self.app.pool.opening);
        let for_waiters = self.app.waiters.len().saturating_sub(self.app.pool.opening);
        for _ in 0..room.min(for_idle.max(for_waiters)) {
            self.open_connection();
        }
    }

    /// HikariCP's housekeeper (every 30 s): close connections idle longer than
    /// `idleTimeout` while more than `minimumIdle` are idle, then refill.
    pub(super) fn housekeeping(&mut self) {
        let now = self.now_us;
        if now < self.app.down_until_us {
            return;
        }
        let (min_idle, timeout) = (self.app.live.min_idle(), self.app.live.idle_timeout_us);
        // HikariCP only retires idle connections when minimumIdle < maximumPoolSize.
        if !timeout.is_zero() && min_idle < self.app.live.max_size() {
            let mut to_remove = self.app.pool.idle_count().saturating_sub(min_idle);
            let mut closed = 0u32;
            // Bottom of the stack first: the connections idle the longest.
            for i in 0..self.app.pool.idle.len() {
                if to_remove == 0 {
                    break;
                }
                let id = self.app.pool.idle[i];
                if self.app.pool.get(id).is_some_and(|c| now - c.since_us >= timeout) {
                    self.app.pool.set_state(id, Slot::Free, now);
                    to_remove -= 1;
                    closed += 1;
                }
            }
            if closed > 0 {
                self.backends_exit(closed);
                let conns = &self.app.pool.conns;
                self.app
                    .pool
                    .idle
                    .retain(|&id| conns.get(id as usize).is_some_and(|c| c.state == Slot::Idle));
                let (total, idle) = (self.app.pool.total(), self.app.pool.idle_count());
                let prefix = self.log.prefix();
                self.log.push(now, LogLevel::Info, LogKind::Housekeeping, |m| {
                    write!(
                        m,
                        "{prefix}Housekeeper closed {closed} connections idle longer than \
                         {}ms (total={total}, idle={idle})",
                        timeout.as_millis()
                    )
                });
            }
        }
        self.fill_pool();
    }

    /// Connection `conn` reached its max lifetime: an idle one is retired and replaced now;
    /// one in use is closed when it comes back; a leaked one never comes back, so it is
    /// never retired (HikariCP cannot close a connection someone still holds).
    pub(super) fn lifetime_reached(&mut self, conn: u32, serial: u64) {
        let Some(c) = self.app.pool.get(conn) else { return };
        if c.serial != serial || c.state != Slot::Idle {
            return;
        }
        self.close(conn);
        let prefix = self.log.prefix();
        self.log.push(self.now_us, LogLevel::Info, LogKind::Housekeeping, |m| {
            write!(m, "{prefix}Closing connection conn{conn}: (connection has passed maxLifetime)")
        });
        self.fill_pool();
    }

    /// Leak detection: `conn` has been out longer than the threshold (a check that still
    /// applies: `Instance::check_is_moot`). It is flagged and logged, never reclaimed.
    pub(super) fn leak_check(&mut self, conn: u32) {
        self.app.pool.flag_suspected(conn);
        self.log.record(self.now_us, LogLevel::Warn, LogKind::LeakDetected, Msg::LeakDetected { conn });
    }

    /// Abandoned reclaim: `conn` has been out longer than `removeAbandonedTimeout` (a check
    /// that still applies: `Instance::check_is_moot`). It is closed and its slot freed; a
    /// legitimate holder's request fails (and may retry).
    pub(super) fn abandon_check(&mut self, conn: u32) {
        let Some(&c) = self.app.pool.get(conn) else { return };
        let now = self.now_us;
        let out_ms = (now - c.since_us).as_millis();
        let legit = c.state == Slot::Active;
        let holder = c.holder;
        self.app.counts.reclaimed += 1;
        self.close(conn);
        self.log.push(now, LogLevel::Warn, LogKind::Abandoned, |m| {
            write!(
                m,
                "Connection has been abandoned conn{conn}: out for {out_ms}ms, closed and its slot freed"
            )?;
            if legit { write!(m, " (request {holder} was still using it and fails)") } else { Ok(()) }
        });
        if legit {
            self.app.counts.holding -= 1;
            self.app.counts.killed += 1;
            self.settle_holder(holder, c.attempt, c.orphaned);
            if holder != HEALTH_PROBE {
                self.release_thread();
            }
        }
        self.fill_pool();
    }

    /// Restart the application: every connection closes (leaked ones too), waiting and
    /// in-flight requests fail, arrivals fail for `downtime`, then the pool refills.
    pub(super) fn restart(&mut self, downtime: SimDuration) {
        let now = self.now_us;
        self.app.restart_epoch = self.app.restart_epoch.wrapping_add(1);
        self.app.down_until_us = now.saturating_add(downtime);
        self.app.starting = false;
        let mut waiters: Vec<WaitEntry> = self.app.waiters.drain().collect();
        if let Some(probe) = waiters.iter().position(|w| w.k == HEALTH_PROBE) {
            waiters.remove(probe);
            self.probe_failed("the instance restarted");
        }
        for w in &waiters {
            self.app.counts.rejected += 1;
            self.settle_waiter(w.k, w.attempt, w.gave_up, Failure::Refusal);
        }
        let (mut closed, mut leaked, mut in_flight) = (0u32, 0u32, 0u32);
        for id in 0..self.app.pool.conns.len() as u32 {
            let Some(&c) = self.app.pool.get(id) else { continue };
            match c.state {
                Slot::Free => continue,
                Slot::Active => {
                    in_flight += 1;
                    self.app.counts.holding -= 1;
                    self.app.counts.killed += 1;
                    self.settle_holder(c.holder, c.attempt, c.orphaned);
                }
                Slot::Leaked => leaked += 1,
                Slot::Idle | Slot::Opening => {}
            }
            if c.state != Slot::Opening {
                closed += 1;
            }
            self.app.pool.set_state(id, Slot::Free, now);
        }
        self.app.pool.idle.clear();
        self.backends_exit(closed);
        self.app.pool.opener_free_us = self.app.down_until_us;
        self.app.pool.creator = None;
        self.app.pool.to_open.clear();
        if self.threaded {
            self.restart_threads();
        }
        let failed = waiters.len();
        self.log.push(now, LogLevel::Warn, LogKind::Action, |m| {
            write!(
                m,
                "Restart app: closed {closed} connections ({leaked} leaked); {failed} waiting and \
                 {in_flight} in-flight requests failed"
            )?;
            if downtime.is_zero() { Ok(()) } else { write!(m, "; down for {} s", downtime.as_secs_f64()) }
        });
        if downtime.is_zero() {
            self.fill_pool();
        } else {
            let epoch = self.app.restart_epoch;
            self.queue.push_rare(self.app.down_until_us, Event::RestartDone { inst: self.current, epoch });
        }
    }

    /// The application is back up after a restart: the pool refills to `min_idle`.
    pub(super) fn restart_done(&mut self, epoch: u32) {
        if epoch != self.app.restart_epoch {
            return;
        }
        let prefix = self.log.prefix();
        self.log.push(self.now_us, LogLevel::Info, LogKind::Action, |m| {
            write!(m, "{prefix}Start completed: the application is back up and the pool refills")
        });
        self.fill_pool();
    }

    /// Shrink to the current `max_size`: drop queued connection opens beyond it (HikariCP's
    /// creator checks before each one), close idle excess now (longest idle first); the
    /// in-use excess closes as it comes back (see [`release`](Self::release)).
    pub(super) fn shrink(&mut self) {
        let now = self.now_us;
        let max = self.app.live.max_size();
        let mut excess = (self.app.pool.total() + self.app.pool.opening).saturating_sub(max);
        if excess > 0 && self.app.pool.opening > 0 {
            // The most recently queued opens are the furthest from done: drop those first.
            let mut opening: Vec<(SimTime, u32)> = (0..self.app.pool.conns.len() as u32)
                .filter_map(|id| {
                    self.app.pool.get(id).filter(|c| c.state == Slot::Opening).map(|c| (c.until_us, id))
                })
                .collect();
            // Keys are distinct (ids are), so any sort gives this order. The project's small
            // sort keeps a standard quicksort out of the page's download; slots are mostly
            // taken in the order opens are queued, so the list is nearly in order already.
            crate::sort::stable_by(&mut opening, |a, b| a < b);
            opening.reverse();
            let drop = (excess as usize).min(opening.len());
            for &(_, id) in &opening[..drop] {
                self.app.pool.set_state(id, Slot::Free, now);
            }
            excess -= drop as u32;
            // The creator thread is free once the last remaining open is done.
            self.app.pool.opener_free_us = opening.get(drop).map_or(now, |&(until, _)| until).max(now);
        }
        // The creator's queue keeps only the opens still wanted.
        if self.opens_cost_cpu() {
            let conns = &self.app.pool.conns;
            self.app
                .pool
                .to_open
                .retain(|&id| conns.get(id as usize).is_some_and(|c| c.state == Slot::Opening));
            if let Some((conn, lease)) = self.app.pool.creator
                && self.app.pool.get(conn).is_none_or(|c| c.lease != lease)
            {
                self.app.pool.creator = None;
                self.start_next_open();
            }
        }
        let idle_to_close = excess.min(self.app.pool.idle_count()) as usize;
        let closing: Vec<u32> = self.app.pool.idle.drain(..idle_to_close).collect();
        for &id in &closing {
            self.app.pool.set_state(id, Slot::Free, now);
        }
        self.backends_exit(closing.len() as u32);
    }
}
