//! poolsim-charts: the charts as pure functions of data and a plotters [`DrawingArea`].
//!
//! Every chart is generic over the drawing backend, so the browser draws it on a canvas
//! (`plotters-canvas`) and the command line and tests render the very same code to SVG.
//! The time-series charts ([`ChartKind`]: connections, pending, acquire time, timeouts,
//! throughput, with a database behind the pool its connections, CPU and query stretch,
//! with callers modelled their goodput and attempts, with request threads or health
//! checks the application servers' threads and load balancer)
//! share one frame ([`frame`]: legend row, clock-time x axis, value axis, markers). Inputs
//! are engine [`Sample`](poolsim_engine::Sample)s and
//! [`DatabaseSample`](poolsim_engine::DatabaseSample)s and
//! [`CallerSample`](poolsim_engine::CallerSample)s ([`ChartInput`]), decimated per
//! chart ([`decimate`]) so a long run costs the same to draw as a short one. The compare charts
//! ([`compare`]) overlay several what-if runs in the same frame; the sweep [`heatmap`]
//! colours a grid of settings by an outcome over their replications.
//!
//! [`DrawingArea`]: plotters::drawing::DrawingArea

pub mod acquire;
pub mod axis;
pub mod callers;
pub mod clock;
pub mod compare;
pub mod connections;
pub mod database;
pub mod decimate;
pub mod frame;
pub mod heatmap;
pub mod kind;
pub mod legend;
pub mod marker;
pub mod motion;
pub mod pending;
pub mod pool;
pub mod server;
pub mod svg;
pub mod theme;
pub mod throughput;
pub mod timeouts;

pub use acquire::draw_acquire;
pub use callers::{draw_attempts, draw_goodput};
pub use clock::{ClockAxis, clock_ticks};
pub use compare::{CompareInput, CompareMetric, CompareRun, compare_svg, draw_compare};
pub use connections::draw_connections;
pub use database::{draw_database_connections, draw_database_cpu, draw_query_stretch};
pub use decimate::{
    CallersReduce, DatabaseReduce, Reduce, decimate, decimate_callers, decimate_database, decimate_server,
    decimate_with,
};
pub use heatmap::{
    HeatAxis, HeatCell, HeatPlot, Heatmap, draw_heatmap, heatmap_height, heatmap_plot, heatmap_svg,
};
pub use kind::{AllCharts, ChartKind, ChartSet, ConnectionsOnly, Decimated, Models};
pub use marker::{Marker, MarkerKind, markers_for};
pub use motion::Motion;
pub use pending::draw_pending;
pub use pool::{PoolInput, SlotLook, draw_pool};
pub use server::{ServerSeries, draw_balancer, draw_threads};
pub use theme::Theme;
pub use throughput::draw_throughput;
pub use timeouts::draw_timeouts;

use poolsim_engine::{CallerSample, DatabaseConfig, DatabaseSample, Sample, Simulation};

/// The data every time-series chart takes: one run's series, its clock and its markers.
#[derive(Clone, Copy, Debug)]
pub struct ChartInput<'a> {
    /// Per-second samples, already decimated for the width being drawn
    /// ([`ChartKind::decimated`]).
    pub samples: &'a [Sample],
    /// The database behind the pool, when the scenario models one.
    pub database: Option<DatabaseSeries<'a>>,
    /// The callers' per-second samples when the run models its callers, else empty.
    pub callers: &'a [CallerSample],
    /// The application servers, when the run models their request threads or health checks.
    pub server: Option<ServerSeries<'a>>,
    /// Time of day at simulated time 0 [s since midnight], for clock-time axes.
    pub clock_start_s: u32,
    /// Right end of the time axis [s from the start] (the run's duration, or the time so far).
    pub end_s: u32,
    /// Timeline events, alert firings and the exhaustion moment, drawn as vertical marks.
    pub markers: &'a [Marker],
}

impl ChartInput<'_> {
    /// The charts of this run, in page order ([`ChartKind::shown`]).
    pub fn shown(&self) -> impl Iterator<Item = ChartKind> + use<> {
        let server = self.server.as_ref();
        ChartKind::shown(Models {
            database: self.database.is_some(),
            callers: !self.callers.is_empty(),
            threads: server.is_some_and(|s| s.threads.is_some()),
            health: server.is_some_and(|s| s.instances.is_some()),
        })
    }
}

/// The database's part of a [`ChartInput`].
#[derive(Clone, Copy, Debug)]
pub struct DatabaseSeries<'a> {
    /// Its settings (the connection limits the charts draw).
    pub config: &'a DatabaseConfig,
    /// Its per-second samples, beside the pool's, decimated alike.
    pub samples: &'a [DatabaseSample],
}

impl<'a> ChartInput<'a> {
    /// Everything `sim` has sampled so far (not decimated), its database's series if it
    /// models one, its callers' if it models them, its application servers' if it models
    /// their request threads or health checks, on a clock starting at `clock_start_s` [s
    /// since midnight], the axis reaching the end of the run, with `markers` ([`markers_for`]).
    pub fn for_run(sim: &'a Simulation, clock_start_s: u32, markers: &'a [Marker]) -> Self {
        let database = sim
            .scenario()
            .database
            .as_ref()
            .map(|config| DatabaseSeries { config, samples: sim.database_samples() });
        Self {
            samples: sim.samples(),
            database,
            callers: if sim.models_callers() { sim.caller_samples() } else { &[] },
            server: ServerSeries::of(sim),
            clock_start_s,
            end_s: u32::try_from(sim.end().as_secs()).unwrap_or(u32::MAX),
            markers,
        }
    }
}
