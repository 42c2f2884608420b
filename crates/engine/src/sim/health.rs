//! The load balancer's health checks of a fleet's instances (`health_check`), and the
//! restarts of instances that stay unhealthy.
//!
//! **Why.** A health check that calls the database (`deep`: `SELECT 1` through the
//! instance's own pool) fails as soon as that pool is exhausted — on every instance at
//! once when they share the cause — and the balancer takes healthy application servers
//! out: requests that would have been served fail at once ("no healthy upstream").
//! Restarting the instances that stay out makes it worse when the database is the
//! trouble: each start must open `min_idle` connections from a loaded database in time,
//! fails, and starts again (a crash loop).
//!
//! **Model.** Every `interval_s` each instance is checked. `shallow` passes while the
//! instance is up (not restarting nor starting). `deep` asks the pool for a connection as
//! a request does, in the same queue: an idle one passes at once, otherwise the check
//! waits up to `timeout_ms` (a waiter with the reserved request id [`HEALTH_PROBE`]), and
//! the connection is held `query_ms` (through the database when there is one). Failing
//! `unhealthy_after` checks in a row takes an instance out of the balancer; passing
//! `healthy_after` in a row brings it back. An instance out `restart_unhealthy_after_s`
//! is restarted: it refuses requests while its pool opens `min_idle` connections, and
//! restarts again if they are not open within the start-up timeout.
//!
//! A probe is nobody's request: it holds no request thread and is counted apart
//! (`probes_waiting`, `probes_holding`), so every request's accounting is unchanged.

use std::fmt::Write as _;

use crate::metrics::{HealthSummary, LogKind, LogLevel};
use crate::scenario::{HealthCheckConfig, HealthMode};
use crate::sim::Simulation;
use crate::sim::config::{ms_f64_to_us, ms_to_us, s_f64_to_us};
use crate::sim::instance::InstanceId;
use crate::sim::pool::Slot;
use crate::sim::queue::{Event, Lane};
use crate::time::{SimDuration, SimTime};

/// The request id a health check's probe waits and holds a connection under.
pub(crate) const HEALTH_PROBE: u64 = u64::MAX;

/// One instance as the balancer sees it.
#[derive(Clone, Debug)]
struct InstanceHealth {
    in_balancer: bool,
    /// Checks failed in a row.
    fails: u32,
    /// Checks passed in a row.
    passes: u32,
    /// Left the balancer then.
    out_since: SimTime,
    /// Bumped when it returns, so a restart timer set while it was out goes stale.
    epoch: u32,
}

/// The balancer's health checks: their settings in force, each instance's state, counts.
#[derive(Clone, Debug)]
pub(crate) struct Health {
    config: HealthCheckConfig,
    interval: SimDuration,
    instances: Vec<InstanceHealth>,
    /// Instances in the balancer now.
    pub(crate) in_balancer: u32,
    /// Every instance out of the balancer was logged (cleared when one returns).
    none_logged: bool,
    pub(crate) counts: HealthSummary,
}

impl Health {
    pub(crate) fn new(config: &HealthCheckConfig, instances: u32) -> Self {
        let one =
            InstanceHealth { in_balancer: true, fails: 0, passes: 0, out_since: SimTime::ZERO, epoch: 0 };
        Self {
            config: config.clone(),
            interval: s_f64_to_us(config.interval_s),
            instances: vec![one; instances as usize],
            in_balancer: instances,
            none_logged: false,
            counts: HealthSummary {
                min_in_balancer: instances,
                in_balancer: instances,
                ..HealthSummary::default()
            },
        }
    }

    /// Whether instance `j` is in the balancer.
    #[inline]
    pub(crate) fn admits(&self, j: usize) -> bool {
        self.instances.get(j).is_some_and(|h| h.in_balancer)
    }

    /// What the checks do now.
    pub(crate) fn mode(&self) -> HealthMode {
        self.config.mode
    }

    /// The summary's part.
    pub(crate) fn summary(&self) -> HealthSummary {
        HealthSummary { in_balancer: self.in_balancer, ..self.counts.clone() }
    }
}

impl Simulation {
    /// Schedule every instance's first check, one interval after `now`.
    pub(super) fn schedule_health_checks(&mut self) {
        let Some(h) = &self.health else { return };
        let at = self.now_us.saturating_add(h.interval);
        for j in 0..self.parked.len() {
            self.queue.push_rare(at, Event::HealthCheck { inst: j as InstanceId });
        }
    }

