//! `poolsim sweep`: a scenario replicated over a grid of one or two knobs, on every core,
//! printed as a table of cells, JSON, CSV or Markdown and drawn as an SVG heatmap;
//! `poolsim smallest-pool`: the smallest pool that survives until a time in 95 % of runs.
//!
//! Cell `c`'s replication `r` runs with the same seed as replication `r` of every other
//! cell, and of `poolsim replicate` ([`replicate::replication_seed`]): a cell's numbers are
//! `poolsim replicate`'s on the scenario with the cell's settings. The runs are numbered
//! `c × runs + r`, which is what `--shard I/N` shares out and `poolsim merge` joins back
//! (the per-run CSV, `--format runs`). Results depend only on the scenario, the axes and
//! the run numbers: not on the thread count, the shards or the order runs finish in.
//!
//! [`replicate::replication_seed`]: poolsim_engine::replicate::replication_seed

mod report;
mod runs_csv;
mod smallest;

use std::path::{Path, PathBuf};

use clap::Args;
use poolsim_content::replications::sweep;
use poolsim_content::words::Clock;
use poolsim_engine::replicate::sweep::{Axis, MAX_SWEEP_RUNS, Survival, Sweep, SweepError, SweepOutcome};
use poolsim_engine::replicate::{Outcome, Replications};
use poolsim_engine::scenario::Scenario;
use poolsim_engine::time::ClockTime;
use rayon::prelude::*;

pub use smallest::{SmallestPoolArgs, run as smallest_pool};

use crate::error::CliError;
use crate::output::print_line;
use crate::progress;
use crate::replicate::{Format, RunsArgs, Shard, parse_shard, parse_threads, thread_pool};

/// What `poolsim sweep` varies, runs and prints.
#[derive(Debug, Args)]
pub struct SweepArgs {
    #[command(flatten)]
    batch: RunsArgs,
    /// The knob along the columns, KNOB=FROM..TO:STEPS (STEPS values, ends included), with
    /// `:log` after STEPS for equal ratios: pool.max_size=50..400:8,
    /// leak.probability=1e-4..1e-2:5:log. Knobs: pool.max_size, leak.probability,
    /// traffic.rate_per_s, work.hold_ms, pool.connection_timeout_ms, fleet.instances.
    #[arg(long, value_name = "KNOB=FROM..TO:STEPS")]
    x: String,
    /// The knob along the rows, as --x (leave out for one row).
    #[arg(long, value_name = "KNOB=FROM..TO:STEPS")]
    y: Option<String>,
    #[command(flatten)]
    view: ViewArgs,
    /// What to print: the cells as a table, JSON, Markdown or CSV (one row per cell), or
    /// `runs`: one CSV row per cell and run, what `poolsim merge` joins.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
    /// Also draw the cells as a heatmap to this SVG file.
    #[arg(long, value_name = "FILE")]
    svg: Option<PathBuf>,
    /// Run only this shard's runs, I/N: the runs (numbered cell × runs + run) whose number
    /// leaves I when divided by N; `poolsim merge` joins the shards' `--format runs` CSVs.
    #[arg(long, value_name = "I/N")]
    shard: Option<String>,
    /// Worker threads (default: one per core). The results never depend on it.
    #[arg(long, value_name = "T")]
    threads: Option<String>,
}

/// What the cells show and when a cell survives: `sweep` and `merge` take these alike.
#[derive(Debug, Default, Args)]
pub struct ViewArgs {
    /// What each cell shows: `survived` (the share of runs that did not run out, the
    /// default) or the mean of first_exhaustion_s, first_timeout_s, failed_share,
    /// time_to_recover_s, peak_pending, p99_wait_ms or mean_wait_ms.
    #[arg(long, value_name = "OUTCOME")]
    outcome: Option<String>,
    /// A run survives when its pool did not run out until this clock time of the run
    /// (HH:MM); without it, in the whole run.
    #[arg(long, value_name = "HH:MM")]
    until: Option<String>,
    /// A cell survives when at least this share of its runs did: 95% (the default) or 0.95.
    #[arg(long, value_name = "SHARE")]
    survival: Option<String>,
}

impl ViewArgs {
    /// Any of them was given.
    pub fn is_given(&self) -> bool {
        self.outcome.is_some() || self.until.is_some() || self.survival.is_some()
    }

    /// What they ask for, in a run from `clock_start` lasting `duration_s` [s].
    fn resolve(&self, clock_start: ClockTime, duration_s: u64) -> Result<View, CliError> {
        let outcome = match &self.outcome {
            None => SweepOutcome::Survived,
            Some(key) => SweepOutcome::from_key(key.trim()).ok_or_else(|| {
                CliError::new(format!("--outcome {key}: not an outcome; one of {}", SweepOutcome::keys()))
            })?,
        };
        let survival = Survival {
            until_s: self.until.as_deref().map(|t| parse_until(t, clock_start, duration_s)).transpose()?,
            share: self
                .survival
                .as_deref()
                .map(parse_survival)
                .transpose()?
                .unwrap_or(Survival::DEFAULT_SHARE),
        };
        Ok(View { outcome, survival })
    }
}

