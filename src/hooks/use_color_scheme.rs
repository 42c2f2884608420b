//! Follow the system's light or dark theme (`prefers-color-scheme`), live.

use gloo::events::EventListener;
use yew::prelude::*;

const DARK_QUERY: &str = "(prefers-color-scheme: dark)";

fn dark_query() -> Option<web_sys::MediaQueryList> {
    web_sys::window()?.match_media(DARK_QUERY).ok().flatten()
}

/// `true` while the system prefers a dark theme; re-renders the caller when it changes.
#[hook]
pub fn use_prefers_dark() -> bool {
    let dark = use_state_eq(|| false);
    {
        let dark = dark.clone();
        // Browser calls belong in effects (never in render), so native rendering works too.
        use_effect_with((), move |()| {
            let listener = dark_query().map(|query| {
                dark.set(query.matches());
                let target = query.clone();
                EventListener::new(&query, "change", move |_| dark.set(target.matches()))
            });
            move || drop(listener)
        });
    }
    *dark
}
