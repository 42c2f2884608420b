//! The run in the page's address: read the shared state from the location (`#v1.…`
//! fragment, `?embed` flag), write it back without a reload (`history.replaceState`),
//! and build the URLs that "Copy link" and the embed dialog hand out.
//!
//! ```text
//! https://example.org/poolsim/?embed#v1.q1YqzkgtSk1RslIqS8wpTVWqBQA
//! └──────── base ────────────┘└─┬─┘└──────── link::encode ───────┘
//!                           embed flag
//! ```
//!
//! Parsing is pure ([`state_from_parts`], [`wants_embed`], [`page_base`]); the functions
//! that touch `window` return `Err` text instead of panicking when there is no window.

use poolsim_engine::link::{self, SharedState};
use wasm_bindgen::JsValue;

/// The query flag that opens the compact layout for an iframe.
pub const EMBED_FLAG: &str = "embed";

/// Whether a query string (`?embed`, `?lang=en&embed=1`) asks for the embed layout.
/// `embed=0`, `embed=false` and `embed=no` do not.
pub fn wants_embed(search: &str) -> bool {
    search.trim_start_matches('?').split('&').any(|pair| {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        key == EMBED_FLAG && !matches!(value, "0" | "false" | "no")
    })
}

/// Whether a fragment (without its `#`) is meant as a poolsim link: it starts with a
/// version tag (`v` and a digit). Anything else (`h-charts`) is an anchor on the page.
pub fn looks_like_link(fragment: &str) -> bool {
    let mut bytes = fragment.trim_start().bytes();
    bytes.next() == Some(b'v') && bytes.next().is_some_and(|b| b.is_ascii_digit())
}

/// The shared state a location carries, from its `search` (`?embed`) and `hash`
/// (`#v1.…`) parts as `window.location` gives them.
///
/// `Ok(None)`: no link (no fragment, or an ordinary anchor such as `#h-charts`); the page
/// opens its default scenario (and [`wants_embed`] still tells whether to embed).
/// `Err`: a link that cannot be opened, with a message for the person who pasted it.
/// A `?embed` flag sets `view.embed` on top of what the fragment says.
pub fn state_from_parts(search: &str, hash: &str) -> Result<Option<SharedState>, String> {
    let fragment = hash.strip_prefix('#').unwrap_or(hash);
    if !looks_like_link(fragment) {
        return Ok(None);
    }
    let mut state = link::decode(fragment).map_err(|e| e.to_string())?;
    state.view.embed |= wants_embed(search);
    Ok(Some(state))
}

/// The shared state in the page's current address (see [`state_from_parts`]).
pub fn read_location() -> Result<Option<SharedState>, String> {
    let location = web_sys::window().ok_or("no browser window")?.location();
    let search = location.search().map_err(js_text)?;
    let hash = location.hash().map_err(js_text)?;
    state_from_parts(&search, &hash)
}

/// Whether the page's current address asks for the embed layout (`?embed`).
pub fn embed_requested() -> bool {
    web_sys::window().and_then(|w| w.location().search().ok()).is_some_and(|s| wants_embed(&s))
}

/// `href` without its query and fragment: the page itself.
pub fn page_base(href: &str) -> &str {
    let end = href.find(['?', '#']).unwrap_or(href.len());
    &href[..end]
}

/// The page's own address (origin and path, no query or fragment), or `None` without a window.
pub fn current_base() -> Option<String> {
    let href = web_sys::window()?.location().href().ok()?;
    Some(page_base(&href).to_owned())
}

/// The link "Copy link" gives: `base#v1.…`. `Err` when the scenario is too large for a
/// link (a thousand long notes), with the reason.
pub fn share_url(base: &str, state: &SharedState) -> Result<String, String> {
    let fragment = link::try_encode(state).map_err(|e| e.to_string())?;
    Ok(format!("{}#{fragment}", page_base(base)))
}

/// The address of an embed: `base?embed#v1.…`, with `view.embed` set in the link too (so
/// the flag survives a host that strips queries).
pub fn embed_url(base: &str, state: &SharedState) -> Result<String, String> {
    let mut state = state.clone();
    state.view.embed = true;
    let fragment = link::try_encode(&state).map_err(|e| e.to_string())?;
    Ok(format!("{}?{EMBED_FLAG}#{fragment}", page_base(base)))
}