/// What the printed cells show.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct View {
    /// Each cell's figure.
    pub outcome: SweepOutcome,
    /// When a run and a cell survive.
    pub survival: Survival,
}

/// `--until HH:MM`: seconds from the start of a run from `clock_start` lasting
/// `duration_s`, the first time its clock shows it.
pub(crate) fn parse_until(text: &str, clock_start: ClockTime, duration_s: u64) -> Result<f64, CliError> {
    sweep::until_s(text, clock_start, duration_s).map_err(|e| CliError::new(format!("--until {text}: {e}")))
}

/// `--survival 95%` or `0.95`: a share above 0, at most 1.
pub(crate) fn parse_survival(text: &str) -> Result<f64, CliError> {
    let trimmed = text.trim();
    let share = match trimmed.strip_suffix('%') {
        Some(percent) => percent.trim().parse::<f64>().ok().map(|p| p / 100.0),
        None => trimmed.parse::<f64>().ok(),
    };
    share.filter(|s| *s > 0.0 && *s <= 1.0).ok_or_else(|| {
        CliError::new(format!(
            "--survival {text}: give a share of runs above 0 and at most 100 %: 95% or 0.95"
        ))
    })
}

/// A sweep's runs: what every format prints.
#[derive(Clone, Debug, PartialEq)]
pub struct SweepBatch {
    /// The scenario's name.
    pub scenario: String,
    /// The seed every run's seed derives from.
    pub seed: u64,
    /// The scenario's clock at its start.
    pub clock_start: ClockTime,
    /// Its length [s].
    pub duration_s: u64,
    /// The axes.
    pub sweep: Sweep,
    /// The scenario's own values of the knobs.
    pub own: (f64, Option<f64>),
    /// Each cell's runs, in cell order.
    pub cells: Vec<Replications>,
}

impl SweepBatch {
    /// Runs of each cell (the most any cell holds: a shard holds some of each).
    pub fn runs(&self) -> usize {
        self.cells.iter().map(Replications::len).max().unwrap_or(0)
    }

    /// The run's clock, for times in words.
    pub fn clock(&self) -> Clock {
        Clock::new(self.clock_start, self.duration_s)
    }

    /// The cell at the scenario's own settings, if the grid has it.
    pub fn own_cell(&self) -> Option<usize> {
        self.sweep.find(self.own.0, self.own.1)
    }
}

/// `poolsim sweep`.
pub fn run(args: &SweepArgs) -> Result<(), CliError> {
    let shard = args.shard.as_deref().map(parse_shard).transpose()?.unwrap_or(Shard::ALL);
    let threads = args.threads.as_deref().map(parse_threads).transpose()?;
    let x = parse_axis("--x", &args.x)?;
    let y = args.y.as_deref().map(|text| parse_axis("--y", text)).transpose()?;
    let sweep = Sweep::new(x, y)
        .map_err(|e| CliError::new(format!("--y {}: {e}", args.y.as_deref().unwrap_or(""))))?;
    let (runs, base, source) = args.batch.load()?;
    let total = sweep.len() as u64 * u64::from(runs);
    if total > MAX_SWEEP_RUNS {
        return Err(CliError::new(format!(
            "{} cells × --runs {runs} = {total} runs; a sweep runs at most {MAX_SWEEP_RUNS}: fewer steps or runs",
            sweep.len()
        )));
    }
    sweep.check(&base).map_err(|e| sweep_error(args, &source, &e))?;
    let view = args.view.resolve(base.clock_start, base.duration_s)?;
    // At most MAX_SWEEP_RUNS: the run numbers fit.
    let numbers = shard.share(u32::try_from(total).unwrap_or(u32::MAX), &format!("the sweep's {total}"))?;
    note_timeline_changes(&base, &sweep);
    let cells = run_cells(&base, &sweep, runs, &numbers, threads)?;
    let batch = SweepBatch {
        scenario: base.name.clone(),
        seed: base.seed,
        clock_start: base.clock_start,
        duration_s: base.duration_s,
        sweep,
        own: sweep.own(&base),
        cells,
    };
    print(&batch, &view, args.format, args.svg.as_deref())
}

/// `poolsim merge` of `poolsim sweep --format runs` files.
pub fn merge(files: &[PathBuf], view: &ViewArgs, format: Format, svg: Option<&Path>) -> Result<(), CliError> {
    let batch = runs_csv::merge(files)?;
    let view = view.resolve(batch.clock_start, batch.duration_s)?;
    print(&batch, &view, format, svg)
}

/// `header` is the header of a sweep's per-run CSV (`--format runs`).
pub fn is_sweep_csv(header: &[String]) -> bool {
    runs_csv::is_sweep_csv(header)
}

