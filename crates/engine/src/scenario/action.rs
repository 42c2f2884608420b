//! Actions: the timeline's events, the page's live fix buttons, links and tests all
//! speak this one enum.

use serde::Serialize;

use crate::scenario::AlertMetric;

/// Something that changes the running system at a point in simulated time.
///
/// JSON: `{ "action": "deploy_leak", "probability": 0.0003 }`. `Deserialize` is written
/// by hand (`read.rs`) so that unknown fields are refused for every action and
/// errors name the field (`events[3].probability`).
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum Action {
    /// Change the mean arrival rate [requests/s].
    SetRate { rate_per_s: f64 },
    /// Ship a leaky deploy: each served request leaks its connection with this probability.
    DeployLeak { probability: f64 },
    /// Roll the leaky deploy back: no new leaks (already-leaked connections stay leaked).
    Rollback,
    /// Change `maximumPoolSize` (and optionally `minimumIdle`) at runtime.
    ResizePool {
        max_size: u32,
        #[serde(skip_serializing_if = "Option::is_none")]
        min_idle: Option<u32>,
    },
    /// Restart the application: every connection closes (leaked ones too), waiters and
    /// in-flight requests fail, arrivals fail during `downtime_s`, then the pool refills.
    RestartApp {
        /// [s]; 0 when omitted.
        downtime_s: f64,
    },
    /// Change the mean hold time of normal requests [ms] (a slow database).
    SetHold { hold_ms: f64 },
    /// Change `leakDetectionThreshold` [ms] (0 = off).
    SetLeakDetection { threshold_ms: u64 },
    /// Change Tomcat's `removeAbandonedTimeout` [ms] (0 = off).
    SetAbandonedTimeout { timeout_ms: u64 },
    /// Change `connectionTimeout` [ms] for requests that start waiting from now on.
    SetConnectionTimeout { timeout_ms: u64 },
    /// Start evaluating a new alert rule.
    AddAlert {
        name: String,
        metric: AlertMetric,
        above: f64,
        /// [s]; 0 when omitted.
        for_s: u64,
    },
    /// An annotation on the timeline; changes nothing.
    Note { text: String },
}

/// An action at a time: one entry of a scenario's timeline.
///
/// In JSON the action's fields sit beside `at_s`:
/// `{ "at_s": 1800, "action": "deploy_leak", "probability": 0.0003 }`
/// (`Deserialize` by hand, see [`Action`]).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TimedEvent {
    /// When the action applies [s from the scenario start].
    pub at_s: f64,
    /// What happens.
    #[serde(flatten)]
    pub action: Action,
}

impl TimedEvent {
    /// Sort `events` by time; events at the same time keep their order, the order they
    /// run in. The one ordering of a timeline, for the engine and every editor of it.
    pub fn sort(events: &mut [TimedEvent]) {
        crate::sort::stable_by(events, |a, b| a.at_s.total_cmp(&b.at_s).is_lt());
    }
}
