//! The application servers' charts, shown when the run models what stands in front of the
//! pool: its request threads (`app`: threads busy against the threads there are, the
//! accept queue and the attempts refused at once — when every thread is blocked on
//! `getConnection()` the whole service is down, not only its database calls) and its
//! load balancer's health checks (instances in the balancer, and the attempts refused
//! because none is left). Each plots the [`AppSample`]s of a [`ChartInput`]'s
//! [`ServerSeries`]; without one they draw an empty frame.

use plotters::coord::Shift;
use plotters::prelude::*;
use poolsim_engine::{AppSample, Simulation};

use crate::axis::{ValueAxis, format_count};
use crate::frame::{Frame, draw_time_chart, points};
use crate::legend::{LegendItem, Swatch};
use crate::{ChartInput, Theme};

/// The application servers' part of a [`ChartInput`], when the run models their request
/// threads or health checks.
#[derive(Clone, Copy, Debug)]
pub struct ServerSeries<'a> {
    /// One sample per second beside the pool's (the fleet's sums).
    pub samples: &'a [AppSample],
    /// Request threads of every instance together now (`None`: threads not modelled).
    pub threads: Option<u32>,
    /// Instances behind the balancer (`None`: no health checks).
    pub instances: Option<u32>,
}

impl<'a> ServerSeries<'a> {
    /// The servers of `sim` so far, when it models their request threads or health checks.
    pub fn of(sim: &'a Simulation) -> Option<Self> {
        let (threads, health) = (sim.models_threads(), sim.models_health());
        let n = sim.instance_count();
        (threads || health).then(|| Self {
            samples: sim.app_samples(),
            threads: threads.then(|| {
                (0..n).filter_map(|j| sim.instance_server(j)?.threads).fold(0u32, u32::saturating_add)
            }),
            instances: health.then_some(n),
        })
    }
}

/// The samples of `input`'s servers (none without them).
fn samples<'a>(input: &ChartInput<'a>) -> &'a [AppSample] {
    input.server.map_or(&[], |s| s.samples)
}

/// Draw the request threads chart filling `area`: threads busy as an area under the
/// threads there are, attempts waiting in the accept queue, and attempts refused at once
/// per second. Decimate with [`decimate_server`](crate::decimate::decimate_server).
pub fn draw_threads<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    input: &ChartInput<'_>,
    theme: &Theme,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let legend = [
        LegendItem { label: "threads busy", color: theme.active, swatch: Swatch::Fill },
        LegendItem { label: "accept queue", color: theme.pending, swatch: Swatch::Line },
        LegendItem { label: "refused/s", color: theme.failure, swatch: Swatch::Line },
        LegendItem { label: "threads", color: theme.limit, swatch: Swatch::Line },
    ];
    let series = samples(input);
    let threads = input.server.and_then(|s| s.threads).unwrap_or(0);
    let peak = series
        .iter()
        .map(|s| s.threads_busy.max(s.accept_queue).max(s.rejected))
        .max()
        .unwrap_or(0)
        .max(threads);
    let busy = series.iter().map(|s| s.threads_busy).max().unwrap_or(0);
    let headline = (threads > 0).then(|| {
        if busy >= threads {
            format!("all {threads} threads busy")
        } else {
            format!("peak {busy} of {threads} busy")
        }
    });
    let frame = Frame { legend: &legend, headline, y: ValueAxis::linear(f64::from(peak), format_count) };
    draw_time_chart(area, input, theme, frame, |chart| {
        let color = theme.active;
        let data = points(series, |s| f64::from(s.threads_busy));
        chart.draw_series(AreaSeries::new(data, 0.0, color.mix(0.6)).border_style(color.stroke_width(1)))?;
        for (color, value) in [
            (theme.pending, (|s| f64::from(s.accept_queue)) as fn(&AppSample) -> f64),
            (theme.failure, |s| f64::from(s.rejected)),
        ] {
            chart.draw_series(LineSeries::new(points(series, value), color.stroke_width(theme.px(1.5))))?;
        }
        if let (Some(first), Some(last)) = (series.first(), series.last()) {
            let line =
                [(f64::from(first.t_s), f64::from(threads)), (f64::from(last.t_s), f64::from(threads))];
            let style = theme.limit.stroke_width(theme.px(1.5));
            chart.draw_series(DashedLineSeries::new(line, theme.px(6.0), theme.px(4.0), style))?;
        }
        Ok(())
    })
}

/// Draw the load balancer chart filling `area`: instances in the balancer out of the
/// fleet, and attempts refused at once per second (with no instance left, every attempt).
/// Decimate with [`decimate_server`](crate::decimate::decimate_server).
pub fn draw_balancer<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    input: &ChartInput<'_>,
    theme: &Theme,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let legend = [
        LegendItem { label: "instances in the balancer", color: theme.served, swatch: Swatch::Fill },
        LegendItem { label: "instances", color: theme.limit, swatch: Swatch::Line },
    ];
    let series = samples(input);
    let instances = input.server.and_then(|s| s.instances).unwrap_or(0);
    let fewest = series.iter().map(|s| s.in_balancer).min();
    let headline = fewest.map(|n| match n {
        0 => "every instance out at least once".to_owned(),
        n if n == instances => "every instance in throughout".to_owned(),
        n => format!("down to {n} of {instances}"),
    });
    let frame = Frame { legend: &legend, headline, y: ValueAxis::linear(f64::from(instances), format_count) };
    draw_time_chart(area, input, theme, frame, |chart| {
        let color = theme.served;
        let data = points(series, |s| f64::from(s.in_balancer));
        chart.draw_series(
            AreaSeries::new(data, 0.0, color.mix(0.5)).border_style(color.stroke_width(theme.px(1.5))),
        )?;
        let all = points(series, |_| f64::from(instances));
        chart.draw_series(LineSeries::new(all, theme.limit.stroke_width(theme.px(1.0))))?;
        Ok(())
    })
}

/// The request threads chart in words, for screen readers: the last second and the peak.
pub fn describe_threads(input: &ChartInput<'_>) -> String {
    let series = samples(input);
    let Some(last) = series.last() else { return "Request threads over time: no data yet.".to_owned() };
    let threads = input.server.and_then(|s| s.threads).unwrap_or(0);
    let busy = series.iter().map(|s| s.threads_busy).max().unwrap_or(0);
    let refused: u64 = series.iter().map(|s| u64::from(s.rejected)).sum();
    format!(
        "Request threads over time: {} of {threads} busy now, {} waiting to be accepted, {} refused in the last second; at most {busy} busy and {} refused so far.",
        last.threads_busy,
        last.accept_queue,
        last.rejected,
        format_count(refused as f64)
    )
}

/// The load balancer chart in words, for screen readers: instances in it now and the fewest.
pub fn describe_balancer(input: &ChartInput<'_>) -> String {
    let series = samples(input);
    let Some(last) = series.last() else {
        return "Instances in the load balancer over time: no data yet.".to_owned();
    };
    let instances = input.server.and_then(|s| s.instances).unwrap_or(0);
    let fewest = series.iter().map(|s| s.in_balancer).min().unwrap_or(0);
    format!(
        "Instances in the load balancer over time: {} of {instances} now, {fewest} at the fewest.",
        last.in_balancer
    )
}