    /// Check the current instance, and schedule its next check.
    pub(super) fn health_check(&mut self) {
        let Some(h) = &self.health else { return };
        let (mode, interval) = (h.config.mode, h.interval);
        self.queue.push_rare(self.now_us.saturating_add(interval), Event::HealthCheck { inst: self.current });
        let up = self.now_us >= self.app.down_until_us && !self.app.starting;
        if !up {
            return self.health_result(false, "the instance is not up");
        }
        match mode {
            HealthMode::Shallow => self.health_result(true, ""),
            HealthMode::Deep => self.probe(),
        }
    }

    /// A deep check: `SELECT 1` through the pool, waiting in line with the requests.
    fn probe(&mut self) {
        let Some(h) = &self.health else { return };
        let timeout = ms_to_us(h.config.timeout_ms);
        if let Some(conn) = self.app.pool.idle.pop() {
            self.probe_holds(conn);
            return self.health_result(true, "");
        }
        let can_open = self.app.pool.total() + self.app.pool.opening < self.app.live.max_size();
        if !can_open && self.app.waiters.len() >= self.app.live.max_waiting {
            return self.health_result(false, "the pool refused it");
        }
        let now = self.now_us;
        let deadline = now.saturating_add(timeout);
        let ticket = self.app.waiters.push(HEALTH_PROBE, 0, now, deadline, 0);
        self.app.counts.probes_waiting += 1;
        self.queue.push_lane(
            Lane::AcquireTimeout,
            deadline,
            Event::AcquireTimeout { inst: self.current, ticket },
        );
        if can_open && !self.app.pool.open_retry_pending {
            self.open_connection();
        }
    }

    /// The probe got `conn` after waiting: the check passes.
    #[cold]
    #[inline(never)]
    pub(super) fn probe_served(&mut self, conn: u32) {
        self.app.counts.probes_waiting -= 1;
        self.probe_holds(conn);
        self.health_result(true, "");
    }

    /// The probe holds `conn` for `query_ms` (a query in the database, if there is one).
    fn probe_holds(&mut self, conn: u32) {
        let now = self.now_us;
        let hold = self.health.as_ref().map_or(SimDuration::ZERO, |h| ms_f64_to_us(h.config.query_ms));
        self.app.pool.set_state(conn, Slot::Active, now);
        self.app.counts.holding += 1;
        self.app.counts.probes_holding += 1;
        let Some(c) = self.app.pool.conns.get_mut(conn as usize) else { return };
        c.holder = HEALTH_PROBE;
        c.attempt = 0;
        // Nobody waits for its answer: an orphan's hold, counted apart.
        c.orphaned = true;
        c.until_us = now.saturating_add(hold);
        let lease = c.lease;
        match &mut self.database {
            None => self.queue.push(c.until_us, Event::ProbeDone { inst: self.current, conn, lease }),
            Some(db) => {
                let (query, after) = db.split(hold);
                let job = crate::sim::database::Job {
                    kind: crate::sim::database::JobKind::Probe,
                    inst: self.current,
                    conn,
                    lease,
                    after,
                };
                let next = db.start(now, query, job);
                self.queue.set_database(Some(next));
            }
        }
    }

    /// A probe's `SELECT 1` is done with `conn` under `lease` (it held no request thread).
    pub(super) fn probe_done(&mut self, conn: u32, lease: u32) {
        let Some(c) = self.app.pool.get(conn) else { return };
        if c.lease != lease || c.state != Slot::Active {
            return;
        }
        self.app.counts.holding -= 1;
        self.app.counts.probes_holding -= 1;
        self.release(conn);
    }

    /// The probe waited `timeout_ms` without a connection (or a restart dropped it).
    pub(super) fn probe_failed(&mut self, why: &str) {
        self.app.counts.probes_waiting -= 1;
        self.health_result(false, why);
    }

