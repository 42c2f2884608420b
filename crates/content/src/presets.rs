//! Preset scenarios: the JSON files in this crate's `scenarios/` folder, embedded
//! at compile time so the page and the CLI carry them without a network.
//!
//! The seed incident (`june-15-2024`) comes first; the page offers them in this order.

use poolsim_engine::ScenarioError;
use poolsim_engine::scenario::Scenario;

/// A scenario shipped with poolsim.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Preset {
    /// Short kebab-case name, as the CLI takes it (`poolsim run --preset june-15-2024`).
    pub name: &'static str,
    /// Human title: the scenario's `name`.
    pub title: &'static str,
    /// The scenario file, verbatim.
    pub json: &'static str,
}

impl Preset {
    /// Parse and validate this preset, as any scenario is read ([`Scenario::from_json`]).
    pub fn scenario(&self) -> Result<Scenario, ScenarioError> {
        Scenario::from_json(self.json)
    }
}

/// Every preset, the seed incident first.
pub const PRESETS: &[Preset] = &[
    Preset {
        name: "june-15-2024",
        title: "June 15, 2024 — connection pool exhaustion",
        json: include_str!("../scenarios/june-15-2024.json"),
    },
    Preset {
        name: "healthy-pool",
        title: "Healthy pool",
        json: include_str!("../scenarios/healthy-pool.json"),
    },
    Preset {
        name: "traffic-spike",
        title: "Traffic spike and a retry storm",
        json: include_str!("../scenarios/traffic-spike.json"),
    },
    Preset {
        name: "slow-queries",
        title: "Slow database",
        json: include_str!("../scenarios/slow-queries.json"),
    },
    Preset { name: "slow-leak", title: "Slow leak", json: include_str!("../scenarios/slow-leak.json") },
    Preset { name: "fast-leak", title: "Fast leak", json: include_str!("../scenarios/fast-leak.json") },
    Preset {
        name: "bigger-pool-only",
        title: "Bigger pool only",
        json: include_str!("../scenarios/bigger-pool-only.json"),
    },
    Preset {
        name: "leak-detection-false-positives",
        title: "Leak detection false positives",
        json: include_str!("../scenarios/leak-detection-false-positives.json"),
    },
    Preset {
        name: "abandoned-reclaim-kills-slow-queries",
        title: "Abandoned reclaim kills slow queries",
        json: include_str!("../scenarios/abandoned-reclaim-kills-slow-queries.json"),
    },
    Preset {
        name: "alert-tuning",
        title: "Alert tuning: which rule fires first",
        json: include_str!("../scenarios/alert-tuning.json"),
    },
    Preset {
        name: "large-pool",
        title: "Large pool: 1,000 connections",
        json: include_str!("../scenarios/large-pool.json"),
    },
    Preset {
        name: "pool-sizing-cpu-bound",
        title: "Pool sizing: a CPU-bound database",
        json: include_str!("../scenarios/pool-sizing-cpu-bound.json"),
    },
    Preset {
        name: "pool-sizing-contended",
        title: "Pool sizing: a contended database",
        json: include_str!("../scenarios/pool-sizing-contended.json"),
    },
    Preset {
        name: "five-instances-one-database",
        title: "Five instances, one database: the bigger pool meets max_connections",
        json: include_str!("../scenarios/five-instances-one-database.json"),
    },
    Preset {
        name: "rolling-deploy-of-a-leak",
        title: "Rolling deploy of a leak: instances fail one after another",
        json: include_str!("../scenarios/rolling-deploy-of-a-leak.json"),
    },
    Preset {
        name: "restart-storm",
        title: "Restart storm: every instance reconnects at once",
        json: include_str!("../scenarios/restart-storm.json"),
    },
    Preset {
        name: "github-2023-05-10-retry-storm",
        title: "GitHub, May 10, 2023 — a caller retrying on timeouts",
        json: include_str!("../scenarios/github-2023-05-10-retry-storm.json"),
    },
    Preset {
        name: "github-2023-05-10-remedy",
        title: "GitHub, May 10, 2023 — with the remedy: jittered backoff and a retry budget",
        json: include_str!("../scenarios/github-2023-05-10-remedy.json"),
    },
    Preset {
        name: "buildkite-2016-health-checks",
        title: "Buildkite, August 22, 2016 — health checks that call the database",
        json: include_str!("../scenarios/buildkite-2016-health-checks.json"),
    },
    Preset {
        name: "buildkite-2016-health-checks-remedy",
        title: "Buildkite, August 22, 2016 — with the remedy: health checks without the database",
        json: include_str!("../scenarios/buildkite-2016-health-checks-remedy.json"),
    },
];

/// The pool flavour presets: each real pool's defaults and the failure they lead to
/// (see [`poolsim_engine::flavour`]). Kept apart from [`PRESETS`] so a page that lists only the
/// stories does not carry them; [`preset`] and the command line find both.
pub const FLAVOURS: &[Preset] = &[
    Preset {
        name: "tomcat-jdbc",
        title: "Tomcat JDBC: the June 15 leak against removeAbandoned",
        json: include_str!("../scenarios/tomcat-jdbc.json"),
    },
    Preset {
        name: "go-database-sql",
        title: "Go database/sql defaults: a leak meets the database's limit",
        json: include_str!("../scenarios/go-database-sql.json"),
    },
    Preset {
        name: "go-no-deadline",
        title: "Go database/sql without a deadline: the hang",
        json: include_str!("../scenarios/go-no-deadline.json"),
    },
    Preset {
        name: "pgbouncer-session",
        title: "pgbouncer session pool: a spike past max_client_conn",
        json: include_str!("../scenarios/pgbouncer-session.json"),
    },
    Preset {
        name: "sqlx-default-pool",
        title: "sqlx defaults: ten connections at full load",
        json: include_str!("../scenarios/sqlx-default-pool.json"),
    },
];

/// The name of the seed incident's preset.
pub const SEED_INCIDENT: &str = "june-15-2024";

/// The clock time the seed incident's pool first runs out, as a newcomer is told before
/// pressing play ("at 13:53 the pool runs out"); a test runs the preset to check it.
pub const SEED_RUNS_OUT_AT: &str = "13:53";

/// Every preset: the stories, then the pool flavours.
pub fn all() -> impl Iterator<Item = &'static Preset> {
    PRESETS.iter().chain(FLAVOURS)
}

/// The preset called `name` (a story or a pool flavour), if there is one.
pub fn preset(name: &str) -> Option<&'static Preset> {
    all().find(|p| p.name == name)
}

/// The story preset called `name` (not a pool flavour), if there is one.
pub fn story(name: &str) -> Option<&'static Preset> {
    PRESETS.iter().find(|p| p.name == name)
}

/// Parse the preset called `name`; an unknown name is an error listing the known ones.
pub fn load(name: &str) -> Result<Scenario, ScenarioError> {
    match preset(name) {
        Some(p) => p.scenario(),
        None => Err(ScenarioError::new(
            "",
            format!("unknown preset `{name}`; known presets: {}", names().collect::<Vec<_>>().join(", ")),
        )),
    }
}

/// The preset names, in order (the stories, then the pool flavours).
pub fn names() -> impl Iterator<Item = &'static str> {
    all().map(|p| p.name)
}
