//! poolsim-engine: a deterministic discrete-event simulator of a database connection pool.
//!
//! Data flows one way: a [`Scenario`] builds a [`Simulation`]; the simulation is advanced
//! in simulated time and reports per-second [`Sample`]s, a [`Summary`], a log and views of
//! every connection. Time is an integer number of microseconds; events at the same time
//! run in the order they were scheduled; every random draw comes from the scenario's seed.
//!
//! Beside the simulator: [`analytic`] (Little's law, Erlang C, time to exhaustion) for
//! the page to show next to the run, [`validate`] for input checks, [`presets`],
//! [`variants`] (what-if comparisons: how each fix changes the outcome), and
//! [`testing`] (a reference scenario and the digest every platform must reproduce).
//! For sharing: [`link`] (the whole scenario and view in a URL fragment) and [`export`]
//! (CSV samples, a Markdown summary, scenario JSON).

pub mod action;
mod action_de;
pub mod alerts;
pub mod analytic;
mod digest;
pub mod error;
pub mod exact;
pub mod export;
pub mod flavour;
mod histogram;
pub mod lessons;
pub mod link;
pub mod log;
pub mod metrics;
pub mod presets;
mod rng;
pub mod scenario;
mod sim;
pub mod sort;
pub mod testing;
pub mod validate;
pub mod variants;

pub use action::{Action, TimedEvent};
pub use error::{EngineError, ScenarioError};
pub use flavour::{Flavour, WaitOrder};
pub use metrics::{AlertFiring, ConnState, ConnectionView, LogEntry, LogKind, LogLevel, Sample, Summary};
pub use presets::Preset;
pub use scenario::{
    AlertMetric, AlertRule, HoldDistribution, LeakConfig, PoolConfig, RetryConfig, Scenario, TrafficConfig,
    WorkConfig,
};
pub use sim::{Advance, Gauges, Settings, Simulation, Waiter};
pub use validate::validate_action;
