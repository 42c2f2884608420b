//! `poolsim replicate`: run a scenario (and its what-ifs) again and again with other
//! seeds, on every core, and print how sure its outcome is; `poolsim merge`: join the CSVs
//! of shards run apart into the statistics of one run (of `poolsim sweep`'s shards too).
//!
//! Replication `i` runs with [`replicate::replication_seed`]`(seed, i)` (run 0 is the
//! scenario as it is); every what-if's replication `i` uses the same seed as the base's,
//! so each fix is judged over paired runs. The results depend only on the scenario, the
//! what-ifs and the run indices: not on the thread count, the shard split or the order
//! in which runs finish.

pub(crate) mod report;
pub(crate) mod runs_csv;

use std::path::PathBuf;

use clap::{Args, ValueEnum};
use poolsim_content::replications;
use poolsim_content::variants::{self, VariantKind};
use poolsim_engine::replicate::{MAX_RUNS, Outcome, Replications};
use poolsim_engine::scenario::Scenario;
use rayon::prelude::*;

use crate::commands::load_source;
use crate::compare::what_ifs;
use crate::error::CliError;
use crate::output::print_line;
use crate::progress;
use crate::sweep::{self, ViewArgs};

/// The scenario a batch of runs is of, and how many runs: what `replicate`, `sweep` and
/// `smallest-pool` all take.
#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("source").required(true).args(["scenario", "preset"])))]
pub struct RunsArgs {
    /// The scenario file (JSON).
    scenario: Option<PathBuf>,
    /// Use a preset instead of a file (see `poolsim presets`).
    #[arg(long, value_name = "NAME")]
    preset: Option<String>,
    /// How many runs (of each cell of a sweep, of each pool size tried), 1 to 10,000; run 0
    /// is the scenario with its own seed.
    #[arg(long, value_name = "N")]
    runs: String,
    /// Replace the scenario's seed, from which every run's seed is derived.
    #[arg(long, value_name = "N")]
    seed: Option<u64>,
}

impl RunsArgs {
    /// The run count, the scenario (with `--seed` in it) and how errors name it.
    pub fn load(&self) -> Result<(u32, Scenario, String), CliError> {
        let runs = parse_runs(&self.runs)?;
        let (mut base, source) = load_source(self.scenario.as_deref(), self.preset.as_deref())?;
        if let Some(seed) = self.seed {
            base.seed = seed;
        }
        Ok((runs, base, source))
    }
}

/// What `poolsim replicate` runs and how it prints.
#[derive(Debug, Args)]
pub struct ReplicateArgs {
    #[command(flatten)]
    batch: RunsArgs,
    /// A what-if as JSON, as `poolsim compare --variant` takes it; repeat for more. Each
    /// runs with the same seeds as "as it happened" and is compared with it run by run.
    #[arg(long = "variant", visible_alias = "what-if", value_name = "JSON")]
    variants: Vec<String>,
    /// What to print: statistics as a table, JSON or Markdown, or one CSV row per run.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
    /// Run only this shard's runs, I/N: the runs whose index leaves I when divided by N
    /// (e.g. 0/4 and 1/4 …); `poolsim merge` joins the shards' CSVs.
    #[arg(long, value_name = "I/N")]
    shard: Option<String>,
    /// Worker threads (default: one per core). The results never depend on it.
    #[arg(long, value_name = "T")]
    threads: Option<String>,
}

/// What `poolsim merge` joins and how it prints.
#[derive(Debug, Args)]
pub struct MergeArgs {
    /// The CSV files of the shards (`poolsim replicate --shard I/N --format csv`, or
    /// `poolsim sweep --shard I/N --format runs`).
    #[arg(required = true, value_name = "FILE")]
    files: Vec<PathBuf>,
    /// What to print, as `poolsim replicate --format` (or `poolsim sweep --format`).
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
    /// For a sweep's shards: what the cells show and when they survive, as `poolsim sweep`.
    #[command(flatten)]
    view: ViewArgs,
    /// For a sweep's shards: also draw the heatmap to this SVG file.
    #[arg(long, value_name = "FILE")]
    svg: Option<PathBuf>,
}

