//! The event log as the page shows it: new engine log lines folded into rows, with floods
//! of the same kind aggregated ("× 1,240 in the last 10 s") so a timeout storm stays
//! readable and the page's memory stays bounded. In a fleet each instance's lines fold
//! apart, so a row says which instance it is about.

use std::collections::VecDeque;

use poolsim_engine::{LogEntry, LogKind, LogLevel, SimDuration, SimTime};

/// Lines of one kind within this window of the row's first line are folded into it.
pub const FOLD_WINDOW: SimDuration = SimDuration::from_secs(10);
/// Rows kept for display; older ones are dropped.
pub const MAX_ROWS: usize = 200;

/// One displayed row: a line, or a run of lines of the same kind.
#[derive(Clone, Debug, PartialEq)]
pub struct LogRow {
    /// Simulated time of the row's first line.
    pub t: SimTime,
    /// Simulated time of the row's latest line.
    pub last: SimTime,
    /// Severity.
    pub level: LogLevel,
    /// Kind: what gets folded together.
    pub kind: LogKind,
    /// The latest line's message (HikariCP's wording, with its current pool stats).
    pub message: String,
    /// Lines folded into this row.
    pub count: u64,
    /// In a fleet, the instance whose lines these are (from 1); `None` for the run's own.
    pub instance: Option<u32>,
}

/// Rows built from the engine's log, newest last.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LogFeed {
    rows: VecDeque<LogRow>,
    /// `seq` of the next engine line to read.
    next_seq: u64,
    /// Lines the engine dropped before they were read (its ring is bounded too).
    missed: u64,
    /// The latest action's line (a fix, a timeline step), with its time: what the page's
    /// live region says of actions. Kept apart from the rows, which a timeout storm can
    /// push out.
    last_action: Option<(SimTime, String)>,
}

