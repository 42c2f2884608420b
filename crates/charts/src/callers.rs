//! The callers' charts, shown when the run models its callers (a deadline, a retry policy,
//! a breaker): goodput beside throughput — what was served against what was served
//! before the caller gave up, the gap between them is wasted work, the signature of a
//! cascade — and attempts per second by first try and retry, where a retry storm shows.
//! Each plots the [`CallerSample`]s of a [`ChartInput`] (the goodput chart the pool's
//! served too); without callers they draw an empty frame.

use plotters::coord::Shift;
use plotters::prelude::*;
use poolsim_content::words::percent;
use poolsim_engine::CallerSample;

use crate::axis::{ValueAxis, format_count};
use crate::frame::{Frame, draw_time_chart, points};
use crate::legend::{LegendItem, Swatch};
use crate::{ChartInput, Theme};

/// Draw the goodput chart filling `area`: attempts served per second (throughput) as a
/// line, requests answered before their caller's deadline (goodput) as an area under it,
/// and the attempts served for callers already gone (wasted work) as an area. Decimate
/// with [`CallersReduce::MeanRates`](crate::decimate::CallersReduce::MeanRates).
pub fn draw_goodput<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    input: &ChartInput<'_>,
    theme: &Theme,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let legend = [
        LegendItem { label: "served/s", color: theme.served, swatch: Swatch::Line },
        LegendItem { label: "answered in time/s", color: theme.active, swatch: Swatch::Fill },
        LegendItem { label: "served too late/s (wasted)", color: theme.failure, swatch: Swatch::Fill },
    ];
    let callers = input.callers;
    let peak = input
        .samples
        .iter()
        .map(|s| s.served)
        .chain(callers.iter().map(|c| c.goodput.max(c.served_late)))
        .max()
        .unwrap_or(0);
    let headline = wasted_share(callers).map(|w| format!("{} of work wasted", percent(w)));
    let frame = Frame { legend: &legend, headline, y: ValueAxis::linear(f64::from(peak), format_count) };
    draw_time_chart(area, input, theme, frame, |chart| {
        for (color, data) in [
            (theme.active, points(callers, |c| f64::from(c.goodput))),
            (theme.failure, points(callers, |c| f64::from(c.served_late))),
        ] {
            chart.draw_series(
                AreaSeries::new(data, 0.0, color.mix(0.6)).border_style(color.stroke_width(1)),
            )?;
        }
        let served = points(input.samples, |s| f64::from(s.served));
        chart.draw_series(LineSeries::new(served, theme.served.stroke_width(theme.px(2.0))))?;
        Ok(())
    })
}

/// Draw the attempts chart filling `area`: attempts per second, first tries below and
/// retries stacked on top, and the retries the budget refused (if any) as a dashed line. Decimate
/// with [`CallersReduce::MeanRates`](crate::decimate::CallersReduce::MeanRates).
pub fn draw_attempts<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    input: &ChartInput<'_>,
    theme: &Theme,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let legend = [
        LegendItem { label: "first tries/s", color: theme.arrivals, swatch: Swatch::Fill },
        LegendItem { label: "retries/s", color: theme.pending, swatch: Swatch::Fill },
        LegendItem {
            label: "retries refused by the budget/s",
            color: theme.other_failure,
            swatch: Swatch::Line,
        },
    ];
    let callers = input.callers;
    let denied = callers.iter().any(|c| c.retries_denied > 0);
    // The budget's refusals only when it refused any.
    let legend = &legend[..if denied { 3 } else { 2 }];
    let all = |c: &CallerSample| c.first_tries + c.retries;
    let peak = callers.iter().map(|c| all(c).max(c.retries_denied)).max().unwrap_or(0);
    let headline = peak_ratio(callers).map(|r| format!("up to {r:.1} attempts a request"));
    let frame = Frame { legend, headline, y: ValueAxis::linear(f64::from(peak), format_count) };
    draw_time_chart(area, input, theme, frame, |chart| {
        // Stacked: all attempts behind, first tries in front; what shows above is retries.
        for (color, data) in [
            (theme.pending, points(callers, |c| f64::from(all(c)))),
            (theme.arrivals, points(callers, |c| f64::from(c.first_tries))),
        ] {
            chart.draw_series(
                AreaSeries::new(data, 0.0, color.mix(0.85)).border_style(color.stroke_width(1)),
            )?;
        }
        if denied {
            let denied = points(callers, |c| f64::from(c.retries_denied));
            let style = theme.other_failure.stroke_width(theme.px(1.5));
            chart.draw_series(DashedLineSeries::new(denied, theme.px(6.0), theme.px(4.0), style))?;
        }
        Ok(())
    })
}

/// Of the attempts served so far, the share served for callers already gone; `None`
/// before any was served.
fn wasted_share(callers: &[CallerSample]) -> Option<f64> {
    let sum = |f: fn(&CallerSample) -> u32| callers.iter().map(|c| u64::from(f(c))).sum::<u64>();
    let (late, in_time) = (sum(|c| c.served_late), sum(|c| c.goodput));
    (late + in_time > 0).then(|| late as f64 / (late + in_time) as f64)
}

/// The most attempts per first try in any second that had first tries.
fn peak_ratio(callers: &[CallerSample]) -> Option<f64> {
    callers
        .iter()
        .filter(|c| c.first_tries > 0)
        .map(|c| f64::from(c.first_tries + c.retries) / f64::from(c.first_tries))
        .reduce(f64::max)
}

/// The goodput chart in words, for screen readers: the last second and the share wasted.
pub fn describe_goodput(input: &ChartInput<'_>) -> String {
    let (Some(last), Some(served)) = (input.callers.last(), input.samples.last()) else {
        return "Goodput per second: no data yet.".to_owned();
    };
    let wasted = wasted_share(input.callers).map_or_else(
        || "nothing served so far".to_owned(),
        |w| format!("{} of the work so far wasted", percent(w)),
    );
    format!(
        "Goodput per second: {} served and {} answered in time in the last second, {} too late; {wasted}.",
        served.served, last.goodput, last.served_late
    )
}

/// The attempts chart in words, for screen readers: the last second and the worst ratio.
pub fn describe_attempts(callers: &[CallerSample]) -> String {
    let Some(last) = callers.last() else { return "Attempts per second: no data yet.".to_owned() };
    let worst = peak_ratio(callers).map_or_else(
        || "no first tries so far".to_owned(),
        |r| format!("at worst {r:.1} attempts a request"),
    );
    format!(
        "Attempts per second: {} first tries and {} retries in the last second; {worst}.",
        last.first_tries, last.retries
    )
}
