//! poolsim-engine: a deterministic discrete-event simulator of a database connection pool.
//!
//! Data flows one way: a [`Scenario`] builds a [`Simulation`]; the simulation is advanced
//! in simulated time and reports per-second [`Sample`]s, a [`Summary`], a log and views of
//! every connection. Time is an integer number of microseconds, typed as [`SimTime`] (an
//! instant of the run) and [`SimDuration`] (a span); events at the same time run in the
//! order they were scheduled; every random draw comes from the scenario's seed.
//!
//! - [`scenario`]: the scenario format — settings, timeline actions, reading, validation,
//!   errors naming the field; with [`flavour`], [`time`] and [`sort`], the crate
//!   `poolsim-scenario`, re-exported here under the same paths.
//! - the simulator (`sim`, `rng`) and what it reports: [`metrics`], [`log`], [`alerts`],
//!   [`flavour`] (each real pool's words and manners), `histogram`, `digest`.
//! - [`time`]: simulated time ([`SimTime`], [`SimDuration`]) and the clock time of day it
//!   is shown in ([`time::ClockTime`]).
//! - [`replicate`]: a scenario run again with other seeds: each run's outcome, statistics
//!   with 95 % confidence intervals, and fixes against the base over paired runs.
//! - [`analytic`]: Little's law, Erlang C, the time to exhaustion, the USL and processor sharing, for the page to show
//!   next to the run; [`testing`]: a reference scenario and the digest every platform must
//!   reproduce; [`sort`]: the one stable sort of short lists shared with the pages.
//!
//! What is built on the simulator — presets, what-ifs, lessons, links, exports — lives in
//! `poolsim-content`.

pub mod alerts;
pub mod analytic;
mod digest;
pub mod error;
mod histogram;
pub mod log;
pub mod metrics;
pub mod replicate;
mod rng;
mod sim;
pub mod testing;
mod wording;

pub use poolsim_scenario::{flavour, scenario, sort, time};

pub use error::EngineError;
pub use flavour::{Flavour, WaitOrder};
pub use metrics::{
    AlertFiring, AppSample, AppSummary, BreakerState, CallerSample, CallerSummary, ConnState, ConnectionView,
    DatabaseSample, DatabaseSummary, Firings, HealthSummary, InstanceSample, InstanceSummary, LogEntry,
    LogKind, LogLevel, Milestones, RunCounts, Sample, Summary,
};
pub use scenario::validate::validate_action;
pub use scenario::{
    Action, ActionField, ActionKind, AlertMetric, AlertRule, AppConfig, Backoff, Balancer, BreakerConfig,
    Check, Choice, DatabaseConfig, FieldInput, FieldValue, FieldValues, FleetConfig, HealthCheckConfig,
    HealthMode, HoldDistribution, Jitter, LeakConfig, PoolConfig, RetryBudget, RetryConfig, RetryOn, Rollout,
    Scenario, ScenarioError, Target, TimedEvent, TrafficConfig, WorkConfig,
};
pub use sim::{Advance, CallerSettings, Gauges, ServerView, Settings, Simulation, Waiter};
pub use time::{SimDuration, SimTime};
