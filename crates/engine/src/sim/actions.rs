//! Timeline and live actions, applied at the current time (their values were checked
//! by [`validate_action`](crate::scenario::validate::validate_action) before they get here).
//!
//! The scenario's timeline and the page's fix buttons share this code, so a fix applied
//! live and the same fix written into a scenario behave identically.
//!
//! In a fleet, an action on instances (a deploy, a pool setting, a restart) runs on each
//! instance it targets in turn, and logs one line for them all; the traffic, alert rules
//! and notes act once on the whole. A rollout is split into one step per batch.

use std::fmt::Write as _;

use crate::metrics::{LogKind, LogLevel};
use crate::scenario::{Action, AlertRule, BreakerConfig, Choice, RetryBudget, RetryConfig, TimedEvent};
use crate::sim::Simulation;
use crate::sim::config::{ms_to_us, s_f64_to_us};
use crate::sim::instance::InstanceId;
use crate::sim::pool::Slot;
use crate::sim::queue::{Event, Lane};
use crate::time::SimTime;

/// One step of the timeline: an action at a time, on some instances or all.
#[derive(Clone, Debug)]
pub(crate) struct Step {
    pub(crate) at: SimTime,
    pub(crate) action: Action,
    /// The instances it acts on, in order (`None`: every instance).
    pub(crate) on: Option<Vec<InstanceId>>,
}

impl Step {
    /// The steps of one timeline event in a fleet of `fleet` instances, the first at
    /// `at`: one, or one per batch of a rollout.
    pub(crate) fn expand(event: &TimedEvent, at: SimTime, fleet: u32) -> Vec<Step> {
        if event.target.is_all() {
            return vec![Step { at, action: event.action.clone(), on: None }];
        }
        event
            .target
            .batches(fleet)
            .into_iter()
            .map(|(delay_s, batch)| Step {
                at: SimTime::from_secs_f64(at.as_secs_f64() + delay_s),
                action: event.action.clone(),
                on: Some(batch.into_iter().map(|j| j as InstanceId).collect()),
            })
            .collect()
    }

    /// A scenario's timeline as steps, in the order they run: by time, and at equal
    /// times in the order of the events (and of their batches).
    pub(crate) fn timeline(events: &[TimedEvent], fleet: u32) -> Vec<Step> {
        let mut sorted = events.to_vec();
        TimedEvent::sort(&mut sorted);
        let mut steps: Vec<Step> =
            sorted.iter().flat_map(|e| Step::expand(e, SimTime::from_secs_f64(e.at_s), fleet)).collect();
        crate::sort::stable_by(&mut steps, |a, b| a.at < b.at);
        steps
    }
}

impl Simulation {
    /// Apply a checked action now, on the instances `on` (`None`: all), and log it.
    pub(super) fn perform(&mut self, action: &Action, on: Option<&[InstanceId]>) {
        let n = self.parked.len();
        if n == 1 || !action.kind().per_instance() {
            return self.perform_here(action);
        }
        let all: Vec<InstanceId>;
        let targets = match on {
            Some(list) => list,
            None => {
                all = (0..n as InstanceId).collect();
                &all
            }
        };
        let names: Vec<String> = targets.iter().map(|j| format!("app-{}", j + 1)).collect();
        self.action_scope = Some(if targets.len() == n {
            format!("On all {n} instances: ")
        } else {
            format!("On {}: ", names.join(", "))
        });
        for (i, &j) in targets.iter().enumerate() {
            self.switch_to(j);
            self.echo_action = i == 0;
            self.perform_here(action);
        }
        self.echo_action = true;
        self.action_scope = None;
    }

