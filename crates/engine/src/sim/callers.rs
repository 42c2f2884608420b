//! The callers in front of the application: how long they wait for an answer, how they
//! retry, their retry budget and their circuit breaker. There is one population of
//! callers for the whole run (in a fleet they stand in front of the load balancer).
//!
//! **Deadlines and wasted work.** A caller gives up on an attempt `traffic.deadline_ms`
//! after sending it, unless answered strictly before. The application is not told, as a
//! real server is not when its client hangs up: a request still waiting in the pool's
//! queue keeps waiting (on `getConnection()`), and if it is served the connection is held
//! for a caller who is gone. Such an attempt is an *orphan*; its service is *served late*
//! (wasted work), and its hold end or timeout is no longer the request's outcome — the
//! caller already counted a failure (a timeout) and perhaps retried. Only answers in time
//! count as done, so the requests done are the goodput.
//!
//! **Timers.** A waiter's first timer is its acquire-timeout event at the earlier of the
//! pool's timeout and the caller's deadline; if it is the caller's, the waiter is marked
//! and the pool's own timeout is scheduled again. A served attempt whose answer may come
//! at or after the deadline (a hold that long, or any hold behind a database, whose
//! queries stretch) gets a `CallerDeadline` timer for its connection's lease. Without a
//! deadline none of this runs: a waiter's timer is the pool's timeout, as before.
//!
//! **Retries** follow the policy in force: which failures are retried (`on`), the pause
//! (immediate, fixed or exponential, capped, optionally with AWS's full jitter drawn from
//! the `Jitter` stream, so adding jitter moves no other draw), and Finagle's retry budget
//! ([`Budget`]). **The breaker** ([`Breaker`]) asks each attempt, first try or retry,
//! before it reaches the balancer; a call it rejects fails at once and is not retried.
//!
//! The budget and the breaker count over windows of whole sample intervals, rolled when a
//! sample is taken, so the hot path pays nothing for them; the first tries a budget sees
//! are the run's request count, and the answers a half-open breaker sees are the requests
//! done. What runs rarely is kept out of line (`#[inline(never)]`): inlined into the event
//! loop it would only weigh on the page's download.

use std::collections::VecDeque;

use crate::log::Msg;
use crate::metrics::{BreakerState, LogKind, LogLevel};
use crate::rng::{Draws, Stream};
use crate::scenario::{Backoff, BreakerConfig, Jitter, RetryBudget, RetryConfig, RetryOn, TrafficConfig};
use crate::sim::Simulation;
use crate::sim::config::{ms_to_us, s_f64_to_us};
use crate::sim::pool::Slot;
use crate::sim::queue::{Event, Lane};
use crate::time::{SimDuration, SimTime};

/// How an attempt failed, as far as a retry policy's `on` is concerned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Failure {
    /// The pool's acquire timeout, or the caller's deadline.
    Timeout,
    /// Refused at once, failed by a restart or downtime, or killed by abandoned reclaim.
    Refusal,
}

/// Whether callers retrying `on` retry a failure of kind `why`.
fn retries(on: RetryOn, why: Failure) -> bool {
    match on {
        RetryOn::Both => true,
        RetryOn::Timeout => why == Failure::Timeout,
        RetryOn::Refusal => why == Failure::Refusal,
    }
}

/// A count over the last `window` sample intervals: those closed (at most `window − 1`)
/// and the current one.
#[derive(Clone, Debug)]
struct Tally {
    closed: VecDeque<u64>,
    closed_sum: u64,
    current: u64,
    /// Closed intervals kept: the window less the current one.
    keep: usize,
}

impl Tally {
    fn new(window_s: u64) -> Self {
        let keep = usize::try_from(window_s.saturating_sub(1)).unwrap_or(usize::MAX);
        Self { closed: VecDeque::new(), closed_sum: 0, current: 0, keep }
    }

    fn add(&mut self, n: u64) {
        self.current += n;
    }

    /// A sample closed the current interval.
    fn roll(&mut self) {
        self.closed.push_back(self.current);
        self.closed_sum += self.current;
        self.current = 0;
        if self.closed.len() > self.keep
            && let Some(old) = self.closed.pop_front()
        {
            self.closed_sum -= old;
        }
    }

