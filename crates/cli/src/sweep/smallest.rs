//! `poolsim smallest-pool`: the smallest `pool.max_size` that does not run out until a
//! time (or in the whole run) in at least 95 % of runs, found by
//! [`smallest_pool`](poolsim_engine::replicate::sweep::smallest_pool)'s search, each
//! size tried over the same runs on every core, and said in words.
//!
//! A run is stopped at `--until`: whether it ran out by then is all the search asks.

use clap::{Args, ValueEnum};
use poolsim_content::export::escape_markdown;
use poolsim_content::words::replicate::{smallest_pool_answer, survival_span};
use poolsim_content::words::{Clock, count, percent};
use poolsim_engine::replicate::sweep::{Knob, PoolSearch, Probe, Survival, smallest_pool};
use poolsim_engine::replicate::{self, Outcome, Replications, Share};
use poolsim_engine::scenario::{Scenario, ScenarioError};
use rayon::prelude::*;
use serde::Serialize;

use super::{parse_survival, parse_until};
use crate::error::CliError;
use crate::output::print_line;
use crate::progress;
use crate::replicate::report::{aligned, markdown_table};
use crate::replicate::runs_csv::write_rows;
use crate::replicate::{RunsArgs, parse_threads, thread_pool};

/// What `poolsim smallest-pool` searches and how it prints.
#[derive(Debug, Args)]
pub struct SmallestPoolArgs {
    #[command(flatten)]
    batch: RunsArgs,
    /// The pool must not run out until this clock time of the run (HH:MM); without it, in
    /// the whole run.
    #[arg(long, value_name = "HH:MM")]
    until: Option<String>,
    /// ... in at least this share of the runs: 95% (the default) or 0.95.
    #[arg(long, value_name = "SHARE")]
    survival: Option<String>,
    /// What to print: the answer and every size tried as a table, JSON, Markdown or CSV.
    #[arg(long, value_enum, default_value_t = SearchFormat::Table)]
    format: SearchFormat,
    /// Worker threads (default: one per core). The results never depend on it.
    #[arg(long, value_name = "T")]
    threads: Option<String>,
}

/// How the search is printed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum SearchFormat {
    /// The answer in words, then every size tried, as plain text.
    Table,
    /// The answer and every size tried as JSON.
    Json,
    /// One CSV row per size tried.
    Csv,
    /// The answer and every size tried in Markdown.
    Md,
}

/// A search and what it was of: what every format prints.
struct Found {
    scenario: String,
    seed: u64,
    runs: u32,
    own_max_size: u32,
    clock: Clock,
    search: PoolSearch,
}

/// `poolsim smallest-pool`.
pub fn run(args: &SmallestPoolArgs) -> Result<(), CliError> {
    let threads = args.threads.as_deref().map(parse_threads).transpose()?;
    let (runs, base, source) = args.batch.load()?;
    let survival = Survival {
        until_s: args
            .until
            .as_deref()
            .map(|t| parse_until(t, base.clock_start, base.duration_s))
            .transpose()?,
        share: args.survival.as_deref().map(parse_survival).transpose()?.unwrap_or(Survival::DEFAULT_SHARE),
    };
    let clock = Clock::new(base.clock_start, base.duration_s);
    if let Some((at_s, kind)) = Knob::MaxSize.first_change(&base)
        && survival.until_s.is_none_or(|until| at_s < until)
    {
        eprintln!(
            "note: the timeline's {} at {} changes pool.max_size: each size tried is the pool the run starts with",
            kind.name(),
            clock.at(at_s)
        );
    }
    let pool = thread_pool(threads)?;
    let indices: Vec<u32> = (0..runs).collect();
    let search = smallest_pool(base.pool.max_size, &survival, |max_size| {
        let scenario = Knob::MaxSize.with(&base, f64::from(max_size));
        scenario
            .validate()
            .map_err(|e| CliError::new(format!("{source}: a pool of {max_size} is refused: {e}")))?;
        let runs = pool.install(|| survivors(&scenario, &indices, &survival, max_size));
        runs.map_err(|e| CliError::new(format!("{source}, a pool of {max_size}: {e}")))
    })?;
    let found = Found {
        scenario: base.name.clone(),
        seed: base.seed,
        runs,
        own_max_size: base.pool.max_size,
        clock,
        search,
    };
    let text = match args.format {
        SearchFormat::Table => table(&found),
        SearchFormat::Json => json(&found)?,
        SearchFormat::Csv => csv(&found)?,
        SearchFormat::Md => markdown(&found),
    };
    print_line(text.trim_end())
}

