//! Addresses: whether a fragment is a poolsim link, and the URLs that "Copy link" and the
//! embed dialog hand out. The fragment itself (`v1.…`) is packed by [`super::codec`].
//!
//! ```text
//! https://example.org/poolsim/embed.html#v1.q1YqzkgtSk1RslIqS8wpTVWqBQA
//! └──────── site ────────────┘└─ page ─┘└──────── codec::pack ───────┘
//! ```
//!
//! Everything here is pure but [`current_site`] and [`js_text`]; nothing panics without
//! a window.

use wasm_bindgen::JsValue;

/// The page an embed opens (beside the others on the site).
pub const EMBED_PAGE: &str = "embed.html";

/// Whether a fragment (without its `#`) is meant as a poolsim link: it starts with a
/// version tag (`v` and a digit). Anything else (`h-charts`) is an anchor on the page.
pub fn looks_like_link(fragment: &str) -> bool {
    let mut bytes = fragment.trim_start().bytes();
    bytes.next() == Some(b'v') && bytes.next().is_some_and(|b| b.is_ascii_digit())
}

/// The folder of the page at `href` (up to its last `/`, no query or fragment): where
/// poolsim's pages are.
pub fn site_of(href: &str) -> &str {
    let end = href.find(['?', '#']).unwrap_or(href.len());
    let path = &href[..end];
    path.rfind('/').map_or(path, |slash| &path[..=slash])
}

/// The folder of the page the browser shows, or `None` without a window.
pub fn current_site() -> Option<String> {
    let href = web_sys::window()?.location().href().ok()?;
    Some(site_of(&href).to_owned())
}

/// The link "Copy link" gives: the visualizer at `site` opening `fragment`.
pub fn share_url(site: &str, fragment: &str) -> String {
    format!("{site}#{fragment}")
}

/// The address of an embed: the embed page at `site` opening `fragment`.
pub fn embed_url(site: &str, fragment: &str) -> String {
    format!("{site}{EMBED_PAGE}#{fragment}")
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
    use super::*;

    #[test]
    fn a_link_is_a_fragment_with_a_version_tag_and_an_anchor_is_not() {
        for yes in ["v1.abc", "v9.x", " v1.abc"] {
            assert!(looks_like_link(yes), "{yes}");
        }
        for no in ["", "h-charts", "top", "v", "version", "1.abc"] {
            assert!(!looks_like_link(no), "{no}");
        }
    }

    #[test]
    fn links_point_at_the_pages_beside_the_current_one() {
        assert_eq!(site_of("https://x.org/p/share.html?preset=a#v1.abc"), "https://x.org/p/");
        assert_eq!(site_of("https://x.org/p/?embed#v1.abc"), "https://x.org/p/");
        assert_eq!(site_of("file:///tmp/dist/index.html#v1.abc"), "file:///tmp/dist/");
        assert_eq!(share_url("https://x.org/p/", "v1.abc"), "https://x.org/p/#v1.abc");
        assert_eq!(embed_url("https://x.org/p/", "v1.abc"), "https://x.org/p/embed.html#v1.abc");
    }
}
