//! The database's charts, shown when the scenario models the database behind the pool:
//! its connections open under its limits, its CPU busy, and how much the crowd stretched
//! each query. Each plots the [`DatabaseSeries`] of a [`ChartInput`] on the shared frame;
//! without a database they draw an empty frame.

use plotters::coord::Shift;
use plotters::prelude::*;
use poolsim_content::words::{percent, short_number};
use poolsim_engine::DatabaseSample;
use poolsim_engine::analytic::usable_connections;

use crate::axis::{ValueAxis, format_count, format_percent, format_times};
use crate::frame::{Frame, draw_gapped, draw_time_chart, points};
use crate::legend::{LegendItem, Swatch};
use crate::{ChartInput, DatabaseSeries, Theme};

/// The database's samples in `input`, none without a database.
fn samples<'a>(input: &ChartInput<'a>) -> &'a [DatabaseSample] {
    input.database.map_or(&[], |db| db.samples)
}

/// Draw the database's connections chart filling `area`: the connections open (each
/// counts against `max_connections`) as an area, the usable limit (`max_connections −
/// reserved`) dashed and `max_connections` as lines. Decimate its samples with
/// [`DatabaseReduce::MostConnections`](crate::decimate::DatabaseReduce::MostConnections).
pub fn draw_database_connections<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    input: &ChartInput<'_>,
    theme: &Theme,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let legend = [
        LegendItem { label: "open", color: theme.active, swatch: Swatch::Fill },
        LegendItem {
            label: "usable (max_connections − reserved)",
            color: theme.usable,
            swatch: Swatch::Line,
        },
        LegendItem { label: "max_connections", color: theme.limit, swatch: Swatch::Line },
    ];
    let samples = samples(input);
    let limits = input.database.map(|db| {
        let config = db.config;
        (usable_connections(config.max_connections, config.reserved_connections), config.max_connections)
    });
    let peak = samples.iter().map(|s| s.connections).max().unwrap_or(0);
    let top = limits.map_or(peak, |(_, max)| peak.max(max));
    let headline = limits.map(|(usable, _)| format!("peak {peak} of {usable} usable"));
    let frame = Frame { legend: &legend, headline, y: ValueAxis::linear(f64::from(top), format_count) };
    draw_time_chart(area, input, theme, frame, |chart| {
        let open = points(samples, |s| f64::from(s.connections));
        let color = theme.active;
        chart.draw_series(AreaSeries::new(open, 0.0, color.mix(0.85)).border_style(color.stroke_width(1)))?;
        let Some((usable, max)) = limits else { return Ok(()) };
        // The limits hold for the whole run: a line across the time axis.
        let across = |y: u32| [(0.0, f64::from(y)), (f64::from(input.end_s), f64::from(y))];
        let dashed = theme.usable.stroke_width(theme.px(1.5));
        chart.draw_series(DashedLineSeries::new(across(usable), theme.px(6.0), theme.px(4.0), dashed))?;
        chart.draw_series(LineSeries::new(across(max), theme.limit.stroke_width(theme.px(1.5))))?;
        Ok(())
    })
}

/// Draw the database's CPU chart filling `area`: the share of its cores busy each second,
/// 0–100 %. Decimate its samples with
/// [`DatabaseReduce::BusiestCpu`](crate::decimate::DatabaseReduce::BusiestCpu).
pub fn draw_database_cpu<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    input: &ChartInput<'_>,
    theme: &Theme,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let label = input
        .database
        .map_or_else(|| "cores busy".to_owned(), |db| format!("cores busy (of {})", db.config.cores));
    let legend = [LegendItem { label: &label, color: theme.cpu, swatch: Swatch::Fill }];
    let samples = samples(input);
    let peak = samples.iter().map(|s| s.utilisation).fold(f64::NAN, f64::max);
    let headline = (!peak.is_nan()).then(|| format!("peak {} busy", percent(peak)));
    let frame = Frame { legend: &legend, headline, y: ValueAxis::linear(100.0, format_percent) };
    draw_time_chart(area, input, theme, frame, |chart| {
        let busy = points(samples, |s| s.utilisation * 100.0);
        let color = theme.cpu;
        chart.draw_series(
            AreaSeries::new(busy, 0.0, color.mix(0.85)).border_style(color.stroke_width(theme.px(1.0))),
        )?;
        Ok(())
    })
}

