//! Diagnosis drills (`lessons/drills.json`): a mystery incident shown only as a real
//! dashboard and log would show it — leaked connections count as active — and the
//! learner picks a cause and a fix; the answer comes with the hidden truth revealed.

use serde::Deserialize;

use poolsim_engine::scenario::Scenario;

/// The drills' file.
const FILE: &str = include_str!("../../lessons/drills.json");

/// What really went wrong.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Cause {
    /// Connections leak: taken and never returned.
    Leak,
    /// Queries got slower: each request holds its connection longer.
    SlowDatabase,
    /// The pool is too small for the steady load.
    UndersizedPool,
    /// More requests arrive than usual.
    TrafficSpike,
    /// Failed requests come back as retries, multiplying the load.
    RetryStorm,
    /// The database runs more queries at once than it can: they slow each other down
    /// (cores, locks, caches) until it gets less done, however many connections wait.
    DatabaseSaturated,
}

impl Cause {
    /// Every cause, in the order a picker offers them.
    pub const ALL: [Cause; 6] = [
        Cause::Leak,
        Cause::SlowDatabase,
        Cause::UndersizedPool,
        Cause::TrafficSpike,
        Cause::RetryStorm,
        Cause::DatabaseSaturated,
    ];

    /// In words.
    pub fn label(self) -> &'static str {
        match self {
            Cause::Leak => "A connection leak",
            Cause::SlowDatabase => "A slow database",
            Cause::UndersizedPool => "A pool too small for the load",
            Cause::TrafficSpike => "A traffic spike",
            Cause::RetryStorm => "A retry storm",
            Cause::DatabaseSaturated => "A database saturated by too many queries at once",
        }
    }
}

/// What to do about it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Fix {
    /// Roll the release back (and restart to free what leaked).
    RollBack,
    /// Make the queries fast again (fix the query or the database).
    FasterQueries,
    /// Raise the pool's maximum size.
    BiggerPool,
    /// Shed or rate-limit traffic, or scale out.
    ShedTraffic,
    /// Fewer retries, with exponential backoff and jitter.
    BackOffRetries,
    /// Lower the pool's maximum size to what the database can run at once.
    SmallerPool,
}

impl Fix {
    /// Every fix, in the order a picker offers them.
    pub const ALL: [Fix; 6] = [
        Fix::RollBack,
        Fix::FasterQueries,
        Fix::BiggerPool,
        Fix::ShedTraffic,
        Fix::BackOffRetries,
        Fix::SmallerPool,
    ];

    /// In words.
    pub fn label(self) -> &'static str {
        match self {
            Fix::RollBack => "Roll back the release and restart",
            Fix::FasterQueries => "Fix the slow queries",
            Fix::BiggerPool => "Raise maximumPoolSize",
            Fix::ShedTraffic => "Rate-limit or scale out",
            Fix::BackOffRetries => "Back off the retries",
            Fix::SmallerPool => "Lower maximumPoolSize",
        }
    }
}

/// A mystery incident.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Drill {
    /// Short kebab-case name.
    pub id: String,
    /// The title (says nothing of the cause).
    pub title: String,
    /// What on-call is told.
    pub briefing: String,
    /// The hidden cause.
    pub cause: Cause,
    /// The fix that addresses it.
    pub fix: Fix,
    /// The answer, explained, with the hidden truth.
    pub explain: String,
    /// The incident. It holds no notes: nothing in the log gives the answer away.
    pub scenario: Scenario,
}

/// How a diagnosis fared.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Diagnosis {
    /// The cause was right.
    pub cause_right: bool,
    /// The fix was right.
    pub fix_right: bool,
}

impl Drill {
    /// Judge a diagnosis.
    pub fn judge(&self, cause: Cause, fix: Fix) -> Diagnosis {
        Diagnosis { cause_right: cause == self.cause, fix_right: fix == self.fix }
    }
}

/// Every drill. The file is part of poolsim and checked by its tests.
pub fn all() -> Vec<Drill> {
    serde_json::from_str::<Vec<Drill>>(FILE)
        .map(|drills| drills.into_iter().filter(|d| d.scenario.validate().is_ok()).collect())
        .unwrap_or_default()
}
