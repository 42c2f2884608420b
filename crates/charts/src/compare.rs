//! The compare charts: several what-if runs of one scenario overlaid on one clock-time
//! axis, one line per run — connections in use (against each run's pool maximum) or
//! timeouts per second.
//!
//! Lines must be told apart without colour too: each run has an Okabe–Ito colour *and*
//! its own dash pattern, and its row number (as in the outcome table and the legend,
//! `0 As it happened`) is written on the line itself, at a place staggered per run so the
//! numbers do not sit on each other.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use poolsim_engine::Sample;

use crate::axis::{ValueAxis, format_count};
use crate::decimate::{Reduce, decimate_with, points_for_width};
use crate::frame::{Frame, TimeChart, draw_time_chart, points};
use crate::legend::{LegendItem, Swatch};
use crate::{ChartInput, Theme};

/// One run of a comparison: its row label and its per-second samples (already decimated
/// by [`CompareMetric::samples_for`]).
#[derive(Clone, Copy, Debug)]
pub struct CompareRun<'a> {
    /// The row's words (`"Bigger pool only (200)"`).
    pub label: &'a str,
    /// The run's samples, decimated for the metric drawn.
    pub samples: &'a [Sample],
}

/// What a compare chart draws: the runs, in table order (row 0, the baseline, first).
#[derive(Clone, Copy, Debug)]
pub struct CompareInput<'a> {
    /// The runs; row `i` is labelled `i` on the chart.
    pub runs: &'a [CompareRun<'a>],
    /// Time of day at simulated time 0 [s since midnight].
    pub clock_start_s: u32,
    /// Right end of the time axis [s from the start]: the longest run's duration.
    pub end_s: u32,
}

/// Which figure the runs are compared on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CompareMetric {
    /// Connections in use (`active`, leaked ones included), each run's maximum as a thin line.
    InUse,
    /// Acquire timeouts per second.
    TimeoutsPerSecond,
}

/// Okabe–Ito hues after the baseline's text colour, in the palette's order (yellow last:
/// it is hard to read on white).
const PALETTE: [RGBColor; 7] = [
    RGBColor(0xE6, 0x9F, 0x00), // orange
    RGBColor(0x56, 0xB4, 0xE9), // sky blue
    RGBColor(0x00, 0x9E, 0x73), // bluish green
    RGBColor(0x00, 0x72, 0xB2), // blue
    RGBColor(0xD5, 0x5E, 0x00), // vermillion
    RGBColor(0xCC, 0x79, 0xA7), // reddish purple
    RGBColor(0xF0, 0xE4, 0x42), // yellow
];

/// Dash patterns [CSS px of dash, gap]; `None` = solid. Row 0 (the baseline) is solid;
/// eight rows (the June 15 set has seven) each get their own colour and pattern.
const DASHES: [Option<(f64, f64)>; 8] = [
    None,
    Some((8.0, 4.0)),
    Some((2.0, 3.0)),
    Some((14.0, 4.0)),
    Some((5.0, 5.0)),
    Some((10.0, 3.0)),
    Some((3.0, 7.0)),
    Some((18.0, 6.0)),
];

/// Radius of the row number drawn on each line [CSS px].
const LABEL_RADIUS_CSS: f64 = 8.0;

impl CompareMetric {
    /// Both metrics, in page order.
    pub const ALL: [CompareMetric; 2] = [CompareMetric::InUse, CompareMetric::TimeoutsPerSecond];

