//! poolsim-engine: a deterministic discrete-event simulator of a database connection pool.
//!
//! Data flows one way: a [`Scenario`] builds a [`Simulation`]; the simulation is advanced
//! in simulated time and reports per-second [`Sample`]s, a [`Summary`], a log and views of
//! every connection. Time is an integer number of microseconds; events at the same time
//! run in the order they were scheduled; every random draw comes from the scenario's seed.

pub mod action;
pub mod error;
pub mod metrics;
pub mod scenario;

pub use action::{Action, TimedEvent};
pub use error::{EngineError, ScenarioError};
pub use metrics::{AlertFiring, ConnState, ConnectionView, LogEntry, LogKind, LogLevel, Sample, Summary};
pub use scenario::{AlertMetric, AlertRule, HoldDistribution, LeakConfig, PoolConfig, RetryConfig, Scenario, TrafficConfig, WorkConfig};