/// Runs `indices` of `scenario` until the survival time, in parallel (indexed: the order
/// they end in changes nothing), and counts those that survived.
fn survivors(
    scenario: &Scenario,
    indices: &[u32],
    survival: &Survival,
    max_size: u32,
) -> Result<Share, ScenarioError> {
    let bar =
        progress::bar(indices.len() as u64, "runs").map(|b| b.with_prefix(format!("pool of {max_size}: ")));
    let outcomes: Vec<Result<Outcome, ScenarioError>> = indices
        .par_iter()
        .map(|&i| {
            let outcome = replicate::run_until(scenario, i, survival.until_s);
            if let Some(bar) = &bar {
                bar.inc(1);
            }
            outcome
        })
        .collect();
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    let mut runs = Replications::new();
    for (&i, outcome) in indices.iter().zip(outcomes) {
        // Each index once: never refused.
        let _ = runs.push(i, outcome?);
    }
    Ok(survival.count(&runs))
}

/// The first line: what was searched.
fn title(found: &Found) -> String {
    format!(
        "{}: the smallest pool that survives {} (does not run out) in at least {} of {} runs (seed {})",
        found.scenario,
        survival_span(&found.search.survival, &found.clock),
        percent(found.search.survival.share),
        count(u64::from(found.runs)),
        found.seed
    )
}

/// Every size tried, smallest first.
fn sorted(found: &Found) -> Vec<&Probe> {
    let mut probes: Vec<&Probe> = found.search.probes.iter().collect();
    probes.sort_by_key(|p| p.max_size);
    probes
}

const HEADER: [&str; 5] = ["pool.max_size", "runs survived", "share", "95 % CI", ""];

fn rows(found: &Found) -> Vec<Vec<String>> {
    sorted(found)
        .into_iter()
        .map(|p| {
            let s = p.survived;
            let ci = s
                .ci95
                .map_or_else(|| "–".to_owned(), |ci| format!("{} to {}", percent(ci.low), percent(ci.high)));
            let mut notes = Vec::new();
            if Some(p.max_size) == found.search.answer {
                notes.push("the smallest that survives");
            }
            if p.max_size == found.own_max_size {
                notes.push("the scenario's own");
            }
            vec![
                count(u64::from(p.max_size)),
                count(u64::from(s.count)),
                percent(s.share.unwrap_or(0.0)),
                ci,
                notes.join("; "),
            ]
        })
        .collect()
}

fn table(found: &Found) -> String {
    format!(
        "{}\n\n{}\n\n{}",
        title(found),
        smallest_pool_answer(&found.search, &found.clock),
        aligned(&HEADER, &rows(found))
    )
}

fn markdown(found: &Found) -> String {
    let rows: Vec<Vec<String>> =
        rows(found).into_iter().map(|row| row.iter().map(|c| escape_markdown(c)).collect()).collect();
    format!(
        "## {}\n\n{}\n\n{}",
        escape_markdown(&title(found)),
        escape_markdown(&smallest_pool_answer(&found.search, &found.clock)),
        markdown_table(&HEADER, &rows)
    )
}

/// The JSON `poolsim smallest-pool --format json` prints.
#[derive(Serialize)]
struct Json<'a> {
    scenario: &'a str,
    seed: u64,
    /// Runs of each size tried.
    runs: u32,
    /// The pool must not run out until then [s from the start, and as a clock time].
    until_s: Option<f64>,
    until: Option<String>,
    /// In at least this share of the runs.
    share: f64,
    /// The scenario's own pool.
    scenario_max_size: u32,
    /// The smallest size that survives; null when none up to the largest accepted does.
    answer: Option<u32>,
    /// The answer in words.
    answer_words: String,
    /// Every size tried, in the order tried.
    probes: &'a [Probe],
}

fn json(found: &Found) -> Result<String, CliError> {
    let survival = &found.search.survival;
    let doc = Json {
        scenario: &found.scenario,
        seed: found.seed,
        runs: found.runs,
        until_s: survival.until_s,
        until: survival.until_s.map(|t| found.clock.at(t)),
        share: survival.share,
        scenario_max_size: found.own_max_size,
        answer: found.search.answer,
        answer_words: smallest_pool_answer(&found.search, &found.clock),
        probes: &found.search.probes,
    };
    serde_json::to_string_pretty(&doc)
        .map_err(|e| CliError::new(format!("cannot format the search as JSON: {e}")))
}

fn csv(found: &Found) -> Result<String, CliError> {
    let header =
        ["max_size", "runs", "survived", "share", "ci_low", "ci_high", "survives"].map(str::to_owned);
    let number = |x: Option<f64>| x.map(|x| x.to_string()).unwrap_or_default();
    let rows = sorted(found).into_iter().map(|p| {
        let s = p.survived;
        vec![
            p.max_size.to_string(),
            s.of.to_string(),
            s.count.to_string(),
            number(s.share),
            number(s.ci95.map(|ci| ci.low)),
            number(s.ci95.map(|ci| ci.high)),
            p.survives.to_string(),
        ]
    });
    write_rows(header, rows)
}
