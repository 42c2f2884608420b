//! Hooks shared by the components.

mod use_color_scheme;
mod use_resize;

pub use use_color_scheme::use_prefers_dark;
pub use use_resize::use_window_resize;