    fn sum(&self) -> u64 {
        self.closed_sum + self.current
    }
}

/// Finagle's retry budget over whole sample intervals: each first try deposits `ratio`
/// of a retry, each retry withdraws one, and both expire after `window_s` intervals; a
/// retry is sent only while `ratio × first tries − retries + min_per_s × window_s ≥ 1`
/// over the window. So the retries of any `window_s` seconds never exceed `ratio` times
/// the first tries of those seconds plus the reserve.
#[derive(Clone, Debug)]
pub(crate) struct Budget {
    ratio: f64,
    reserve: f64,
    /// The run's first tries (its request count) when the current interval began.
    mark: u64,
    deposits: Tally,
    spent: Tally,
}

impl Budget {
    /// A budget counting from now, when the run has seen `requests` first tries.
    fn new(config: &RetryBudget, requests: u64) -> Self {
        Self {
            ratio: config.ratio,
            reserve: config.min_per_s * config.window_s as f64,
            mark: requests,
            deposits: Tally::new(config.window_s),
            spent: Tally::new(config.window_s),
        }
    }

    /// A sample closed the interval; the run has seen `requests` first tries.
    fn roll(&mut self, requests: u64) {
        self.deposits.add(requests - self.mark);
        self.mark = requests;
        self.deposits.roll();
        self.spent.roll();
    }

    /// Pay for one retry if the balance allows it.
    fn try_withdraw(&mut self, requests: u64) -> bool {
        let deposits = self.deposits.sum() + (requests - self.mark);
        let balance = self.ratio * deposits as f64 + self.reserve - self.spent.sum() as f64;
        let paid = balance >= 1.0;
        if paid {
            self.spent.add(1);
        }
        paid
    }
}

/// Where a breaker is, with what that state needs.
#[derive(Clone, Copy, Debug, PartialEq)]
enum State {
    Closed,
    /// Every call fails at once until then.
    Open {
        until: SimTime,
    },
    /// `let_through` probe calls sent so far; `done_mark` the requests done when it half opened.
    HalfOpen {
        let_through: u32,
        done_mark: u64,
    },
}

/// A breaker's change of state, to be logged.
#[derive(Clone, Copy, Debug)]
enum Change {
    Opened { failed: u64, calls: u64 },
    HalfOpened,
    Closed,
    Reopened,
}

/// The callers' circuit breaker (resilience4j's, with a time-based window).
#[derive(Clone, Debug)]
pub(crate) struct Breaker {
    config: BreakerConfig,
    open_for: SimDuration,
    calls: Tally,
    failures: Tally,
    state: State,
}

impl Breaker {
    fn new(config: &BreakerConfig) -> Self {
        Self {
            config: config.clone(),
            open_for: s_f64_to_us(config.open_s),
            calls: Tally::new(config.window_s),
            failures: Tally::new(config.window_s),
            state: State::Closed,
        }
    }

    fn public_state(&self) -> BreakerState {
        match self.state {
            State::Closed => BreakerState::Closed,
            State::Open { .. } => BreakerState::Open,
            State::HalfOpen { .. } => BreakerState::HalfOpen,
        }
    }

    fn open(&mut self, now: SimTime) {
        self.state = State::Open { until: now.saturating_add(self.open_for) };
    }

    /// May a call go through now (the run has `done` requests done)? Open → half open once
    /// `open_s` has passed; half open → closed once `half_open_calls` requests were
    /// answered since.
    fn admit(&mut self, now: SimTime, done: u64) -> (bool, Option<Change>) {
        let mut change = None;
        if let State::Open { until } = self.state {
            if now < until {
                return (false, None);
            }
            self.state = State::HalfOpen { let_through: 0, done_mark: done };
            change = Some(Change::HalfOpened);
        }
        if let State::HalfOpen { let_through, done_mark } = self.state {
            if done - done_mark >= u64::from(self.config.half_open_calls) {
                self.state = State::Closed;
                self.calls = Tally::new(self.config.window_s);
                self.failures = Tally::new(self.config.window_s);
                change = Some(Change::Closed);
            } else if let_through < self.config.half_open_calls {
                self.state = State::HalfOpen { let_through: let_through + 1, done_mark };
                return (true, change);
            } else {
                return (false, change);
            }
        }
        self.calls.add(1);
        (true, change)
    }

