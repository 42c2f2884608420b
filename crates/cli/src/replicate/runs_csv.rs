//! One CSV row per run and variant (`--format csv`), and reading such files back to merge
//! shards.
//!
//! Columns: `scenario`, `base_seed` (the seed every run's seed derives from), `variant`
//! (the row's words), `run` (the replication index), `seed` (the run's own: `poolsim run
//! --seed` reproduces it), then each outcome by its [`Metric::key`], empty when it did not
//! happen. Numbers are written as Rust writes them, the shortest text that reads back as
//! the same bits, so merged shards give the very numbers, and files, of one run.

use std::path::{Path, PathBuf};

use csv::StringRecord;
use poolsim_content::replications::csv::line;
use poolsim_engine::replicate::{Metric, Outcome, PerMetric, Replications, replication_seed};

use super::{Batch, Variant};
use crate::error::CliError;

/// The columns before a run's own: what the run belongs to.
const LEAD: [&str; 3] = ["scenario", "base_seed", "variant"];

fn header() -> Vec<String> {
    LEAD.iter().map(|c| (*c).to_owned()).chain(run_header()).collect()
}

/// The columns of one run, after a file's own lead columns: `run`, `seed`, then each
/// outcome by its [`Metric::key`]. Every CSV of runs (`replicate`, `sweep`) ends with them.
pub(crate) fn run_header() -> impl Iterator<Item = String> {
    ["run", "seed"].into_iter().chain(Metric::ALL.iter().map(|m| m.key())).map(str::to_owned)
}

/// Run `run` of a batch seeded `base_seed` as [`run_header`]'s cells: its index, its
/// seed and its outcome, as Rust writes numbers (they read back as the same bits), empty
/// where it did not happen.
pub(crate) fn run_cells(base_seed: u64, run: u32, outcome: &Outcome) -> impl Iterator<Item = String> {
    [run.to_string(), replication_seed(base_seed, run).to_string()].into_iter().chain(
        outcome
            .values()
            .iter()
            .map(|(_, v)| v.map(|v| v.to_string()).unwrap_or_default())
            .collect::<Vec<_>>(),
    )
}

/// Read [`run_header`]'s cells from column `first` of a row: the run index and its
/// outcome, its seed checked against the one `base_seed` gives it.
pub(crate) fn read_run(
    field: &dyn Fn(usize) -> String,
    first: usize,
    base_seed: u64,
) -> Result<(u32, Outcome), String> {
    let (run, seed) = (field(first), field(first + 1));
    let run: u32 = run.parse().map_err(|_| format!("`run` {run:?} is not a run number"))?;
    let seed: u64 = seed.parse().map_err(|_| format!("`seed` {seed:?} is not a seed"))?;
    let expected = replication_seed(base_seed, run);
    if seed != expected {
        return Err(format!("run {run} from seed {base_seed} has seed {expected}, not {seed}"));
    }
    let mut bad = None;
    let values = PerMetric::from_fn(|metric| {
        let cell = field(first + 2 + metric.index());
        let value = (!cell.is_empty()).then(|| cell.parse::<f64>());
        if let Some(Err(_)) = value {
            bad.get_or_insert_with(|| format!("`{}` {cell:?} is not a number", metric.key()));
        }
        value.and_then(Result::ok)
    });
    if let Some(what) = bad {
        return Err(what);
    }
    Ok((run, Outcome::from_values(&values).map_err(|e| e.to_string())?))
}

/// `rows` under `header` as CSV text, each line ended by `\n`
/// ([`poolsim_content::replications::csv::line`], the one CSV writer).
pub(crate) fn write_rows(
    header: impl IntoIterator<Item = String>,
    rows: impl IntoIterator<Item = Vec<String>>,
) -> Result<String, CliError> {
    let mut out = String::new();
    let header: Vec<String> = header.into_iter().collect();
    line(&mut out, header.iter().map(String::as_str));
    for row in rows {
        line(&mut out, row.iter().map(String::as_str));
    }
    Ok(out)
}

/// A CSV file read into memory.
type Reader = csv::Reader<std::io::Cursor<Vec<u8>>>;

/// A reader of CSV file `file` (read whole), and its header.
fn open(file: &Path) -> Result<(Reader, Vec<String>), CliError> {
    let text = std::fs::read(file).map_err(|e| CliError::io("read", "CSV file", file, &e))?;
    let mut reader = csv::ReaderBuilder::new().has_headers(true).from_reader(std::io::Cursor::new(text));
    let header = reader
        .headers()
        .map_err(|e| CliError::new(format!("{}: {e}", file.display())))?
        .iter()
        .map(str::to_owned)
        .collect();
    Ok((reader, header))
}

/// The header of CSV file `file`.
pub(crate) fn read_header(file: &Path) -> Result<Vec<String>, CliError> {
    open(file).map(|(_, header)| header)
}

