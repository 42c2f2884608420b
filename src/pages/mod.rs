//! poolsim's pages. Each page is its own bundle (a binary in `src/bin`, an HTML file at the
//! top of the repository), so each downloads only what it shows and stays within the page
//! weight budget; they share this library and hand the scenario over through
//! [`crate::handoff`].

pub mod compare;

use yew::prelude::*;

/// The pages, as the header's navigation lists them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Page {
    /// The live visualizer (`index.html`).
    Visualizer,
    /// The side-by-side comparison of fixes (`compare.html`).
    Compare,
}

impl Page {
    /// The link to this page, carrying the preset (and, from the visualizer, the scenario).
    pub fn href(self, preset: &str) -> String {
        match self {
            Page::Visualizer => format!("./?preset={preset}"),
            Page::Compare => format!("compare.html?{}&preset={preset}", crate::handoff::FROM_VISUALIZER),
        }
    }
}

/// The header's navigation between the pages, the current one marked.
pub fn page_nav(current: Page, preset: &str) -> Html {
    let link = |page: Page, label: &'static str, testid: &'static str| {
        let here = page == current;
        html! {
            <a class="page-link" href={page.href(preset)} data-testid={testid}
                aria-current={here.then_some("page")}>{label}</a>
        }
    };
    html! {
        <nav class="page-nav" aria-label="Pages">
            { link(Page::Visualizer, "Visualizer", "nav-visualizer") }
            { link(Page::Compare, "Compare fixes", "nav-compare") }
        </nav>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_carry_the_preset_and_the_compare_link_asks_for_the_scenario() {
        assert_eq!(Page::Visualizer.href("fast-leak"), "./?preset=fast-leak");
        assert_eq!(Page::Compare.href("june-15-2024"), "compare.html?from=visualizer&preset=june-15-2024");
    }
}
