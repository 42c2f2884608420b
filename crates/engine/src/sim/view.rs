//! Small value types the simulation hands out: progress of an advance, the pool's
//! instantaneous gauges, one waiting request, and the live settings.

use serde::{Deserialize, Serialize};

use crate::metrics::BreakerState;
use crate::scenario::{BreakerConfig, RetryConfig};
use crate::time::SimTime;

/// How far a budgeted [`advance`](crate::Simulation::advance) got.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Advance {
    /// The clock reached the requested time (false: the event budget ran out first).
    pub reached: bool,
    /// Events processed by this call (moot checks the queue dropped included).
    pub events: u64,
}

/// The pool's state at the current instant, as a dashboard would show it (and, in each
/// [`Sample`](crate::Sample), at the end of its second).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Gauges {
    /// Open connections, in use or idle (opening ones excluded).
    pub total: u32,
    /// Connections the pool counts as in use, leaked ones included.
    pub active: u32,
    /// Idle connections ready to hand out.
    pub idle: u32,
    /// Requests waiting for a connection.
    pub pending: u32,
    /// Connections being opened (or queued to be opened); not counted in `total`.
    pub opening: u32,
    /// Of `active`, connections that will never come back. Only the simulator knows this.
    pub leaked: u32,
    /// Of `active`, connections flagged by leak detection.
    pub suspected: u32,
    /// `maximumPoolSize` now.
    pub max: u32,
}

/// A request waiting for a connection.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Waiter {
    /// Request id (k, the arrival index of its first attempt).
    pub request: u64,
    /// Attempt number, 0 for the first try.
    pub attempt: u32,
    /// When it started waiting [µs in JSON].
    pub since_us: SimTime,
    /// When it times out [µs in JSON; `u64::MAX`: never].
    pub deadline_us: SimTime,
    /// Its caller has given up at its deadline: if served, the work is wasted.
    pub gave_up: bool,
}

/// What the callers do now, after every action so far: the traffic's settings beyond its
/// rate, and where their circuit breaker is.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CallerSettings {
    /// How long a caller waits for an answer [ms] (0 = for ever).
    pub deadline_ms: u64,
    /// The retry policy, its budget included.
    pub retry: RetryConfig,
    /// The circuit breaker's settings (`None`: no breaker).
    pub breaker: Option<BreakerConfig>,
    /// The breaker now (closed without one).
    pub breaker_state: BreakerState,
}

/// An application instance as its load balancer and its request threads see it now: what
/// the fleet view marks on each instance's row.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ServerView {
    /// Request threads in force (`None`: the run does not model them).
    pub threads: Option<u32>,
    /// Threads held by an attempt.
    pub threads_busy: u32,
    /// Attempts waiting for a thread.
    pub accept_queue: u32,
    /// In the load balancer (always, without health checks).
    pub in_balancer: bool,
    /// Restarting, or starting up: it refuses requests.
    pub down: bool,
}

/// The live settings after every action applied so far.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Settings {
    /// Arrival rate of new requests [requests/s].
    pub rate_per_s: f64,
    /// Mean hold time of a normal request [ms].
    pub hold_ms: f64,
    /// Chance that a served request leaks its connection, 0..=1.
    pub leak_probability: f64,
    /// `maximumPoolSize`.
    pub max_size: u32,
    /// `minimumIdle`.
    pub min_idle: u32,
    /// `connectionTimeout` for requests that start waiting from now on [ms].
    pub connection_timeout_ms: u64,
    /// `leakDetectionThreshold` [ms] (0 = off).
    pub leak_detection_threshold_ms: u64,
    /// Tomcat `removeAbandonedTimeout` [ms] (0 = off).
    pub abandoned_timeout_ms: u64,
}
