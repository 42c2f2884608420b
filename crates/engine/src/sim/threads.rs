//! The application server's request threads in front of the pool (`app`: Tomcat's
//! `maxThreads` and `acceptCount`), and the requests that need no database.
//!
//! **Why.** A request blocked on `getConnection()` holds its thread until it is served,
//! times out or is refused. When the pool runs out, every thread ends up blocked, and
//! requests that never touch the database cannot get one either: the accept queue fills
//! and the server refuses connections. The whole service is down, not only its database
//! calls — what a dashboard of the pool alone does not show.
//!
//! **Model.** An attempt that reaches an instance takes a free thread, or waits in the
//! accept queue (FIFO), or — the queue full — is refused at once ("connection refused", a
//! refusal for the callers' retry policy). With a thread, a request that needs no
//! database (`no_db_share`, drawn once per request) holds it for `no_db_ms`; any other
//! asks the pool. The thread is given back when the attempt is done: its connection
//! returned (or leaked: its caller has an answer), its acquire timeout, its refusal, a
//! restart. A caller giving up does not free the thread (the server is not told), but a
//! caller whose deadline passes while its attempt is still in the accept queue gives up
//! like any other, and the server drops the connection it finds closed. A freed thread
//! goes at once to the longest-queued attempt.
//!
//! Without `app` and without a `set_threads` action none of this runs: one flag test
//! in `arrive` and wherever a thread would be given back.

use std::collections::VecDeque;
use std::fmt::Write as _;

use crate::metrics::{LogKind, LogLevel};
use crate::rng::Stream;
use crate::scenario::AppConfig;
use crate::sim::Simulation;
use crate::sim::callers::Failure;
use crate::sim::config::{ms_f64_to_us, ms_to_us};
use crate::sim::queue::Event;
use crate::sim::waiters::Waiters;
use crate::time::{SimDuration, SimTime};

/// One instance's request threads and accept queue.
#[derive(Clone, Debug, Default)]
pub(crate) struct Server {
    /// Threads in force (`u32::MAX` while threads are not modelled).
    pub(crate) threads: u32,
    /// Most connections waiting to be accepted.
    pub(crate) accept_limit: u32,
    /// Threads held by an attempt.
    pub(crate) busy: u32,
    /// The most threads that may be busy: `threads`, or more for a while after they
    /// were lowered (running requests keep theirs).
    pub(crate) busy_ceiling: u32,
    /// The most attempts that may be queued: `accept_limit`, or more after it was lowered.
    pub(crate) queue_ceiling: u32,
    /// Attempts waiting for a thread, longest first (a ticket each, for the caller's deadline).
    pub(crate) queue: Waiters,
    /// Requests that need no database holding a thread now, in the order they end (they
    /// all take `no_db_ms`): (end, request, attempt, their caller's deadline).
    pub(crate) no_db: VecDeque<NoDbWork>,
    /// Most threads busy at once, and most attempts queued at once.
    pub(crate) peak_busy: u32,
    pub(crate) peak_queue: u32,
}

/// A request that needs no database, holding its thread.
#[derive(Clone, Copy, Debug)]
pub(crate) struct NoDbWork {
    pub(crate) end: SimTime,
    pub(crate) k: u64,
    pub(crate) attempt: u32,
    /// When its caller gives up ([`SimTime::MAX`]: never).
    pub(crate) due: SimTime,
}

impl Server {
    /// Threads and queue as `app` says (`None`: unlimited, not modelled).
    pub(crate) fn new(app: Option<&AppConfig>) -> Self {
        let (threads, accept_limit) = app.map_or((u32::MAX, u32::MAX), |a| (a.threads, a.accept_queue));
        Self { threads, accept_limit, busy_ceiling: threads, queue_ceiling: accept_limit, ..Self::default() }
    }

    /// Put `threads` and `accept_limit` in force; running and queued attempts stay.
    pub(crate) fn set_limits(&mut self, threads: u32, accept_limit: u32) {
        self.threads = threads;
        self.accept_limit = accept_limit;
        self.busy_ceiling = threads.max(self.busy);
        self.queue_ceiling = accept_limit.max(self.queue.len());
    }

