//! `poolsim`: the simulator without a browser, for docs pipelines, tests and benchmarks.
//!
//! ```text
//! poolsim run SCENARIO.json | --preset NAME | --link URL  [--seed N] [--csv FILE [--per-instance]]
//!             [--svg FILE] [--md FILE]
//! poolsim link SCENARIO.json | --preset NAME  [--base URL]
//! poolsim compare SCENARIO.json | --preset NAME  [--variant JSON]... [--md] [--show-variant N]
//! poolsim replicate SCENARIO.json | --preset NAME  --runs N [--seed N] [--variant JSON]...
//!                   [--format table|json|csv|md] [--shard I/N] [--threads T]
//! poolsim merge SHARD.csv...  [--format table|json|csv|md|runs] [--outcome O] [--until HH:MM]
//!                   [--survival SHARE] [--svg FILE]
//! poolsim sweep SCENARIO.json | --preset NAME  --x KNOB=FROM..TO:STEPS[:log] [--y …] --runs N
//!               [--seed N] [--outcome O] [--until HH:MM] [--survival SHARE]
//!               [--format table|json|csv|md|runs] [--svg FILE] [--shard I/N] [--threads T]
//! poolsim smallest-pool SCENARIO.json | --preset NAME  --runs N [--until HH:MM] [--survival SHARE]
//!                       [--seed N] [--format table|json|csv|md] [--threads T]
//! poolsim validate SCENARIO.json
//! poolsim presets [--show NAME]
//! poolsim bench
//! ```
//!
//! Results go to stdout; every error is one line on stderr and exit code 2.

mod bench;
mod commands;
mod compare;
mod error;
mod output;
mod progress;
mod replicate;
mod samples_csv;
mod share;
mod sweep;

use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

use crate::error::CliError;

/// Simulate a database connection pool: its size, its traffic, the connections that leak.
#[derive(Debug, Parser)]
#[command(name = "poolsim", version, about, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run a scenario to its end and print the summary as JSON.
    Run(RunArgs),
    /// Run a scenario's what-ifs with the same seed and print the outcome table (JSON or --md).
    Compare(compare::CompareArgs),
    /// Run a scenario (and what-ifs) N times with other seeds: statistics with 95 % confidence
    /// intervals, what-ifs against the base run by run, or one CSV row per run.
    Replicate(replicate::ReplicateArgs),
    /// Join the CSVs of `replicate --shard` (or `sweep --shard`) runs into the statistics of one run.
    Merge(replicate::MergeArgs),
    /// Replicate a scenario over a grid of one or two knobs: each cell's runs, the cells
    /// where the pool survived, a heatmap.
    Sweep(sweep::SweepArgs),
    /// Find the smallest pool that does not run out until a time (or in the whole run) in
    /// 95 % of runs.
    SmallestPool(sweep::SmallestPoolArgs),
    /// Check a scenario file: prints "ok: <name>", or the wrong field and why (exit 2).
    Validate {
        /// The scenario file (JSON).
        file: std::path::PathBuf,
    },
    /// List the preset scenarios, or print one.
    Presets {
        /// Print this preset's scenario JSON instead of the list.
        #[arg(long, value_name = "NAME")]
        show: Option<String>,
    },
    /// Measure simulated requests per wall-clock second (healthy pool, seed incident).
    Bench,
    /// Print a share URL holding the whole scenario (open it in poolsim, or `run --link` it).
    Link(LinkArgs),
}

/// What `poolsim run` simulates and where it writes.
#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("source").required(true).args(["scenario", "preset", "link"])))]
struct RunArgs {
    /// The scenario file (JSON).
    scenario: Option<std::path::PathBuf>,
    /// Run a preset instead of a file (see `poolsim presets`).
    #[arg(long, value_name = "NAME")]
    preset: Option<String>,
    /// Replace the scenario's seed: same seed, same run.
    #[arg(long, value_name = "N")]
    seed: Option<u64>,
    /// Also write one row per simulated second to this CSV file.
    #[arg(long, value_name = "FILE")]
    csv: Option<std::path::PathBuf>,
    /// Also draw the run's charts to this SVG file.
    #[arg(long, value_name = "FILE")]
    svg: Option<std::path::PathBuf>,
    /// Run the scenario a share link holds (the whole URL, or the part after `#`).
    #[arg(long, value_name = "URL")]
    link: Option<String>,
    /// Also write the outcome as a Markdown table, ready to paste into a postmortem.
    #[arg(long, value_name = "FILE")]
    md: Option<std::path::PathBuf>,
    /// With --csv, add each instance's pool to every row (`app-1 active` … `app-K timeouts`).
    #[arg(long, requires = "csv")]
    per_instance: bool,
}

/// What `poolsim link` shares and where the link points.
#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("source").required(true).args(["scenario", "preset"])))]
struct LinkArgs {
    /// The scenario file (JSON).
    scenario: Option<std::path::PathBuf>,
    /// Share a preset instead of a file (see `poolsim presets`).
    #[arg(long, value_name = "NAME")]
    preset: Option<String>,
    /// The poolsim page the link opens (any `#…` part is replaced).
    #[arg(long, value_name = "URL", default_value = share::DEFAULT_BASE_URL)]
    base: String,
}

fn main() -> ExitCode {
    error::install_panic_hook();
    let cli = Cli::parse();
    let result: Result<(), CliError> = match cli.command {
        Command::Run(args) => commands::run(&args),
        Command::Compare(args) => compare::run(&args),
        Command::Replicate(args) => replicate::run(&args),
        Command::Merge(args) => replicate::merge(&args),
        Command::Sweep(args) => sweep::run(&args),
        Command::SmallestPool(args) => sweep::smallest_pool(&args),
        Command::Validate { file } => commands::validate(&file),
        Command::Presets { show } => commands::presets(show.as_deref()),
        Command::Bench => bench::run(),
        Command::Link(args) => share::link(&args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}