/// How the results are printed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// The statistics (a sweep's grid of cells) as a plain-text table.
    Table,
    /// The statistics (of every cell) as JSON.
    Json,
    /// CSV: one row per run and what-if, its seed and outcome (a sweep: one row per cell).
    Csv,
    /// The statistics (a sweep's grid) as Markdown.
    Md,
    /// One CSV row per run, what `poolsim merge` joins: for `replicate` the same as `csv`,
    /// for `sweep` one row per cell and run (its `csv` has one row per cell).
    Runs,
}

pub use poolsim_content::replications::{Batch, Variant};

/// Which runs a shard holds: those with `index % count == index_of_shard`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shard {
    /// This shard, `0..count`.
    pub index: u32,
    /// How many shards share the runs.
    pub count: u32,
}

impl Shard {
    /// Every run.
    pub const ALL: Shard = Shard { index: 0, count: 1 };

    /// This shard's share of `0..count`: a batch's runs, or a sweep's runs of every cell.
    pub fn indices(self, count: u32) -> Vec<u32> {
        (0..count).filter(|i| i % self.count == self.index).collect()
    }

    /// This shard's share of `0..count` (at least 1), or an error when it holds none;
    /// `what` names the runs (`--runs 4`).
    pub fn share(self, count: u32, what: &str) -> Result<Vec<u32>, CliError> {
        let indices = self.indices(count);
        if indices.is_empty() {
            return Err(CliError::new(format!(
                "--shard {}/{}: no run of {what} falls in this shard (runs 0 to {})",
                self.index,
                self.count,
                count.saturating_sub(1)
            )));
        }
        Ok(indices)
    }
}

/// `poolsim replicate`.
pub fn run(args: &ReplicateArgs) -> Result<(), CliError> {
    let shard = args.shard.as_deref().map(parse_shard).transpose()?.unwrap_or(Shard::ALL);
    let threads = args.threads.as_deref().map(parse_threads).transpose()?;
    let (runs, base, source) = args.batch.load()?;
    let indices = shard.share(runs, &format!("--runs {runs}"))?;
    let kinds = if args.variants.is_empty() {
        vec![VariantKind::AsItHappened {}]
    } else {
        what_ifs(&base, &args.variants)?
    };
    let plan = Plan::new(&base, &kinds, &source)?;
    let bar = progress::bar(indices.len() as u64, "runs");
    let batch = plan.run(&indices, threads, &|| {
        if let Some(bar) = &bar {
            bar.inc(1);
        }
    })?;
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    print(&batch, args.format)
}

/// `poolsim merge`.
pub fn merge(args: &MergeArgs) -> Result<(), CliError> {
    if let Some(first) = args.files.first()
        && sweep::is_sweep_csv(&runs_csv::read_header(first)?)
    {
        return sweep::merge(&args.files, &args.view, args.format, args.svg.as_deref());
    }
    if args.view.is_given() || args.svg.is_some() {
        return Err(CliError::new(
            "--outcome, --until, --survival and --svg are for the CSVs of `poolsim sweep --format runs`",
        ));
    }
    let batch = runs_csv::merge(&args.files)?;
    print(&batch, args.format)
}

fn print(batch: &Batch, format: Format) -> Result<(), CliError> {
    let text = match format {
        Format::Table => report::table(batch),
        Format::Json => report::json(batch)?,
        Format::Csv | Format::Runs => runs_csv::write(batch)?,
        Format::Md => report::markdown(batch),
    };
    print_line(text.trim_end())
}

/// A scenario and its what-ifs, ready to be replicated.
pub struct Plan<'a> {
    base: &'a Scenario,
    kinds: &'a [VariantKind],
    labels: Vec<String>,
    source: &'a str,
}

impl<'a> Plan<'a> {
    /// The replications of `base` and each of `kinds` (`source` names the scenario in
    /// errors). Each what-if is built once first, so a bad one stops before any run.
    pub fn new(base: &'a Scenario, kinds: &'a [VariantKind], source: &'a str) -> Result<Self, CliError> {
        let mut labels: Vec<String> = Vec::with_capacity(kinds.len());
        for (row, kind) in kinds.iter().enumerate() {
            variants::build(base, kind)
                .map_err(|e| CliError::scenario(&format!("{source}, row {row}"), &e))?;
            let label = kind.label(base.clock_start);
            if labels.contains(&label) {
                return Err(CliError::new(format!("--variant: \"{label}\" is given twice")));
            }
            labels.push(label);
        }
        Ok(Plan { base, kinds, labels, source })
    }

