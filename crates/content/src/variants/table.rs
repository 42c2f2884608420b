//! The comparison as a Markdown table with the lessons under it, for a postmortem, an
//! issue or `poolsim compare --md`. The best value of each column is in bold. With a
//! database behind the pool, three more columns say where a request's time went; when the
//! rows model their callers, two more say how many requests were answered in time and how
//! much of the pool's work was wasted on callers who had given up.

use poolsim_engine::time::ClockTime;
use std::fmt::Write as _;

use super::lesson::lesson;
use super::outcome::{BestRows, VariantOutcome, best};
use crate::words::{Clock, count, millis, percent};

/// `outcomes` as a Markdown table titled `title`, times as clock times of a run
/// starting at `clock_start`, then one lesson per row compared with the first
/// as-it-happened row (or the first row). Rows are numbered from 0, as
/// `poolsim compare --show-variant N` numbers them.
pub fn markdown(title: &str, clock_start: ClockTime, outcomes: &[VariantOutcome]) -> String {
    let longest = outcomes.iter().map(|o| o.duration_s).max().unwrap_or(0);
    let c = Clock::new(clock_start, longest);
    let marks = best(outcomes);
    let with_database = outcomes.iter().any(|o| o.database.is_some());
    let with_callers = outcomes.iter().any(|o| o.callers.is_some());
    let mut out = String::new();
    // Writing into a String cannot fail.
    let _ = writeln!(out, "## What if? {}\n", cell(title));
    out.push_str(
        "| # | Variant | Pool ran out | First timeout | Failed requests | Failed share | Detected | Recovered | Leaked | Run ends |",
    );
    out.push_str(if with_database { " Mean wait | Mean query | Mean response |" } else { "" });
    out.push_str(if with_callers { " Answered in time | Wasted work |\n" } else { "\n" });
    out.push_str("|---:|---|---|---|---:|---:|---|---|---:|---|");
    out.push_str(if with_database { "---:|---:|---:|" } else { "" });
    out.push_str(if with_callers { "---:|---:|\n" } else { "\n" });
    for (i, o) in outcomes.iter().enumerate() {
        let bold =
            |column: &[usize], text: String| if column.contains(&i) { format!("**{text}**") } else { text };
        let BestRows {
            first_exhaustion_s,
            first_timeout_s,
            failed,
            failed_share,
            time_to_detect_s,
            time_to_recover_s,
            mean_response_ms,
            goodput_share,
        } = &marks;
        let detected = match (&o.first_alert, o.time_to_detect_s) {
            (Some(name), Some(t)) => format!("{} ({})", c.at(t), cell(name)),
            _ => "no alert".to_owned(),
        };
        let recovered = match (o.recovered_s, o.time_to_recover_s) {
            _ if o.still_failing_at_end => "never".to_owned(),
            (Some(last), Some(_)) => {
                format!("{} ({})", c.at(last), c.between(o.outage_from_s().unwrap_or(last), last))
            }
            _ => "no outage".to_owned(),
        };
        let _ = write!(
            out,
            "| {i} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            cell(&o.label),
            bold(first_exhaustion_s, o.first_exhaustion_s.map_or("never".to_owned(), |t| c.at(t))),
            bold(first_timeout_s, o.first_timeout_s.map_or("never".to_owned(), |t| c.at(t))),
            bold(failed, count(o.counts.failed)),
            bold(failed_share, percent(o.counts.failed_share)),
            bold(time_to_detect_s, detected),
            bold(time_to_recover_s, recovered),
            count(o.counts.leaked),
            c.at(o.duration_s as f64),
        );
        if with_database {
            let _ = match &o.database {
                Some(d) => write!(
                    out,
                    " {} | {} | {} |",
                    millis(d.mean_wait_ms),
                    millis(d.database.mean_query_ms),
                    bold(mean_response_ms, millis(d.mean_response_ms))
                ),
                None => write!(out, " — | — | — |"),
            };
        }
        if with_callers {
            let _ = match &o.callers {
                Some(c) => write!(
                    out,
                    " {} | {} |",
                    bold(goodput_share, format!("{} ({})", count(c.goodput), percent(c.goodput_share))),
                    count(c.served_late)
                ),
                None => write!(out, " — | — |"),
            };
        }
        out.push('\n');
    }
    out.push_str("\nBest value of each column in **bold**. Same seed in every row: the same requests arrive and the same ones leak.\n");
    let base = outcomes
        .iter()
        .find(|o| matches!(o.kind, super::VariantKind::AsItHappened {}))
        .or_else(|| outcomes.first());
    if let Some(base) = base {
        out.push('\n');
        for o in outcomes {
            let _ = writeln!(out, "- {}", lesson(base, o, clock_start));
        }
    }
    out
}

/// Text safe inside a table cell: no pipe or line break breaks the row.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace(['\n', '\r'], " ")
}
