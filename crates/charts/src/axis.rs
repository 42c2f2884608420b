//! The value (y) axis of the time-series charts: linear for counts and rates, or
//! symmetric-logarithmic for acquire times, so a 30 000 ms timeout plateau and a 2 ms
//! healthy wait are both readable on one chart. Ticks sit on round values and carry
//! their unit.

use std::ops::Range;

use plotters::coord::ranged1d::{KeyPointHint, NoDefaultFormatting, Ranged, ValueFormatter};
use plotters::coord::types::RangedCoordf64;

/// Room above the highest value, as a share of the axis (the marker labels sit up there).
const HEADROOM: f64 = 1.12;
/// The same room on a symmetric-log axis [decades].
const LOG_HEADROOM: f64 = 0.25;
/// Most ticks on a linear axis.
const MAX_TICKS: usize = 6;

/// How values map to the axis.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Scale {
    /// Proportional.
    Linear,
    /// `log10(1 + v)`: linear near 0, logarithmic beyond 1 (0 stays drawable, unlike a log axis).
    SymLog,
}

/// A y axis over `0..=top`, with round ticks labelled by `format`.
#[derive(Clone)]
pub struct ValueAxis {
    scale: Scale,
    top: f64,
    ticks: Vec<f64>,
    inner: RangedCoordf64,
    format: fn(f64) -> String,
}

impl std::fmt::Debug for ValueAxis {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ValueAxis")
            .field("scale", &self.scale)
            .field("top", &self.top)
            .field("ticks", &self.ticks)
            .finish()
    }
}

impl ValueAxis {
    /// A linear axis from 0 with room for `peak` (at least 1), ticks on whole round steps.
    pub fn linear(peak: f64, format: fn(f64) -> String) -> Self {
        let top = finite_or_zero(peak).max(1.0) * HEADROOM;
        let step = nice_step(top / MAX_TICKS as f64).max(1.0);
        let ticks = (0..).map(|i| f64::from(i) * step).take_while(|t| *t <= top).collect();
        Self::new(Scale::Linear, top, ticks, format)
    }

    /// A symmetric-log axis from 0 with room for `peak` (at least 10), ticks on 0 and the
    /// powers of ten.
    pub fn symlog(peak: f64, format: fn(f64) -> String) -> Self {
        let top = inverse_symlog(symlog(finite_or_zero(peak).max(10.0)) + LOG_HEADROOM);
        let ticks =
            std::iter::once(0.0).chain((0..).map(|p| 10f64.powi(p)).take_while(|t| *t <= top)).collect();
        Self::new(Scale::SymLog, top, ticks, format)
    }

    fn new(scale: Scale, top: f64, ticks: Vec<f64>, format: fn(f64) -> String) -> Self {
        let mut axis = Self { scale, top, ticks, inner: (0f64..1.0).into(), format };
        axis.inner = (0f64..axis.transform(top)).into();
        axis
    }

    /// The highest value the axis shows.
    pub fn top(&self) -> f64 {
        self.top
    }

    /// The tick values, bottom to top.
    pub fn ticks(&self) -> &[f64] {
        &self.ticks
    }

    fn transform(&self, value: f64) -> f64 {
        let value = finite_or_zero(value).max(0.0);
        match self.scale {
            Scale::Linear => value,
            Scale::SymLog => symlog(value),
        }
    }
}

impl Ranged for ValueAxis {
    type FormatOption = NoDefaultFormatting;
    type ValueType = f64;

    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        self.inner.map(&self.transform(*value), limit)
    }

    fn key_points<Hint: KeyPointHint>(&self, hint: Hint) -> Vec<f64> {
        labelled_ticks(hint, &self.ticks)
    }

    fn range(&self) -> Range<f64> {
        0.0..self.top
    }
}

impl ValueFormatter<f64> for ValueAxis {
    fn format_ext(&self, value: &f64) -> String {
        (self.format)(*value)
    }
}

/// The key points of an axis that draws only `ticks`: bold, labelled grid lines on round
/// values (none when plotters asks for light lines, or for no points), so no unlabelled
/// light lines sit between them. The value axis and the clock axis alike.
pub(crate) fn labelled_ticks<Hint: KeyPointHint>(hint: Hint, ticks: &[f64]) -> Vec<f64> {
    if hint.weight().allow_light_points() || hint.max_num_points() == 0 { Vec::new() } else { ticks.to_vec() }
}

