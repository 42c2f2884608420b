//! Preset scenarios: the JSON files in this crate's `scenarios/` folder, embedded
//! at compile time so the command line and the pages carry them without a network.
//!
//! The seed incident (`june-15-2024`) comes first; the page offers them in this order.
//!
//! Each list comes in two tables made from one list by [`presets!`]: the names and titles
//! ([`STORIES`], a [`Title`] each), and the presets with their files ([`PRESETS`]). A page
//! that only lists the presets and opens the seed ([`SEED`]) links neither the other
//! scenarios nor their descriptions: the visualizer, the embed view and the share page
//! fetch a preset's file (`scenarios/<name>.json` beside the page) when it is chosen.

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

/// A preset's name and title, without its scenario: what a list of presets shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Title {
    /// As [`Preset::name`].
    pub name: &'static str,
    /// As [`Preset::title`].
    pub title: &'static str,
}

/// Two tables from one list of `(name, title)`: the titles, and the presets with their
/// files, `scenarios/<name>.json`.
macro_rules! presets {
    (
        $(#[$titles_doc:meta])* $titles:ident,
        $(#[$presets_doc:meta])* $presets:ident: [$(($name:literal, $title:literal)),* $(,)?]
    ) => {
        $(#[$titles_doc])*
        pub const $titles: &[Title] = &[$(Title { name: $name, title: $title }),*];
        $(#[$presets_doc])*
        pub const $presets: &[Preset] = &[$(Preset {
            name: $name,
            title: $title,
            json: include_str!(concat!("../scenarios/", $name, ".json")),
        }),*];
    };
}

presets! {
    /// Every story preset's name and title, the seed incident first: what the pages list.
    STORIES,
    /// Every story preset, the seed incident first.
    PRESETS: [
        ("june-15-2024", "June 15, 2024 — connection pool exhaustion"),
        ("healthy-pool", "Healthy pool"),
        ("traffic-spike", "Traffic spike and a retry storm"),
        ("slow-queries", "Slow database"),
        ("slow-leak", "Slow leak"),
        ("fast-leak", "Fast leak"),
        ("bigger-pool-only", "Bigger pool only"),
        ("leak-detection-false-positives", "Leak detection false positives"),
        ("abandoned-reclaim-kills-slow-queries", "Abandoned reclaim kills slow queries"),
        ("alert-tuning", "Alert tuning: which rule fires first"),
        ("large-pool", "Large pool: 1,000 connections"),
        ("pool-sizing-cpu-bound", "Pool sizing: a CPU-bound database"),
        ("pool-sizing-contended", "Pool sizing: a contended database"),
        ("five-instances-one-database", "Five instances, one database: the bigger pool meets max_connections"),
        ("rolling-deploy-of-a-leak", "Rolling deploy of a leak: instances fail one after another"),
        ("restart-storm", "Restart storm: every instance reconnects at once"),
        ("github-2023-05-10-retry-storm", "GitHub, May 10, 2023 — a caller retrying on timeouts"),
        ("github-2023-05-10-remedy", "GitHub, May 10, 2023 — with the remedy: jittered backoff and a retry budget"),
        ("buildkite-2016-health-checks", "Buildkite, August 22, 2016 — health checks that call the database"),
        ("buildkite-2016-health-checks-remedy", "Buildkite, August 22, 2016 — with the remedy: health checks without the database"),
        ("posthog-2025-09-29", "PostHog, September 29, 2025 — a connection timeout cut to 300 ms on a loaded database"),
        ("posthog-2025-09-29-remedy", "PostHog, September 29, 2025 — with the remedy: a 1 s timeout, jittered backoff and a retry budget"),
    ]
}

presets! {
    /// The pool flavour presets' names and titles.
    FLAVOUR_TITLES,
    /// The pool flavour presets: each real pool's defaults and the failure they lead to
    /// (see [`poolsim_engine::flavour`]). Kept apart from [`PRESETS`] so a page that lists only the
    /// stories does not carry them; [`preset`] and the command line find both.
    FLAVOURS: [
        ("tomcat-jdbc", "Tomcat JDBC: the June 15 leak against removeAbandoned"),
        ("go-database-sql", "Go database/sql defaults: a leak meets the database's limit"),
        ("go-no-deadline", "Go database/sql without a deadline: the hang"),
        ("pgbouncer-session", "pgbouncer session pool: a spike past max_client_conn"),
        ("sqlx-default-pool", "sqlx defaults: ten connections at full load"),
    ]
}

/// The name of the seed incident's preset.
pub const SEED_INCIDENT: &str = "june-15-2024";

/// The seed incident's preset alone: a page that opens on it and fetches the others
/// carries this one scenario file.
pub const SEED: Preset = PRESETS[0];

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

/// The story preset called `name`'s title (not a pool flavour), if there is one; unlike
/// [`story`], it needs no scenario file.
pub fn story_title(name: &str) -> Option<&'static Title> {
    STORIES.iter().find(|t| t.name == name)
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
