//! The event log: a bounded ring of the most recent lines, worded as the simulated pool
//! words them (HikariCP by default; see [`Flavour`]).
//!
//! An exhausted pool logs a timeout per request, millions in a long run, yet only the
//! newest [`LOG_CAPACITY`] lines are kept. So frequent lines are recorded as small
//! structured [`Msg`]s and only turned into text by [`LogRing::flush`] (the simulation
//! calls it before handing control back), and only for lines that will be kept; the
//! text reuses the string buffer of the line it evicts. Rare lines are formatted at once.

use std::collections::VecDeque;
use std::fmt::Write as _;

use crate::flavour::Flavour;
use crate::metrics::{LogEntry, LogKind, LogLevel};
use crate::time::SimTime;
use crate::wording::{self, Stats};

/// Lines kept; older ones are dropped (their `seq` keeps counting).
pub const LOG_CAPACITY: usize = 4096;

/// A log message not yet written out.
#[derive(Clone, Debug)]
pub(crate) enum Msg {
    /// The pool's acquire timeout, with its stats at that moment.
    Timeout { waited_ms: u64, stats: Stats },
    /// A request refused at once: the pool full and no more may wait.
    Refused { stats: Stats },
    /// An arrival while the application restarts.
    Restarting { request: u64 },
    /// Leak detection fired for a connection.
    LeakDetected { conn: u32 },
    /// A connection flagged by leak detection came back.
    Unleaked { conn: u32 },
    /// A caller's deadline passed before its request was answered: after `waited_ms`
    /// waiting for a connection, or holding `conn` for that long.
    CallerGaveUp { request: u64, waited_ms: u64, conn: Option<u32> },
    /// Anything else, already formatted.
    Text(String),
}

impl Msg {
    fn write(&self, flavour: Flavour, out: &mut String) -> std::fmt::Result {
        match self {
            Msg::Timeout { waited_ms, stats } => wording::write_timeout(flavour, out, *waited_ms, *stats),
            Msg::Refused { stats } => wording::write_refused(flavour, out, *stats),
            Msg::Restarting { request } => {
                write!(out, "Request {request} failed: the application is restarting")
            }
            Msg::LeakDetected { conn } => wording::write_leak_detected(flavour, out, *conn),
            Msg::Unleaked { conn } => write!(
                out,
                "{}Previously reported leaked connection conn{conn} was returned to the pool (unleaked)",
                wording::prefix(flavour)
            ),
            Msg::CallerGaveUp { request, waited_ms, conn: None } => write!(
                out,
                "Request {request}: its caller gave up after {waited_ms} ms; it still waits for a connection, and serving it will be wasted work"
            ),
            Msg::CallerGaveUp { request, waited_ms, conn: Some(conn) } => write!(
                out,
                "Request {request}: its caller gave up while it held conn{conn} ({waited_ms} ms so far); the rest of its work is wasted"
            ),
            Msg::Text(text) => out.write_str(text),
        }
    }
}

/// A line recorded but not yet written out.
#[derive(Clone, Debug)]
struct Pending {
    seq: u64,
    t: SimTime,
    level: LogLevel,
    kind: LogKind,
    msg: Msg,
    instance: Option<u32>,
}

/// The newest log lines, oldest first.
#[derive(Clone, Debug, Default)]
pub(crate) struct LogRing {
    /// Written-out lines.
    lines: VecDeque<LogEntry>,
    /// Newer lines not yet written out (at most [`LOG_CAPACITY`]: older ones could never be kept).
    pending: VecDeque<Pending>,
    total: u64,
    /// Whose words the lines use.
    flavour: Flavour,
    /// The instance whose lines are being recorded (a fleet's; `None` otherwise).
    instance: Option<u32>,
}

impl LogRing {
    /// An empty log in `flavour`'s words.
    pub(crate) fn new(flavour: Flavour) -> Self {
        Self { flavour, ..Self::default() }
    }

    /// What the pool's own lines start with (`HikariPool-1 - `).
    pub(crate) fn prefix(&self) -> &'static str {
        wording::prefix(self.flavour)
    }

    /// Lines from now on are instance `instance`'s (from 1; `None`: the run's own).
    pub(crate) fn set_instance(&mut self, instance: Option<u32>) {
        self.instance = instance;
    }

    /// Whose lines are being recorded.
    pub(crate) fn instance(&self) -> Option<u32> {
        self.instance
    }

    /// Record a line.
    pub(crate) fn record(&mut self, t: SimTime, level: LogLevel, kind: LogKind, msg: Msg) {
        if self.pending.len() >= LOG_CAPACITY {
            self.pending.pop_front();
        }
        let instance = self.instance;
        self.pending.push_back(Pending { seq: self.total, t, level, kind, msg, instance });
        self.total += 1;
    }

    /// Record a rare line whose message `write` formats now.
    pub(crate) fn push(
        &mut self,
        t: SimTime,
        level: LogLevel,
        kind: LogKind,
        write: impl FnOnce(&mut String) -> std::fmt::Result,
    ) {
        let mut text = String::new();
        // Writing into a String cannot fail; a formatting bug only shortens the line.
        let _ = write(&mut text);
        self.record(t, level, kind, Msg::Text(text));
    }

    /// Write out the pending lines, evicting the oldest kept ones.
    pub(crate) fn flush(&mut self) {
        for p in self.pending.drain(..) {
            let mut message = if self.lines.len() >= LOG_CAPACITY {
                self.lines.pop_front().map(|old| old.message).unwrap_or_default()
            } else {
                String::new()
            };
            message.clear();
            let _ = p.msg.write(self.flavour, &mut message);
            let (seq, t_us, level, kind, instance) = (p.seq, p.t, p.level, p.kind, p.instance);
            self.lines.push_back(LogEntry { seq, t_us, level, kind, message, instance });
        }
    }

    /// The kept lines, oldest first (call [`flush`](Self::flush) first).
    pub(crate) fn iter(&self) -> impl Iterator<Item = &LogEntry> + '_ {
        self.lines.iter()
    }

    /// Lines ever logged (the `seq` of the next line).
    pub(crate) fn total(&self) -> u64 {
        self.total
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_newest_lines_and_counts_them_all() {
        let mut log = LogRing::default();
        for i in 0..(LOG_CAPACITY as u64 + 10) {
            log.push(SimTime::from_micros(i), LogLevel::Info, LogKind::Action, |m| write!(m, "line {i}"));
            if i % 1000 == 0 {
                log.flush();
            }
        }
        log.flush();
        assert_eq!(log.total(), LOG_CAPACITY as u64 + 10);
        let first = log.iter().next().map(|e| (e.seq, e.message.clone()));
        assert_eq!(first, Some((10, "line 10".to_owned())));
        assert_eq!(log.iter().count(), LOG_CAPACITY);
        assert!(log.iter().zip(log.iter().skip(1)).all(|(a, b)| b.seq == a.seq + 1));
    }

    #[test]
    fn structured_lines_read_as_hikaricp_writes_them() {
        let mut log = LogRing::default();
        let stats = Stats { total: 100, active: 100, idle: 0, waiting: 33, ..Stats::default() };
        let msg = Msg::Timeout { waited_ms: 30_000, stats };
        log.record(SimTime::from_micros(5), LogLevel::Error, LogKind::Timeout, msg);
        log.flush();
        let line = log.iter().next().map(|e| e.message.as_str());
        assert_eq!(
            line,
            Some(
                "HikariPool-1 - Connection is not available, request timed out after 30000ms \
                 (total=100, active=100, idle=0, waiting=33)"
            )
        );
    }
}
