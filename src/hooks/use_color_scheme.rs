//! Follow the system's light or dark theme (`prefers-color-scheme`), live.

use yew::prelude::*;

use super::use_media::use_media_query;

/// `true` while the system prefers a dark theme; re-renders the caller when it changes.
#[hook]
pub fn use_prefers_dark() -> bool {
    use_media_query("(prefers-color-scheme: dark)")
}
