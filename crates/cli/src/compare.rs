//! `poolsim compare`: run a scenario's what-ifs side by side (same seed) and print the
//! outcome table as JSON, or as Markdown with the lessons under it.
//!
//! Each row's numbers equal `poolsim run` on that row's scenario, which
//! `--show-variant N` prints.

use poolsim_engine::time::ClockTime;
use std::path::PathBuf;

use clap::Args;
use poolsim_content::variants::{self, BestRows, VariantKind, VariantOutcome};
use poolsim_engine::Scenario;
use serde::Serialize;

use crate::commands::load_source;
use crate::error::CliError;
use crate::output::print_line;

/// What `poolsim compare` compares and how it prints.
#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("source").required(true).args(["scenario", "preset"])))]
pub struct CompareArgs {
    /// The base scenario file (JSON): "as it happened".
    scenario: Option<PathBuf>,
    /// Compare a preset's what-ifs instead (see `poolsim presets`).
    #[arg(long, value_name = "NAME")]
    preset: Option<String>,
    /// A what-if as JSON, e.g. '{"kind":"rollback_at","at_s":7200}'; repeat for more rows.
    /// Replaces the suggested set; "as it happened" stays the first row.
    #[arg(long = "variant", value_name = "JSON")]
    variants: Vec<String>,
    /// Print a Markdown table with a lesson per row instead of JSON.
    #[arg(long)]
    md: bool,
    /// Print the scenario built for row N (0 = the first row) as JSON, for `poolsim run`.
    #[arg(long, value_name = "N")]
    show_variant: Option<usize>,
}

/// The JSON `poolsim compare` prints.
#[derive(Debug, Serialize)]
struct Table<'a> {
    /// The base scenario's name.
    base: &'a str,
    /// Wall-clock time at simulated time 0 (`"HH:MM"`).
    clock_start: ClockTime,
    /// One row per what-if, with its lesson.
    rows: Vec<Row<'a>>,
    /// Which rows hold each column's best value.
    best: BestRows,
}

/// One row of the table: the outcome and its lesson.
#[derive(Debug, Serialize)]
struct Row<'a> {
    /// Position, as `--show-variant` takes it.
    row: usize,
    #[serde(flatten)]
    outcome: &'a VariantOutcome,
    /// The row compared with "as it happened", in one sentence.
    lesson: String,
}

/// `poolsim compare`.
pub fn run(args: &CompareArgs) -> Result<(), CliError> {
    let (base, source) = load_source(args.scenario.as_deref(), args.preset.as_deref())?;
    let kinds = what_ifs(&base, &args.variants)?;
    if let Some(n) = args.show_variant {
        let kind = kinds.get(n).ok_or_else(|| {
            CliError::new(format!(
                "--show-variant {n}: there are {} rows, numbered 0 to {}",
                kinds.len(),
                kinds.len() - 1
            ))
        })?;
        let scenario = variants::build(&base, kind)
            .map_err(|e| CliError::scenario(&format!("{source}, row {n}"), &e))?;
        let json = serde_json::to_string_pretty(&scenario)
            .map_err(|e| CliError::new(format!("cannot format the scenario as JSON: {e}")))?;
        return print_line(&json);
    }
    let outcomes = variants::run(&base, &kinds).map_err(|e| CliError::scenario(&source, &e))?;
    if args.md {
        return print_line(variants::markdown(&base.name, base.clock_start, &outcomes).trim_end());
    }
    let first = outcomes.first();
    let rows = outcomes
        .iter()
        .enumerate()
        .map(|(row, outcome)| Row {
            row,
            outcome,
            lesson: first.map(|b| variants::lesson(b, outcome, base.clock_start)).unwrap_or_default(),
        })
        .collect();
    let table =
        Table { base: &base.name, clock_start: base.clock_start, rows, best: variants::best(&outcomes) };
    let json = serde_json::to_string_pretty(&table)
        .map_err(|e| CliError::new(format!("cannot format the table as JSON: {e}")))?;
    print_line(&json)
}

/// The rows: the `--variant` what-ifs after "as it happened", or the suggested set.
pub fn what_ifs(base: &Scenario, given: &[String]) -> Result<Vec<VariantKind>, CliError> {
    if given.is_empty() {
        return Ok(variants::suggested(base));
    }
    let mut kinds = vec![VariantKind::AsItHappened {}];
    for (i, text) in given.iter().enumerate() {
        let kind: VariantKind = serde_json::from_str(text).map_err(|e| {
            CliError::new(format!(
                "--variant #{}: {e} (e.g. '{{\"kind\":\"rollback_at\",\"at_s\":7200}}')",
                i + 1
            ))
        })?;
        if kind != (VariantKind::AsItHappened {}) {
            kinds.push(kind);
        }
    }
    Ok(kinds)
}
