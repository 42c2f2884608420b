//! Reading the CSV files of `poolsim replicate --format csv` back, to merge shards. The
//! format, and writing it, is [`poolsim_content::replications::csv`]'s.

use std::path::{Path, PathBuf};

use poolsim_content::replications::csv::{LEAD, header};
use poolsim_content::replications::{Batch, Variant};
use poolsim_engine::replicate::{Outcome, PerMetric, Replications, replication_seed};

use crate::error::CliError;

/// The batch as CSV.
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
    let text = std::fs::read(file).map_err(|e| CliError::io("read", "CSV file", file, &e))?;
    let mut reader = csv::ReaderBuilder::new().has_headers(true).from_reader(text.as_slice());
    let expected = header();
    let found: Vec<String> = reader
        .headers()
        .map_err(|e| CliError::new(format!("{name}: {e}")))?
        .iter()
        .map(str::to_owned)
        .collect();
    if found != expected {
        return Err(CliError::new(format!(
            "{name}: not a CSV of `poolsim replicate --format csv`: the header should be {}",
            expected.join(",")
        )));
    }
    let mut batch: Option<Batch> = None;
    for record in reader.records() {
        let record = record.map_err(|e| CliError::new(format!("{name}: {e}")))?;
        let line = record.position().map_or(0, |p| p.line());
        let at = |what: String| CliError::new(format!("{name} line {line}: {what}"));
        let field = |i: usize| record.get(i).unwrap_or_default();
        let (scenario, variant) = (field(0), field(2));
        let base_seed: u64 =
            field(1).parse().map_err(|_| at(format!("`base_seed` {:?} is not a seed", field(1))))?;
        let run: u32 =
            field(3).parse().map_err(|_| at(format!("`run` {:?} is not a run number", field(3))))?;
        let seed: u64 = field(4).parse().map_err(|_| at(format!("`seed` {:?} is not a seed", field(4))))?;
        if seed != replication_seed(base_seed, run) {
            return Err(at(format!(
                "run {run} from seed {base_seed} has seed {}, not {seed}",
                replication_seed(base_seed, run)
            )));
        }
        let mut bad = None;
        let values = PerMetric::from_fn(|metric| {
            let cell = field(LEAD.len() + metric.index());
            let value = (!cell.is_empty()).then(|| cell.parse::<f64>());
            if let Some(Err(_)) = value {
                bad.get_or_insert_with(|| format!("`{}` {cell:?} is not a number", metric.key()));
            }
            value.and_then(Result::ok)
        });
        if let Some(what) = bad {
            return Err(at(what));
        }
        let outcome = Outcome::from_values(&values).map_err(|e| at(e.to_string()))?;
        let batch = batch.get_or_insert_with(|| Batch {
            scenario: scenario.to_owned(),
            seed: base_seed,
            variants: Vec::new(),
        });
        if (batch.scenario.as_str(), batch.seed) != (scenario, base_seed) {
            return Err(at(format!(
                "a run of \"{scenario}\" from seed {base_seed} among runs of \"{}\" from seed {}",
                batch.scenario, batch.seed
            )));
        }
        let index = match batch.variants.iter().position(|v| v.label == variant) {
            Some(index) => index,
            None => {
                batch.variants.push(Variant { label: variant.to_owned(), runs: Replications::new() });
                batch.variants.len() - 1
            }
        };
        batch.variants[index].runs.push(run, outcome).map_err(|e| at(format!("\"{variant}\": {e}")))?;
    }
    batch.ok_or_else(|| CliError::new(format!("{name}: no runs in it")))
}
