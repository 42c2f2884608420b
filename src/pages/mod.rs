//! poolsim's pages. Each page is its own bundle (a binary in `src/bin`, an HTML file at the
//! top of the repository), so each downloads only what it shows and stays within the page
//! weight budget. They share this library, and the scenario travels between them in the
//! address: `?preset=<name>` for a preset as shipped, else a link (`#v1.…`) holding it all.

pub mod compare;
pub mod drill;
pub mod embed;
pub mod learn;
pub mod lesson_figure;
pub mod lesson_spread;
pub mod share;
pub mod visualizer;

use yew::prelude::*;

/// The pages, as the header's navigation lists them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Page {
    /// The live visualizer (`index.html`).
    Visualizer,
    /// The side-by-side comparison of fixes (`compare.html`).
    Compare,
    /// Links, embed snippets, files, import and saved scenarios (`share.html`).
    Share,
    /// The lessons (`learn.html`).
    Learn,
}

impl Page {
    /// The link to this page carrying `address`, the current page's address after its
    /// path (`?preset=…` or `#v1.…`).
    pub fn href(self, address: &str) -> String {
        match self {
            Page::Visualizer => format!("./{address}"),
            Page::Compare => format!("compare.html{address}"),
            Page::Share => format!("share.html{address}"),
            Page::Learn => "learn.html".to_owned(),
        }
    }
}

/// The header's navigation between the pages, the current one marked; each link carries
/// the scenario (`address`, see [`Page::href`]).
pub fn page_nav(current: Page, address: &str) -> Html {
    let link = |page: Page, label: &'static str, testid: &'static str| {
        let here = page == current;
        html! {
            <a class="page-link" href={page.href(address)} data-testid={testid}
                aria-current={here.then_some("page")}>{label}</a>
        }
    };
    html! {
        <nav class="page-nav" aria-label="Pages">
            { link(Page::Visualizer, "Visualizer", "nav-visualizer") }
            { link(Page::Compare, "Compare fixes", "nav-compare") }
            { link(Page::Share, "Share & export", "nav-share") }
            { link(Page::Learn, "Learn", "nav-learn") }
        </nav>
    }
}

/// The value of `key` in the page's query string, as the browser reads it
/// (`URLSearchParams`): `?preset=fast-leak` gives `fast-leak` for `preset`, a bare `?embed`
/// gives an empty value, and a key given twice its first value. `None` if the key is absent
/// (or without a window).
pub fn query_param(key: &str) -> Option<String> {
    let search = web_sys::window()?.location().search().ok()?;
    web_sys::UrlSearchParams::new_with_str(&search).ok()?.get(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_to_the_pages_carry_the_scenario() {
        assert_eq!(Page::Visualizer.href("?preset=fast-leak"), "./?preset=fast-leak");
        assert_eq!(Page::Compare.href("#v1.abc"), "compare.html#v1.abc");
        assert_eq!(Page::Share.href("?preset=fast-leak"), "share.html?preset=fast-leak");
    }
}