/// Draw the query-stretch chart filling `area`: each second's queries' time ÷ their time
/// alone (1 = the crowd slowed nothing), a gap where no query finished. Decimate its
/// samples with [`DatabaseReduce::MostStretched`](crate::decimate::DatabaseReduce::MostStretched).
pub fn draw_query_stretch<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    input: &ChartInput<'_>,
    theme: &Theme,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let legend =
        [LegendItem { label: "query time ÷ time alone", color: theme.stretch, swatch: Swatch::Line }];
    let samples = samples(input);
    let worst = worst_stretch(samples);
    let headline = worst.map(|w| format!("worst {w:.2}×"));
    let frame = Frame { legend: &legend, headline, y: ValueAxis::linear(worst.unwrap_or(1.0), format_times) };
    draw_time_chart(area, input, theme, frame, |chart| {
        let style = theme.stretch.stroke_width(theme.px(2.0));
        draw_gapped(chart, samples, |s| s.queries == 0, |s| s.stretch, style)
    })
}

/// The largest stretch of the seconds that finished a query, if any did.
fn worst_stretch(samples: &[DatabaseSample]) -> Option<f64> {
    samples.iter().filter(|s| s.queries > 0).map(|s| s.stretch).reduce(f64::max)
}

/// The connections chart in words, for screen readers: open now, the peak and the limits.
pub fn describe_database_connections(database: Option<DatabaseSeries<'_>>) -> String {
    let Some((db, last)) = latest(database) else {
        return "Database connections over time: no data yet.".to_owned();
    };
    let peak = db.samples.iter().map(|s| s.connections).max().unwrap_or(0);
    let (max, reserved) = (db.config.max_connections, db.config.reserved_connections);
    format!(
        "Database connections over time: {} open now; at most {peak} so far, of {} usable (max_connections {max}, {reserved} reserved).",
        last.connections,
        usable_connections(max, reserved)
    )
}

/// The CPU chart in words, for screen readers: the last second and the peak.
pub fn describe_database_cpu(database: Option<DatabaseSeries<'_>>) -> String {
    let Some((db, last)) = latest(database) else {
        return "Database CPU over time: no data yet.".to_owned();
    };
    let peak = db.samples.iter().map(|s| s.utilisation).fold(0.0, f64::max);
    format!(
        "Database CPU over time: {} of {} cores busy in the last second; at most {} so far.",
        percent(last.utilisation),
        db.config.cores,
        percent(peak)
    )
}

/// The stretch chart in words, for screen readers: the last second and the worst.
pub fn describe_query_stretch(database: Option<DatabaseSeries<'_>>) -> String {
    let Some((db, last)) = latest(database) else {
        return "Query stretch over time: no data yet.".to_owned();
    };
    let now = if last.queries == 0 {
        "no query finished in the last second".to_owned()
    } else {
        format!("queries took {} times their time alone in the last second", short_number(last.stretch))
    };
    let so_far = worst_stretch(db.samples).map_or_else(
        || "no query finished so far".to_owned(),
        |worst| format!("at worst {} times so far", short_number(worst)),
    );
    format!("Query stretch over time: {now}; {so_far}.")
}

/// The database's series and its last sample, once there is one.
fn latest(database: Option<DatabaseSeries<'_>>) -> Option<(DatabaseSeries<'_>, &DatabaseSample)> {
    let db = database?;
    Some((db, db.samples.last()?))
}
