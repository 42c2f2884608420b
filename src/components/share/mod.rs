//! The share panel: copy a link that holds the whole run ([`CopyLink`], shared with the
//! visualizer's header), embed it in another page, export charts, samples, the scenario and
//! the outcome, import a scenario, and keep scenarios in the browser. Each part is its own
//! component; the logic lives in [`crate::share`].
//!
//! Names and notes from a link, a file or storage are user text: they are rendered only
//! as text nodes and attribute values (which Yew escapes), never as HTML.

pub mod embed;
pub mod export;
pub mod import;
pub mod saved;

use std::cell::RefCell;
use std::rc::Rc;

use poolsim_content::link::ViewOptions;
use poolsim_engine::Scenario;
use yew::prelude::*;

use self::embed::EmbedDialog;
use self::export::ExportButtons;
use self::import::ImportForm;
use self::saved::SavedScenarios;
use crate::components::copy_link::{CopyLayout, CopyLink, LinkTo};
use crate::run::live::LiveHandle;

/// Properties of [`SharePanel`].
#[derive(Debug, Properties, PartialEq)]
pub struct SharePanelProps {
    /// The scenario as edited: what a link, an embed, an export or a save holds.
    pub scenario: Rc<Scenario>,
    /// The live run: what the chart, sample and outcome exports hold.
    pub live: LiveHandle,
    /// Re-render trigger (the exports say how much of the run they hold).
    pub tick: u64,
    /// Time of day at simulated time 0 [s since midnight].
    pub clock_start_s: u32,
    /// How a shared link opens (start time, speed, preset …); embed options are the dialog's.
    pub view: ViewOptions,
    /// A scenario to replace the current one: imported, pasted, dropped or loaded. Always valid.
    pub on_import: Callback<Scenario>,
}

/// Link, embed, export, import and saved scenarios, in one panel.
#[component]
pub fn SharePanel(props: &SharePanelProps) -> Html {
    html! {
        <div class="share" data-testid="share-panel">
            <section class="share-group" aria-labelledby="h-share-link">
                <h3 id="h-share-link">{"Link"}</h3>
                <CopyLink scenario={props.scenario.clone()} layout={CopyLayout::Panel}
                    link={LinkTo::Run { view: props.view.clone() }} />
                <EmbedDialog scenario={props.scenario.clone()} view={props.view.clone()}
                    clock_start_s={props.clock_start_s} />
            </section>
            <section class="share-group" aria-labelledby="h-share-export">
                <h3 id="h-share-export">{"Export"}</h3>
                <ExportButtons scenario={props.scenario.clone()} live={props.live.clone()} tick={props.tick}
                    clock_start_s={props.clock_start_s} />
            </section>
            <section class="share-group" aria-labelledby="h-share-import">
                <h3 id="h-share-import">{"Import"}</h3>
                <ImportForm on_import={props.on_import.clone()} />
            </section>
            <section class="share-group" aria-labelledby="h-share-saved">
                <h3 id="h-share-saved">{"Saved in this browser"}</h3>
                <SavedScenarios scenario={props.scenario.clone()} on_import={props.on_import.clone()} />
            </section>
        </div>
    }
}

/// The latest value of a prop, for listeners and futures set up once: they read it when
/// they fire instead of being set up again at every render.
#[hook]
fn use_latest<T: Clone + 'static>(value: &T) -> Rc<RefCell<T>> {
    let cell = use_mut_ref(|| value.clone());
    *cell.borrow_mut() = value.clone();
    cell
}
