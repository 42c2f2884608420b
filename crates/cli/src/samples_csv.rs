//! `--csv`: one row per simulated second, with a header, named as on a Grafana dashboard.

use std::path::Path;

use poolsim_engine::Sample;
use poolsim_engine::validate::parse_clock_s;
use serde::Serialize;

use crate::error::CliError;

/// One CSV row: a [`Sample`] plus its wall-clock time and usage.
#[derive(Debug, Serialize)]
struct Row {
    /// [s from the scenario start]
    t_s: u32,
    /// Time of day, `HH:MM:SS`, from the scenario's `clock_start`.
    clock: String,
    total: u32,
    active: u32,
    idle: u32,
    pending: u32,
    opening: u32,
    leaked: u32,
    suspected: u32,
    max: u32,
    /// active / max, 0..=1.
    usage: f64,
    arrivals: u32,
    served: u32,
    timeouts: u32,
    failed: u32,
    acquire_p50_ms: f64,
    acquire_p95_ms: f64,
    acquire_p99_ms: f64,
    acquire_max_ms: f64,
}

impl Row {
    fn new(s: &Sample, start_s: u32) -> Self {
        Self {
            t_s: s.t_s,
            clock: clock(start_s, s.t_s),
            total: s.total,
            active: s.active,
            idle: s.idle,
            pending: s.pending,
            opening: s.opening,
            leaked: s.leaked,
            suspected: s.suspected,
            max: s.max,
            usage: s.usage(),
            arrivals: s.arrivals,
            served: s.served,
            timeouts: s.timeouts,
            failed: s.failed,
            acquire_p50_ms: s.acquire_p50_ms,
            acquire_p95_ms: s.acquire_p95_ms,
            acquire_p99_ms: s.acquire_p99_ms,
            acquire_max_ms: s.acquire_max_ms,
        }
    }
}

/// `HH:MM:SS` of `t_s` seconds after the clock start (wrapping past midnight).
fn clock(start_s: u32, t_s: u32) -> String {
    let t = (u64::from(start_s) + u64::from(t_s)) % 86_400;
    format!("{:02}:{:02}:{:02}", t / 3600, t / 60 % 60, t % 60)
}

/// Write every sample to `path`.
pub fn write(path: &Path, samples: &[Sample], clock_start: &str) -> Result<(), CliError> {
    let fail = |e: csv::Error| CliError::new(format!("cannot write CSV file `{}`: {e}", path.display()));
    // The scenario was validated, so the clock parses; midnight is a harmless fallback.
    let start_s = parse_clock_s(clock_start).unwrap_or(0);
    let mut writer = csv::Writer::from_path(path).map_err(fail)?;
    for sample in samples {
        writer.serialize(Row::new(sample, start_s)).map_err(fail)?;
    }
    writer.flush().map_err(|e| CliError::io("write", "CSV file", path, &e))
}

#[cfg(test)]
mod tests {
    use super::clock;

    #[test]
    fn clock_counts_from_the_start_and_wraps_at_midnight() {
        assert_eq!(clock(12 * 3600, 7200), "14:00:00");
        assert_eq!(clock(23 * 3600 + 59 * 60, 61), "00:00:01");
    }
}
