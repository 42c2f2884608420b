//! One CSV row per cell and run (`poolsim sweep --format runs`), and reading such files
//! back to merge the shards of a sweep.
//!
//! Columns: `scenario`, `base_seed`, `clock_start` and `duration_s` (the run's clock, for
//! `--until`), `x` (the axis as `KNOB=FROM..TO:STEPS[:log]`), `x_own` (the scenario's
//! own value), `x_value` (the cell's), `y`, `y_own`, `y_value` (empty without `--y`),
//! then the run's own columns as `poolsim replicate` writes them: `run`, `seed` and
//! each outcome. Numbers read back as the same bits, so merged shards print exactly
//! what one unsharded sweep prints.

use std::path::PathBuf;

use poolsim_engine::replicate::Replications;
use poolsim_engine::replicate::sweep::{Axis, Sweep};
use poolsim_engine::time::ClockTime;

use super::SweepBatch;
use crate::error::CliError;
use crate::replicate::runs_csv::{read_rows, read_run, run_cells, run_header, write_rows};

/// The columns before a run's own.
const LEAD: [&str; 10] =
    ["scenario", "base_seed", "clock_start", "duration_s", "x", "x_own", "x_value", "y", "y_own", "y_value"];

fn header() -> Vec<String> {
    LEAD.iter().map(|c| (*c).to_owned()).chain(run_header()).collect()
}

/// `found` is the header of these files.
pub fn is_sweep_csv(found: &[String]) -> bool {
    found == header()
}

/// Every cell's runs, cell by cell.
pub fn write(batch: &SweepBatch) -> Result<String, CliError> {
    let sweep = &batch.sweep;
    let constant = |cell_x: f64, cell_y: Option<f64>| {
        let (y, y_own, y_value) = match (sweep.y, batch.own.1, cell_y) {
            (Some(axis), Some(own), Some(v)) => (axis.to_string(), own.to_string(), v.to_string()),
            _ => (String::new(), String::new(), String::new()),
        };
        vec![
            batch.scenario.clone(),
            batch.seed.to_string(),
            batch.clock_start.to_string(),
            batch.duration_s.to_string(),
            sweep.x.to_string(),
            batch.own.0.to_string(),
            cell_x.to_string(),
            y,
            y_own,
            y_value,
        ]
    };
    let rows = sweep.cells().into_iter().zip(&batch.cells).flat_map(|(cell, runs)| {
        let lead = constant(cell.x, cell.y);
        runs.iter()
            .map(move |(run, outcome)| {
                lead.iter().cloned().chain(run_cells(batch.seed, run, outcome)).collect()
            })
            .collect::<Vec<Vec<String>>>()
    });
    write_rows(header(), rows)
}

/// What every row of a sweep's files must agree on.
#[derive(Clone, Debug, PartialEq)]
struct Constants {
    scenario: String,
    seed: u64,
    clock_start: ClockTime,
    duration_s: u64,
    sweep: Sweep,
    own: (f64, Option<f64>),
}

/// Read the files of a sweep's shards and join them into the sweep one run would give:
/// the same scenario, seed and axes in every row, each run's seed the one its index
/// gives, no run twice, and every cell with the same runs 0, 1, … without a gap.
pub fn merge(files: &[PathBuf]) -> Result<SweepBatch, CliError> {
    let mut merged: Option<(Constants, Vec<Replications>)> = None;
    for file in files {
        let name = file.display().to_string();
        let rows = read_rows(file, &header(), "poolsim sweep --format runs")?;
        for (line, record) in &rows {
            let at = |what: String| CliError::new(format!("{name} line {line}: {what}"));
            let field = |i: usize| record.get(i).unwrap_or_default().to_owned();
            let (row, (x, y)) = constants_of_row(&field).map_err(at)?;
            let (all, cells) = merged.get_or_insert_with(|| {
                let cells = vec![Replications::new(); row.sweep.len()];
                (row.clone(), cells)
            });
            if row != *all {
                return Err(at(format!(
                    "a run of \"{}\" from seed {} swept over {} among runs of \"{}\" from seed {} swept over {}",
                    row.scenario,
                    row.seed,
                    axes(&row.sweep),
                    all.scenario,
                    all.seed,
                    axes(&all.sweep)
                )));
            }
            let cell = all.sweep.find(x, y).ok_or_else(|| {
                at(format!("({}) is not a cell of the sweep", super::cell_words(&all.sweep, x, y)))
            })?;
            let (run, outcome) = read_run(&field, LEAD.len(), all.seed).map_err(at)?;
            cells[cell].push(run, outcome).map_err(|e| {
                at(format!("{}: {e} (a shard given twice?)", super::cell_words(&all.sweep, x, y)))
            })?;
        }
    }
    let (all, cells) = merged.ok_or_else(|| CliError::new("merge: the files hold no runs"))?;
    let runs = cells.iter().map(|c| c.iter().map(|(run, _)| run + 1).max().unwrap_or(0)).max().unwrap_or(0);
    for (cell, held) in all.sweep.cells().iter().zip(&cells) {
        if let Some(run) = (0..runs).find(|&run| held.get(run).is_none()) {
            return Err(CliError::new(format!(
                "merge: run {run} of the cell {} is missing; give the CSV of every shard (--shard I/N for each I)",
                super::cell_words(&all.sweep, cell.x, cell.y)
            )));
        }
    }
    Ok(SweepBatch {
        scenario: all.scenario,
        seed: all.seed,
        clock_start: all.clock_start,
        duration_s: all.duration_s,
        sweep: all.sweep,
        own: all.own,
        cells,
    })
}

/// `--x … --y …` as the files give them.
fn axes(sweep: &Sweep) -> String {
    match sweep.y {
        Some(y) => format!("{} and {y}", sweep.x),
        None => sweep.x.to_string(),
    }
}

/// A row's constants, and its cell's values.
fn constants_of_row(field: &dyn Fn(usize) -> String) -> Result<(Constants, (f64, Option<f64>)), String> {
    let seed: u64 = field(1).parse().map_err(|_| format!("`base_seed` {:?} is not a seed", field(1)))?;
    let clock_start =
        ClockTime::parse(&field(2)).ok_or_else(|| format!("`clock_start` {:?} is not HH:MM", field(2)))?;
    let duration_s: u64 =
        field(3).parse().map_err(|_| format!("`duration_s` {:?} is not seconds", field(3)))?;
    let axis = |column: usize| {
        Axis::parse(&field(column)).map_err(|e| format!("`{}` {:?}: {e}", LEAD[column], field(column)))
    };
    let value = |column: usize| {
        field(column)
            .parse::<f64>()
            .map_err(|_| format!("`{}` {:?} is not a number", LEAD[column], field(column)))
    };
    let x = axis(4)?;
    let (y, own_y, y_value) = if field(7).is_empty() {
        (None, None, None)
    } else {
        (Some(axis(7)?), Some(value(8)?), Some(value(9)?))
    };
    let sweep = Sweep::new(x, y).map_err(|e| e.to_string())?;
    let constants =
        Constants { scenario: field(0), seed, clock_start, duration_s, sweep, own: (value(5)?, own_y) };
    Ok((constants, (value(6)?, y_value)))
}
