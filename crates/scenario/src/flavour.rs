//! Pool flavours: which real pool a scenario simulates.
//!
//! The flavour sets how the pool words its log lines (the timeout a developer would
//! grep for) and how it opens connections: HikariCP opens them one after another on
//! a single creator thread; Tomcat JDBC, Go's `database/sql`, pgbouncer, sqlx and bb8
//! open each one as it is needed, side by side. Where real pools differ in behaviour
//! rather than in words, the difference is a knob of its own, so every flavour can be
//! tried with every behaviour: [`WaitOrder`] (Go hands a freed connection to a random
//! waiter), `pool.max_waiting` (pgbouncer's `max_client_conn`; 0 for Go's unlimited
//! pool, where the database refuses the connection past its `max_connections`),
//! `pool.max_idle` (Go's `SetMaxIdleConns`, 2 by default) and a
//! `connection_timeout_ms` of 0 (Go without a context deadline: wait forever). The
//! flavour presets (`crates/content/scenarios/`) set each pool's defaults.

use serde::{Deserialize, Serialize};

/// The pool a scenario simulates.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Flavour {
    /// HikariCP (Java): the default.
    #[default]
    Hikaricp,
    /// Tomcat JDBC pool (Java): fair queue, `removeAbandoned`.
    Tomcat,
    /// Go's `database/sql`.
    Go,
    /// pgbouncer in session mode.
    Pgbouncer,
    /// sqlx (Rust).
    Sqlx,
    /// bb8 (Rust).
    Bb8,
}

impl Flavour {
    /// Every flavour, HikariCP first.
    pub const ALL: [Flavour; 6] =
        [Flavour::Hikaricp, Flavour::Tomcat, Flavour::Go, Flavour::Pgbouncer, Flavour::Sqlx, Flavour::Bb8];

    /// HikariCP, the default (the scenario file leaves the field out).
    pub fn is_default(&self) -> bool {
        *self == Flavour::Hikaricp
    }

    /// The pool's name, as people say it.
    pub fn title(self) -> &'static str {
        match self {
            Flavour::Hikaricp => "HikariCP",
            Flavour::Tomcat => "Tomcat JDBC",
            Flavour::Go => "Go database/sql",
            Flavour::Pgbouncer => "pgbouncer",
            Flavour::Sqlx => "sqlx",
            Flavour::Bb8 => "bb8",
        }
    }

    /// HikariCP opens connections one after another on its single creator thread; the
    /// others open each one in the task that needs it, side by side.
    #[inline]
    pub fn opens_one_at_a_time(self) -> bool {
        self == Flavour::Hikaricp
    }
}

/// Who gets a connection that comes free while requests wait.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WaitOrder {
    /// The longest waiter (HikariCP, Tomcat's `fairQueue`, pgbouncer, sqlx, bb8).
    #[default]
    Fifo,
    /// Any waiter, at random (Go's `database/sql`): the mean wait is the same, the
    /// unlucky wait far longer.
    Random,
}

impl WaitOrder {
    /// FIFO, the default (the scenario file leaves the field out).
    pub fn is_default(&self) -> bool {
        *self == WaitOrder::Fifo
    }
}