    /// Requests in progress here that hold or wait for a thread but not for a connection.
    pub(crate) fn outstanding(&self) -> u64 {
        u64::from(self.queue.len()) + self.no_db.len() as u64
    }
}

/// What the server of the whole run does with requests that need no database.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Work {
    /// Share of requests that need no database.
    pub(crate) no_db_share: f64,
    /// How long one holds its thread.
    pub(crate) no_db_us: SimDuration,
}

impl Work {
    pub(crate) fn new(app: Option<&AppConfig>) -> Self {
        app.map_or(Self { no_db_share: 0.0, no_db_us: ms_to_us(5) }, |a| Self {
            no_db_share: a.no_db_share,
            no_db_us: ms_f64_to_us(a.no_db_ms),
        })
    }
}

impl Simulation {
    /// Attempt `attempt` of request `k` reached a threaded server: it takes a free
    /// thread, queues to be accepted, or is refused.
    #[inline(never)]
    pub(super) fn take_thread(&mut self, k: u64, attempt: u32) {
        let now = self.now_us;
        let s = &mut self.app.server;
        if s.busy < s.threads {
            s.busy += 1;
            s.peak_busy = s.peak_busy.max(s.busy);
            self.start_work(k, attempt, now);
            return;
        }
        if s.queue.len() < s.accept_limit {
            let due_ms = self.callers.deadline_ms;
            let due =
                if due_ms == 0 { SimTime::MAX } else { now.saturating_add(ms_to_us(u64::from(due_ms))) };
            let ticket = s.queue.push(k, attempt, now, due, due_ms);
            s.peak_queue = s.peak_queue.max(s.queue.len());
            if due != SimTime::MAX {
                self.queue.push(due, Event::AcceptDeadline { inst: self.current, ticket });
            }
            return;
        }
        let (threads, queued) = (s.threads, s.queue.len());
        self.app.counts.rejected += 1;
        self.app.counts.turned_away += 1;
        self.interval.turned_away += 1;
        self.app.counts.last_failure_us = Some(now);
        self.log.push(now, LogLevel::Error, LogKind::RequestFailed, |m| {
            write!(
                m,
                "Request {k} refused: connection refused, all {threads} request threads busy and {queued} connections waiting to be accepted"
            )
        });
        self.attempt_failed(k, attempt, Failure::Refusal);
    }

    /// Attempt `attempt` of request `k`, sent at `sent`, has a thread: it does its work
    /// without the database, or asks the pool.
    fn start_work(&mut self, k: u64, attempt: u32, sent: SimTime) {
        let now = self.now_us;
        let deadline_ms = self.callers.deadline_ms;
        let work = self.work;
        if work.no_db_share > 0.0 && self.draws.unit(Stream::NoDb, k, 0) < work.no_db_share {
            let due = if deadline_ms == 0 {
                SimTime::MAX
            } else {
                sent.saturating_add(ms_to_us(u64::from(deadline_ms)))
            };
            let end = now.saturating_add(work.no_db_us);
            self.app.counts.no_db += 1;
            self.app.server.no_db.push_back(NoDbWork { end, k, attempt, due });
            let epoch = self.app.restart_epoch;
            self.queue.push(end, Event::NoDbDone { inst: self.current, epoch });
            return;
        }
        // The caller's deadline runs from when it sent the attempt, accept queue included.
        let due_ms = if deadline_ms == 0 {
            0
        } else {
            let queued_ms = (now - sent).as_millis();
            u32::try_from(u64::from(deadline_ms).saturating_sub(queued_ms).max(1)).unwrap_or(u32::MAX)
        };
        self.ask_pool(k, attempt, due_ms);
    }

    /// An attempt here is done with its thread: the longest-queued attempt takes it.
    #[inline]
    pub(super) fn release_thread(&mut self) {
        if self.threaded {
            self.hand_over_thread();
        }
    }

