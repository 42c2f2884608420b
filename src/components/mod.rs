//! The page's components, one area each.

pub mod charts_panel;
pub mod compare;
pub mod controls;
pub mod copy_link;
pub mod exhaustion;
pub mod field;
pub mod fixes;
pub mod fleet_view;
pub mod log_view;
pub mod outcome;
pub mod playback;
pub mod pool_view;
pub mod preset_picker;
pub mod readouts;
pub mod runs_progress;
pub mod share;
pub mod timeline;

pub use charts_panel::ChartsPanel;
pub use compare::Compare;
pub use controls::{ControlChange, Controls};
pub use copy_link::{CopyLayout, CopyLink, LinkTo};
pub use exhaustion::exhaustion;
pub use fixes::Fixes;
pub use fleet_view::FleetView;
pub use log_view::log_view;
pub use outcome::{OutcomeSpread, outcome};
pub use playback::{PlaybackProps, playback};
pub use pool_view::PoolView;
pub use preset_picker::preset_picker;
pub use readouts::readouts;
pub use share::SharePanel;
pub use timeline::Timeline;