    /// The plain title.
    pub fn title(self) -> &'static str {
        match self {
            CompareMetric::InUse => "Connections in use",
            CompareMetric::TimeoutsPerSecond => "Timeouts per second",
        }
    }

    /// A short lowercase name for ids and test ids: `in-use`, `timeouts`.
    pub fn slug(self) -> &'static str {
        match self {
            CompareMetric::InUse => "in-use",
            CompareMetric::TimeoutsPerSecond => "timeouts",
        }
    }

    /// How a bucket of seconds is reduced: the busiest second (in use), the most timeouts.
    pub fn reduce(self) -> Reduce {
        match self {
            CompareMetric::InUse => Reduce::Busiest,
            CompareMetric::TimeoutsPerSecond => Reduce::MostFailures,
        }
    }

    /// `samples` decimated for a plot `width_px` device pixels wide (one sample per two pixels).
    pub fn samples_for(self, samples: &[Sample], width_px: u32) -> Vec<Sample> {
        decimate_with(samples, points_for_width(width_px), self.reduce())
    }

    /// The value drawn for one second.
    fn value(self, s: &Sample) -> u32 {
        match self {
            CompareMetric::InUse => s.gauges.active,
            CompareMetric::TimeoutsPerSecond => s.timeouts,
        }
    }

    /// The chart in words, for screen readers: each run's peak.
    pub fn describe(self, input: &CompareInput<'_>) -> String {
        if input.runs.is_empty() {
            return format!("{}: no runs to compare.", self.title());
        }
        let runs: Vec<String> = input
            .runs
            .iter()
            .enumerate()
            .map(|(i, run)| {
                let peak = run.samples.iter().map(|s| self.value(s)).max().unwrap_or(0);
                match self {
                    CompareMetric::InUse => {
                        let max = run.samples.iter().map(|s| s.gauges.max).max().unwrap_or(0);
                        format!("{i} {}: at most {peak} of {max} in use", run.label)
                    }
                    CompareMetric::TimeoutsPerSecond if peak == 0 => {
                        format!("{i} {}: no timeouts", run.label)
                    }
                    CompareMetric::TimeoutsPerSecond => {
                        format!("{i} {}: at most {peak} timeouts in one second", run.label)
                    }
                }
            })
            .collect();
        format!("{}, {} runs compared: {}.", self.title(), input.runs.len(), runs.join("; "))
    }
}

/// Row `i`'s colour: the baseline in the text colour, then the Okabe–Ito hues.
pub fn run_color(i: usize, theme: &Theme) -> RGBColor {
    if i == 0 { theme.text } else { PALETTE[(i - 1) % PALETTE.len()] }
}

/// Row `i`'s dash pattern [CSS px of dash, gap], `None` for a solid line (row 0).
pub fn run_dash(i: usize) -> Option<(f64, f64)> {
    DASHES[i % DASHES.len()]
}

/// Draw the runs of `input` overlaid on `metric`, filling `area`. The caller presents
/// the drawing area when done.
pub fn draw_compare<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    input: &CompareInput<'_>,
    metric: CompareMetric,
    theme: &Theme,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let labels: Vec<String> =
        input.runs.iter().enumerate().map(|(i, run)| format!("{i} {}", run.label)).collect();
    let legend: Vec<LegendItem<'_>> = labels
        .iter()
        .enumerate()
        .map(|(i, label)| LegendItem { label, color: run_color(i, theme), swatch: Swatch::Line })
        .collect();
    let all = || input.runs.iter().flat_map(|run| run.samples.iter());
    let (peak, headline) = match metric {
        CompareMetric::InUse => (all().map(|s| s.gauges.max.max(s.gauges.active)).max().unwrap_or(1), None),
        CompareMetric::TimeoutsPerSecond => {
            let peak = all().map(|s| s.timeouts).max().unwrap_or(0);
            (peak, (peak == 0).then(|| "no timeouts in any run".to_owned()))
        }
    };
    let frame = Frame { legend: &legend, headline, y: ValueAxis::linear(f64::from(peak), format_count) };
    let chart_input = ChartInput {
        samples: &[],
        database: None,
        callers: &[],
        server: None,
        clock_start_s: input.clock_start_s,
        end_s: input.end_s,
        markers: &[],
    };
    draw_time_chart(area, &chart_input, theme, frame, |chart| {
        // The baseline last, so it is on top where lines overlap.
        for (i, run) in input.runs.iter().enumerate().rev() {
            let color = run_color(i, theme);
            if metric == CompareMetric::InUse {
                let max = points(run.samples, |s| f64::from(s.gauges.max));
                chart.draw_series(LineSeries::new(max, color.mix(0.5).stroke_width(1)))?;
            }
            let line = points(run.samples, |s| f64::from(metric.value(s)));
            let style = color.stroke_width(theme.px(if i == 0 { 2.0 } else { 1.5 }));
            match run_dash(i) {
                None => chart.draw_series(LineSeries::new(line, style))?,
                Some((dash, gap)) => {
                    chart.draw_series(DashedLineSeries::new(line, theme.px(dash), theme.px(gap), style))?
                }
            };
        }
        draw_run_numbers(chart, input, metric, theme)
    })
}

