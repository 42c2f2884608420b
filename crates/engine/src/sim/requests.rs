//! A request's life: arrive, take an idle connection, wait (or be refused when no more
//! may wait), hold the connection (or leak it), time out, and retry. What its caller does
//! meanwhile — give up at a deadline, retry by its policy — is in `callers.rs`.

use std::fmt::Write as _;

use crate::log::Msg;
use crate::metrics::{LogKind, LogLevel};
use crate::sim::Simulation;
use crate::sim::callers::Failure;
use crate::sim::config::ms_to_us;
use crate::sim::database::{Job, JobKind};
use crate::sim::health::HEALTH_PROBE;
use crate::sim::pool::Slot;
use crate::sim::queue::{Event, Lane};
use crate::time::{SimDuration, SimTime};
use crate::wording::Stats;

impl Simulation {
    /// Attempt `attempt` of request `k` arrives and asks the pool for a connection.
    pub(super) fn arrive(&mut self, k: u64, attempt: u32) {
        self.app.counts.attempts += 1;
        self.interval.arrivals += 1;
        if self.now_us < self.app.down_until_us {
            self.app.counts.rejected += 1;
            self.log.record(
                self.now_us,
                LogLevel::Error,
                LogKind::RequestFailed,
                Msg::Restarting { request: k },
            );
            self.attempt_failed(k, attempt, Failure::Refusal);
            return;
        }
        if self.threaded {
            self.take_thread(k, attempt);
            return;
        }
        self.ask_pool(k, attempt, self.callers.deadline_ms);
    }

    /// Attempt `attempt` of request `k` asks the pool for a connection; its caller gives
    /// up `due_ms` from now (0: never).
    #[inline(always)]
    pub(super) fn ask_pool(&mut self, k: u64, attempt: u32, due_ms: u32) {
        // LIFO: the most recently returned connection, as HikariCP's bag hands out.
        if let Some(conn) = self.app.pool.idle.pop() {
            self.serve(k, attempt, conn, SimDuration::ZERO);
            if due_ms != 0 {
                let due = self.now_us.saturating_add(ms_to_us(u64::from(due_ms)));
                self.caller_watch(conn, due, false);
            }
            return;
        }
        let can_open = self.app.pool.total() + self.app.pool.opening < self.app.live.max_size();
        if !can_open && self.app.waiters.len() >= self.app.live.max_waiting {
            self.refuse(k, attempt);
            return;
        }
        let timeout = self.app.live.timeout_us;
        // A timeout of 0 waits forever (Go's `database/sql` without a context deadline).
        let deadline = if timeout.is_zero() { SimTime::MAX } else { self.now_us.saturating_add(timeout) };
        let ticket = self.app.waiters.push(k, attempt, self.now_us, deadline, due_ms);
        // One timer: the pool's timeout, or the caller's deadline if that comes first.
        let first = if due_ms == 0 {
            deadline
        } else {
            deadline.min(self.now_us.saturating_add(ms_to_us(u64::from(due_ms))))
        };
        if first != SimTime::MAX {
            self.queue.push_lane(
                Lane::AcquireTimeout,
                first,
                Event::AcquireTimeout { inst: self.current, ticket },
            );
        }
        // While the creator waits out a refused open, it opens nothing; its retry serves
        // the waiters then.
        if can_open && !self.app.pool.open_retry_pending {
            self.open_connection();
        }
        self.check_exhausted(false);
    }

    /// The pool is full and `max_waiting` requests already wait: refuse at once
    /// (pgbouncer's `max_client_conn`; PostgreSQL's "too many clients" for Go's unlimited pool).
    fn refuse(&mut self, k: u64, attempt: u32) {
        self.app.counts.rejected += 1;
        self.app.counts.refused += 1;
        self.app.counts.first_refusal_us.get_or_insert(self.now_us);
        self.check_exhausted(true);
        let stats = self.stats();
        self.log.record(self.now_us, LogLevel::Error, LogKind::RequestFailed, Msg::Refused { stats });
        self.attempt_failed(k, attempt, Failure::Refusal);
        self.release_thread();
    }

    /// The pool's stats for a log line.
    pub(super) fn stats(&self) -> Stats {
        Stats {
            total: self.app.pool.total(),
            active: self.app.pool.active(),
            idle: self.app.pool.idle_count(),
            waiting: self.app.waiters.len(),
            max: self.app.live.max_size(),
            max_waiting: self.app.live.max_waiting,
        }
    }

