//! The presets on the pages that play a run (the visualizer, the embed view, the share
//! page), read as every scenario is ([`Scenario::from_json`]: errors name the field path),
//! and only the story presets: the pool flavours reach the pages as links from the
//! glossary.
//!
//! The seed incident is in the bundle: the pages open on it without waiting. Every other
//! preset is fetched when it is chosen, from its file beside the pages
//! (`scenarios/<name>.json`, the folder `crates/content/scenarios/` as Trunk copies it): the presets'
//! scenarios and descriptions are a tenth of a page's download, and a visit that never
//! leaves June 15 needs none of them. A preset that cannot be fetched leaves the page on
//! the scenario it had, and says why.

use poolsim_content::presets;
use poolsim_engine::{Scenario, ScenarioError};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use crate::share::url::js_text;

/// Where the preset files are, beside the pages.
pub const PRESET_FOLDER: &str = "scenarios/";

/// The seed incident's scenario, from the bundle.
pub fn seed() -> Scenario {
    read(presets::SEED.json).unwrap_or_default()
}

/// A preset's file read as every scenario is: in one place, so that the page carries the
/// reader (inlined where it is called) once.
#[inline(never)]
fn read(json: &str) -> Result<Scenario, ScenarioError> {
    Scenario::from_json(json)
}

/// Whether `name` is a story preset the pages offer.
pub fn is_preset(name: &str) -> bool {
    presets::story_title(name).is_some()
}

/// The address of preset `name`'s file, relative to the page.
pub fn preset_url(name: &str) -> String {
    format!("{PRESET_FOLDER}{name}.json")
}

/// Preset `name`'s scenario: the seed from the bundle, any other fetched from its file.
/// The error says what went wrong in words (an unknown name, the network, the server's
/// answer, or the file's first problem with its field path).
pub async fn load(name: &str) -> Result<Scenario, String> {
    let Some(title) = presets::story_title(name) else { return Err(format!("there is no preset `{name}`")) };
    if name == presets::SEED_INCIDENT {
        return Ok(seed());
    }
    let fail = |why: String| format!("the preset “{}” could not be loaded ({why})", title.title);
    let text = fetch_text(&preset_url(name)).await.map_err(fail)?;
    read(&text).map_err(|e| fail(e.to_string()))
}

/// The text at `url`, or why not.
async fn fetch_text(url: &str) -> Result<String, String> {
    let window = web_sys::window().ok_or("no window")?;
    // `fetch` answers with a Response or fails.
    let response: web_sys::Response =
        JsFuture::from(window.fetch_with_str(url)).await.map_err(js_text)?.unchecked_into();
    if !response.ok() {
        return Err(format!("the server answered {}", response.status()));
    }
    let text = JsFuture::from(response.text().map_err(js_text)?).await.map_err(js_text)?;
    text.as_string().ok_or_else(|| "the answer is not text".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bundle_carries_the_seed_and_every_story_is_offered() {
        assert_eq!(seed(), presets::load(presets::SEED_INCIDENT).expect("valid"));
        for p in presets::PRESETS {
            assert!(is_preset(p.name), "{}", p.name);
            assert_eq!(preset_url(p.name), format!("scenarios/{}.json", p.name));
        }
        // The pool flavours are not offered by name: they come as links.
        for p in presets::FLAVOURS {
            assert!(!is_preset(p.name), "{}", p.name);
        }
        assert!(!is_preset("no-such-preset"));
    }
}