    /// The current instance passed (`pass`) or failed a check (`why`).
    fn health_result(&mut self, pass: bool, why: &str) {
        let j = usize::from(self.current);
        let now = self.now_us;
        let Some(h) = &mut self.health else { return };
        let (unhealthy_after, healthy_after) = (h.config.unhealthy_after, h.config.healthy_after);
        let restart_after = h.config.restart_unhealthy_after_s.map(s_f64_to_us);
        h.counts.checks += 1;
        let Some(s) = h.instances.get_mut(j) else { return };
        if pass {
            s.passes += 1;
            s.fails = 0;
            if s.in_balancer || s.passes < healthy_after {
                return;
            }
            s.in_balancer = true;
            s.epoch = s.epoch.wrapping_add(1);
            h.in_balancer += 1;
            h.counts.returned += 1;
            h.none_logged = false;
            let n = h.instances.len();
            let inn = h.in_balancer;
            self.log.push(now, LogLevel::Info, LogKind::Health, |m| {
                write!(
                    m,
                    "Health check passed {healthy_after} times in a row: back in the load balancer ({inn} of {n} instances in)"
                )
            });
            return;
        }
        h.counts.failed_checks += 1;
        s.fails += 1;
        s.passes = 0;
        if !s.in_balancer || s.fails < unhealthy_after {
            return;
        }
        s.in_balancer = false;
        s.out_since = now;
        let epoch = s.epoch;
        h.in_balancer -= 1;
        h.counts.left_balancer += 1;
        h.counts.min_in_balancer = h.counts.min_in_balancer.min(h.in_balancer);
        let (n, inn, mode) = (h.instances.len(), h.in_balancer, h.config.mode);
        let timeout_ms = h.config.timeout_ms;
        let none_in = inn == 0 && !h.none_logged;
        h.none_logged |= none_in;
        self.log.push(now, LogLevel::Warn, LogKind::Health, |m| {
            write!(m, "Health check failed {unhealthy_after} times in a row (")?;
            match mode {
                HealthMode::Deep if why.is_empty() => {
                    write!(m, "deep: no connection within {timeout_ms} ms")?
                }
                _ => m.push_str(why),
            }
            write!(m, "): out of the load balancer ({inn} of {n} instances in)")
        });
        if none_in {
            let instance = self.log.instance();
            self.log.set_instance(None);
            self.log.push(now, LogLevel::Error, LogKind::Health, |m| {
                m.write_str(
                    "No healthy upstream: every instance is out of the load balancer; requests fail at once",
                )
            });
            self.log.set_instance(instance);
        }
        if let Some(after) = restart_after {
            let inst = self.current;
            self.queue.push_rare(now.saturating_add(after), Event::HealthRestart { inst, epoch });
        }
    }

    /// The current instance has been out of the balancer `restart_unhealthy_after_s`
    /// since it left with `epoch`: restart it.
    pub(super) fn health_restart(&mut self, epoch: u32) {
        let j = usize::from(self.current);
        let Some(h) = &self.health else { return };
        let Some(s) = h.instances.get(j) else { return };
        if s.in_balancer || s.epoch != epoch {
            return;
        }
        let after = h.config.restart_unhealthy_after_s.map(s_f64_to_us);
        let out_s = (self.now_us - s.out_since).as_secs_f64();
        // A start in progress ends by itself: started, or failed and started again.
        if !self.app.starting {
            self.log.push(self.now_us, LogLevel::Warn, LogKind::Health, |m| {
                write!(m, "Restarting: out of the load balancer for {out_s} s")
            });
            self.start_again();
        }
        // Still out that long after this start: restart again.
        if let Some(after) = after {
            let inst = self.current;
            self.queue.push_rare(self.now_us.saturating_add(after), Event::HealthRestart { inst, epoch });
        }
    }

    /// Restart the current instance: every connection closes, and it starts — it refuses
    /// requests until its pool holds `min_idle` connections, within the start-up timeout.
    fn start_again(&mut self) {
        let Some(h) = &mut self.health else { return };
        h.counts.restarts += 1;
        let startup = h.config.startup_timeout_ms.unwrap_or(self.app.live.settings.connection_timeout_ms);
        if let Some(s) = h.instances.get_mut(usize::from(self.current)) {
            s.fails = 0;
            s.passes = 0;
        }
        self.restart(SimDuration::ZERO);
        self.app.down_until_us = SimTime::MAX;
        self.app.starting = true;
        self.fill_pool();
        if !self.check_started() && startup > 0 {
            let (inst, epoch) = (self.current, self.app.restart_epoch);
            self.queue.push_rare(
                self.now_us.saturating_add(ms_to_us(startup)),
                Event::StartupTimeout { inst, epoch },
            );
        }
    }

