//! Clock time: the scenario's `clock_start` plus simulated seconds, as engineers read it.

use std::ops::Range;

use plotters::coord::ranged1d::{KeyPointHint, NoDefaultFormatting, Ranged, ValueFormatter};
use plotters::coord::types::RangedCoordf64;
use poolsim_engine::time::format_clock;

use crate::axis::labelled_ticks;

/// Tick positions [s from the start] on round clock times (every 1, 5, 10, 15, 30 min,
/// 1, 2, 3, 6 h …), at most `max_ticks` of them across `0..=end_s`.
pub fn clock_ticks(clock_start_s: u32, end_s: u32, max_ticks: usize) -> Vec<f64> {
    const STEPS_S: [u32; 12] = [10, 30, 60, 300, 600, 900, 1800, 3600, 7200, 10_800, 21_600, 43_200];
    let max_ticks = max_ticks.max(2) as u32;
    let step = STEPS_S.iter().copied().find(|step| end_s / step < max_ticks).unwrap_or(86_400);
    // First round clock time at or after the start.
    let first = (step - clock_start_s % step) % step;
    (0..).map(|i| first + i * step).take_while(|t| *t <= end_s).map(f64::from).collect()
}

/// A time axis [s from the start] labelled in clock time, with ticks on round clock times.
#[derive(Clone)]
pub struct ClockAxis {
    inner: RangedCoordf64,
    ticks: Vec<f64>,
    clock_start_s: f64,
}

impl ClockAxis {
    /// An axis over `0..=end_s` for a run starting at `clock_start_s` [s since midnight].
    pub fn new(clock_start_s: u32, end_s: u32) -> Self {
        let end_s = end_s.max(1);
        Self {
            inner: (0f64..f64::from(end_s)).into(),
            ticks: clock_ticks(clock_start_s, end_s, 7),
            clock_start_s: f64::from(clock_start_s),
        }
    }
}

impl std::fmt::Debug for ClockAxis {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClockAxis")
            .field("ticks", &self.ticks)
            .field("clock_start_s", &self.clock_start_s)
            .finish()
    }
}

impl Ranged for ClockAxis {
    type FormatOption = NoDefaultFormatting;
    type ValueType = f64;

    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        self.inner.map(value, limit)
    }

    fn key_points<Hint: KeyPointHint>(&self, hint: Hint) -> Vec<f64> {
        // Only the round clock times.
        labelled_ticks(hint, &self.ticks)
    }

    fn range(&self) -> Range<f64> {
        self.inner.range()
    }
}

impl ValueFormatter<f64> for ClockAxis {
    fn format_ext(&self, value: &f64) -> String {
        let with_seconds = self.ticks.windows(2).any(|w| w[1] - w[0] < 60.0);
        format_clock(self.clock_start_s + value, with_seconds)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_sit_on_round_clock_times() {
        // 12:00 + 5 h: hourly ticks 12:00 … 17:00.
        let ticks = clock_ticks(12 * 3600, 18_000, 7);
        let labels: Vec<String> = ticks.iter().map(|t| format_clock(43_200.0 + t, false)).collect();
        assert_eq!(labels, ["12:00", "13:00", "14:00", "15:00", "16:00", "17:00"]);
        // A start off the hour still ticks on round times.
        let ticks = clock_ticks(12 * 3600 + 7 * 60, 3600, 7);
        let labels: Vec<String> = ticks.iter().map(|t| format_clock(43_620.0 + t, false)).collect();
        assert_eq!(labels, ["12:10", "12:20", "12:30", "12:40", "12:50", "13:00"]);
    }

    #[test]
    fn clock_labels_wrap_past_midnight() {
        assert_eq!(format_clock(43_200.0 + 7_200.0, false), "14:00");
        assert_eq!(format_clock(86_400.0 + 61.5, true), "00:01:01");
    }
}
