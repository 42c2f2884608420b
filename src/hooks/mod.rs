//! Hooks shared by the components.

mod use_address;
mod use_animation_frame;
mod use_color_scheme;
mod use_live_run;
mod use_media;
mod use_preset;
mod use_resize;
mod use_runs;

pub use use_address::{
    ADDRESS_DEBOUNCE_MS, LinkStatus, address_of, link_in_address, use_address, use_open_link,
};
pub use use_animation_frame::{FrameFn, use_animation_frame};
pub use use_color_scheme::use_prefers_dark;
pub use use_live_run::{
    DrawPool, FRAME_WORK_MS, LiveRun, PANEL_REFRESH_MS, RACE_WORK_MS, now_ms, use_live_run,
};
pub use use_media::use_prefers_reduced_motion;
pub use use_preset::use_preset_loader;
pub use use_resize::use_window_resize;
pub use use_runs::{Runs, use_runs};