    /// Hand `conn` to attempt `attempt` of request `k`, which waited `wait` for it.
    /// Whether it leaks and how long it holds come from the request's own draws. (If its
    /// caller has a deadline, the caller of `serve` tells `caller_watch` next.)
    pub(super) fn serve(&mut self, k: u64, attempt: u32, conn: u32, wait: SimDuration) {
        let now = self.now_us;
        self.app.counts.served += 1;
        self.interval.served += 1;
        self.interval.record_wait(wait);
        self.waits.record(wait);
        let draws = self.draws.request(k);
        let leaks = self.app.live.leaks(draws, attempt);
        if leaks {
            self.app.pool.set_state(conn, Slot::Leaked, now);
            self.app.counts.leaked += 1;
            // From the client's point of view the request is done; its connection is not.
            self.totals.done += 1;
        } else {
            self.app.pool.set_state(conn, Slot::Active, now);
            self.app.counts.holding += 1;
        }
        // A leaked connection never comes back, so its hold time is never drawn.
        let hold = if leaks { SimDuration::ZERO } else { self.app.live.hold_us(draws, attempt) };
        let Some(c) = self.app.pool.conns.get_mut(conn as usize) else { return };
        c.holder = k;
        c.attempt = attempt;
        c.orphaned = false;
        let lease = c.lease;
        if !leaks {
            // Until the query has run this is the end of the hold without contention.
            c.until_us = now.saturating_add(hold);
            match &mut self.database {
                None => self.queue.push(c.until_us, Event::HoldEnd { inst: self.current, conn, lease }),
                Some(db) => {
                    let (query, after) = db.split(hold);
                    let job = Job { kind: JobKind::Query, inst: self.current, conn, lease, after };
                    let next = db.start(now, query, job);
                    self.queue.set_database(Some(next));
                }
            }
        }
        if !self.app.live.leak_threshold_us.is_zero() {
            self.queue.push_lane(
                Lane::LeakCheck,
                now.saturating_add(self.app.live.leak_threshold_us),
                Event::LeakCheck { inst: self.current, conn, lease },
            );
        }
        if !self.app.live.abandoned_us.is_zero() {
            let epoch = self.app.abandon_epoch;
            self.queue.push_lane(
                Lane::AbandonCheck,
                now.saturating_add(self.app.live.abandoned_us),
                Event::AbandonCheck { inst: self.current, conn, lease, epoch },
            );
        }
        if leaks {
            // Its caller has an answer: the thread is free, the connection is not.
            self.release_thread();
        }
    }

    /// The request holding `conn` under `lease` is done with it.
    pub(super) fn hold_end(&mut self, conn: u32, lease: u32) {
        let Some(c) = self.app.pool.get(conn) else { return };
        if c.lease != lease || c.state != Slot::Active {
            return;
        }
        self.app.counts.holding -= 1;
        // An orphan's answer reaches nobody: its request was settled when its caller gave up.
        if c.orphaned {
            self.app.counts.orphans_holding -= 1;
        } else {
            self.totals.done += 1;
        }
        if c.suspected {
            // A slow legitimate query tripped leak detection: HikariCP's false positive.
            self.log.record(self.now_us, LogLevel::Info, LogKind::Unleaked, Msg::Unleaked { conn });
        }
        self.release(conn);
        self.release_thread();
    }

    /// The database's next queries are done: each connection whose query it was is held
    /// for the rest of its hold, then returned (a query whose connection was taken away
    /// meanwhile — a restart, abandoned reclaim — ran for nothing).
    pub(super) fn database_done(&mut self) {
        let Some(db) = &mut self.database else { return };
        let mut done = std::mem::take(&mut self.db_done);
        db.finish_due(self.now_us, &mut done);
        self.queue.set_database(db.next_completion());
        for job in done.drain(..) {
            self.switch_to(job.inst);
            if job.kind == JobKind::Open {
                self.handshake_done(job);
                continue;
            }
            let Some(c) = self.app.pool.conns.get_mut(job.conn as usize) else { continue };
            if c.lease != job.lease || c.state != Slot::Active {
                continue;
            }
            c.until_us = self.now_us.saturating_add(job.after);
            let (inst, conn, lease) = (job.inst, job.conn, job.lease);
            let event = if job.kind == JobKind::Probe {
                Event::ProbeDone { inst, conn, lease }
            } else {
                Event::HoldEnd { inst, conn, lease }
            };
            self.queue.push(c.until_us, event);
        }
        self.db_done = done;
    }