    /// A call failed now.
    fn failed(&mut self, now: SimTime) -> Option<Change> {
        match self.state {
            State::Closed => {
                self.failures.add(1);
                let (failed, calls) = (self.failures.sum(), self.calls.sum());
                let over = calls >= u64::from(self.config.min_calls)
                    && failed as f64 >= self.config.failure_ratio * calls as f64;
                over.then(|| {
                    self.open(now);
                    Change::Opened { failed, calls }
                })
            }
            State::HalfOpen { .. } => {
                self.open(now);
                Some(Change::Reopened)
            }
            State::Open { .. } => None,
        }
    }

    fn roll(&mut self) {
        self.calls.roll();
        self.failures.roll();
    }
}

/// What the callers did over the run.
#[derive(Clone, Debug, Default)]
pub(crate) struct CallerCounts {
    /// Retries sent.
    pub(crate) retries: u64,
    /// Attempts whose caller gave up at its deadline.
    pub(crate) gave_up: u64,
    /// Attempts served (or still held) after their caller gave up: wasted work.
    pub(crate) served_late: u64,
    /// Retries the budget refused.
    pub(crate) retries_denied: u64,
    /// Calls the breaker failed at once.
    pub(crate) breaker_rejected: u64,
    /// Times the breaker opened (re-opening from half open included).
    pub(crate) breaker_opened: u64,
}

/// The callers' settings in force, their budget and breaker, and what they did.
#[derive(Clone, Debug)]
pub(crate) struct Callers {
    /// `traffic.deadline_ms` in force [ms] (0 = none; at most 7 days, so it fits).
    pub(crate) deadline_ms: u32,
    /// A deadline has been in force: waiters may carry one.
    pub(crate) deadlines_seen: bool,
    /// The retry policy in force (its budget's settings included).
    pub(crate) retry: RetryConfig,
    /// Retries allowed per request (`retry.attempts`), where the hot path reads it.
    pub(crate) attempts: u32,
    backoff_us: SimDuration,
    max_backoff_us: SimDuration,
    budget: Option<Budget>,
    /// The breaker's settings in force.
    pub(crate) breaker_config: Option<BreakerConfig>,
    pub(crate) breaker: Option<Breaker>,
    /// What the callers saw is reported: the scenario models them, or an action changed them.
    pub(crate) modelled: bool,
    pub(crate) counts: CallerCounts,
}

impl Callers {
    /// The callers at time 0.
    #[inline(never)]
    pub(crate) fn new(traffic: &TrafficConfig) -> Self {
        let mut callers = Self {
            deadline_ms: 0,
            deadlines_seen: false,
            retry: RetryConfig::default(),
            attempts: 0,
            backoff_us: SimDuration::ZERO,
            max_backoff_us: SimDuration::ZERO,
            budget: None,
            breaker_config: None,
            breaker: None,
            modelled: traffic.models_callers(),
            counts: CallerCounts::default(),
        };
        callers.set_deadline(traffic.deadline_ms);
        callers.set_retry(&traffic.retry);
        callers.set_budget(traffic.retry.budget.clone(), 0);
        callers.set_breaker(traffic.breaker.clone());
        callers
    }

    #[inline(never)]
    pub(crate) fn set_deadline(&mut self, deadline_ms: u64) {
        self.deadline_ms = u32::try_from(deadline_ms).unwrap_or(u32::MAX);
        self.deadlines_seen |= deadline_ms > 0;
    }

    /// The policy of `retry` (how many retries, their pauses, on which failures); the
    /// budget in force stays.
    #[inline(never)]
    pub(crate) fn set_retry(&mut self, retry: &RetryConfig) {
        self.attempts = retry.attempts;
        self.backoff_us = ms_to_us(retry.backoff_ms);
        self.max_backoff_us = ms_to_us(retry.max_backoff_ms);
        self.retry = RetryConfig { budget: self.retry.budget.take(), ..retry.clone() };
    }