/// A count or a rate: `0`, `42`, `1500`, `12k`.
pub fn format_count(value: f64) -> String {
    if value.abs() >= 10_000.0 { format!("{:.0}k", value / 1000.0) } else { format!("{value:.0}") }
}

/// A percentage (0–100): `0 %`, `40 %`, `100 %`.
pub fn format_percent(value: f64) -> String {
    format!("{value:.0} %")
}

/// A ratio: `0×`, `1×`, `2.5×`.
pub fn format_times(value: f64) -> String {
    format!("{}×", poolsim_content::words::short_number(value))
}

/// A duration in milliseconds: `0`, `0.5 ms`, `10 ms`, `1 s`, `30 s`.
pub fn format_ms(ms: f64) -> String {
    if ms == 0.0 {
        "0".to_owned()
    } else if ms.abs() >= 1000.0 {
        format!("{} s", poolsim_content::words::short_number(ms / 1000.0))
    } else {
        format!("{} ms", poolsim_content::words::short_number(ms))
    }
}

/// The round step (1, 2 or 5 × a power of ten) at or above `raw`.
fn nice_step(raw: f64) -> f64 {
    if !raw.is_finite() || raw <= 0.0 {
        return 1.0;
    }
    let magnitude = 10f64.powf(raw.log10().floor());
    [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * magnitude)
        .find(|step| *step >= raw * (1.0 - 1e-9))
        .unwrap_or(raw)
}

fn symlog(value: f64) -> f64 {
    (1.0 + value).log10()
}

fn inverse_symlog(value: f64) -> f64 {
    10f64.powf(value) - 1.0
}

fn finite_or_zero(value: f64) -> f64 {
    if value.is_finite() { value } else { 0.0 }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn linear_ticks_are_round_and_cover_the_peak() {
        let axis = ValueAxis::linear(100.0, format_count);
        assert!(axis.top() >= 100.0);
        assert_eq!(axis.ticks(), [0.0, 20.0, 40.0, 60.0, 80.0, 100.0]);
        // Nothing to show yet: still a usable axis, whole-number ticks only.
        let empty = ValueAxis::linear(0.0, format_count);
        assert_eq!(empty.ticks(), [0.0, 1.0]);
        let labels: Vec<String> =
            ValueAxis::linear(33.0, format_count).ticks().iter().map(|t| format_count(*t)).collect();
        assert_eq!(labels, ["0", "10", "20", "30"]);
    }

    #[test]
    fn symlog_keeps_a_timeout_plateau_and_a_fast_wait_readable() {
        let axis = ValueAxis::symlog(30_000.0, format_ms);
        let labels: Vec<String> = axis.ticks().iter().map(|t| format_ms(*t)).collect();
        assert_eq!(labels, ["0", "1 ms", "10 ms", "100 ms", "1 s", "10 s"]);
        // 300 px tall: a 10 ms wait is not squashed into the floor by a 30 s plateau.
        let y = |ms: f64| axis.map(&ms, (300, 0));
        assert_eq!(y(0.0), 300);
        assert!(y(10.0) < 250, "10 ms sits well above the floor: {}", y(10.0));
        assert!(y(30_000.0) > 0 && y(30_000.0) < 40, "the plateau sits near the top: {}", y(30_000.0));
        assert!(y(f64::NAN) == 300 && y(-5.0) == 300, "junk values sit on the floor");
    }

    #[test]
    fn units_read_naturally() {
        assert_eq!(format_ms(0.5), "0.5 ms");
        assert_eq!(format_ms(30_000.0), "30 s");
        assert_eq!(format_count(25_000.0), "25k");
        assert_eq!(format_percent(40.0), "40 %");
        assert_eq!(
            (format_times(0.0), format_times(1.0), format_times(2.5)),
            ("0×".into(), "1×".into(), "2.5×".into())
        );
        assert_eq!(nice_step(0.0), 1.0);
        assert_eq!(nice_step(3.0), 5.0);
        assert_eq!(nice_step(20.0), 20.0);
    }
}
