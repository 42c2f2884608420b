//! The scenario: poolsim's public file format (import/export, URL, CLI, presets), in one
//! folder: the settings ([`Scenario`] and its parts, here), the timeline's actions
//! and their catalogue ([`catalogue`]: kinds, names, fields, checks), the timeline of
//! actions at times ([`event`]), reading them field by field (`read`), numbers read exactly ([`exact`]),
//! the field a reading error is about (`locate`),
//! the rules a scenario must pass ([`validate`]) and its errors ([`error`]).
//!
//! Every field has a HikariCP-like default, so `{}` is a valid scenario. Parsing
//! rejects unknown fields; [`Scenario::validate`] rejects impossible values. Both
//! report the failing field by its path (`pool.max_size`, `events[3].at_s`).
//! `docs/scenario-format.md` lists every field.

pub mod app;
pub mod callers;
pub mod catalogue;
pub mod error;
pub mod event;
pub mod exact;
mod locate;
mod read;
pub mod validate;

use serde::{Deserialize, Serialize};

pub use app::{AppConfig, HealthCheckConfig, HealthMode};
pub use callers::{Backoff, BreakerConfig, Choice, Jitter, RetryBudget, RetryConfig, RetryOn};
pub use catalogue::{Action, ActionField, ActionKind, Check, FieldInput, FieldValue, FieldValues};
pub use error::ScenarioError;
pub use event::{Rollout, Target, TimedEvent};

use crate::flavour::{Flavour, WaitOrder};
use crate::time::ClockTime;

/// A complete, reproducible description of one simulated run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Scenario {
    /// Title shown in the page and in exports.
    pub name: String,
    /// Free text: what the scenario shows and how it was calibrated.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// Wall-clock time of day at simulated time 0, `"HH:MM"` or `"HH:MM:SS"`.
    pub clock_start: ClockTime,
    /// Length of the run [s].
    pub duration_s: u64,
    /// Seed of every random draw: same scenario + seed = same run, bit for bit.
    pub seed: u64,
    /// The connection pool's settings.
    pub pool: PoolConfig,
    /// The requests arriving at the application.
    pub traffic: TrafficConfig,
    /// What each request does with its connection.
    pub work: WorkConfig,
    /// The database behind the pool; `None` (absent) = a database of unlimited capacity,
    /// where every query takes its hold time whatever the load.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub database: Option<DatabaseConfig>,
    /// The application instances, each with its own pool, behind a load balancer;
    /// `None` (absent) = one instance.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fleet: Option<FleetConfig>,
    /// The application server's request threads and accept queue in front of the pool;
    /// `None` (absent) = unlimited threads: every request asks the pool at once.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub app: Option<AppConfig>,
    /// The load balancer's health checks of a fleet's instances; `None` (absent) = none:
    /// every instance stays in the balancer whatever happens to it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub health_check: Option<HealthCheckConfig>,
    /// The leak live from time 0 (a leaky deploy later is a timeline event).
    pub leak: LeakConfig,
    /// Monitoring rules evaluated on the per-second samples.
    pub alerts: Vec<AlertRule>,
    /// The timeline: actions applied at given times. Need not be sorted.
    pub events: Vec<TimedEvent>,
}

impl Default for Scenario {
    fn default() -> Self {
        Self {
            name: "Untitled scenario".to_owned(),
            description: String::new(),
            clock_start: ClockTime::from_seconds_of_day(12 * 3600),
            duration_s: 3600,
            seed: 1,
            pool: PoolConfig::default(),
            traffic: TrafficConfig::default(),
            work: WorkConfig::default(),
            database: None,
            fleet: None,
            app: None,
            health_check: None,
            leak: LeakConfig::default(),
            alerts: Vec::new(),
            events: Vec::new(),
        }
    }
}