    /// A retry budget (or none), counting from now: the run has seen `requests` first tries.
    #[inline(never)]
    pub(crate) fn set_budget(&mut self, budget: Option<RetryBudget>, requests: u64) {
        self.budget = budget.as_ref().map(|b| Budget::new(b, requests));
        self.retry.budget = budget;
    }

    #[inline(never)]
    pub(crate) fn set_breaker(&mut self, config: Option<BreakerConfig>) {
        self.breaker = config.as_ref().map(Breaker::new);
        self.breaker_config = config;
    }

    /// The pause before retry number `retry` (1 for the first) of request `k`.
    fn pause(&self, draws: Draws, k: u64, retry: u32) -> SimDuration {
        let cap_us = match self.retry.backoff {
            Backoff::Immediate => return SimDuration::ZERO,
            Backoff::Fixed => self.backoff_us.as_micros(),
            Backoff::Exponential => {
                let factor = 1u64.checked_shl(retry.saturating_sub(1)).unwrap_or(u64::MAX);
                self.backoff_us.as_micros().saturating_mul(factor).min(self.max_backoff_us.as_micros())
            }
        };
        match self.retry.jitter {
            Jitter::None => SimDuration::from_micros(cap_us),
            // AWS's full jitter: uniform over [0, cap).
            Jitter::Full => {
                SimDuration::from_micros((draws.unit(Stream::Jitter, k, retry) * cap_us as f64) as u64)
            }
        }
    }

    /// The breaker's state now (closed without a breaker).
    pub(crate) fn breaker_state(&self) -> BreakerState {
        self.breaker.as_ref().map_or(BreakerState::Closed, Breaker::public_state)
    }

    /// A sample closed the interval; the run has seen `requests` first tries.
    #[inline(never)]
    pub(crate) fn roll(&mut self, requests: u64) {
        if let Some(b) = &mut self.budget {
            b.roll(requests);
        }
        if let Some(b) = &mut self.breaker {
            b.roll();
        }
    }
}

impl Simulation {
    /// May the next call (a first try or a retry) go through the callers' breaker? A call
    /// it refuses has failed at once and is counted here.
    #[inline(never)]
    pub(super) fn breaker_admits(&mut self) -> bool {
        let (now, done) = (self.now_us, self.totals.done);
        let Some(b) = &mut self.callers.breaker else { return true };
        let (admitted, change) = b.admit(now, done);
        if let Some(change) = change {
            self.log_breaker(change);
        }
        if !admitted {
            self.callers.counts.breaker_rejected += 1;
            self.interval.breaker_rejected += 1;
            self.totals.breaker_failed += 1;
            self.app.counts.last_failure_us = Some(now);
        }
        admitted
    }

    /// An attempt failed: tell the breaker, if there is one.
    #[inline(never)]
    pub(super) fn breaker_records_failure(&mut self) {
        if let Some(b) = &mut self.callers.breaker
            && let Some(change) = b.failed(self.now_us)
        {
            self.log_breaker(change);
        }
    }

    /// Whether the policy retries an attempt that failed as `why`, and the budget pays for it.
    #[inline]
    pub(super) fn may_retry(&mut self, attempt: u32, why: Failure) -> bool {
        attempt < self.callers.attempts && retries(self.callers.retry.on, why) && self.budget_pays()
    }

    fn budget_pays(&mut self) -> bool {
        let requests = self.totals.requests;
        let Some(b) = &mut self.callers.budget else { return true };
        let paid = b.try_withdraw(requests);
        if !paid {
            self.callers.counts.retries_denied += 1;
            self.interval.retries_denied += 1;
        }
        paid
    }

    /// The pause before attempt `attempt` (a retry) of request `k`.
    #[inline]
    pub(super) fn retry_pause(&self, k: u64, attempt: u32) -> SimDuration {
        self.callers.pause(self.draws, k, attempt)
    }

