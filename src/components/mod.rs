//! The page's components, one area each.

pub mod connections_chart;
pub mod outcome;
pub mod preset_picker;

pub use connections_chart::ConnectionsChart;
pub use outcome::{Outcome, RunStats};
pub use preset_picker::PresetPicker;