/// The database behind the pool: its cores, shared by the queries running at once.
///
/// Each request's hold splits into time in the database (`db_share` of the hold: the
/// query) and time the application keeps the connection without using it (the rest).
/// Queries share the database's capacity equally (processor sharing): with n running,
/// each progresses at `capacity(n) / n` of its speed alone, where
/// `capacity(n) = min(n, cores) / (1 + σ·(n − 1) + κ·n·(n − 1))` (Gunther's Universal
/// Scalability Law; σ = `contention`, κ = `coherency`). A CPU-bound database (σ = κ = 0)
/// runs as fast with 2 connections as with 64 — a bigger pool only moves the queue from
/// the pool into the database; with σ or κ above 0, more connections make every query
/// slower.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DatabaseConfig {
    /// CPU cores: how many queries run at full speed at once.
    pub cores: u32,
    /// Share of each hold spent running the query in the database, 0–1 (the rest the
    /// application holds the connection without using it).
    #[serde(deserialize_with = "crate::scenario::exact::f64")]
    pub db_share: f64,
    /// USL σ: the serialised share of the work (locks, a hot row), 0 ≤ σ < 1.
    #[serde(deserialize_with = "crate::scenario::exact::f64")]
    pub contention: f64,
    /// USL κ: the cost of keeping every pair of running queries consistent (cache lines,
    /// the buffer pool), ≥ 0.
    #[serde(deserialize_with = "crate::scenario::exact::f64")]
    pub coherency: f64,
    /// Most connections the database accepts (PostgreSQL `max_connections`): every open
    /// or opening connection counts.
    pub max_connections: u32,
    /// Slots of `max_connections` kept for superusers (PostgreSQL
    /// `superuser_reserved_connections`): the application may hold the rest.
    pub reserved_connections: u32,
    /// Database CPU each new connection costs (backend start and authentication: about
    /// 6 ms on PostgreSQL 15), part of the pool's `connect_ms`, shared with the queries
    /// running [ms]. 0 (the default): opening costs the database nothing.
    #[serde(deserialize_with = "crate::scenario::exact::f64", skip_serializing_if = "is_zero_f64")]
    pub connect_cpu_ms: f64,
    /// Database CPU each closed connection costs (the backend's exit: about 4 ms on
    /// PostgreSQL 15), shared with the queries running [ms]. 0 (the default): closing
    /// costs the database nothing.
    #[serde(deserialize_with = "crate::scenario::exact::f64", skip_serializing_if = "is_zero_f64")]
    pub close_cpu_ms: f64,
}

/// Leaves a zero out of the JSON written (an absent field reads as 0).
fn is_zero_f64(x: &f64) -> bool {
    *x == 0.0
}

impl Default for DatabaseConfig {
    fn default() -> Self {
        Self {
            cores: 4,
            db_share: 1.0,
            contention: 0.0,
            coherency: 0.0,
            max_connections: 100,
            reserved_connections: 3,
            connect_cpu_ms: 0.0,
            close_cpu_ms: 0.0,
        }
    }
}

/// A fleet: `instances` copies of the application, each running the `pool`
/// configuration with its own pool, waiters, leaks and log, sharing the traffic (split
/// by the load balancer) and the database.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FleetConfig {
    /// Application instances, 1 to [`MAX_INSTANCES`](validate::MAX_INSTANCES).
    pub instances: u32,
    /// How the load balancer picks an instance for each attempt.
    pub balancer: Balancer,
}

impl Default for FleetConfig {
    fn default() -> Self {
        Self { instances: 5, balancer: Balancer::RoundRobin }
    }
}

impl FleetConfig {
    /// Instances in `scenario`: its fleet's, or 1 without a fleet.
    pub fn instances_of(scenario: &Scenario) -> u32 {
        scenario.fleet.as_ref().map_or(1, |f| f.instances)
    }

    /// Give `scenario` `instances` instances: 1 drops the fleet (one application), more
    /// keep the balancer chosen.
    pub fn set_instances(scenario: &mut Scenario, instances: u32) {
        let balancer = scenario.fleet.as_ref().map_or(Balancer::default(), |f| f.balancer);
        scenario.fleet = (instances != 1).then_some(FleetConfig { instances, balancer });
    }
}

/// The load balancer's choice of instance for each attempt (a retry is balanced anew).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Balancer {
    /// Each instance in turn (nginx's and most balancers' default).
    #[default]
    RoundRobin,
    /// An instance at random, each equally likely.
    Random,
    /// The instance with the fewest requests in progress (waiting or holding a
    /// connection); ties go to the next in turn. An instance that fails requests at
    /// once looks idle to it and draws the traffic (no health checks are modelled).
    LeastOutstanding,
}

impl Balancer {
    /// Every balancer with its JSON name.
    pub const ALL: [(Balancer, &'static str); 3] = [
        (Balancer::RoundRobin, "round_robin"),
        (Balancer::Random, "random"),
        (Balancer::LeastOutstanding, "least_outstanding"),
    ];

    /// The JSON name (`least_outstanding`).
    pub fn name(self) -> &'static str {
        Self::ALL.iter().find(|(b, _)| *b == self).map_or("round_robin", |(_, n)| n)
    }
}

