//! The compare page: the scenario the visualizer left (or a preset), its what-ifs run to
//! the end side by side with the same seed (see [`crate::components::compare`]).

use std::rc::Rc;

use poolsim_engine::{Scenario, presets};
use yew::prelude::*;

use super::{Page, page_nav};
use crate::components::{Compare, preset_picker};
use crate::handoff::{self, query_value};
use crate::hooks::use_prefers_dark;
use crate::state::DEFAULT_PRESET;

/// What the page compares, and where it came from.
#[derive(Clone, Debug, PartialEq)]
pub struct Opening {
    /// The preset the scenario began as (the picker's value).
    pub preset: String,
    /// The base scenario: "as it happened".
    pub scenario: Rc<Scenario>,
    /// Where the scenario came from, in words, for the reader.
    pub notice: Notice,
}

/// Where the scenario came from.
#[derive(Clone, Debug, PartialEq)]
pub enum Notice {
    /// A preset, as shipped.
    Preset,
    /// The visualizer's scenario, edits and recorded fixes included.
    FromVisualizer,
    /// The visualizer's scenario could not be read: the preset instead, and why.
    Unreadable(String),
}

impl Opening {
    /// The opening for a page whose query is `search`, given what the visualizer left
    /// (`left`, read only when the query asks for it).
    pub fn new(
        search: &str,
        left: impl FnOnce() -> Option<Result<Scenario, poolsim_engine::ScenarioError>>,
    ) -> Self {
        let preset = query_value(search, "preset")
            .filter(|name| presets::preset(name).is_some())
            .unwrap_or(DEFAULT_PRESET)
            .to_owned();
        let from_visualizer =
            search.trim_start_matches('?').split('&').any(|p| p == handoff::FROM_VISUALIZER);
        let (scenario, notice) = match from_visualizer.then(left).flatten() {
            Some(Ok(scenario)) => (Some(scenario), Notice::FromVisualizer),
            Some(Err(e)) => (None, Notice::Unreadable(e.to_string())),
            None => (None, Notice::Preset),
        };
        let scenario = scenario.unwrap_or_else(|| presets::load(&preset).unwrap_or_default());
        Self { preset, scenario: Rc::new(scenario), notice }
    }
}

/// The compare page.
#[component]
pub fn ComparePage() -> Html {
    let dark = use_prefers_dark();
    let opening = use_state(|| Opening::new(&handoff::search(), handoff::pick_up));
    let on_preset = {
        let opening = opening.clone();
        Callback::from(move |name: String| {
            let Ok(scenario) = presets::load(&name) else { return };
            // A reload keeps the chosen preset.
            if let Some(history) = web_sys::window().and_then(|w| w.history().ok()) {
                let _ = history.replace_state_with_url(
                    &wasm_bindgen::JsValue::NULL,
                    "",
                    Some(&format!("?preset={name}")),
                );
            }
            opening.set(Opening { preset: name, scenario: Rc::new(scenario), notice: Notice::Preset });
        })
    };
    let notice = match &opening.notice {
        Notice::Preset => html! {},
        Notice::FromVisualizer => html! {
            <p class="status" data-testid="compare-source">
                {"The scenario as you left it in the visualizer: its settings, timeline and recorded fixes."}
            </p>
        },
        Notice::Unreadable(why) => html! {
            <p class="status error" role="alert" data-testid="compare-source">
                {format!("The visualizer's scenario could not be read ({why}): comparing the preset instead.")}
            </p>
        },
    };
    html! {
        <div class="app">
            <header class="app-header">
                <h1 class="brand">{"poolsim"}</h1>
                { page_nav(Page::Compare, &opening.preset) }
                <div class="header-preset">
                    { preset_picker(&opening.preset, on_preset) }
                </div>
            </header>
            <main class="page-single">
                <section class="region region-compare" aria-labelledby="h-compare">
                    <h2 id="h-compare">{"Compare fixes"}</h2>
                    <p class="scenario-title" data-testid="compare-scenario">{&opening.scenario.name}</p>
                    { notice }
                    <Compare scenario={opening.scenario.clone()}
                        preset={AttrValue::from(opening.preset.clone())} {dark} />
                </section>
            </main>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edited() -> Scenario {
        let mut s = presets::load("fast-leak").expect("preset");
        s.pool.max_size = 40;
        s
    }

    #[test]
    fn a_preset_in_the_query_opens_that_preset_and_nothing_else_is_read() {
        let o = Opening::new("?preset=fast-leak", || panic!("storage is read only when asked"));
        assert_eq!(o.preset, "fast-leak");
        assert_eq!(*o.scenario, presets::load("fast-leak").expect("preset"));
        assert_eq!(o.notice, Notice::Preset);
    }

    #[test]
    fn without_a_known_preset_the_page_opens_on_the_seed_incident() {
        for search in ["", "?preset=no-such-thing", "?preset=<script>"] {
            let o = Opening::new(search, || None);
            assert_eq!(o.preset, DEFAULT_PRESET, "{search}");
            assert_eq!(o.scenario.pool.max_size, 100);
        }
    }

    #[test]
    fn the_visualizers_scenario_is_compared_edits_included() {
        let o = Opening::new("?from=visualizer&preset=fast-leak", || Some(Ok(edited())));
        assert_eq!(o.scenario.pool.max_size, 40);
        assert_eq!(o.preset, "fast-leak");
        assert_eq!(o.notice, Notice::FromVisualizer);
    }

    #[test]
    fn an_unreadable_scenario_falls_back_to_the_preset_and_says_why() {
        let o = Opening::new("?from=visualizer&preset=fast-leak", || {
            Some(Scenario::from_json(r#"{"pool": {"max_size": -1}}"#))
        });
        assert_eq!(*o.scenario, presets::load("fast-leak").expect("preset"));
        let Notice::Unreadable(why) = &o.notice else { panic!("{:?}", o.notice) };
        assert!(why.contains("pool.max_size"), "{why}");
    }
}
