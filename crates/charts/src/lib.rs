//! poolsim-charts: the charts as pure functions of data and a plotters [`DrawingArea`].
//!
//! Every chart is generic over the drawing backend, so the browser draws it on a canvas
//! (`plotters-canvas`) and the command line and tests render the very same code to SVG.
//! Inputs are engine [`Sample`](poolsim_engine::Sample)s, decimated with [`decimate`] so a
//! long run costs the same to draw as a short one.
//!
//! [`DrawingArea`]: plotters::drawing::DrawingArea

pub mod clock;
pub mod connections;
pub mod decimate;
pub mod legend;
pub mod marker;
pub mod svg;
pub mod theme;

pub use clock::{ClockAxis, clock_ticks, format_clock, parse_clock};
pub use connections::draw_connections;
pub use decimate::decimate;
pub use marker::{Marker, MarkerKind};
pub use theme::Theme;

/// The data every time-series chart takes.
#[derive(Clone, Copy, Debug)]
pub struct ChartInput<'a> {
    /// Per-second samples, already decimated for the width being drawn.
    pub samples: &'a [poolsim_engine::Sample],
    /// Time of day at simulated time 0 [s since midnight], for clock-time axes.
    pub clock_start_s: u32,
    /// Right end of the time axis [s from the start] (the run's duration, or the time so far).
    pub end_s: u32,
    /// Timeline events, alert firings and the exhaustion moment, drawn as vertical marks.
    pub markers: &'a [Marker],
}