/// Pool settings, named after HikariCP's (Tomcat's for abandoned reclaim).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PoolConfig {
    /// Most connections the pool may hold, opening ones included (HikariCP `maximumPoolSize`).
    pub max_size: u32,
    /// Idle connections the pool keeps ready (HikariCP `minimumIdle`); `None` = `max_size`, HikariCP's default.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_idle: Option<u32>,
    /// How long a request waits for a connection before failing [ms] (HikariCP
    /// `connectionTimeout`; 0 = wait forever, as Go's `database/sql` without a deadline).
    pub connection_timeout_ms: u64,
    /// Idle connections above `min_idle` are closed after this long [ms] (HikariCP `idleTimeout`; 0 = never).
    pub idle_timeout_ms: u64,
    /// Idle connections older than this are retired [ms] (HikariCP `maxLifetime`; 0 = never).
    pub max_lifetime_ms: u64,
    /// Time to open one new connection [ms]; the pool opens them one after another.
    #[serde(deserialize_with = "crate::scenario::exact::f64")]
    pub connect_ms: f64,
    /// Log connections out longer than this as possible leaks [ms] (HikariCP `leakDetectionThreshold`; 0 = off).
    pub leak_detection_threshold_ms: u64,
    /// Close connections out longer than this and free their slot [ms] (Tomcat `removeAbandonedTimeout`; 0 = off).
    pub abandoned_timeout_ms: u64,
    /// The pool simulated: its log lines and how it opens connections (HikariCP by default).
    #[serde(skip_serializing_if = "Flavour::is_default")]
    pub flavour: Flavour,
    /// Who gets a connection that comes free: the longest waiter, or a random one (Go).
    #[serde(skip_serializing_if = "WaitOrder::is_default")]
    pub wait_order: WaitOrder,
    /// At most this many requests wait while every connection is in use; the next is refused
    /// at once (pgbouncer `max_client_conn` minus the pool; 0 = never wait, as Go's unlimited
    /// pool against the database's `max_connections`). `None` = no limit.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_waiting: Option<u32>,
    /// A returned connection is closed rather than kept when this many are already idle
    /// (Go `SetMaxIdleConns`, 2 by default). `None` = keep every one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_idle: Option<u32>,
}

impl PoolConfig {
    /// `min_idle` with HikariCP's default applied (= `max_size`), capped at `max_size`.
    pub fn effective_min_idle(&self) -> u32 {
        self.min_idle.unwrap_or(self.max_size).min(self.max_size)
    }

    /// Resize to `max` as HikariCP does: a `min_idle` above it comes down to it.
    pub fn set_max_size(&mut self, max: u32) {
        self.max_size = max;
        if let Some(min) = self.min_idle
            && min > max
        {
            self.min_idle = Some(max);
        }
    }
}

impl Default for PoolConfig {
    fn default() -> Self {
        Self {
            max_size: 10,
            min_idle: None,
            connection_timeout_ms: 30_000,
            idle_timeout_ms: 600_000,
            max_lifetime_ms: 1_800_000,
            connect_ms: 8.0,
            leak_detection_threshold_ms: 0,
            abandoned_timeout_ms: 0,
            flavour: Flavour::Hikaricp,
            wait_order: WaitOrder::Fifo,
            max_waiting: None,
            max_idle: None,
        }
    }
}

/// The load offered to the pool, and what its callers do: how long they wait for an
/// answer, how they retry, and their circuit breaker.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TrafficConfig {
    /// Mean arrival rate of new requests [requests/s] (Poisson arrivals).
    #[serde(deserialize_with = "crate::scenario::exact::f64")]
    pub rate_per_s: f64,
    /// How long a caller waits for each attempt's answer before it gives up [ms]; 0 = for
    /// ever (no deadline). The application does not know: a request still waiting for a
    /// connection keeps waiting, and is served for nothing (wasted work).
    #[serde(skip_serializing_if = "is_zero_u64")]
    pub deadline_ms: u64,
    /// What clients do when a request fails.
    pub retry: RetryConfig,
    /// The callers' circuit breaker; `None` (absent) = none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub breaker: Option<BreakerConfig>,
}

/// Leaves a zero out of the JSON written (an absent field reads as 0).
fn is_zero_u64(x: &u64) -> bool {
    *x == 0
}

impl Default for TrafficConfig {
    fn default() -> Self {
        Self { rate_per_s: 100.0, deadline_ms: 0, retry: RetryConfig::default(), breaker: None }
    }
}

impl TrafficConfig {
    /// Its callers do more than poolsim modelled before deadlines and retry policies: a
    /// deadline, a retry policy beyond a plain fixed pause, or a breaker. The run then
    /// reports what the callers saw (goodput, wasted work, retries).
    pub fn models_callers(&self) -> bool {
        self.deadline_ms > 0 || self.breaker.is_some() || !self.retry.is_plain()
    }
}

