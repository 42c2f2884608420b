//! The glossary (`lessons/glossary.json`): each poolsim knob beside the setting that
//! means the same in HikariCP, Tomcat JDBC, Go's `database/sql`, pgbouncer, sqlx and
//! bb8, with its default there.

use serde::Deserialize;

/// The glossary's file.
const FILE: &str = include_str!("../../lessons/glossary.json");

/// The pools compared and one row a knob.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Glossary {
    /// The pools, in column order.
    pub pools: Vec<String>,
    /// Presets that run each pool's defaults (by name), in [`Glossary::pools`] order.
    pub presets: Vec<Vec<String>>,
    /// One row a knob.
    pub rows: Vec<Row>,
}

/// A knob and its name (and default) in each pool.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Row {
    /// poolsim's name: the scenario field (`pool.max_size`) or a behaviour.
    pub knob: String,
    /// What it does.
    pub meaning: String,
    /// The setting and its default in each pool, in [`Glossary::pools`] order.
    pub names: Vec<String>,
}

/// The glossary. The file is part of poolsim and checked by its tests.
pub fn glossary() -> Glossary {
    serde_json::from_str(FILE).unwrap_or_default()
}
