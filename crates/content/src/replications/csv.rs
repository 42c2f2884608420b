//! One CSV row per run and variant: `poolsim replicate --format csv` and the compare
//! page's "every run" download.
//!
//! Columns: `scenario`, `base_seed` (the seed every run's seed derives from), `variant`
//! (the row's words), `run` (the replication index), `seed` (the run's own: `poolsim run
//! --seed` reproduces it), then each outcome by its [`Metric::key`], empty when it did not
//! happen. Numbers are written as Rust writes them, the shortest text that reads back as
//! the same bits, so merged shards give the very numbers, and files, of one run. Names and
//! labels are user text: quoted where they must be, as the `csv` crate (which `poolsim
//! merge` reads them with) does; written here because the crate's writer would add some
//! 10 KB to the compare page for a dozen lines.

use poolsim_engine::replicate::{Metric, replication_seed};

use super::Batch;

/// The columns before the outcomes.
pub const LEAD: [&str; 5] = ["scenario", "base_seed", "variant", "run", "seed"];

/// Every column, in order.
pub fn header() -> Vec<&'static str> {
    LEAD.into_iter().chain(Metric::ALL.iter().map(|m| m.key())).collect()
}

/// The batch as CSV: a header, then each variant's runs in run order, lines ending in `\n`.
pub fn write(batch: &Batch) -> String {
    let mut out = String::new();
    line(&mut out, header());
    let base_seed = batch.seed.to_string();
    for variant in &batch.variants {
        for (run, outcome) in variant.runs.iter() {
            let (run_text, seed) = (run.to_string(), replication_seed(batch.seed, run).to_string());
            let values: Vec<String> =
                outcome.values().iter().map(|(_, v)| v.map(|v| v.to_string()).unwrap_or_default()).collect();
            let lead = [batch.scenario.as_str(), &base_seed, &variant.label, &run_text, &seed];
            line(&mut out, lead.into_iter().chain(values.iter().map(String::as_str)));
        }
    }
    out
}

/// One record, ended by `\n`: fields quoted only where they must be (RFC 4180: a comma, a
/// quote or a line break in them; quotes doubled), as the `csv` crate the CLI reads them
/// with writes them. Every CSV poolsim writes of runs and cells goes through here.
pub fn line<'a>(out: &mut String, fields: impl IntoIterator<Item = &'a str>) {
    for (i, field) in fields.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        if field.contains([',', '"', '\r', '\n']) {
            out.push('"');
            out.push_str(&field.replace('"', "\"\""));
            out.push('"');
        } else {
            out.push_str(field);
        }
    }
    out.push('\n');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_quoted_as_the_csv_crate_quotes_them() {
        let fields = ["plain", "a, b", "say \"hi\"", "two\nlines", "", "13:54"];
        let mut ours = String::new();
        line(&mut ours, fields);
        let mut theirs =
            ::csv::WriterBuilder::new().terminator(::csv::Terminator::Any(b'\n')).from_writer(Vec::new());
        theirs.write_record(fields).expect("writes");
        let theirs = String::from_utf8(theirs.into_inner().expect("flushes")).expect("utf-8");
        assert_eq!(ours, theirs);
    }
}