/// Put `state` in the address bar without reloading or adding a history entry
/// (`history.replaceState`); the query (`?embed`) is kept.
pub fn replace_state(state: &SharedState) -> Result<(), String> {
    let fragment = link::try_encode(state).map_err(|e| e.to_string())?;
    let history = web_sys::window().ok_or("no browser window")?.history().map_err(js_text)?;
    // A URL of only a fragment resolves against the current address: path and query stay.
    history.replace_state_with_url(&JsValue::NULL, "", Some(&format!("#{fragment}"))).map_err(js_text)
}

/// A JavaScript error as text: its `message`, or what it prints as.
pub fn js_text(error: JsValue) -> String {
    js_sys::Reflect::get(&error, &JsValue::from_str("message"))
        .ok()
        .and_then(|m| m.as_string())
        .or_else(|| error.as_string())
        .unwrap_or_else(|| "the browser refused".to_owned())
}

#[cfg(test)]
mod tests {
    use poolsim_engine::Scenario;
    use poolsim_engine::link::ViewOptions;

    use super::*;

    fn state() -> SharedState {
        let scenario = Scenario::from_json(r#"{ "name": "Shared", "duration_s": 600 }"#).expect("valid");
        SharedState { scenario, view: ViewOptions { autoplay: true, ..ViewOptions::default() } }
    }

    #[test]
    fn the_embed_flag_is_a_query_key_and_can_be_turned_off() {
        for yes in ["?embed", "?embed=1", "?embed=true", "?lang=en&embed", "embed"] {
            assert!(wants_embed(yes), "{yes}");
        }
        for no in ["", "?", "?embed=0", "?embed=false", "?embedded", "?x=embed", "?lang=en"] {
            assert!(!wants_embed(no), "{no}");
        }
    }

    #[test]
    fn a_location_with_a_link_opens_its_state_and_embed_comes_from_the_query() {
        let fragment = link::encode(&state());
        let opened = state_from_parts("", &format!("#{fragment}")).expect("opens").expect("a link");
        assert_eq!(opened, state());
        assert!(!opened.view.embed);
        let embedded = state_from_parts("?embed", &format!("#{fragment}")).expect("opens").expect("a link");
        assert!(embedded.view.embed && embedded.view.autoplay);
        assert_eq!(embedded.scenario, state().scenario);
    }

    #[test]
    fn no_fragment_or_a_page_anchor_is_no_link() {
        for hash in ["", "#", "#h-charts", "#top", "#  "] {
            assert_eq!(state_from_parts("?embed", hash), Ok(None), "{hash:?}");
        }
    }

    #[test]
    fn a_damaged_link_says_what_is_wrong() {
        let fragment = link::encode(&state());
        let cut = &fragment[..fragment.len() / 2];
        let error = state_from_parts("", &format!("#{cut}")).expect_err("refused");
        assert!(error.contains("cut short"), "{error}");
        let error = state_from_parts("", "#v9.abc").expect_err("refused");
        assert!(error.contains("newer poolsim"), "{error}");
        let error = state_from_parts("", "#v1.@@@").expect_err("refused");
        assert!(error.contains("damaged"), "{error}");
    }

    #[test]
    fn share_and_embed_urls_replace_the_query_and_fragment_of_the_page() {
        assert_eq!(page_base("https://x.org/p/?embed#v1.abc"), "https://x.org/p/");
        assert_eq!(page_base("file:///tmp/dist/index.html#v1.abc"), "file:///tmp/dist/index.html");
        let base = "https://x.org/p/index.html?embed#v1.old";
        let share = share_url(base, &state()).expect("fits");
        assert!(share.starts_with("https://x.org/p/index.html#v1."), "{share}");
        assert_eq!(state_from_parts("", &share[share.find('#').unwrap_or(0)..]), Ok(Some(state())));
        let embed = embed_url(base, &state()).expect("fits");
        assert!(embed.starts_with("https://x.org/p/index.html?embed#v1."), "{embed}");
        let opened = link::decode(&embed).expect("opens");
        assert!(opened.view.embed, "the fragment says embed too");
    }
}