/// How long each request holds its connection.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct WorkConfig {
    /// Mean hold time of a normal request [ms] (query time plus round trip).
    #[serde(deserialize_with = "crate::scenario::exact::f64")]
    pub hold_ms: f64,
    /// Shape of the hold-time distribution around `hold_ms`.
    pub hold_distribution: HoldDistribution,
    /// Log-normal shape σ (only for `lognormal`).
    #[serde(deserialize_with = "crate::scenario::exact::f64")]
    pub lognormal_sigma: f64,
    /// Share of requests that run a slow query instead, 0..=1.
    #[serde(deserialize_with = "crate::scenario::exact::f64")]
    pub slow_share: f64,
    /// Mean hold time of a slow query [ms] (same distribution shape).
    #[serde(deserialize_with = "crate::scenario::exact::f64")]
    pub slow_hold_ms: f64,
}

impl Default for WorkConfig {
    fn default() -> Self {
        Self {
            hold_ms: 40.0,
            hold_distribution: HoldDistribution::Exponential,
            lognormal_sigma: 1.0,
            slow_share: 0.0,
            slow_hold_ms: 5000.0,
        }
    }
}

/// Distribution of hold times, each with the configured mean.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HoldDistribution {
    /// Memoryless (M/M/c).
    #[default]
    Exponential,
    /// Every hold exactly the mean.
    Constant,
    /// Log-normal with shape `lognormal_sigma`, scaled to the mean.
    Lognormal,
}

/// Connection leaks live from time 0.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LeakConfig {
    /// Chance that a served request never returns its connection, 0..=1.
    #[serde(deserialize_with = "crate::scenario::exact::f64")]
    pub probability: f64,
}

/// A monitoring rule: fires when `metric > above` has held for `for_s` seconds.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AlertRule {
    /// Name shown in the log and the summary (`PoolUsageHigh`).
    pub name: String,
    /// The sampled metric the rule watches.
    pub metric: AlertMetric,
    /// Threshold: the condition is `metric > above`.
    #[serde(deserialize_with = "crate::scenario::exact::f64")]
    pub above: f64,
    /// How long the condition must hold before the alert fires [s] (Prometheus `for:`).
    #[serde(default)]
    pub for_s: u64,
}

/// Metrics an alert rule can watch: what a real dashboard shows (never `leaked`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AlertMetric {
    /// active / max, 0..=1 (`hikaricp_connections_usage`).
    Usage,
    /// Connections in use (`hikaricp_connections_active`).
    Active,
    /// Requests waiting for a connection (`hikaricp_connections_pending`).
    Pending,
    /// Acquire timeouts in the last second (`hikaricp_connections_timeout_total` rate).
    Timeouts,
    /// 99th percentile of acquire time in the last second [ms].
    AcquireP99Ms,
    /// Requests that failed in the last second.
    Failed,
}

impl AlertMetric {
    /// Every metric, in the order the pages offer them.
    pub const ALL: [Self; 6] =
        [Self::Usage, Self::Active, Self::Pending, Self::Timeouts, Self::AcquireP99Ms, Self::Failed];

    /// The JSON name (`usage`, `acquire_p99_ms`).
    pub fn name(self) -> &'static str {
        self.about().0
    }

    /// What it measures, in a few words ("requests waiting").
    pub fn meaning(self) -> &'static str {
        self.about().1
    }

    /// The metric whose JSON name is `name`.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.name() == name)
    }

    fn about(self) -> (&'static str, &'static str) {
        match self {
            Self::Usage => ("usage", "active ÷ max, 0–1"),
            Self::Active => ("active", "connections in use"),
            Self::Pending => ("pending", "requests waiting"),
            Self::Timeouts => ("timeouts", "acquire timeouts per second"),
            Self::AcquireP99Ms => ("acquire_p99_ms", "p99 acquire time, ms"),
            Self::Failed => ("failed", "failed requests per second"),
        }
    }
}

impl Scenario {
    /// Parse a scenario from JSON, naming the path of the first field that is wrong,
    /// then [`validate`](Self::validate) it.
    ///
    /// `#[inline]` is for the page's size, not speed: it has the reader (serde's derived
    /// visitors, the flat action reader) compiled in the crate that calls it. The page's
    /// crates are built for size (`opt-level = "z"`), while the replication worker's and
    /// the command line's engine is built at opt-level 2; reading a file is not on their
    /// hot path, and compiled for size it is 10.6 KB (gzip) smaller.
    #[inline]
    pub fn from_json(text: &str) -> Result<Self, ScenarioError> {
        let scenario: Self = serde_json::from_str(text)
            .map_err(|e| ScenarioError::new(locate::error_path(text, &e), e.to_string()))?;
        scenario.validate()?;
        Ok(scenario)
    }

    /// Refuse impossible values, naming the field path and the reason
    /// (the rules and their limits are in [`validate`]).
    pub fn validate(&self) -> Result<(), ScenarioError> {
        validate::scenario(self)
    }
}
