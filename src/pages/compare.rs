//! The compare page: the scenario its address holds (a link from the visualizer, with
//! every edit and recorded fix, or a preset), its what-ifs run to the end side by side
//! with the same seed (see [`crate::components::compare`]).

use std::rc::Rc;

use poolsim_content::presets;
use poolsim_engine::Scenario;
use wasm_bindgen::JsValue;
use yew::prelude::*;

use super::{Page, page_nav, query_param};
use crate::components::{Compare, preset_picker};
use crate::hooks::{link_in_address, use_prefers_dark};
use crate::share::codec;
use crate::state::DEFAULT_PRESET;

/// What the page compares, and where it came from.
#[derive(Clone, Debug, PartialEq)]
pub struct Opening {
    /// The preset the scenario began as (the picker's value).
    pub preset: String,
    /// The base scenario: "as it happened".
    pub scenario: Rc<Scenario>,
    /// Where the scenario came from, in words, for the reader.
    pub source: Source,
    /// The address after the page's path (`?preset=…` or `#v1.…`), for links to the other pages.
    pub address: String,
}

/// Where the scenario came from.
#[derive(Clone, Debug, PartialEq)]
pub enum Source {
    /// A preset, as shipped.
    Preset,
    /// A link is being unpacked (the preset shows until it is).
    Opening,
    /// A link: the scenario as it was edited, recorded fixes included.
    Link,
    /// The link could not be opened: the preset instead, and why.
    Unreadable(String),
}

impl Opening {
    /// The preset the query names (`named`, from `?preset=fast-leak`) if it is one, else the
    /// seed incident.
    pub fn preset(named: Option<&str>) -> Self {
        let name = named.filter(|n| presets::story(n).is_some()).unwrap_or(DEFAULT_PRESET);
        Self::of_preset(name)
    }

    /// Preset `name` (known), as shipped.
    fn of_preset(name: &str) -> Self {
        Self {
            preset: name.to_owned(),
            scenario: Rc::new(presets::load(name).unwrap_or_default()),
            source: Source::Preset,
            address: format!("?preset={name}"),
        }
    }
}

/// The compare page.
#[component]
pub fn ComparePage() -> Html {
    let dark = use_prefers_dark();
    let opening = use_state(|| {
        let mut opening = Opening::preset(query_param("preset").as_deref());
        if link_in_address().is_some() {
            opening.source = Source::Opening;
        }
        opening
    });
    {
        let opening = opening.clone();
        use_effect_with((), move |()| {
            let Some(hash) = link_in_address() else { return };
            let before = (*opening).clone();
            wasm_bindgen_futures::spawn_local(async move {
                // Read as a file is: an error names the field.
                let next = match codec::unpack(&hash, Scenario::from_json).await {
                    Ok(shared) => Opening {
                        // The preset the link names, else none (so no preset's what-ifs).
                        preset: shared
                            .view
                            .preset
                            .filter(|p| presets::story(p).is_some())
                            .unwrap_or_default(),
                        scenario: Rc::new(shared.scenario),
                        source: Source::Link,
                        address: hash,
                    },
                    Err(e) => Opening { source: Source::Unreadable(e.to_string()), ..before },
                };
                opening.set(next);
            });
        });
    }
    let on_preset = {
        let opening = opening.clone();
        Callback::from(move |name: String| {
            if presets::story(&name).is_none() {
                return;
            }
            let next = Opening::of_preset(&name);
            // A reload keeps the chosen preset.
            if let Some(history) = web_sys::window().and_then(|w| w.history().ok()) {
                let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&next.address));
            }
            opening.set(next);
        })
    };
    let source = match &opening.source {
        Source::Preset => html! {},
        Source::Opening => html! {
            <p class="status" role="status" data-testid="compare-source">{"Opening the link…"}</p>
        },
        Source::Link => html! {
            <p class="status" data-testid="compare-source">
                {"The scenario as the link holds it: its settings, timeline and recorded fixes."}
            </p>
        },
        Source::Unreadable(why) => html! {
            <p class="status error" role="alert" data-testid="compare-source">
                {format!("This link could not be opened ({why}): comparing the preset instead.")}
            </p>
        },
    };
    html! {
        <div class="app">
            <header class="app-header">
                <h1 class="brand">{"poolsim"}</h1>
                { page_nav(Page::Compare, &opening.address) }
                <div class="header-preset">
                    { preset_picker(&opening.preset, on_preset, NodeRef::default()) }
                </div>
            </header>
            <main class="page-single">
                <section class="region region-compare" aria-labelledby="h-compare">
                    <h2 id="h-compare">{"Compare fixes"}</h2>
                    <p class="scenario-title" data-testid="compare-scenario">{&opening.scenario.name}</p>
                    { source }
                    if opening.source != Source::Opening {
                        <Compare scenario={opening.scenario.clone()}
                            preset={AttrValue::from(opening.preset.clone())} {dark} />
                    }
                </section>
            </main>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_preset_in_the_query_opens_that_preset() {
        let o = Opening::preset(Some("fast-leak"));
        assert_eq!(o.preset, "fast-leak");
        assert_eq!(*o.scenario, presets::load("fast-leak").expect("preset"));
        assert_eq!(o.source, Source::Preset);
        assert_eq!(o.address, "?preset=fast-leak");
    }

    #[test]
    fn without_a_known_preset_the_page_opens_on_the_seed_incident() {
        for named in [None, Some(""), Some("no-such-thing"), Some("<script>")] {
            let o = Opening::preset(named);
            assert_eq!(o.preset, DEFAULT_PRESET, "{named:?}");
            assert_eq!(o.scenario.pool.max_size, 100);
        }
    }
}