    /// Run the replications `indices` on `threads` threads (`None`: one per core),
    /// calling `done` after each run.
    pub fn run(
        &self,
        indices: &[u32],
        threads: Option<usize>,
        done: &(dyn Fn() + Sync),
    ) -> Result<Batch, CliError> {
        let pool = thread_pool(threads)?;
        // An indexed parallel map keeps the runs in index order, whatever order they end in.
        let outcomes: Vec<Result<Vec<Outcome>, CliError>> = pool.install(|| {
            indices
                .par_iter()
                .map(|&i| {
                    let outcome = self.replication(i);
                    done();
                    outcome
                })
                .collect()
        });
        let mut variants: Vec<Variant> = self
            .labels
            .iter()
            .map(|label| Variant { label: label.clone(), runs: Replications::new() })
            .collect();
        for (&i, outcomes) in indices.iter().zip(outcomes) {
            for (variant, outcome) in variants.iter_mut().zip(outcomes?) {
                variant.runs.push(i, outcome).map_err(|e| CliError::new(format!("run {i}: {e}")))?;
            }
        }
        Ok(Batch { scenario: self.base.name.clone(), seed: self.base.seed, variants })
    }

    /// Replication `i` of every variant ([`replications::replication`]).
    fn replication(&self, i: u32) -> Result<Vec<Outcome>, CliError> {
        replications::replication(self.base, self.kinds, i).map_err(|e| {
            CliError::scenario(
                &format!("{}, run {i} (seed {}), row {}", self.source, e.seed, e.row),
                &e.error,
            )
        })
    }
}

/// `threads` worker threads (`None`: one per core) for an indexed parallel map.
pub(crate) fn thread_pool(threads: Option<usize>) -> Result<rayon::ThreadPool, CliError> {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads.unwrap_or(0))
        .build()
        .map_err(|e| CliError::new(format!("--threads: cannot start the threads: {e}")))
}

/// `--runs N`: 1 to [`MAX_RUNS`].
pub(crate) fn parse_runs(text: &str) -> Result<u32, CliError> {
    match text.trim().parse::<u32>() {
        Ok(n) if (1..=MAX_RUNS).contains(&n) => Ok(n),
        _ => Err(CliError::new(format!("--runs {text}: give a whole number of runs from 1 to 10,000"))),
    }
}

/// `--shard I/N`: N ≥ 1 shards, I below N.
pub(crate) fn parse_shard(text: &str) -> Result<Shard, CliError> {
    let numbers = text
        .split_once('/')
        .and_then(|(i, n)| Some((i.trim().parse::<u32>().ok()?, n.trim().parse::<u32>().ok()?)));
    let Some((index, count)) = numbers else {
        return Err(CliError::new(format!(
            "--shard {text}: write it as I/N, this shard's number and the number of shards (0/4 is the first of four)"
        )));
    };
    if count == 0 {
        return Err(CliError::new(format!("--shard {text}: there must be at least 1 shard")));
    }
    if index >= count {
        return Err(CliError::new(format!(
            "--shard {text}: shards are numbered from 0, so for {count} shard{} I is 0 to {}",
            if count == 1 { "" } else { "s" },
            count - 1
        )));
    }
    Ok(Shard { index, count })
}

/// The most threads `--threads` accepts.
const MAX_THREADS: usize = 1024;

/// `--threads T`: 1 to [`MAX_THREADS`].
pub(crate) fn parse_threads(text: &str) -> Result<usize, CliError> {
    match text.trim().parse::<usize>() {
        Ok(t) if (1..=MAX_THREADS).contains(&t) => Ok(t),
        _ => Err(CliError::new(format!("--threads {text}: give a whole number of threads from 1 to 1,024"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_shard_holds_every_nth_run() {
        assert_eq!(parse_shard("1/3").map(|s| s.indices(8)).ok(), Some(vec![1, 4, 7]));
        assert_eq!(Shard::ALL.indices(3), vec![0, 1, 2]);
    }
}
