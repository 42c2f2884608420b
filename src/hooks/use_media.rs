//! Follow a CSS media query live (`prefers-reduced-motion`, `prefers-color-scheme`).

use gloo::events::EventListener;
use yew::prelude::*;

/// Whether `query` matches now; re-renders the caller when that changes.
#[hook]
pub fn use_media_query(query: &'static str) -> bool {
    let matches = use_state_eq(|| false);
    {
        let matches = matches.clone();
        // Browser calls belong in effects (never in render), so native rendering works too.
        use_effect_with(query, move |query| {
            let list = web_sys::window().and_then(|w| w.match_media(query).ok().flatten());
            let listener = list.map(|list| {
                matches.set(list.matches());
                let target = list.clone();
                EventListener::new(&list, "change", move |_| matches.set(target.matches()))
            });
            move || drop(listener)
        });
    }
    *matches
}

/// `true` while the user asks for less motion: animations show states without movement.
#[hook]
pub fn use_prefers_reduced_motion() -> bool {
    use_media_query("(prefers-reduced-motion: reduce)")
}