    /// The waiter with `ticket` has waited `connectionTimeout` and gives up (or its
    /// caller's deadline came first: the caller gives up, the waiter stays).
    pub(super) fn acquire_timeout(&mut self, ticket: u64) {
        if self.callers.deadlines_seen && self.caller_gives_up_waiting(ticket) {
            return;
        }
        let Some(w) = self.app.waiters.remove(ticket) else { return };
        if w.k == HEALTH_PROBE {
            return self.probe_failed("");
        }
        let now = self.now_us;
        self.app.counts.timed_out += 1;
        self.interval.timeouts += 1;
        self.app.counts.first_timeout_us.get_or_insert(now);
        let waited_ms = (now - w.since_us).as_millis();
        let msg = Msg::Timeout { waited_ms, stats: self.stats() };
        self.log.record(now, LogLevel::Error, LogKind::Timeout, msg);
        self.settle_waiter(w.k, w.attempt, w.gave_up, Failure::Timeout);
        self.release_thread();
    }

    /// A waiter left without a connection (timed out, or dropped by a restart): its
    /// attempt failed, unless its caller had given up already (it counted that failure then).
    pub(super) fn settle_waiter(&mut self, k: u64, attempt: u32, gave_up: bool, why: Failure) {
        if gave_up {
            self.app.counts.orphans_waiting -= 1;
        } else {
            self.attempt_failed(k, attempt, why);
        }
    }

    /// A holder lost its connection (a restart, abandoned reclaim): its attempt failed,
    /// unless its caller had given up already.
    pub(super) fn settle_holder(&mut self, k: u64, attempt: u32, orphaned: bool) {
        if orphaned && k == HEALTH_PROBE {
            self.app.counts.probes_holding -= 1;
        } else if orphaned {
            self.app.counts.orphans_holding -= 1;
        } else {
            self.attempt_failed(k, attempt, Failure::Refusal);
        }
    }

    /// Attempt `attempt` of request `k` failed as `why`: its caller retries after a pause
    /// if its policy and budget allow (a retry storm adds load), else the request has failed.
    #[inline]
    pub(super) fn attempt_failed(&mut self, k: u64, attempt: u32, why: Failure) {
        self.interval.failed += 1;
        self.app.counts.last_failure_us = Some(self.now_us);
        if attempt < self.callers.attempts || self.callers.breaker.is_some() {
            self.retry_or_fail(k, attempt, why);
        } else {
            self.app.counts.failed += 1;
        }
    }

    #[inline(never)]
    fn retry_or_fail(&mut self, k: u64, attempt: u32, why: Failure) {
        self.breaker_records_failure();
        if self.may_retry(attempt, why) {
            self.totals.retry_pending += 1;
            let retry = attempt + 1;
            let at = self.now_us.saturating_add(self.retry_pause(k, retry));
            self.queue.push_lane(Lane::Retry, at, Event::Retry { k, attempt: retry });
        } else {
            self.app.counts.failed += 1;
        }
    }

    /// Record the first moment every connection is in use while a request waits (or, with
    /// `refused`, is turned away because none may wait).
    pub(super) fn check_exhausted(&mut self, refused: bool) {
        if self.app.counts.first_exhaustion_us.is_some() || (self.app.waiters.len() == 0 && !refused) {
            return;
        }
        let max = self.app.live.max_size();
        let (active, leaked, waiting) =
            (self.app.pool.active(), self.app.pool.leaked, self.app.waiters.len());
        if active < self.app.pool.total() {
            return;
        }
        // Behind a database whose every usable slot is held, the pool can get no more.
        let db_full =
            self.database.as_ref().is_some_and(|db| self.fleet_open_connections() >= db.usable_connections());
        let cap = if db_full { self.app.pool.total().min(max) } else { max };
        if active >= cap {
            self.app.counts.first_exhaustion_us = Some(self.now_us);
            let prefix = self.log.prefix();
            self.log.push(self.now_us, LogLevel::Warn, LogKind::Exhausted, |m| {
                if cap < max {
                    write!(
                        m,
                        "{prefix}Pool exhausted: all {active} connections the database allows in use (maximumPoolSize {max}; {leaked} leaked), {waiting} waiting"
                    )
                } else {
                    write!(
                        m,
                        "{prefix}Pool exhausted: all {max} connections in use ({leaked} leaked), {waiting} waiting"
                    )
                }
            });
        }
    }
}