/// The records of CSV file `file`, with their line numbers, once its header is found to
/// be `expected` (else an error saying `command` writes such files).
pub(crate) fn read_rows(
    file: &Path,
    expected: &[String],
    command: &str,
) -> Result<Vec<(u64, StringRecord)>, CliError> {
    let name = file.display().to_string();
    let (mut reader, found) = open(file)?;
    if found != expected {
        return Err(CliError::new(format!(
            "{name}: not a CSV of `{command}`: the header should be {}",
            expected.join(",")
        )));
    }
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| CliError::new(format!("{name}: {e}")))?;
        rows.push((record.position().map_or(0, |p| p.line()), record));
    }
    Ok(rows)
}

/// The batch as CSV: a header, then each variant's runs in run order (the compare page's
/// download too: [`poolsim_content::replications::csv::write`]).
pub fn write(batch: &Batch) -> Result<String, CliError> {
    Ok(poolsim_content::replications::csv::write(batch))
}

/// Read the CSV files of a batch's shards and join them into the batch one run would give.
///
/// Every file must come from the same scenario and seed, each run's seed must be the one
/// its index gives, no run may be there twice, every variant must have the same runs, and
/// none may be missing below the last (a shard left out).
pub fn merge(files: &[PathBuf]) -> Result<Batch, CliError> {
    let mut merged: Option<Batch> = None;
    for file in files {
        let batch = read(file)?;
        match &mut merged {
            None => merged = Some(batch),
            Some(all) => join(all, batch, file)?,
        }
    }
    let batch = merged.ok_or_else(|| CliError::new("merge: give the CSV files of the shards"))?;
    let Some((first, rest)) = batch.variants.split_first() else {
        return Err(CliError::new("merge: the files hold no runs"));
    };
    if let Some(gap) = first.runs.first_gap() {
        return Err(CliError::new(format!(
            "merge: run {gap} is missing; give the CSV of every shard (--shard I/N for each I)"
        )));
    }
    for variant in rest {
        if let Some((run, _)) = first.runs.iter().find(|(run, _)| variant.runs.get(*run).is_none()) {
            return Err(CliError::new(format!(
                "merge: \"{}\" lacks run {run}, which \"{}\" has: the files are of different what-ifs",
                variant.label, first.label
            )));
        }
        if variant.runs.len() != first.runs.len() {
            return Err(CliError::new(format!(
                "merge: \"{}\" has runs \"{}\" lacks: the files are of different what-ifs",
                variant.label, first.label
            )));
        }
    }
    Ok(batch)
}

/// Add `more` (read from `file`) to `all`.
fn join(all: &mut Batch, more: Batch, file: &Path) -> Result<(), CliError> {
    if (all.scenario.as_str(), all.seed) != (more.scenario.as_str(), more.seed) {
        return Err(CliError::new(format!(
            "{}: its runs are of \"{}\" from seed {}, the first file's of \"{}\" from seed {}",
            file.display(),
            more.scenario,
            more.seed,
            all.scenario,
            all.seed
        )));
    }
    for variant in more.variants {
        let label = variant.label.clone();
        match all.variants.iter_mut().find(|v| v.label == variant.label) {
            Some(known) => known.runs.merge(variant.runs).map_err(|e| {
                CliError::new(format!("{}: \"{label}\": {e} (a shard given twice?)", file.display()))
            })?,
            None => all.variants.push(variant),
        }
    }
    Ok(())
}

/// One file as a batch.
fn read(file: &Path) -> Result<Batch, CliError> {
    let name = file.display().to_string();
    let rows = read_rows(file, &header(), "poolsim replicate --format csv")?;
    let mut batch: Option<Batch> = None;
    for (line, record) in &rows {
        let at = |what: String| CliError::new(format!("{name} line {line}: {what}"));
        let field = |i: usize| record.get(i).unwrap_or_default().to_owned();
        let (scenario, variant) = (field(0), field(2));
        let base_seed: u64 =
            field(1).parse().map_err(|_| at(format!("`base_seed` {:?} is not a seed", field(1))))?;
        let (run, outcome) = read_run(&field, LEAD.len(), base_seed).map_err(at)?;
        let batch = batch.get_or_insert_with(|| Batch {
            scenario: scenario.clone(),
            seed: base_seed,
            variants: Vec::new(),
        });
        if (batch.scenario.as_str(), batch.seed) != (scenario.as_str(), base_seed) {
            return Err(at(format!(
                "a run of \"{scenario}\" from seed {base_seed} among runs of \"{}\" from seed {}",
                batch.scenario, batch.seed
            )));
        }
        let index = match batch.variants.iter().position(|v| v.label == variant) {
            Some(index) => index,
            None => {
                batch.variants.push(Variant { label: variant.clone(), runs: Replications::new() });
                batch.variants.len() - 1
            }
        };
        batch.variants[index].runs.push(run, outcome).map_err(|e| at(format!("\"{variant}\": {e}")))?;
    }
    batch.ok_or_else(|| CliError::new(format!("{name}: no runs in it")))
}