    #[inline(never)]
    fn hand_over_thread(&mut self) {
        let s = &mut self.app.server;
        if s.busy <= s.threads
            && let Some(w) = s.queue.pop_front()
        {
            self.start_work(w.k, w.attempt, w.since_us);
            return;
        }
        s.busy = s.busy.saturating_sub(1);
        if s.busy <= s.threads {
            s.busy_ceiling = s.threads;
        }
        if s.queue.len() <= s.accept_limit {
            s.queue_ceiling = s.accept_limit;
        }
    }

    /// The caller of the attempt queued with `ticket` reached its deadline before a
    /// thread took it: it gives up (a timeout, perhaps retried).
    pub(super) fn accept_deadline(&mut self, ticket: u64) {
        let Some(w) = self.app.server.queue.remove(ticket) else { return };
        self.app.counts.rejected += 1;
        self.callers.counts.gave_up += 1;
        self.interval.gave_up += 1;
        self.attempt_failed(w.k, w.attempt, Failure::Timeout);
    }

    /// The oldest request that needs no database is done (stale after a restart).
    pub(super) fn no_db_done(&mut self, epoch: u32) {
        if epoch != self.app.restart_epoch {
            return;
        }
        if self.app.server.no_db.front().is_none_or(|w| w.end > self.now_us) {
            return;
        }
        let Some(w) = self.app.server.no_db.pop_front() else { return };
        if self.now_us >= w.due {
            // Answered at or after its caller's deadline: the caller gave up (counted
            // when the work ends, at most `no_db_ms` late).
            self.callers.counts.gave_up += 1;
            self.callers.counts.served_late += 1;
            self.interval.gave_up += 1;
            self.interval.served_late += 1;
            self.attempt_failed(w.k, w.attempt, Failure::Timeout);
        } else {
            self.app.counts.no_db_answered += 1;
            self.totals.done += 1;
        }
        self.hand_over_thread();
    }

    /// A restart drops every connection the server holds: queued attempts and requests
    /// that need no database fail, every thread is free.
    pub(super) fn restart_threads(&mut self) {
        let queued: Vec<_> = self.app.server.queue.drain().collect();
        for w in queued {
            self.app.counts.rejected += 1;
            self.attempt_failed(w.k, w.attempt, Failure::Refusal);
        }
        let running: Vec<NoDbWork> = self.app.server.no_db.drain(..).collect();
        for w in running {
            self.app.counts.no_db_killed += 1;
            self.attempt_failed(w.k, w.attempt, Failure::Refusal);
        }
        let s = &mut self.app.server;
        s.busy = 0;
        s.busy_ceiling = s.threads;
        s.queue_ceiling = s.accept_limit;
    }

    /// `set_threads`: put `threads` (and `accept_queue`, if given) in force here; from
    /// now on the run models its threads. More threads take queued attempts at once.
    pub(super) fn set_threads(&mut self, threads: u32, accept_queue: Option<u32>) {
        if !self.threaded {
            // Until now every attempt asked the pool at once: each one holding or waiting
            // for a connection holds a thread.
            for j in 0..self.parked.len() {
                let i = if j == usize::from(self.current) { &mut self.app } else { &mut self.parked[j] };
                let holding = i.counts.holding + u64::from(i.waiters.len());
                i.server = Server::new(Some(&AppConfig::default()));
                i.server.busy = u32::try_from(holding).unwrap_or(u32::MAX);
                i.server.peak_busy = i.server.busy;
            }
            self.threaded = true;
        }
        let accept = accept_queue.unwrap_or(self.app.server.accept_limit);
        self.app.server.set_limits(threads, accept);
        while self.app.server.busy < self.app.server.threads && self.app.server.queue.len() > 0 {
            self.app.server.busy += 1;
            self.hand_over_thread();
        }
        let s = &self.app.server;
        let (busy, queued) = (s.busy, s.queue.len());
        self.log_action(format_args!(
            "Request threads: maxThreads = {threads}, acceptCount = {accept} ({busy} busy, {queued} waiting to be accepted)"
        ));
    }
}