    /// A starting instance whose pool holds `min_idle` connections has started; true if so.
    pub(super) fn check_started(&mut self) -> bool {
        if !self.app.starting || self.app.pool.total() < self.app.live.min_idle() {
            return false;
        }
        self.app.starting = false;
        self.app.down_until_us = self.now_us;
        let open = self.app.pool.total();
        self.log.push(self.now_us, LogLevel::Info, LogKind::Health, |m| {
            write!(m, "Start completed: {open} connections open; waiting for health checks to pass")
        });
        true
    }

    /// The start of `epoch` did not open `min_idle` connections in time: it fails, and the
    /// instance starts again at once (a crash loop while the cause lasts).
    pub(super) fn startup_timeout(&mut self, epoch: u32) {
        if epoch != self.app.restart_epoch || !self.app.starting {
            return;
        }
        let (open, want) = (self.app.pool.total(), self.app.live.min_idle());
        if let Some(h) = &mut self.health {
            h.counts.failed_starts += 1;
        }
        self.log.push(self.now_us, LogLevel::Error, LogKind::Health, |m| {
            write!(
                m,
                "Start failed: pool timed out while waiting for an open connection ({open} of {want} connections open)"
            )
        });
        self.start_again();
    }

    /// An attempt reached the balancer while every instance is out of it: refused at once.
    pub(super) fn no_healthy_upstream(&mut self, k: u64, attempt: u32) {
        if let Some(h) = &mut self.health {
            h.counts.no_healthy_upstream += 1;
        }
        self.interval.turned_away += 1;
        self.totals.unrouted += 1;
        self.attempt_failed(k, attempt, crate::sim::callers::Failure::Refusal);
    }

    /// The instance the balancer picks among those in it, for attempt `attempt` of request
    /// `k` (some instance is in: see [`no_healthy_upstream`](Self::no_healthy_upstream)).
    pub(super) fn balance_healthy(&mut self, k: u64, attempt: u32) -> InstanceId {
        let n = self.parked.len() as u64;
        let turn = self.next_turn();
        let admits = |sim: &Self, j: u64| sim.health.as_ref().is_none_or(|h| h.admits(j as usize));
        let j = match self.balancer {
            crate::scenario::Balancer::RoundRobin => {
                (0..n).map(|i| (turn + i) % n).find(|&j| admits(self, j))
            }
            crate::scenario::Balancer::Random => {
                let inn = self.health.as_ref().map_or(n, |h| u64::from(h.in_balancer));
                let pick = ((self.draws.unit(crate::rng::Stream::Balance, k, attempt) * inn as f64) as u64)
                    .min(inn.saturating_sub(1));
                (0..n).filter(|&j| admits(self, j)).nth(pick as usize)
            }
            crate::scenario::Balancer::LeastOutstanding => {
                let mut best: Option<(u64, u64)> = None;
                for i in 0..n {
                    let j = (turn + i) % n;
                    let load = self.instance(j as usize).outstanding();
                    if admits(self, j) && best.is_none_or(|(l, _)| load < l) {
                        best = Some((load, j));
                    }
                }
                best.map(|(_, j)| j)
            }
        };
        j.unwrap_or(turn) as InstanceId
    }

    /// `set_health_check`: switch the checks to `mode` (a fleet without checks gets
    /// them, with the other settings' defaults).
    pub(super) fn set_health_check(&mut self, mode: HealthMode) {
        if self.parked.len() < 2 {
            return self.log_action(format_args!("Health checks: no load balancer in front of one instance"));
        }
        match &mut self.health {
            Some(h) => h.config.mode = mode,
            None => {
                let config = HealthCheckConfig { mode, ..HealthCheckConfig::default() };
                self.health = Some(Box::new(Health::new(&config, self.parked.len() as u32)));
                self.schedule_health_checks();
                self.update_gate();
            }
        }
        let words = match mode {
            HealthMode::Shallow => "shallow (the instance answers without the database)",
            HealthMode::Deep => "deep (SELECT 1 through the instance's pool)",
        };
        self.log_action(format_args!("Health checks: {words}"));
    }
}
