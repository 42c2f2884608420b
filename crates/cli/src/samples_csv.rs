//! `--csv`: one row per simulated second, with a header, named as on a Grafana dashboard
//! (the text is [`poolsim_content::export::samples_csv`], the same file the page exports).

use poolsim_engine::time::ClockTime;
use std::path::Path;

use poolsim_content::export::samples_csv;
use poolsim_engine::Sample;

use crate::error::CliError;

/// Write every sample to `path`, times of day counted from `clock_start`.
pub fn write(path: &Path, samples: &[Sample], clock_start: ClockTime) -> Result<(), CliError> {
    std::fs::write(path, samples_csv(samples, clock_start))
        .map_err(|e| CliError::io("write", "CSV file", path, &e))
}
