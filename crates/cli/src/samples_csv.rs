//! `--csv`: one row per simulated second, with a header, named as on a Grafana dashboard
//! (the text is [`poolsim_content::export::run_csv`], the same file the page exports).

use poolsim_engine::time::ClockTime;
use std::path::Path;

use poolsim_content::export::run_csv;
use poolsim_engine::Simulation;

use crate::error::CliError;

/// Write every sample of `sim` to `path` (the database's and the callers' beside them,
/// when it has them), times of day counted from `clock_start`.
pub fn write(path: &Path, sim: &Simulation, clock_start: ClockTime) -> Result<(), CliError> {
    std::fs::write(path, run_csv(sim, clock_start)).map_err(|e| CliError::io("write", "CSV file", path, &e))
}
