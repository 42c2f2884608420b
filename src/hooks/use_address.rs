//! The run in the page's address. Opening `…#v1.…` opens the scenario the link holds
//! (and where, how fast, whether playing); from then on the address follows the
//! scenario, debounced and without history entries (`replaceState`): `?preset=<name>`
//! while it is a preset as shipped, else a link holding the whole scenario. Copying the
//! address is sharing the run, and the other pages' links carry it along.

use std::cell::Cell;
use std::rc::Rc;

use gloo::timers::callback::Timeout;
use poolsim_content::link::{SharedState, ViewOptions};
use poolsim_engine::{Scenario, SimTime};
use wasm_bindgen::JsValue;
use yew::prelude::*;

use crate::run::player::Speed;
use crate::share::codec;
use crate::share::url::looks_like_link;
use crate::state::{UiAction, UiState};

/// Quiet time after the last change before the address is rewritten [ms].
pub const ADDRESS_DEBOUNCE_MS: u32 = 400;

/// What the page's own link did when it opened.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum LinkStatus {
    /// No link in the address, or it opened.
    #[default]
    Done,
    /// The link is being unpacked: the address is left alone until it is.
    Opening,
    /// The link could not be opened (why); the page shows its default scenario.
    Failed(String),
}

/// The part of a shareable address after the page's path: `?preset=<name>` while
/// `scenario` is `shipped` (preset `preset` as shipped, when known), else `#v1.…` (packed
/// by the browser).
pub async fn address_of(
    scenario: &Scenario,
    preset: &str,
    shipped: Option<&Scenario>,
) -> Result<String, String> {
    if !preset.is_empty() && shipped == Some(scenario) {
        return Ok(format!("?preset={preset}"));
    }
    let view = ViewOptions { preset: Some(preset.to_owned()), ..ViewOptions::default() };
    Ok(format!("#{}", codec::pack(&SharedState { scenario: scenario.clone(), view }).await?))
}

/// The page's fragment, if it is a poolsim link.
pub fn link_in_address() -> Option<String> {
    let hash = web_sys::window()?.location().hash().ok()?;
    looks_like_link(hash.trim_start_matches('#')).then_some(hash)
}

/// Open the link in the page's address, if there is one (`#v1.…`): its scenario, where
/// and how fast it plays, whether it starts playing. Returns how that went, and the
/// link's view options (the defaults without a link) for what else the page shows.
#[hook]
pub fn use_open_link(dispatch: UseReducerDispatcher<UiState>) -> (LinkStatus, Rc<ViewOptions>) {
    let status = use_state_eq(|| match link_in_address() {
        Some(_) => LinkStatus::Opening,
        None => LinkStatus::Done,
    });
    let opened_view = use_state(|| Rc::new(ViewOptions::default()));
    {
        let (status, opened_view) = (status.clone(), opened_view.clone());
        use_effect_with((), move |()| {
            let Some(hash) = link_in_address() else { return };
            wasm_bindgen_futures::spawn_local(async move {
                match codec::unpack(&hash, Scenario::from_json).await {
                    Ok(shared) => {
                        let view = shared.view;
                        opened_view.set(Rc::new(view.clone()));
                        dispatch.dispatch(UiAction::OpenShared {
                            scenario: Rc::new(shared.scenario),
                            preset: view.preset,
                            at: view.at_s.map(|t| SimTime::from_micros((t * 1e6).round() as u64)),
                            speed: view.speed.as_deref().and_then(Speed::from_link),
                            autoplay: view.autoplay,
                        });
                        status.set(LinkStatus::Done);
                    }
                    Err(e) => status.set(LinkStatus::Failed(e.to_string())),
                }
            });
        });
    }
    ((*status).clone(), (*opened_view).clone())
}

/// Open the link in the address ([`use_open_link`]), then keep the address in step with
/// the scenario. Returns what opening the link did, and the address's current suffix
/// (`?…` or `#…`) for links to the other pages.
#[hook]
pub fn use_address(state: &UiState, dispatch: UseReducerDispatcher<UiState>) -> (LinkStatus, AttrValue) {
    let (status, _) = use_open_link(dispatch);
    let suffix = use_state_eq(|| AttrValue::from(format!("?preset={}", state.preset)));
    // Follow the scenario once the opening link (if any) is in.
    let pending = use_mut_ref(|| None::<Timeout>);
    let latest = use_memo((), |()| Rc::new(Cell::new(0u64)));
    let key =
        (state.scenario.clone(), state.preset.clone(), state.shipped.clone(), status == LinkStatus::Opening);
    {
        let suffix = suffix.clone();
        use_effect_with(key, move |(scenario, preset, shipped, opening)| {
            if *opening {
                return;
            }
            // A newer change supersedes a packing still under way.
            let counter = (*latest).clone();
            counter.set(counter.get() + 1);
            let (mine, scenario, preset, shipped) =
                (counter.get(), scenario.clone(), preset.clone(), shipped.clone());
            *pending.borrow_mut() = Some(Timeout::new(ADDRESS_DEBOUNCE_MS, move || {
                wasm_bindgen_futures::spawn_local(async move {
                    let Ok(address) = address_of(&scenario, &preset, shipped.as_deref()).await else {
                        return;
                    };
                    if counter.get() != mine {
                        return;
                    }
                    let window = web_sys::window();
                    let path = window.as_ref().and_then(|w| w.location().pathname().ok()).unwrap_or_default();
                    if let Some(history) = window.and_then(|w| w.history().ok()) {
                        let _ = history.replace_state_with_url(
                            &JsValue::NULL,
                            "",
                            Some(&format!("{path}{address}")),
                        );
                    }
                    suffix.set(AttrValue::from(address));
                });
            }));
        });
    }
    (status, (*suffix).clone())
}