    /// Apply a checked action now to the current instance (or, for the traffic, an
    /// alert rule or a note, to the whole run) and log it.
    fn perform_here(&mut self, action: &Action) {
        let now = self.now_us;
        match action {
            Action::SetRate { rate_per_s } => {
                let old = self.app.live.settings.rate_per_s;
                // Every instance's settings say the traffic in force.
                self.app.live.settings.rate_per_s = *rate_per_s;
                for parked in &mut self.parked {
                    parked.live.settings.rate_per_s = *rate_per_s;
                }
                self.arrivals.set_rate(now, *rate_per_s, &mut self.queue);
                self.log_action(format_args!("Traffic: {old} → {rate_per_s} requests/s"));
            }
            Action::DeployLeak { probability } => {
                self.app.live.settings.leak_probability = *probability;
                self.log_action(format_args!(
                    "Deploy: each request now leaks its connection with probability {probability}"
                ));
            }
            Action::Rollback => {
                self.app.live.settings.leak_probability = 0.0;
                let leaked = self.app.pool.leaked;
                self.log_action(format_args!(
                    "Rollback: no new leaks ({leaked} leaked connections stay out until a restart)"
                ));
            }
            Action::ResizePool { max_size, min_idle } => {
                let old = self.app.live.settings.max_size;
                self.app.live.settings.max_size = *max_size;
                if let Some(m) = min_idle {
                    self.app.live.settings.min_idle = *m;
                }
                if *max_size < old {
                    self.shrink();
                }
                // Growing takes effect at once: waiters get new connections, one after another.
                self.fill_pool();
                let min = self.app.live.min_idle();
                self.log_action(format_args!(
                    "Resize pool: maximumPoolSize {old} → {max_size} (minimumIdle {min})"
                ));
            }
            Action::RestartApp { downtime_s } => self.restart(s_f64_to_us(*downtime_s)),
            Action::SetHold { hold_ms } => {
                let old = self.app.live.settings.hold_ms;
                self.app.live.settings.hold_ms = *hold_ms;
                self.log_action(format_args!("Database: mean hold time {old} ms → {hold_ms} ms"));
            }
            Action::SetLeakDetection { threshold_ms } => {
                self.app.live.settings.leak_detection_threshold_ms = *threshold_ms;
                self.app.live.leak_threshold_us = ms_to_us(*threshold_ms);
                if *threshold_ms == 0 {
                    self.log_action(format_args!("Leak detection off"));
                } else {
                    self.log_action(format_args!(
                        "leakDetectionThreshold = {threshold_ms}ms (checks connections borrowed from now on)"
                    ));
                }
            }
            Action::SetAbandonedTimeout { timeout_ms } => self.set_abandoned_timeout(*timeout_ms),
            Action::SetConnectionTimeout { timeout_ms } => {
                self.app.live.settings.connection_timeout_ms = *timeout_ms;
                self.app.live.timeout_us = ms_to_us(*timeout_ms);
                self.log_action(format_args!("connectionTimeout = {timeout_ms}ms for new waiters"));
            }
            Action::AddAlert { name, metric, above, for_s } => {
                let rule = AlertRule { name: name.clone(), metric: *metric, above: *above, for_s: *for_s };
                self.alerts.add(rule);
                self.log_action(format_args!(
                    "Alert rule added: {name} when {} > {above} for {for_s} s",
                    metric.name()
                ));
            }
            Action::Note { text } => self.log_action(format_args!("Note: {text}")),
            Action::SetDeadline { deadline_ms } => {
                self.callers.set_deadline(*deadline_ms);
                if *deadline_ms == 0 {
                    self.log_action(format_args!(
                        "Callers wait for ever: no deadline for requests sent from now on"
                    ));
                } else {
                    self.log_action(format_args!(
                        "Callers give up after {deadline_ms}ms on requests sent from now on"
                    ));
                }
            }
            &Action::SetRetry { attempts, backoff_ms, backoff, max_backoff_ms, jitter, on } => {
                let retry =
                    RetryConfig { attempts, backoff_ms, backoff, max_backoff_ms, jitter, on, budget: None };
                self.callers.set_retry(&retry);
                self.log_action(format_args!("Callers retry {attempts} times on {}: {} backoff of {backoff_ms}ms (at most {max_backoff_ms}ms), jitter {}",
                        on.name(),
                        backoff.name(),
                        jitter.name()));
            }
            &Action::SetRetryBudget { ratio, window_s, min_per_s } => {
                let budget = RetryBudget { ratio, window_s, min_per_s };
                self.callers.set_budget(Some(budget), self.totals.requests);
                self.log_action(format_args!("Retry budget: at most {ratio} retries per request over {window_s} s, plus {min_per_s} a second"));
            }
            &Action::SetBreaker { failure_ratio, window_s, min_calls, open_s, half_open_calls } => {
                let config = BreakerConfig { failure_ratio, window_s, min_calls, open_s, half_open_calls };
                self.callers.set_breaker(Some(config));
                self.update_gate();
                self.log_action(format_args!("Circuit breaker: opens when {failure_ratio} of at least {min_calls} calls in {window_s} s fail, for {open_s} s, then lets {half_open_calls} through"));
            }
            &Action::SetThreads { threads, accept_queue } => self.set_threads(threads, accept_queue),
            &Action::SetHealthCheck { mode } => self.set_health_check(mode),
        }
        if action.kind().is_about_callers() {
            self.callers_changed();
        }
    }

    /// Turn abandoned reclaim on, off or change it. Tomcat's cleaner checks every borrowed
    /// connection against the current timeout, so connections already out are covered
    /// too: each gets a check at `max(now, borrowed + timeout)`.
    fn set_abandoned_timeout(&mut self, timeout_ms: u64) {
        let now = self.now_us;
        self.app.live.settings.abandoned_timeout_ms = timeout_ms;
        self.app.live.abandoned_us = ms_to_us(timeout_ms);
        self.app.abandon_epoch = self.app.abandon_epoch.wrapping_add(1);
        if timeout_ms > 0 {
            let epoch = self.app.abandon_epoch;
            for (id, c) in self.app.pool.conns.iter().enumerate() {
                if matches!(c.state, Slot::Active | Slot::Leaked) {
                    let at = c.since_us.saturating_add(self.app.live.abandoned_us).max(now);
                    self.queue.push_lane(
                        Lane::AbandonCheck,
                        at,
                        Event::AbandonCheck { inst: self.current, conn: id as u32, lease: c.lease, epoch },
                    );
                }
            }
        }
        if timeout_ms == 0 {
            self.log_action(format_args!("Abandoned-connection reclaim off"));
        } else {
            self.log_action(format_args!(
                "removeAbandonedTimeout = {timeout_ms}ms: connections out longer are closed"
            ));
        }
    }

    /// Log an action's line: once for a batch of instances, saying which, as the run's
    /// line rather than one instance's. It takes the line's arguments, not a closure, so
    /// the formatting is written once and not once per action (the page's bundle carries it).
    #[inline(never)]
    pub(super) fn log_action(&mut self, line: std::fmt::Arguments<'_>) {
        if !self.echo_action {
            return;
        }
        match &self.action_scope {
            None => self.log.push(self.now_us, LogLevel::Info, LogKind::Action, |m| m.write_fmt(line)),
            Some(scope) => {
                let instance = self.log.instance();
                self.log.set_instance(None);
                self.log.push(self.now_us, LogLevel::Info, LogKind::Action, |m| {
                    m.push_str(scope);
                    m.write_fmt(line)
                });
                self.log.set_instance(instance);
            }
        }
    }
}
