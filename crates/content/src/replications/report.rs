//! The statistics of a [`Batch`] as JSON, a plain-text table or Markdown tables: each
//! variant's figures over its runs, then each what-if against "as it happened" over
//! paired runs.

use std::fmt::Write as _;

use poolsim_engine::replicate::{CONFIDENCE, Comparison, Difference, Interval, Metric, Report, Share, Stats};
use serde::Serialize;

use super::Batch;
use crate::export::escape_markdown;
use crate::words::replicate::metric_label as label;
use crate::words::{count, percent, short_number};

/// What a batch's JSON starts with, `poolsim replicate`'s and `poolsim sweep`'s alike.
#[derive(Debug, Serialize)]
pub struct BatchJson<'a> {
    /// The scenario's name.
    pub scenario: &'a str,
    /// The seed every run's seed derives from (run 0's own).
    pub seed: u64,
    /// Runs of each variant (or cell).
    pub runs: usize,
    /// The confidence level of every interval.
    pub confidence: f64,
}

impl<'a> BatchJson<'a> {
    /// `runs` runs (of each variant or cell) of `scenario` from `seed`, at [`CONFIDENCE`].
    pub fn new(scenario: &'a str, seed: u64, runs: usize) -> Self {
        BatchJson { scenario, seed, runs, confidence: CONFIDENCE }
    }
}

/// The JSON `poolsim replicate --format json` prints.
#[derive(Debug, Serialize)]
struct Json<'a> {
    #[serde(flatten)]
    batch: BatchJson<'a>,
    /// Each variant's statistics, "as it happened" first.
    variants: Vec<VariantJson<'a>>,
    /// Each what-if against "as it happened", run by run.
    differences: Vec<DifferenceJson<'a>>,
}

/// A variant's statistics.
#[derive(Debug, Serialize)]
struct VariantJson<'a> {
    variant: &'a str,
    #[serde(flatten)]
    report: Report,
}

/// A what-if against the base, run by run.
#[derive(Debug, Serialize)]
struct DifferenceJson<'a> {
    variant: &'a str,
    against: &'a str,
    #[serde(flatten)]
    comparison: Comparison,
}

/// Each variant's report and each what-if's comparison with the first variant.
fn reports(batch: &Batch) -> (Vec<VariantJson<'_>>, Vec<DifferenceJson<'_>>) {
    let reports =
        batch.variants.iter().map(|v| VariantJson { variant: &v.label, report: v.runs.report() }).collect();
    let comparisons = match batch.variants.split_first() {
        Some((base, rest)) => rest
            .iter()
            .map(|v| DifferenceJson {
                variant: &v.label,
                against: &base.label,
                comparison: v.runs.compare(&base.runs),
            })
            .collect(),
        None => Vec::new(),
    };
    (reports, comparisons)
}

/// The statistics as pretty JSON.
pub fn json(batch: &Batch) -> Result<String, serde_json::Error> {
    let (reports, comparisons) = reports(batch);
    let doc = Json {
        batch: BatchJson::new(&batch.scenario, batch.seed, batch.runs()),
        variants: reports,
        differences: comparisons,
    };
    serde_json::to_string_pretty(&doc)
}

/// A value, or a dash when there is none.
fn number(x: Option<f64>) -> String {
    x.map_or_else(|| "–".to_owned(), short_number)
}

/// A difference with its sign.
fn signed(x: Option<f64>) -> String {
    match x {
        Some(x) if x > 0.0 => format!("+{}", short_number(x)),
        other => number(other),
    }
}

fn interval(ci: Option<Interval>, show: fn(Option<f64>) -> String) -> String {
    ci.map_or_else(|| "–".to_owned(), |ci| format!("{} to {}", show(Some(ci.low)), show(Some(ci.high))))
}

/// "the pool ran out in 93 of 100 runs (93 %; 95 % CI 86 % to 97 %)".
fn ran_out(share: &Share) -> String {
    let ci = share
        .ci95
        .map(|ci| format!("; 95 % CI {} to {}", percent(ci.low), percent(ci.high)))
        .unwrap_or_default();
    format!(
        "the pool ran out in {} of {} runs ({}{ci})",
        count(u64::from(share.count)),
        count(u64::from(share.of)),
        percent(share.share.unwrap_or(0.0))
    )
}

const STATS_HEADER: [&str; 7] = ["outcome", "runs", "mean", "95 % CI of the mean", "median", "p5", "p95"];
const DIFFERENCE_HEADER: [&str; 5] = ["outcome", "pairs", "mean difference", "95 % CI", "significant"];