impl LogFeed {
    /// Read the engine's lines not seen yet. `lines` are the engine's kept lines, oldest
    /// first; `total` is how many it has ever logged.
    pub fn update<'a>(&mut self, lines: impl Iterator<Item = &'a LogEntry>, total: u64) {
        let mut first_seen = None;
        let next_seq = self.next_seq;
        for line in lines.filter(|l| l.seq >= next_seq) {
            first_seen.get_or_insert(line.seq);
            self.push(line);
        }
        if let Some(first) = first_seen {
            self.missed += first - self.next_seq;
        } else {
            self.missed += total.saturating_sub(self.next_seq);
        }
        self.next_seq = total;
    }

    fn push(&mut self, line: &LogEntry) {
        if line.kind == LogKind::Action {
            self.last_action = Some((line.t_us, line.message.clone()));
        }
        // Only repetitive kinds fold; each action, alert or exhaustion stays its own row.
        let foldable = matches!(
            line.kind,
            LogKind::Timeout
                | LogKind::LeakDetected
                | LogKind::Unleaked
                | LogKind::Abandoned
                | LogKind::RequestFailed
                | LogKind::Housekeeping
                | LogKind::Database
                | LogKind::Client
        );
        // Into the newest recent row of the same instance (a fleet's instances log side by
        // side: rows of the others in between do not count), if it is of the same kind.
        let mut i = self.rows.len();
        while i > 0 && line.t_us.saturating_duration_since(self.rows[i - 1].t) < FOLD_WINDOW {
            i -= 1;
            if self.rows[i].instance == line.instance {
                break;
            }
        }
        let row = self.rows.get_mut(i).filter(|row| {
            row.instance == line.instance && line.t_us.saturating_duration_since(row.t) < FOLD_WINDOW
        });
        if let Some(row) = row.filter(|row| foldable && row.kind == line.kind) {
            row.count += 1;
            row.last = line.t_us;
            row.message.clone_from(&line.message);
            return;
        }
        if self.rows.len() == MAX_ROWS {
            self.rows.pop_front();
        }
        self.rows.push_back(LogRow {
            t: line.t_us,
            last: line.t_us,
            level: line.level,
            kind: line.kind,
            message: line.message.clone(),
            count: 1,
            instance: line.instance,
        });
    }

    /// The rows, newest last.
    pub fn rows(&self) -> impl DoubleEndedIterator<Item = &LogRow> + '_ {
        self.rows.iter()
    }

    /// Lines the engine dropped before the page read them.
    pub fn missed(&self) -> u64 {
        self.missed
    }

    /// The latest action's line read (a fix, a timeline step) and when it was logged.
    /// Best effort, as every line here: one the engine dropped before the page read it (a
    /// flood at a high speed) is not seen.
    pub fn last_action(&self) -> Option<(SimTime, &str)> {
        self.last_action.as_ref().map(|(t, message)| (*t, message.as_str()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(seq: u64, t_s: u64, kind: LogKind) -> LogEntry {
        LogEntry {
            seq,
            t_us: SimTime::from_secs(t_s),
            level: LogLevel::Warn,
            kind,
            message: format!("line {seq}"),
            instance: None,
        }
    }

    #[test]
    fn a_timeout_flood_folds_into_one_row_per_ten_seconds() {
        let lines: Vec<LogEntry> = (0..1_240).map(|i| line(i, 100 + i / 200, LogKind::Timeout)).collect();
        let mut feed = LogFeed::default();
        feed.update(lines.iter(), 1_240);
        let rows: Vec<&LogRow> = feed.rows().collect();
        assert_eq!(rows.len(), 1, "all within 10 s of the first");
        assert_eq!(rows[0].count, 1_240);
        assert_eq!(rows[0].message, "line 1239", "shows the latest stats");
        // Past the window, a new row starts.
        feed.update(std::iter::once(&line(1_240, 111, LogKind::Timeout)), 1_241);
        assert_eq!(feed.rows().count(), 2);
    }

    #[test]
    fn actions_never_fold_and_kinds_interleave() {
        let lines = [
            line(0, 1, LogKind::Action),
            line(1, 1, LogKind::Action),
            line(2, 2, LogKind::Timeout),
            line(3, 2, LogKind::Alert),
            line(4, 3, LogKind::Timeout),
        ];
        let mut feed = LogFeed::default();
        feed.update(lines.iter(), 5);
        let counts: Vec<u64> = feed.rows().map(|r| r.count).collect();
        assert_eq!(counts, [1, 1, 1, 1, 1]);
    }

    #[test]
    fn callers_giving_up_fold_and_the_breaker_stands_out() {
        let mut lines: Vec<LogEntry> = (0..300).map(|i| line(i, 50, LogKind::Client)).collect();
        lines.push(line(300, 51, LogKind::Breaker));
        lines.push(line(301, 51, LogKind::Breaker));
        let mut feed = LogFeed::default();
        feed.update(lines.iter(), 302);
        let rows: Vec<(LogKind, u64)> = feed.rows().map(|r| (r.kind, r.count)).collect();
        assert_eq!(rows, [(LogKind::Client, 300), (LogKind::Breaker, 1), (LogKind::Breaker, 1)]);
    }

    #[test]
    fn reads_each_line_once_and_counts_what_the_engine_dropped() {
        let lines: Vec<LogEntry> = (0..5).map(|i| line(i, i * 20, LogKind::Action)).collect();
        let mut feed = LogFeed::default();
        feed.update(lines[..2].iter(), 2);
        feed.update(lines[..2].iter(), 2);
        assert_eq!(feed.rows().count(), 2, "no line read twice");
        // The engine dropped line 2 before the page looked again.
        feed.update(lines[3..].iter(), 5);
        assert_eq!(feed.rows().count(), 4);
        assert_eq!(feed.missed(), 1);
    }

    #[test]
    fn a_fleets_instances_fold_apart_and_keep_their_names() {
        let on = |seq: u64, instance: u32| LogEntry {
            instance: Some(instance),
            ..line(seq, 100, LogKind::Timeout)
        };
        // Three instances time out in turn, as a round-robin balancer spreads the storm.
        let lines: Vec<LogEntry> = (0..300).map(|i| on(i, (i % 3) as u32 + 1)).collect();
        let mut feed = LogFeed::default();
        feed.update(lines.iter(), 300);
        let rows: Vec<(Option<u32>, u64)> = feed.rows().map(|r| (r.instance, r.count)).collect();
        assert_eq!(rows, [(Some(1), 100), (Some(2), 100), (Some(3), 100)]);
        assert_eq!(feed.rows().nth(1).map(|r| r.message.as_str()), Some("line 298"), "its own latest line");
        // The run's own lines (an action for the whole fleet) stay rows of their own.
        feed.update(std::iter::once(&line(300, 101, LogKind::Action)), 301);
        feed.update(std::iter::once(&on(301, 2)), 302);
        assert_eq!(feed.rows().count(), 4, "app-2's timeout still folds into its row");
    }

    #[test]
    fn the_last_action_stays_however_many_lines_follow() {
        let mut feed = LogFeed::default();
        feed.update([line(0, 5, LogKind::Timeout), line(1, 6, LogKind::Alert)].iter(), 2);
        assert_eq!(feed.last_action(), None, "only actions");
        feed.update([line(2, 10, LogKind::Action), line(3, 70, LogKind::Action)].iter(), 4);
        assert_eq!(feed.last_action(), Some((SimTime::from_secs(70), "line 3")));
        // Thousands of rows later (the rows keep 200), it is still the last action.
        let storm: Vec<LogEntry> = (4..3_000).map(|i| line(i, 80 + i * 11, LogKind::Timeout)).collect();
        feed.update(storm.iter(), 3_000);
        assert_eq!(feed.last_action(), Some((SimTime::from_secs(70), "line 3")));
        feed.update([line(3_000, 40_000, LogKind::Action)].iter(), 3_001);
        assert_eq!(feed.last_action(), Some((SimTime::from_secs(40_000), "line 3000")));
    }

    #[test]
    fn memory_is_bounded() {
        let lines: Vec<LogEntry> = (0..1_000).map(|i| line(i, i, LogKind::Action)).collect();
        let mut feed = LogFeed::default();
        feed.update(lines.iter(), 1_000);
        assert_eq!(feed.rows().count(), MAX_ROWS);
        assert_eq!(feed.rows().last().map(|r| r.message.as_str()), Some("line 999"));
    }
}
