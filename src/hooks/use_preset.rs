//! Loading a preset: the page's state says which preset it waits for
//! ([`UiState::loading`]); this fetches it ([`scenarios::load`]) and hands it over, or
//! says why it could not.

use std::rc::Rc;

use yew::prelude::*;

use crate::scenarios;
use crate::state::{UiAction, UiState};

/// Fetch the preset `state` waits for, once each time it asks for one.
#[hook]
pub fn use_preset_loader(state: &UseReducerHandle<UiState>) {
    let dispatch = state.dispatcher();
    use_effect_with(state.loading.clone(), move |loading| {
        let Some(name) = loading.clone() else { return };
        wasm_bindgen_futures::spawn_local(async move {
            dispatch.dispatch(match scenarios::load(&name).await {
                Ok(scenario) => UiAction::PresetLoaded { name, scenario: Rc::new(scenario) },
                Err(why) => UiAction::PresetFailed { name, why },
            });
        });
    });
}
