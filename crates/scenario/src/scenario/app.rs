//! The application server in front of the pool ([`AppConfig`]: its request threads and
//! accept queue, and the requests that need no database) and the load balancer's health
//! checks of a fleet's instances ([`HealthCheckConfig`]).
//!
//! Both are absent by default: an application with unlimited threads, a balancer that
//! never takes an instance out. A scenario written before they existed reads, runs and
//! writes back as it did.

use serde::{Deserialize, Serialize};

use super::callers::Choice;

/// The application server: a bounded pool of request threads in front of the connection
/// pool (Tomcat's `maxThreads`), the queue of connections waiting to be accepted when
/// every thread is busy (Tomcat's `acceptCount`), and the share of requests that need
/// no database at all.
///
/// A request's attempt takes a thread before it asks the pool for a connection and holds
/// it until it is done — served, timed out or refused — so threads blocked on
/// `getConnection()` starve every other request, those that never touch the database
/// included: the whole service is down, not only its database calls.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AppConfig {
    /// Request threads per instance (Tomcat `maxThreads`, 200).
    pub threads: u32,
    /// Connections that wait to be accepted while every thread is busy (Tomcat
    /// `acceptCount`, 100); the next is refused ("connection refused").
    pub accept_queue: u32,
    /// Share of requests that need no database, 0–1: each holds a thread for `no_db_ms`
    /// and never touches the pool.
    #[serde(deserialize_with = "crate::scenario::exact::f64", skip_serializing_if = "is_zero")]
    pub no_db_share: f64,
    /// How long a request that needs no database holds its thread [ms].
    #[serde(deserialize_with = "crate::scenario::exact::f64")]
    pub no_db_ms: f64,
}

fn is_zero(x: &f64) -> bool {
    *x == 0.0
}

/// Tomcat's `maxThreads`.
pub const DEFAULT_THREADS: u32 = 200;
/// Tomcat's `acceptCount`.
pub const DEFAULT_ACCEPT_QUEUE: u32 = 100;

impl Default for AppConfig {
    fn default() -> Self {
        Self { threads: DEFAULT_THREADS, accept_queue: DEFAULT_ACCEPT_QUEUE, no_db_share: 0.0, no_db_ms: 5.0 }
    }
}

/// The load balancer's health checks of each instance of a fleet: every `interval_s`, a
/// check that either does not touch the database (`shallow`: it passes while the
/// instance is up) or runs `SELECT 1` through the instance's own pool (`deep`: it must
/// get a connection within `timeout_ms`). An instance failing `unhealthy_after` checks in
/// a row leaves the balancer (it gets no new requests) and returns after `healthy_after`
/// successes in a row; one out of the balancer `restart_unhealthy_after_s` is restarted,
/// and must open `pool.min_idle` connections within `startup_timeout_ms` to start.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct HealthCheckConfig {
    /// Time between two checks of an instance [s] (AWS ALB: 30, Kubernetes: 10).
    #[serde(deserialize_with = "crate::scenario::exact::f64")]
    pub interval_s: f64,
    /// What a check does.
    pub mode: HealthMode,
    /// How long a deep check waits for a connection before it fails [ms].
    pub timeout_ms: u64,
    /// How long a deep check's `SELECT 1` holds its connection [ms].
    #[serde(deserialize_with = "crate::scenario::exact::f64")]
    pub query_ms: f64,
    /// Failed checks in a row that take an instance out of the balancer.
    pub unhealthy_after: u32,
    /// Passed checks in a row that bring it back.
    pub healthy_after: u32,
    /// Restart an instance that has been out of the balancer this long [s] (Kubernetes'
    /// liveness probe); `None` (absent) = never.
    #[serde(deserialize_with = "crate::scenario::exact::opt_f64", skip_serializing_if = "Option::is_none")]
    pub restart_unhealthy_after_s: Option<f64>,
    /// A restarted instance must open `pool.min_idle` connections within this long or its
    /// start fails and it restarts again [ms]; `None` (absent) = the pool's
    /// `connection_timeout_ms` (as HikariCP's start-up waits; 0 = for ever).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub startup_timeout_ms: Option<u64>,
}

impl Default for HealthCheckConfig {
    fn default() -> Self {
        Self {
            interval_s: 10.0,
            mode: HealthMode::Shallow,
            timeout_ms: 1000,
            query_ms: 1.0,
            unhealthy_after: 3,
            healthy_after: 2,
            restart_unhealthy_after_s: None,
            startup_timeout_ms: None,
        }
    }
}

/// What a health check does.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum HealthMode {
    /// It does not touch the database: it passes while the instance is up.
    #[default]
    Shallow,
    /// `SELECT 1` through the instance's own pool: it fails when no connection comes
    /// within `timeout_ms` — an exhausted pool fails it.
    Deep,
}

impl Choice for HealthMode {
    const ALL: &'static [Self] = &[Self::Shallow, Self::Deep];
    const NAMES: &'static [&'static str] = &["shallow", "deep"];
}

impl<'de> Deserialize<'de> for HealthMode {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        super::callers::deserialize_choice(deserializer)
    }
}
