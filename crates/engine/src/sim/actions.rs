//! Timeline and live actions, applied at the current time (their values were checked
//! by [`validate_action`](crate::scenario::validate::validate_action) before they get here).
//!
//! The scenario's timeline and the page's fix buttons share this code, so a fix applied
//! live and the same fix written into a scenario behave identically.

use std::fmt::Write as _;

use crate::metrics::{LogKind, LogLevel};
use crate::scenario::Action;
use crate::scenario::AlertRule;
use crate::sim::Simulation;
use crate::sim::config::{ms_to_us, s_f64_to_us};
use crate::sim::pool::Slot;
use crate::sim::queue::{Event, Lane};

impl Simulation {
    /// Apply a checked action now and log it.
    pub(super) fn perform(&mut self, action: &Action) {
        let now = self.now_us;
        match action {
            Action::SetRate { rate_per_s } => {
                let old = self.live.settings.rate_per_s;
                self.live.settings.rate_per_s = *rate_per_s;
                self.arrivals.set_rate(now, *rate_per_s, &mut self.queue);
                self.log_action(|m| write!(m, "Traffic: {old} → {rate_per_s} requests/s"));
            }
            Action::DeployLeak { probability } => {
                self.live.settings.leak_probability = *probability;
                self.log_action(|m| {
                    write!(m, "Deploy: each request now leaks its connection with probability {probability}")
                });
            }
            Action::Rollback => {
                self.live.settings.leak_probability = 0.0;
                let leaked = self.pool.leaked;
                self.log_action(|m| {
                    write!(m, "Rollback: no new leaks ({leaked} leaked connections stay out until a restart)")
                });
            }
            Action::ResizePool { max_size, min_idle } => {
                let old = self.live.settings.max_size;
                self.live.settings.max_size = *max_size;
                if let Some(m) = min_idle {
                    self.live.settings.min_idle = *m;
                }
                if *max_size < old {
                    self.shrink();
                }
                // Growing takes effect at once: waiters get new connections, one after another.
                self.fill_pool();
                let min = self.live.min_idle();
                self.log_action(|m| {
                    write!(m, "Resize pool: maximumPoolSize {old} → {max_size} (minimumIdle {min})")
                });
            }
            Action::RestartApp { downtime_s } => self.restart(s_f64_to_us(*downtime_s)),
            Action::SetHold { hold_ms } => {
                let old = self.live.settings.hold_ms;
                self.live.settings.hold_ms = *hold_ms;
                self.log_action(|m| write!(m, "Database: mean hold time {old} ms → {hold_ms} ms"));
            }
            Action::SetLeakDetection { threshold_ms } => {
                self.live.settings.leak_detection_threshold_ms = *threshold_ms;
                self.live.leak_threshold_us = ms_to_us(*threshold_ms);
                self.log_action(|m| {
                    if *threshold_ms == 0 {
                        write!(m, "Leak detection off")
                    } else {
                        write!(m, "leakDetectionThreshold = {threshold_ms}ms (checks connections borrowed from now on)")
                    }
                });
            }
            Action::SetAbandonedTimeout { timeout_ms } => self.set_abandoned_timeout(*timeout_ms),
            Action::SetConnectionTimeout { timeout_ms } => {
                self.live.settings.connection_timeout_ms = *timeout_ms;
                self.live.timeout_us = ms_to_us(*timeout_ms);
                self.log_action(|m| write!(m, "connectionTimeout = {timeout_ms}ms for new waiters"));
            }
            Action::AddAlert { name, metric, above, for_s } => {
                let rule = AlertRule { name: name.clone(), metric: *metric, above: *above, for_s: *for_s };
                self.alerts.add(rule);
                self.log_action(|m| {
                    write!(m, "Alert rule added: {name} when {} > {above} for {for_s} s", metric.name())
                });
            }
            Action::Note { text } => self.log_action(|m| write!(m, "Note: {text}")),
        }
    }

    /// Turn abandoned reclaim on, off or change it. Tomcat's cleaner checks every borrowed
    /// connection against the current timeout, so connections already out are covered
    /// too: each gets a check at `max(now, borrowed + timeout)`.
    fn set_abandoned_timeout(&mut self, timeout_ms: u64) {
        let now = self.now_us;
        self.live.settings.abandoned_timeout_ms = timeout_ms;
        self.live.abandoned_us = ms_to_us(timeout_ms);
        self.abandon_epoch = self.abandon_epoch.wrapping_add(1);
        if timeout_ms > 0 {
            let epoch = self.abandon_epoch;
            for (id, c) in self.pool.conns.iter().enumerate() {
                if matches!(c.state, Slot::Active | Slot::Leaked) {
                    let at = c.since_us.saturating_add(self.live.abandoned_us).max(now);
                    self.queue.push_lane(
                        Lane::AbandonCheck,
                        at,
                        Event::AbandonCheck { conn: id as u32, lease: c.lease, epoch },
                    );
                }
            }
        }
        self.log_action(|m| {
            if timeout_ms == 0 {
                write!(m, "Abandoned-connection reclaim off")
            } else {
                write!(m, "removeAbandonedTimeout = {timeout_ms}ms: connections out longer are closed")
            }
        });
    }

    fn log_action(&mut self, write: impl FnOnce(&mut String) -> std::fmt::Result) {
        self.log.push(self.now_us, LogLevel::Info, LogKind::Action, write);
    }
}
