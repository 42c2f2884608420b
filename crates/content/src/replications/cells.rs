//! The compare page's "How sure?" table in words: per what-if, each outcome's mean with
//! its 95 % interval and the range of 90 % of runs, and each fix against "as it happened"
//! run by run. A column's best is marked only where it is better than the runner-up by
//! more than chance (the paired difference's interval excludes 0): with 20 runs two
//! fixes that differ by a hair are not told apart.

use poolsim_engine::replicate::{Difference, Interval, Metric, Report, Stats};
use poolsim_engine::time::ClockTime;

use super::Batch;
use crate::words::{count, duration_text, millis, percent};

/// The table's columns.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SureColumn {
    /// In how many runs the pool ran out.
    RanOut,
    /// When it first ran out (over the runs where it did).
    FirstExhaustion,
    /// The share of requests that failed.
    Failed,
    /// The 99th percentile wait for a connection.
    P99Wait,
    /// From the first failure to the last.
    TimeToRecover,
}

impl SureColumn {
    /// Every column, in order.
    pub const ALL: [SureColumn; 5] =
        [Self::RanOut, Self::FirstExhaustion, Self::Failed, Self::P99Wait, Self::TimeToRecover];

    /// The column's heading.
    pub fn heading(self) -> &'static str {
        match self {
            Self::RanOut => "Pool ran out",
            Self::FirstExhaustion => "First ran out",
            Self::Failed => "Failed",
            Self::P99Wait => "p99 wait",
            Self::TimeToRecover => "Time to recover",
        }
    }

    /// Its name in test ids.
    pub fn slug(self) -> &'static str {
        match self {
            Self::RanOut => "ran-out",
            Self::FirstExhaustion => "first-exhaustion",
            Self::Failed => "failed",
            Self::P99Wait => "p99-wait",
            Self::TimeToRecover => "recover",
        }
    }

    /// The figure a best mark compares (lower is better for users), if the column has one.
    /// When the pool first ran out is not ranked: a later mean over fewer runs is no better.
    fn ranked(self) -> Option<Metric> {
        match self {
            Self::Failed => Some(Metric::FailedShare),
            Self::P99Wait => Some(Metric::P99WaitMs),
            Self::TimeToRecover => Some(Metric::TimeToRecoverS),
            Self::RanOut | Self::FirstExhaustion => None,
        }
    }
}

/// One cell: the figure, what qualifies it, and whether it is the column's best.
#[derive(Clone, Debug, PartialEq)]
pub struct SureCell {
    /// The mean (or the share of runs).
    pub text: String,
    /// Its 95 % interval and the range of 90 % of runs, in words.
    pub detail: String,
    /// Better than every other row's by more than chance.
    pub best: bool,
}

/// One what-if's row.
#[derive(Clone, Debug, PartialEq)]
pub struct SureRow {
    /// The what-if in words.
    pub label: String,
    /// One cell per [`SureColumn::ALL`].
    pub cells: Vec<SureCell>,
    /// Against the first row, run by run (`None` for the first row itself).
    pub against_base: Option<String>,
}

/// The rows of `batch`, whose runs start at `clock_start`.
pub fn rows(batch: &Batch, clock_start: ClockTime) -> Vec<SureRow> {
    let reports: Vec<Report> = batch.variants.iter().map(|v| v.runs.report()).collect();
    let clock = |s: f64| clock_start.after(s).format(false);
    let mut rows: Vec<SureRow> = batch
        .variants
        .iter()
        .zip(&reports)
        .map(|(variant, report)| SureRow {
            label: variant.label.clone(),
            cells: SureColumn::ALL.iter().map(|&c| cell(c, report, &clock)).collect(),
            against_base: None,
        })
        .collect();
    for column in SureColumn::ALL.iter().enumerate() {
        let (col, &c) = column;
        let Some(metric) = c.ranked() else { continue };
        if let Some(best) = best_row(batch, &reports, metric) {
            rows[best].cells[col].best = true;
        }
    }
    if let Some((base, rest)) = batch.variants.split_first() {
        for (row, variant) in rows.iter_mut().skip(1).zip(rest) {
            let comparison = variant.runs.compare(&base.runs);
            row.against_base =
                Some(against(&base.label, comparison.pairs, comparison.difference(Metric::FailedShare)));
        }
    }
    rows
}

fn cell(column: SureColumn, report: &Report, clock: &dyn Fn(f64) -> String) -> SureCell {
    let runs = report.runs;
    let plain = |text: String, detail: String| SureCell { text, detail, best: false };
    match column {
        SureColumn::RanOut => {
            let share = &report.ran_out;
            let detail = share
                .ci95
                .map(|ci| format!("95 % CI {} to {}", percent(ci.low), percent(ci.high)))
                .unwrap_or_default();
            plain(format!("{} of {}", count(u64::from(share.count)), count(u64::from(runs))), detail)
        }
        SureColumn::FirstExhaustion => stats_cell(report.stats(Metric::FirstExhaustionS), runs, clock),
        SureColumn::Failed => stats_cell(report.stats(Metric::FailedShare), runs, &|x| percent(x)),
        SureColumn::P99Wait => stats_cell(report.stats(Metric::P99WaitMs), runs, &|x| millis(x)),
        SureColumn::TimeToRecover => {
            stats_cell(report.stats(Metric::TimeToRecoverS), runs, &|x| duration_text(x))
        }
    }
}