/// The runs of `input` on `metric` as a standalone SVG document of `width` × `height`
/// pixels, for exports and tests.
pub fn compare_svg(
    input: &CompareInput<'_>,
    metric: CompareMetric,
    width: u32,
    height: u32,
    dark: bool,
) -> Result<String, String> {
    let theme = if dark { Theme::dark(1.0) } else { Theme::light(1.0) };
    let mut out = String::new();
    {
        let area = SVGBackend::with_string(&mut out, (width, height)).into_drawing_area();
        draw_compare(&area, input, metric, &theme)
            .and_then(|()| area.present())
            .map_err(|e| e.to_string())?;
    }
    Ok(out)
}

/// Each run's row number on its line, run `i` of `n` at `(i + 1) / (n + 1)` of the way
/// along its own run, so the numbers of runs that share a stretch stand apart.
fn draw_run_numbers<DB: DrawingBackend>(
    chart: &mut TimeChart<'_, DB>,
    input: &CompareInput<'_>,
    metric: CompareMetric,
    theme: &Theme,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let n = input.runs.len() as f64;
    let radius = theme.px(LABEL_RADIUS_CSS) as i32;
    let font = theme.font(11.0).style(FontStyle::Bold);
    for (i, run) in input.runs.iter().enumerate() {
        let run_end_s = run.samples.last().map_or(0.0, |s| f64::from(s.t_s));
        let at_s = run_end_s * (i as f64 + 1.0) / (n + 1.0);
        let nearest = run
            .samples
            .iter()
            .min_by(|a, b| (f64::from(a.t_s) - at_s).abs().total_cmp(&(f64::from(b.t_s) - at_s).abs()));
        let Some(s) = nearest else { continue };
        let color = run_color(i, theme);
        let point = (f64::from(s.t_s), f64::from(metric.value(s)));
        let text = i.to_string();
        let mark = EmptyElement::at(point)
            + Circle::new((0, 0), radius, theme.background.filled())
            + Circle::new((0, 0), radius, color.stroke_width(theme.px(1.5)))
            + Text::new(text, (0, 0), font.color(&color).pos(Pos::new(HPos::Center, VPos::Center)));
        chart.draw_series(std::iter::once(mark))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use poolsim_engine::Gauges;

    use super::*;

    #[test]
    fn each_run_has_its_own_colour_and_dash_and_the_baseline_is_solid() {
        let theme = Theme::light(1.0);
        assert_eq!(run_dash(0), None, "the baseline is a solid line");
        assert_eq!(run_color(0, &theme), theme.text);
        for i in 1..DASHES.len() {
            assert!(run_dash(i).is_some(), "row {i} is dashed");
            for j in 0..i {
                assert_ne!(run_color(i, &theme), run_color(j, &theme), "rows {i} and {j} share a colour");
                assert_ne!(run_dash(i), run_dash(j), "rows {i} and {j} share a dash");
            }
        }
    }

    #[test]
    fn descriptions_give_each_runs_peak_in_words() {
        let busy = [Sample {
            t_s: 1,
            gauges: Gauges { active: 100, max: 100, ..Gauges::default() },
            timeouts: 150,
            ..Sample::default()
        }];
        let calm = [Sample {
            t_s: 1,
            gauges: Gauges { active: 7, max: 200, ..Gauges::default() },
            ..Sample::default()
        }];
        let runs = [
            CompareRun { label: "As it happened", samples: &busy },
            CompareRun { label: "Bigger pool only (200)", samples: &calm },
        ];
        let input = CompareInput { runs: &runs, clock_start_s: 0, end_s: 1 };
        assert_eq!(
            CompareMetric::InUse.describe(&input),
            "Connections in use, 2 runs compared: 0 As it happened: at most 100 of 100 in use; \
             1 Bigger pool only (200): at most 7 of 200 in use."
        );
        assert_eq!(
            CompareMetric::TimeoutsPerSecond.describe(&input),
            "Timeouts per second, 2 runs compared: 0 As it happened: at most 150 timeouts in one \
             second; 1 Bigger pool only (200): no timeouts."
        );
    }
}
