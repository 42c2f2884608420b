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

use std::fmt::{self, Write as _};

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

    /// What the pool's own log lines start with.
    pub(crate) fn prefix(self) -> &'static str {
        match self {
            Flavour::Hikaricp => "HikariPool-1 - ",
            Flavour::Tomcat => "ConnectionPool - ",
            Flavour::Go => "database/sql: ",
            Flavour::Pgbouncer => "pgbouncer: ",
            Flavour::Sqlx => "sqlx::pool: ",
            Flavour::Bb8 => "bb8: ",
        }
    }

    /// HikariCP opens connections one after another on its single creator thread; the
    /// others open each one in the task that needs it, side by side.
    pub(crate) fn opens_one_at_a_time(self) -> bool {
        self == Flavour::Hikaricp
    }

    /// The error a request gets when it has waited `waited_ms` and gives up, as the pool
    /// words it (HikariCP and Tomcat add their stats, under their own names).
    pub(crate) fn write_timeout(self, out: &mut String, waited_ms: u64, stats: Stats) -> fmt::Result {
        let template = match self {
            Flavour::Hikaricp => {
                "HikariPool-1 - Connection is not available, request timed out after {w}ms \
                 (total={t}, active={a}, idle={i}, waiting={q})"
            }
            Flavour::Tomcat => {
                "Timeout: Pool empty. Unable to fetch a connection in {s} seconds, none \
                 available[size:{t}; busy:{a}; idle:{i}; lastwait:{w}]."
            }
            // Go, sqlx and bb8 say no more than this; the dashboard has the pool's numbers.
            Flavour::Go => "context deadline exceeded",
            Flavour::Pgbouncer => "pgbouncer: closing because: query_wait_timeout (age={s}s)",
            Flavour::Sqlx => "pool timed out while waiting for an open connection",
            Flavour::Bb8 => "Timed out in bb8",
        };
        fill(out, "", template, waited_ms, stats)
    }

    /// The error a request gets when the pool is full and no more may wait
    /// (`max_waiting`): refused at once.
    pub(crate) fn write_refused(self, out: &mut String, stats: Stats) -> fmt::Result {
        let template = match self {
            // With an unlimited pool the database's `max_connections` is the limit,
            // and PostgreSQL refuses the next connection.
            Flavour::Go if stats.max_waiting == 0 => "pq: sorry, too many clients already",
            Flavour::Pgbouncer => {
                "no more connections allowed (max_client_conn): {q} clients already waiting \
                 for {t} server connections"
            }
            _ => {
                "Connection refused at once: all {m} connections in use and {q} requests already \
                 waiting (max_waiting={x})"
            }
        };
        let database_refused = self == Flavour::Go && stats.max_waiting == 0;
        let prefix = if database_refused { "" } else { self.prefix() };
        fill(out, prefix, template, 0, stats)
    }

    /// Leak detection flagged `conn`. Tomcat calls it a suspect (`suspectTimeout`).
    pub(crate) fn write_leak_detected(self, out: &mut String, conn: u32) -> fmt::Result {
        let what = match self {
            Flavour::Tomcat => "Connection has been marked suspect, possibly abandoned conn",
            _ => "Connection leak detection triggered for conn",
        };
        write!(out, "{what}{conn}")?;
        if self != Flavour::Tomcat {
            out.push_str(", stack trace follows");
        }
        Ok(())
    }
}

/// Write `prefix` then `template`, each `{k}` replaced by a number: `w` waited ms, `s`
/// waited s, `t` total, `a` active, `i` idle, `q` waiting, `m` max, `x` max waiting.
/// (One small loop over texts instead of a formatting routine per pool and message.)
fn fill(out: &mut String, prefix: &str, template: &str, waited_ms: u64, stats: Stats) -> fmt::Result {
    out.push_str(prefix);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let key = rest.as_bytes().get(open + 1).copied();
        let value = match key {
            Some(b'w') => waited_ms,
            Some(b's') => waited_ms / 1000,
            Some(b't') => u64::from(stats.total),
            Some(b'a') => u64::from(stats.active),
            Some(b'i') => u64::from(stats.idle),
            Some(b'q') => u64::from(stats.waiting),
            Some(b'm') => u64::from(stats.max),
            _ => u64::from(stats.max_waiting),
        };
        write!(out, "{value}")?;
        rest = rest.get(open + 3..).unwrap_or("");
    }
    out.push_str(rest);
    Ok(())
}

/// The pool's stats at the moment of a log line.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Stats {
    pub(crate) total: u32,
    pub(crate) active: u32,
    pub(crate) idle: u32,
    pub(crate) waiting: u32,
    pub(crate) max: u32,
    pub(crate) max_waiting: u32,
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

#[cfg(test)]
mod tests {
    use super::*;

    fn line(write: impl FnOnce(&mut String) -> fmt::Result) -> String {
        let mut s = String::new();
        write(&mut s).expect("writing to a String");
        s
    }

    const FULL: Stats = Stats { total: 100, active: 100, idle: 0, waiting: 33, max: 100, max_waiting: 0 };

    #[test]
    fn each_pool_times_out_in_its_own_words() {
        let words: Vec<String> =
            Flavour::ALL.iter().map(|f| line(|s| f.write_timeout(s, 30_000, FULL))).collect();
        assert!(
            words[0]
                .starts_with("HikariPool-1 - Connection is not available, request timed out after 30000ms")
        );
        assert!(words[1].starts_with("Timeout: Pool empty. Unable to fetch a connection in 30 seconds"));
        assert!(words[1].contains("[size:100; busy:100; idle:0; lastwait:30000]"));
        assert!(words[2].starts_with("context deadline exceeded"));
        assert!(words[3].contains("query_wait_timeout (age=30s)"));
        assert!(words[4].starts_with("pool timed out while waiting for an open connection"));
        assert!(words[5].starts_with("Timed out in bb8"));
    }

    #[test]
    fn refusals_name_the_limit_that_refused() {
        let go = line(|s| Flavour::Go.write_refused(s, FULL));
        assert!(go.starts_with("pq: sorry, too many clients already"), "{go}");
        let bouncer = line(|s| Flavour::Pgbouncer.write_refused(s, Stats { max_waiting: 80, ..FULL }));
        assert!(bouncer.contains("no more connections allowed (max_client_conn)"), "{bouncer}");
        let hikari = line(|s| Flavour::Hikaricp.write_refused(s, Stats { max_waiting: 5, ..FULL }));
        assert!(hikari.starts_with("HikariPool-1 - ") && hikari.contains("max_waiting=5"), "{hikari}");
    }
}