fn parse_axis(flag: &str, text: &str) -> Result<Axis, CliError> {
    Axis::parse(text).map_err(|e| CliError::new(format!("{flag} {text}: {e}")))
}

/// A sweep the scenario refuses, naming the flag of the axis at fault.
fn sweep_error(args: &SweepArgs, source: &str, e: &SweepError) -> CliError {
    use poolsim_engine::replicate::sweep::Side;
    match e {
        SweepError::Value { side: Side::X, .. } => CliError::new(format!("--x {}: {e}", args.x)),
        SweepError::Value { side: Side::Y, .. } => {
            CliError::new(format!("--y {}: {e}", args.y.as_deref().unwrap_or_default()))
        }
        _ => CliError::new(format!("{source}: {e}")),
    }
}

/// Say on stderr when the timeline changes a swept knob later: each cell sets only the
/// value the run starts with.
fn note_timeline_changes(base: &Scenario, sweep: &Sweep) {
    let clock = Clock::new(base.clock_start, base.duration_s);
    for axis in [Some(sweep.x), sweep.y].into_iter().flatten() {
        if let Some((at_s, kind)) = axis.knob.first_change(base) {
            eprintln!(
                "note: the timeline's {} at {} changes {}: each cell sets the value the run starts with",
                kind.name(),
                clock.at(at_s),
                axis.knob.path()
            );
        }
    }
}

/// Run the runs numbered `numbers` (cell × runs + run) on `threads` threads, in an indexed
/// parallel map (the order runs finish in changes nothing), with a progress bar.
fn run_cells(
    base: &Scenario,
    sweep: &Sweep,
    runs: u32,
    numbers: &[u32],
    threads: Option<usize>,
) -> Result<Vec<Replications>, CliError> {
    let cells = sweep.cells();
    let pool = thread_pool(threads)?;
    let bar = progress::bar(numbers.len() as u64, "runs");
    let outcomes: Vec<Result<Outcome, CliError>> = pool.install(|| {
        numbers
            .par_iter()
            .map(|&n| {
                let (cell, run) = Sweep::cell_and_run(n, runs);
                let cell = &cells[cell];
                let outcome = sweep.run(base, cell, run).map_err(|e| {
                    CliError::new(format!("cell {}, run {run}: {e}", cell_words(sweep, cell.x, cell.y)))
                });
                if let Some(bar) = &bar {
                    bar.inc(1);
                }
                outcome
            })
            .collect()
    });
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    let mut results = vec![Replications::new(); sweep.len()];
    for (&n, outcome) in numbers.iter().zip(outcomes) {
        let (cell, run) = Sweep::cell_and_run(n, runs);
        results[cell].push(run, outcome?).map_err(|e| CliError::new(format!("cell {cell}: {e}")))?;
    }
    Ok(results)
}

/// `pool.max_size = 50, leak.probability = 0.001`.
pub(crate) fn cell_words(sweep: &Sweep, x: f64, y: Option<f64>) -> String {
    match (sweep.y, y) {
        (Some(axis), Some(y)) => format!("{} = {x}, {} = {y}", sweep.x.knob.path(), axis.knob.path()),
        _ => format!("{} = {x}", sweep.x.knob.path()),
    }
}

fn print(batch: &SweepBatch, view: &View, format: Format, svg: Option<&Path>) -> Result<(), CliError> {
    if let Some(path) = svg {
        let text = report::heatmap(batch, view)?;
        std::fs::write(path, text).map_err(|e| CliError::io("write", "SVG file", path, &e))?;
    }
    let text = match format {
        Format::Table => report::table(batch, view),
        Format::Json => report::json(batch, view)?,
        Format::Csv => report::cells_csv(batch, view),
        Format::Md => report::markdown(batch, view),
        Format::Runs => runs_csv::write(batch)?,
    };
    print_line(text.trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn until_is_a_clock_time_within_the_run_and_survival_a_share() {
        let noon = ClockTime::parse("12:00").expect("a clock time");
        assert_eq!(parse_until("15:30", noon, 18_000).ok(), Some(12_600.0));
        assert_eq!(parse_until("17:00", noon, 18_000).ok(), Some(18_000.0), "the end itself");
        let late = parse_until("17:01", noon, 18_000).expect_err("after the end").to_string();
        assert!(late.contains("from 12:00 to 17:00"), "{late}");
        assert!(parse_until("12:00", noon, 18_000).is_err(), "the start survives trivially");
        assert!(parse_until("3pm", noon, 18_000).is_err());
        assert_eq!(parse_survival("95%").ok(), Some(0.95));
        assert_eq!(parse_survival("0.9").ok(), Some(0.9));
        assert!(
            parse_survival("150%").is_err()
                && parse_survival("0").is_err()
                && parse_survival("most").is_err()
        );
    }
}