fn stats_row(metric_label: &str, s: &Stats) -> Vec<String> {
    vec![
        metric_label.to_owned(),
        s.n.to_string(),
        number(s.mean),
        interval(s.ci95, number),
        number(s.median),
        number(s.p5),
        number(s.p95),
    ]
}

fn difference_row(metric_label: &str, d: &Difference) -> Vec<String> {
    let significant = if d.ci95.is_none() {
        "–"
    } else if d.significant {
        "yes"
    } else {
        "no"
    };
    vec![
        metric_label.to_owned(),
        d.pairs.to_string(),
        signed(d.mean),
        interval(d.ci95, signed),
        significant.to_owned(),
    ]
}

fn stats_rows(report: &Report) -> Vec<Vec<String>> {
    Metric::ALL.iter().map(|&m| stats_row(label(m), report.stats(m))).collect()
}

fn difference_rows(comparison: &Comparison) -> Vec<Vec<String>> {
    let mut rows = vec![difference_row("ran out (0 or 1)", &comparison.ran_out)];
    rows.extend(Metric::ALL.iter().map(|&m| difference_row(label(m), comparison.difference(m))));
    rows
}

/// The first line: what was run.
fn title(batch: &Batch) -> String {
    let runs = batch.runs();
    format!(
        "{}: {} run{} from seed {} (run 0 is the scenario's own seed)",
        batch.scenario,
        count(runs as u64),
        if runs == 1 { "" } else { "s" },
        batch.seed
    )
}

/// The statistics as plain-text tables, columns aligned.
pub fn table(batch: &Batch) -> String {
    let (reports, comparisons) = reports(batch);
    let mut out = format!("{}\n", title(batch));
    for VariantJson { variant, report } in &reports {
        let _ = write!(out, "\n{variant}: {}\n", ran_out(&report.ran_out));
        out.push_str(&aligned(&STATS_HEADER, &stats_rows(report)));
    }
    for DifferenceJson { variant, against, comparison } in &comparisons {
        let _ = write!(
            out,
            "\n{variant} − {against}, run by run ({} pairs, the same seeds):\n",
            comparison.pairs
        );
        out.push_str(&aligned(&DIFFERENCE_HEADER, &difference_rows(comparison)));
    }
    out
}

/// Rows under a header, each column as wide as its widest cell; text left, numbers right.
pub fn aligned(header: &[&str], rows: &[Vec<String>]) -> String {
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    let mut line = |cells: &mut dyn Iterator<Item = &str>| {
        let mut text = String::new();
        for (i, (cell, &w)) in cells.zip(widths.iter()).enumerate() {
            let pad = " ".repeat(w - cell.chars().count());
            if i == 0 {
                let _ = write!(text, "{cell}{pad}");
            } else {
                let _ = write!(text, "  {pad}{cell}");
            }
        }
        out.push_str(text.trim_end());
        out.push('\n');
    };
    line(&mut header.iter().copied());
    for row in rows {
        line(&mut row.iter().map(String::as_str));
    }
    out
}

/// The statistics as Markdown: a heading and a table per variant, then per what-if.
pub fn markdown(batch: &Batch) -> String {
    let (reports, comparisons) = reports(batch);
    let mut out = format!("## {}\n", escape_markdown(&title(batch)));
    for VariantJson { variant, report } in &reports {
        let _ = write!(
            out,
            "\n### {}\n\n{}.\n\n",
            escape_markdown(variant),
            capitalised(&ran_out(&report.ran_out))
        );
        out.push_str(&markdown_table(&STATS_HEADER, &stats_rows(report)));
    }
    for DifferenceJson { variant, against, comparison } in &comparisons {
        let _ = write!(
            out,
            "\n### {} − {}\n\nRun by run: {} pairs with the same seeds.\n\n",
            escape_markdown(variant),
            escape_markdown(against),
            comparison.pairs
        );
        out.push_str(&markdown_table(&DIFFERENCE_HEADER, &difference_rows(comparison)));
    }
    out
}

/// `text` with its first letter in capitals. Every text here begins with an ASCII letter
/// (poolsim's own words): ASCII alone keeps Unicode's case tables (12 KB gzip) out of the pages.
pub fn capitalised(text: &str) -> String {
    let mut text = text.to_owned();
    if let Some(first) = text.get_mut(..1) {
        first.make_ascii_uppercase();
    }
    text
}

/// `rows` under `header` as a Markdown table: the first column is words; the others are
/// numbers, aligned right.
pub fn markdown_table(header: &[&str], rows: &[Vec<String>]) -> String {
    let mut out = format!("| {} |\n|---|", header.join(" | "));
    out.push_str(&"---:|".repeat(header.len().saturating_sub(1)));
    out.push('\n');
    for row in rows {
        let _ = writeln!(out, "| {} |", row.join(" | "));
    }
    out
}
