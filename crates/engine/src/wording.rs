//! Each pool's words for its own log lines (see [`Flavour`]): a timeout, a refusal, leak
//! detection. The simulator writes them (into [`crate::log`]) as often as requests fail, so
//! they live with it, compiled for speed; the flavours themselves are the scenario's.

use std::fmt::{self, Write as _};

use crate::flavour::Flavour;

/// What the pool's own log lines start with.
pub(crate) fn prefix(flavour: Flavour) -> &'static str {
    match flavour {
        Flavour::Hikaricp => "HikariPool-1 - ",
        Flavour::Tomcat => "ConnectionPool - ",
        Flavour::Go => "database/sql: ",
        Flavour::Pgbouncer => "pgbouncer: ",
        Flavour::Sqlx => "sqlx::pool: ",
        Flavour::Bb8 => "bb8: ",
    }
}

/// The error a request gets when it has waited `waited_ms` and gives up, as the pool
/// words it (HikariCP and Tomcat add their stats, under their own names).
pub(crate) fn write_timeout(flavour: Flavour, out: &mut String, waited_ms: u64, stats: Stats) -> fmt::Result {
    let template = match flavour {
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
pub(crate) fn write_refused(flavour: Flavour, out: &mut String, stats: Stats) -> fmt::Result {
    let template = match flavour {
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
    let database_refused = flavour == Flavour::Go && stats.max_waiting == 0;
    let prefix = if database_refused { "" } else { prefix(flavour) };
    fill(out, prefix, template, 0, stats)
}

/// Leak detection flagged `conn`. Tomcat calls it a suspect (`suspectTimeout`).
pub(crate) fn write_leak_detected(flavour: Flavour, out: &mut String, conn: u32) -> fmt::Result {
    let what = match flavour {
        Flavour::Tomcat => "Connection has been marked suspect, possibly abandoned conn",
        _ => "Connection leak detection triggered for conn",
    };
    write!(out, "{what}{conn}")?;
    if flavour != Flavour::Tomcat {
        out.push_str(", stack trace follows");
    }
    Ok(())
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
            Flavour::ALL.iter().map(|f| line(|s| write_timeout(*f, s, 30_000, FULL))).collect();
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
        let go = line(|s| write_refused(Flavour::Go, s, FULL));
        assert!(go.starts_with("pq: sorry, too many clients already"), "{go}");
        let bouncer = line(|s| write_refused(Flavour::Pgbouncer, s, Stats { max_waiting: 80, ..FULL }));
        assert!(bouncer.contains("no more connections allowed (max_client_conn)"), "{bouncer}");
        let hikari = line(|s| write_refused(Flavour::Hikaricp, s, Stats { max_waiting: 5, ..FULL }));
        assert!(hikari.starts_with("HikariPool-1 - ") && hikari.contains("max_waiting=5"), "{hikari}");
    }
}
