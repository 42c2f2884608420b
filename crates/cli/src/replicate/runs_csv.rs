//! One CSV row per run and variant (`--format csv`), and reading such files back to merge
//! shards.
//!
//! Columns: `scenario`, `base_seed` (the seed every run's seed derives from), `variant`
//! (the row's words), `run` (the replication index), `seed` (the run's own: `poolsim run
//! --seed` reproduces it), then each outcome by its [`Metric::key`], empty when it did not
//! happen. Numbers are written as Rust writes them, the shortest text that reads back as
//! the same bits, so merged shards give the very numbers, and files, of one run.

use std::path::{Path, PathBuf};

use poolsim_engine::replicate::{Metric, Outcome, PerMetric, Replications, replication_seed};

use super::{Batch, Variant};
use crate::error::CliError;

/// The columns before the outcomes.
const LEAD: [&str; 5] = ["scenario", "base_seed", "variant", "run", "seed"];

fn header() -> Vec<&'static str> {
    LEAD.into_iter().chain(Metric::ALL.iter().map(|m| m.key())).collect()
}

/// The batch as CSV: a header, then each variant's runs in run order.
pub fn write(batch: &Batch) -> Result<String, CliError> {
    let fail = |e: csv::Error| CliError::new(format!("cannot write the CSV: {e}"));
    let mut out = csv::WriterBuilder::new().terminator(csv::Terminator::Any(b'\n')).from_writer(Vec::new());
    out.write_record(header()).map_err(fail)?;
    let base_seed = batch.seed.to_string();
    for variant in &batch.variants {
        for (run, outcome) in variant.runs.iter() {
            let mut record = vec![
                batch.scenario.clone(),
                base_seed.clone(),
                variant.label.clone(),
                run.to_string(),
                replication_seed(batch.seed, run).to_string(),
            ];
            record.extend(outcome.values().iter().map(|(_, v)| v.map(|v| v.to_string()).unwrap_or_default()));
            out.write_record(&record).map_err(fail)?;
        }
    }
    let bytes = out.into_inner().map_err(|e| CliError::new(format!("cannot write the CSV: {e}")))?;
    String::from_utf8(bytes).map_err(|e| CliError::new(format!("cannot write the CSV: {e}")))
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