    /// The acquire timer of waiter `ticket` popped before the pool's own timeout: its
    /// caller's deadline. The caller gives up (a timeout for it, perhaps retried); the
    /// request stays in the pool's queue until served or timed out. Returns false when
    /// the timer is the pool's own timeout (or stale), for the caller to handle as such.
    #[inline(never)]
    pub(super) fn caller_gives_up_waiting(&mut self, ticket: u64) -> bool {
        let now = self.now_us;
        let Some(w) = self.app.waiters.get(ticket) else { return false };
        if now >= w.deadline_us {
            return false;
        }
        if w.gave_up {
            return true;
        }
        let (k, attempt, since, timeout_at) = (w.k, w.attempt, w.since_us, w.deadline_us);
        self.app.waiters.mark_gave_up(ticket);
        self.app.counts.orphans_waiting += 1;
        self.callers.counts.gave_up += 1;
        self.interval.gave_up += 1;
        let waited_ms = (now - since).as_millis();
        let msg = Msg::CallerGaveUp { request: k, waited_ms, conn: None };
        self.log.record(now, LogLevel::Warn, LogKind::Client, msg);
        if timeout_at != SimTime::MAX {
            let inst = self.current;
            self.queue.push_lane(Lane::AcquireTimeout, timeout_at, Event::AcquireTimeout { inst, ticket });
        }
        self.attempt_failed(k, attempt, Failure::Timeout);
        true
    }

    /// `conn` was just handed to a request whose caller gives up at `due` (or gave up
    /// already: an `orphan`). An orphan's service is wasted work; an answer that may come
    /// after `due` gets a timer for it (a hold that long, or any hold behind a database,
    /// whose queries stretch). The timer is scheduled after the hold end, so an answer in
    /// the deadline's very microsecond is in time.
    #[cold]
    #[inline(never)]
    pub(super) fn caller_watch(&mut self, conn: u32, due: SimTime, orphan: bool) {
        let Some(c) = self.app.pool.conns.get_mut(conn as usize) else { return };
        let (active, lease, hold_end) = (c.state == Slot::Active, c.lease, c.until_us);
        if orphan {
            self.app.counts.orphans_waiting -= 1;
            self.callers.counts.served_late += 1;
            self.interval.served_late += 1;
            if active {
                c.orphaned = true;
                self.app.counts.orphans_holding += 1;
            } else {
                // It leaked: `serve` counted an answer nobody was waiting for.
                self.totals.done -= 1;
            }
            return;
        }
        // A leaked connection answered its caller at once.
        if active && (self.database.is_some() || hold_end > due) {
            let inst = self.current;
            self.queue.push(due.max(self.now_us), Event::CallerDeadline { inst, conn, lease });
        }
    }

    /// The caller of the request holding `conn` under `lease` reached its deadline before
    /// the answer: it gives up, and the connection is held for nothing until the hold ends.
    #[inline(never)]
    pub(super) fn caller_deadline(&mut self, conn: u32, lease: u32) {
        let Some(c) = self.app.pool.conns.get_mut(conn as usize) else { return };
        if c.lease != lease || c.state != Slot::Active || c.orphaned {
            return;
        }
        c.orphaned = true;
        let (k, attempt, since) = (c.holder, c.attempt, c.since_us);
        let now = self.now_us;
        self.app.counts.orphans_holding += 1;
        self.callers.counts.gave_up += 1;
        self.callers.counts.served_late += 1;
        self.interval.gave_up += 1;
        self.interval.served_late += 1;
        let held_ms = (now - since).as_millis();
        let msg = Msg::CallerGaveUp { request: k, waited_ms: held_ms, conn: Some(conn) };
        self.log.record(now, LogLevel::Warn, LogKind::Client, msg);
        self.attempt_failed(k, attempt, Failure::Timeout);
    }

