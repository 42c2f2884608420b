//! The share page (`share.html`): what a postmortem author needs to put the run in a
//! document — the link, the embed snippets (an `<iframe>`, or a Markdown image linking to
//! the run), the charts, samples, scenario and outcome as files — and the scenario
//! library: import a file (picker, drop or paste) and the scenarios kept in this browser.
//! The scenario comes in the address, as on every page; the page runs it to its end so
//! the files hold the whole run.

use poolsim_content::link::ViewOptions;
use poolsim_engine::Scenario;
use std::rc::Rc;
use yew::prelude::*;

use super::{Page, page_nav, query_param};
use crate::components::SharePanel;
use crate::hooks::{LinkStatus, LiveRun, use_address, use_live_run};
use crate::state::{UiAction, UiState};

/// The share page.
#[component]
pub fn SharePage() -> Html {
    let state = use_reducer(|| UiState::opening(query_param("preset").as_deref()));
    let (status, address) = use_address(&state, state.dispatcher());
    let LiveRun { live, .. } = use_live_run(&state, None);
    // Files hold the whole run: run each scenario to its end once it is in.
    {
        let (live, dispatch) = (live.clone(), state.dispatcher());
        // Not the seed while a preset is on its way, nor a link's default while it opens.
        let waiting = status == LinkStatus::Opening || state.loading.is_some();
        use_effect_with((state.generation, waiting), move |(_, waiting)| {
            if !*waiting {
                dispatch.dispatch(live.start_run_to_end());
            }
        });
    }
    let on_import = {
        let dispatch = state.dispatcher();
        Callback::from(move |scenario: Scenario| {
            dispatch.dispatch(UiAction::OpenShared {
                scenario: Rc::new(scenario),
                preset: None,
                at: None,
                speed: None,
                autoplay: false,
            });
        })
    };
    let clock_start_s = state.scenario.clock_start.seconds_of_day();
    let run = live.status();
    let tick = run.tick;
    let progress = match &run.error {
        Some(e) => format!("This scenario cannot run: {e}"),
        None if run.finished() => "The files below hold the whole run.".to_owned(),
        None => {
            format!("Running the scenario to its end for the files below… {:.0} %", 100.0 * run.progress())
        }
    };
    let view = ViewOptions { preset: Some(state.preset.clone()), ..ViewOptions::default() };
    html! {
        <div class="app">
            <header class="app-header">
                <h1 class="brand">{"poolsim"}</h1>
                { page_nav(Page::Share, &address) }
            </header>
            if let LinkStatus::Failed(why) = &status {
                <p class="status error link-error" role="alert" data-testid="link-error">
                    {format!("This link could not be opened: {why}. Showing the {} instead.", state.scenario.name)}
                </p>
            }
            <main class="page-single">
                <section class="region region-share" aria-labelledby="h-share">
                    <h2 id="h-share">{"Share & export"}</h2>
                    <p class="scenario-title" data-testid="share-scenario">{&state.scenario.name}</p>
                    <p class="status" role="status" data-testid="share-progress">{progress}</p>
                    <SharePanel scenario={state.scenario.clone()} live={live.clone()} {tick} {clock_start_s}
                        {view} {on_import} />
                </section>
            </main>
        </div>
    }
}
