//! The five time-series charts as one enum, so the web page, the SVG dashboard and the
//! tests iterate over them instead of repeating each one: title, Grafana metric, how to
//! decimate, how to draw, and how to say it in words.

use plotters::coord::Shift;
use plotters::prelude::*;
use poolsim_engine::Sample;

use crate::decimate::{Reduce, decimate_with};
use crate::{ChartInput, Theme, acquire, connections, pending, throughput, timeouts};

/// One of the time-series charts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ChartKind {
    /// Idle, active and leaked connections under the pool's maximum.
    Connections,
    /// Requests waiting for a connection.
    Pending,
    /// Acquire time: p50, p99 and max.
    Acquire,
    /// Timeouts and other failures per second.
    Timeouts,
    /// Arrivals and served per second.
    Throughput,
}

impl ChartKind {
    /// Every chart, in page order.
    pub const ALL: [ChartKind; 5] = [
        ChartKind::Connections,
        ChartKind::Pending,
        ChartKind::Acquire,
        ChartKind::Timeouts,
        ChartKind::Throughput,
    ];

    /// The plain title.
    pub fn title(self) -> &'static str {
        match self {
            ChartKind::Connections => "Connections",
            ChartKind::Pending => "Requests waiting",
            ChartKind::Acquire => "Acquire time",
            ChartKind::Timeouts => "Timeouts per second",
            ChartKind::Throughput => "Throughput",
        }
    }

    /// The metric as engineers find it in Grafana (HikariCP/Micrometer).
    pub fn metric(self) -> &'static str {
        match self {
            ChartKind::Connections => "hikaricp_connections_active / _idle / _max",
            ChartKind::Pending => "hikaricp_connections_pending",
            ChartKind::Acquire => "hikaricp_connections_acquire_seconds",
            ChartKind::Timeouts => "rate(hikaricp_connections_timeout_total)",
            ChartKind::Throughput => "rate(hikaricp_connections_acquire_seconds_count)",
        }
    }

    /// Title and metric on one line: `Connections — hikaricp_connections_active / _idle / _max`.
    pub fn caption(self) -> String {
        format!("{} — {}", self.title(), self.metric())
    }

    /// A short lowercase name (`connections`, `pending`, `acquire`, `timeouts`, `throughput`)
    /// for ids, file names and test ids.
    pub fn slug(self) -> &'static str {
        match self {
            ChartKind::Connections => "connections",
            ChartKind::Pending => "pending",
            ChartKind::Acquire => "acquire",
            ChartKind::Timeouts => "timeouts",
            ChartKind::Throughput => "throughput",
        }
    }

    /// How this chart reduces a bucket of seconds when there are more than it can draw.
    pub fn reduce(self) -> Reduce {
        match self {
            ChartKind::Connections => Reduce::Busiest,
            ChartKind::Pending => Reduce::MostPending,
            ChartKind::Acquire => Reduce::WorstWait,
            ChartKind::Timeouts => Reduce::MostFailures,
            ChartKind::Throughput => Reduce::MeanRates,
        }
    }

    /// `samples` decimated for a plot `width_px` device pixels wide: about one sample per
    /// two pixels, enough detail at a flat cost however long the run.
    pub fn samples_for(self, samples: &[Sample], width_px: u32) -> Vec<Sample> {
        decimate_with(samples, (width_px / 2).max(2) as usize, self.reduce())
    }

    /// Draw this chart filling `area`; `input.samples` already decimated by [`Self::samples_for`].
    pub fn draw<DB: DrawingBackend>(
        self,
        area: &DrawingArea<DB, Shift>,
        input: &ChartInput<'_>,
        theme: &Theme,
    ) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
        match self {
            ChartKind::Connections => connections::draw_connections(area, input, theme),
            ChartKind::Pending => pending::draw_pending(area, input, theme),
            ChartKind::Acquire => acquire::draw_acquire(area, input, theme),
            ChartKind::Timeouts => timeouts::draw_timeouts(area, input, theme),
            ChartKind::Throughput => throughput::draw_throughput(area, input, theme),
        }
    }

    /// The chart's current values in words (for `aria-label`), from the full samples.
    pub fn describe(self, samples: &[Sample]) -> String {
        match self {
            ChartKind::Connections => connections::describe_connections(samples),
            ChartKind::Pending => pending::describe_pending(samples),
            ChartKind::Acquire => acquire::describe_acquire(samples),
            ChartKind::Timeouts => timeouts::describe_timeouts(samples),
            ChartKind::Throughput => throughput::describe_throughput(samples),
        }
    }
}

#[cfg(test)]
mod tests {
    use poolsim_engine::Gauges;

    use super::*;

    #[test]
    fn descriptions_say_the_current_values_in_words() {
        let samples = [
            Sample {
                t_s: 1,
                gauges: Gauges { active: 10, max: 10, pending: 7, ..Gauges::default() },
                served: 40,
                arrivals: 50,
                acquire_p99_ms: 12.0,
                ..Sample::default()
            },
            Sample {
                t_s: 2,
                gauges: Gauges { active: 10, leaked: 10, max: 10, pending: 3, ..Gauges::default() },
                arrivals: 50,
                timeouts: 50,
                failed: 52,
                ..Sample::default()
            },
        ];
        let words = |kind: ChartKind| kind.describe(&samples);
        assert_eq!(
            words(ChartKind::Connections),
            "Connections over time: at most 10 in use so far; 10 in use, 0 idle and 10 leaked now, of at most 10."
        );
        assert_eq!(words(ChartKind::Pending), "Requests waiting over time: 3 waiting now; at most 7 so far.");
        assert_eq!(
            words(ChartKind::Acquire),
            "Acquire time over time: no request got a connection in the last second; worst p99 12 ms so far."
        );
        assert!(
            words(ChartKind::Timeouts).starts_with("Timeouts per second: 50 timeouts and 2 other failures")
        );
        assert_eq!(
            words(ChartKind::Throughput),
            "Throughput per second: 50 arrived and 0 served in the last second; 40 % of arrivals served so far."
        );
        for kind in ChartKind::ALL {
            assert!(kind.describe(&[]).ends_with("no data yet."), "{kind:?} before the first second");
        }
    }

    #[test]
    fn captions_name_the_grafana_metric() {
        assert_eq!(
            ChartKind::Connections.caption(),
            "Connections — hikaricp_connections_active / _idle / _max"
        );
        assert!(ChartKind::ALL.iter().all(|k| k.caption().contains("hikaricp_connections")));
    }
}
