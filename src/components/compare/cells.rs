//! The outcome table's cells in words — the very words of `poolsim compare --md`
//! ([`variants::markdown`]): clock times, counts with thousands separators, shares — and
//! which cells hold their column's best value ([`variants::best`]).

use poolsim_content::variants::{self, BestRows, VariantKind, VariantOutcome};
use poolsim_content::words;
use poolsim_engine::time::ClockTime;

/// A column of the outcome table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Column {
    /// When the pool first ran out.
    Exhaustion,
    /// The first acquire timeout.
    Timeout,
    /// Requests that failed.
    Failed,
    /// Failed requests as a share of all.
    Share,
    /// The first alert: time to detect.
    Detect,
    /// The last failure and the time to recover.
    Recover,
    /// Connections leaked.
    Leaked,
}

impl Column {
    /// Every column, left to right.
    pub const ALL: [Column; 7] = [
        Column::Exhaustion,
        Column::Timeout,
        Column::Failed,
        Column::Share,
        Column::Detect,
        Column::Recover,
        Column::Leaked,
    ];

    /// The heading, as in the Markdown table.
    pub fn heading(self) -> &'static str {
        match self {
            Column::Exhaustion => "Pool ran out",
            Column::Timeout => "First timeout",
            Column::Failed => "Failed requests",
            Column::Share => "Failed share",
            Column::Detect => "Detected",
            Column::Recover => "Recovered",
            Column::Leaked => "Leaked",
        }
    }

    /// The test id part: `compare-cell-<row>-<slug>`.
    pub fn slug(self) -> &'static str {
        match self {
            Column::Exhaustion => "exhaustion",
            Column::Timeout => "timeout",
            Column::Failed => "failed",
            Column::Share => "share",
            Column::Detect => "detect",
            Column::Recover => "recover",
            Column::Leaked => "leaked",
        }
    }

    /// Counts are right-aligned.
    pub fn numeric(self) -> bool {
        matches!(self, Column::Failed | Column::Share | Column::Leaked)
    }

    /// The rows holding this column's best value.
    fn best(self, marks: &BestRows) -> &[usize] {
        match self {
            Column::Exhaustion => &marks.first_exhaustion_s,
            Column::Timeout => &marks.first_timeout_s,
            Column::Failed => &marks.failed,
            Column::Share => &marks.failed_share,
            Column::Detect => &marks.time_to_detect_s,
            Column::Recover => &marks.time_to_recover_s,
            // Fewer leaks is no better for users where the pool was dead (see `BestRows`).
            Column::Leaked => &[],
        }
    }
}

/// One cell: its words and whether it is its column's best.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cell {
    /// The words shown.
    pub text: String,
    /// The best value of its column.
    pub best: bool,
}

/// One row of the table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    /// The variant's label.
    pub label: String,
    /// The cells, in [`Column::ALL`] order.
    pub cells: Vec<Cell>,
    /// When the run ends (clock time).
    pub ends: String,
    /// The lesson: this row compared with the baseline, in one sentence.
    pub lesson: String,
}

/// The table of `outcomes` for a run starting at `clock_start`, with each
/// row's lesson against the first as-it-happened row (or the first row), as the
/// Markdown table and `poolsim compare` give them.
pub fn rows(outcomes: &[VariantOutcome], clock_start: ClockTime) -> Vec<Row> {
    let longest = outcomes.iter().map(|o| o.duration_s).max().unwrap_or(0);
    let c = words::Clock::new(clock_start, longest);
    let marks = variants::best(outcomes);
    let base =
        outcomes.iter().find(|o| matches!(o.kind, VariantKind::AsItHappened {})).or_else(|| outcomes.first());
    outcomes
        .iter()
        .enumerate()
        .map(|(i, o)| Row {
            label: o.label.clone(),
            cells: Column::ALL
                .iter()
                .map(|col| Cell { text: text(*col, o, &c), best: col.best(&marks).contains(&i) })
                .collect(),
            ends: c.at(o.duration_s as f64),
            lesson: base.map(|b| variants::lesson(b, o, clock_start)).unwrap_or_default(),
        })
        .collect()
}

/// The words of `column` for `o`.
fn text(column: Column, o: &VariantOutcome, c: &words::Clock) -> String {
    let clock = |t: Option<f64>| t.map_or_else(|| "never".to_owned(), |t| c.at(t));
    match column {
        Column::Exhaustion => clock(o.first_exhaustion_s),
        Column::Timeout => clock(o.first_timeout_s),
        Column::Failed => words::count(o.counts.failed),
        Column::Share => words::percent(o.counts.failed_share),
        Column::Detect => match (&o.first_alert, o.time_to_detect_s) {
            (Some(name), Some(t)) => format!("{} ({name})", c.at(t)),
            _ => "no alert".to_owned(),
        },
        Column::Recover => match (o.recovered_s, o.time_to_recover_s) {
            _ if o.still_failing_at_end => "never".to_owned(),
            (Some(last), Some(_)) => {
                format!("{} ({})", c.at(last), c.between(o.outage_from_s().unwrap_or(last), last))
            }
            _ => "no outage".to_owned(),
        },
        Column::Leaked => words::count(o.counts.leaked),
    }
}

#[cfg(test)]
mod tests {
    use poolsim_content::presets;

    use super::*;

    #[test]
    fn every_cell_reads_as_in_poolsim_compare_md_with_the_same_best_values() {
        let base = presets::load(presets::SEED_INCIDENT).expect("the seed preset");
        let outcomes = variants::run(&base, &variants::june_15_what_ifs()).expect("the what-ifs run");
        let md = variants::markdown(&base.name, base.clock_start, &outcomes);
        let lessons: Vec<String> = md.lines().map(str::to_owned).collect();
        // The Markdown rows: `| i | label | exhaustion | timeout | failed | share | detect | recover | leaked | ends |`.
        let md_rows: Vec<Vec<String>> = md
            .lines()
            .filter(|l| l.starts_with("| ") && l[2..].starts_with(|c: char| c.is_ascii_digit()))
            .map(|l| l.trim_matches('|').split(" | ").map(|c| c.trim().to_owned()).collect())
            .collect();
        let table = rows(&outcomes, base.clock_start);
        assert_eq!(table.len(), md_rows.len());
        for (row, md) in table.iter().zip(&md_rows) {
            assert_eq!(row.label, md[1]);
            for (cell, md) in row.cells.iter().zip(&md[2..9]) {
                let (bold, text) = match md.strip_prefix("**").and_then(|t| t.strip_suffix("**")) {
                    Some(text) => (true, text),
                    None => (false, md.as_str()),
                };
                assert_eq!((cell.text.as_str(), cell.best), (text, bold), "{}", row.label);
            }
            assert_eq!(row.ends, md[9]);
            assert!(lessons.contains(&format!("- {}", row.lesson)), "the CLI's lesson: {}", row.lesson);
        }
        // What a reader of the June 15 table sees first.
        let reclaim = &table[5];
        assert_eq!(reclaim.label, "Abandoned reclaim (60 s)");
        assert_eq!(reclaim.cells[2], Cell { text: "0".into(), best: true }, "no request fails");
        assert_eq!(table[0].cells[0].text, "13:53");
        assert_eq!(table[2].cells[0].text, "15:25", "a pool of 200 only moves exhaustion");
    }
}