    /// Log a breaker's change of state, as the run's line (not an instance's).
    #[inline(never)]
    fn log_breaker(&mut self, change: Change) {
        let Some(config) = &self.callers.breaker_config else { return };
        let (open_s, probes) = (config.open_s, config.half_open_calls);
        let window_s = config.window_s;
        let level = match change {
            Change::Opened { .. } | Change::Reopened => {
                self.callers.counts.breaker_opened += 1;
                LogLevel::Warn
            }
            Change::HalfOpened | Change::Closed => LogLevel::Info,
        };
        let instance = self.log.instance();
        self.log.set_instance(None);
        self.log.push(self.now_us, level, LogKind::Breaker, |m| {
            use std::fmt::Write as _;
            match change {
                Change::Opened { failed, calls } => write!(
                    m,
                    "Circuit breaker open: {failed} of {calls} calls failed in the last {window_s} s; every call fails at once for {open_s} s"
                ),
                Change::HalfOpened => {
                    write!(m, "Circuit breaker half open: letting {probes} calls through")
                }
                Change::Closed => write!(m, "Circuit breaker closed: {probes} calls answered"),
                Change::Reopened => {
                    write!(m, "Circuit breaker open again: a call failed while half open; for {open_s} s")
                }
            }
        });
        self.log.set_instance(instance);
    }

    /// The callers' retry policy, its budget, their breaker and deadline changed: the
    /// run now reports what they saw.
    pub(super) fn callers_changed(&mut self) {
        self.callers.modelled = true;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tally_counts_over_its_window_of_intervals() {
        let mut t = Tally::new(3);
        t.add(5);
        t.roll(); // [5] + 0
        t.add(2);
        t.roll(); // [5, 2] + 0
        t.add(1);
        assert_eq!(t.sum(), 8);
        t.roll(); // [2, 1] + 0: the 5 is three intervals old
        assert_eq!(t.sum(), 3);
    }

    #[test]
    fn a_budget_pays_a_share_of_the_first_tries_and_a_reserve() {
        let config = RetryBudget { ratio: 0.1, window_s: 2, min_per_s: 0.0 };
        let mut b = Budget::new(&config, 100);
        assert!(!b.try_withdraw(109), "9 first tries pay 0.9 retries");
        assert!(b.try_withdraw(110));
        assert!(!b.try_withdraw(110), "spent");
        b.roll(120); // 20 deposits closed: 2 retries, 1 spent
        assert!(b.try_withdraw(120));
        assert!(!b.try_withdraw(120));
        b.roll(120); // the first interval's 20 deposits expire, and its retry with them
        assert!(!b.try_withdraw(129));
        let reserve = RetryBudget { ratio: 0.0, window_s: 10, min_per_s: 0.25 };
        let mut r = Budget::new(&reserve, 0);
        assert!(r.try_withdraw(0) && r.try_withdraw(0));
        assert!(!r.try_withdraw(0), "0.25 a second over 10 s is 2.5 retries");
    }

    #[test]
    fn a_breaker_opens_half_opens_and_closes() {
        let config =
            BreakerConfig { failure_ratio: 0.5, window_s: 10, min_calls: 4, open_s: 5.0, half_open_calls: 2 };
        let mut b = Breaker::new(&config);
        let t = SimTime::from_secs;
        for _ in 0..4 {
            assert!(b.admit(t(1), 0).0);
        }
        assert!(b.failed(t(1)).is_none());
        assert!(matches!(b.failed(t(1)), Some(Change::Opened { failed: 2, calls: 4 })));
        assert_eq!(b.public_state(), BreakerState::Open);
        assert!(!b.admit(t(5), 0).0, "open for 5 s");
        let (ok, change) = b.admit(t(6), 10);
        assert!(ok && matches!(change, Some(Change::HalfOpened)));
        assert!(b.admit(t(6), 10).0);
        assert!(!b.admit(t(6), 10).0, "two probes at most");
        assert!(!b.admit(t(6), 11).0, "one answer is not enough");
        let (ok, change) = b.admit(t(7), 12);
        assert!(ok && matches!(change, Some(Change::Closed)));
        assert_eq!(b.public_state(), BreakerState::Closed);
        // Half open again, a failure reopens it.
        for _ in 0..4 {
            b.admit(t(8), 12);
        }
        for _ in 0..3 {
            b.failed(t(8)); // 3 of 5 calls
        }
        assert!(b.admit(t(13), 12).0);
        assert!(matches!(b.failed(t(13)), Some(Change::Reopened)));
        assert!(!b.admit(t(14), 99).0);
    }
}
