//! poolsim-charts: the charts as pure functions of data and a plotters [`DrawingArea`].
//!
//! Every chart is generic over the drawing backend, so the browser draws it on a canvas
//! (`plotters-canvas`) and the command line and tests render the very same code to SVG.
//! The five time-series charts ([`ChartKind`]: connections, pending, acquire time, timeouts,
//! throughput) share one frame ([`frame`]: legend row, clock-time x axis, value axis,
//! markers). Inputs are engine [`Sample`](poolsim_engine::Sample)s, decimated per chart
//! ([`decimate`]) so a long run costs the same to draw as a short one. The compare charts
//! ([`compare`]) overlay several what-if runs in the same frame.
//!
//! [`DrawingArea`]: plotters::drawing::DrawingArea

pub mod acquire;
pub mod axis;
pub mod clock;
pub mod compare;
pub mod connections;
pub mod decimate;
pub mod frame;
pub mod kind;
pub mod legend;
pub mod marker;
pub mod pending;
pub mod pool;
pub mod svg;
pub mod theme;
pub mod throughput;
pub mod timeouts;

pub use acquire::draw_acquire;
pub use clock::{ClockAxis, clock_ticks};
pub use compare::{CompareInput, CompareMetric, CompareRun, compare_svg, draw_compare};
pub use connections::draw_connections;
pub use decimate::{Reduce, decimate, decimate_with};
pub use kind::ChartKind;
pub use marker::{Marker, MarkerKind, markers_for};
pub use pending::draw_pending;
pub use pool::{PoolInput, SlotLook, draw_pool};
pub use theme::Theme;
pub use throughput::draw_throughput;
pub use timeouts::draw_timeouts;

/// The data every time-series chart takes.
#[derive(Clone, Copy, Debug)]
pub struct ChartInput<'a> {
    /// Per-second samples, already decimated for the width being drawn
    /// ([`ChartKind::samples_for`]).
    pub samples: &'a [poolsim_engine::Sample],
    /// Time of day at simulated time 0 [s since midnight], for clock-time axes.
    pub clock_start_s: u32,
    /// Right end of the time axis [s from the start] (the run's duration, or the time so far).
    pub end_s: u32,
    /// Timeline events, alert firings and the exhaustion moment, drawn as vertical marks.
    pub markers: &'a [Marker],
}