/// "13:54" over "95 % CI 13:50 to 13:58 · 90 % of runs 13:41 to 14:17 (93 runs)".
fn stats_cell(s: &Stats, runs: u32, show: &dyn Fn(f64) -> String) -> SureCell {
    let Some(mean) = s.mean else {
        return SureCell { text: "never".into(), detail: String::new(), best: false };
    };
    let range = |i: Option<Interval>| i.map(|i| format!("{} to {}", show(i.low), show(i.high)));
    let mut detail: Vec<String> = Vec::new();
    if let Some(ci) = range(s.ci95) {
        detail.push(format!("95 % CI {ci}"));
    }
    if let (Some(p5), Some(p95)) = (s.p5, s.p95) {
        detail.push(format!(
            "90 % of runs {}",
            range(Some(Interval { low: p5, high: p95 })).unwrap_or_default()
        ));
    }
    if s.n < runs {
        detail.push(format!("in {} of {} runs", count(u64::from(s.n)), count(u64::from(runs))));
    }
    SureCell { text: show(mean), detail: detail.join(" · "), best: false }
}

/// The row whose mean of `metric` is lowest, if it beats the runner-up by more than
/// chance, run by run.
fn best_row(batch: &Batch, reports: &[Report], metric: Metric) -> Option<usize> {
    let mut means: Vec<(usize, f64)> =
        reports.iter().enumerate().filter_map(|(i, r)| Some((i, r.stats(metric).mean?))).collect();
    if means.len() < 2 {
        return None;
    }
    means.sort_by(|a, b| a.1.total_cmp(&b.1));
    let (best, runner_up) = (means[0].0, means[1].0);
    let d = batch.variants[best].runs.compare(&batch.variants[runner_up].runs);
    let d = d.difference(metric);
    (d.significant && d.mean.is_some_and(|m| m < 0.0)).then_some(best)
}

/// "Against as it happened, run by run: 21 points fewer failed (95 % CI 19 to 23)" or
/// "… no difference beyond chance".
fn against(base: &str, pairs: u32, d: &Difference) -> String {
    let points = |x: f64| format!("{:.1}", (x * 100.0).abs());
    let head = format!("Against “{base}”, {} paired runs:", count(u64::from(pairs)));
    match (d.mean, d.ci95) {
        (Some(mean), Some(ci)) if mean == 0.0 && ci.low == 0.0 && ci.high == 0.0 => {
            format!("{head} the same share of requests failed in every pair.")
        }
        (Some(mean), Some(ci)) if d.significant => {
            let (low, high) = if mean < 0.0 { (-ci.high, -ci.low) } else { (ci.low, ci.high) };
            format!(
                "{head} {} points {} requests failed (95 % CI {} to {}).",
                points(mean),
                if mean < 0.0 { "fewer" } else { "more" },
                points(low),
                points(high)
            )
        }
        (Some(_), Some(ci)) => format!(
            "{head} no difference in failed requests beyond chance (95 % CI {} to {} points).",
            signed_points(ci.low),
            signed_points(ci.high)
        ),
        _ => format!("{head} too few runs to tell."),
    }
}

fn signed_points(x: f64) -> String {
    let p = x * 100.0;
    if p > 0.0 { format!("+{p:.1}") } else { format!("{p:.1}") }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::variants::VariantKind;
    use poolsim_engine::Scenario;

    fn batch(runs: u32) -> Batch {
        let base = crate::presets::load("go-database-sql").expect("a preset");
        let kinds = vec![VariantKind::AsItHappened {}, VariantKind::NoFix {}];
        let labels = kinds.iter().map(|k| k.label(base.clock_start));
        let mut b = Batch::new(&base, labels);
        for i in 0..runs {
            let outcomes = super::super::replication(&base, &kinds, i).expect("runs");
            b.push(i, &outcomes).expect("new run");
        }
        b
    }

    #[test]
    fn a_cell_shows_the_mean_its_interval_and_the_range_of_runs() {
        let b = batch(12);
        let rows = rows(&b, Scenario::default().clock_start);
        assert_eq!(rows.len(), 2);
        let ran_out = &rows[0].cells[0];
        assert!(ran_out.text.ends_with("of 12"), "{ran_out:?}");
        let failed = &rows[0].cells[2];
        assert!(failed.text.ends_with('%'), "{failed:?}");
        assert!(failed.detail.contains("95 % CI") && failed.detail.contains("90 % of runs"), "{failed:?}");
        assert!(rows[0].against_base.is_none());
        assert!(rows[1].against_base.as_deref().is_some_and(|t| t.contains("12 paired runs")));
    }

    #[test]
    fn a_best_is_marked_only_beyond_chance() {
        let b = batch(12);
        let rows = rows(&b, Scenario::default().clock_start);
        // The same row twice can never be told apart.
        let mut twice = b.clone();
        twice.variants[1] = twice.variants[0].clone();
        twice.variants[1].label = "again".into();
        let same = super::rows(&twice, Scenario::default().clock_start);
        assert!(same.iter().all(|r| r.cells.iter().all(|c| !c.best)));
        assert!(same[1].against_base.as_deref().is_some_and(|t| t.ends_with("failed in every pair.")));
        // A leak left to run (no fix) fails more than the incident, which ends in a
        // rollback and a restart: "as it happened" is marked best for failed requests.
        let failed = |r: &SureRow| r.cells[2].best;
        assert!(failed(&rows[0]) && !failed(&rows[1]), "{rows:#?}");
    }
}
