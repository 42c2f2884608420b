//! Handing the scenario from one page of poolsim to another. Each page is its own bundle
//! (so each downloads only what it shows); the visualizer leaves the scenario it runs —
//! the preset plus every edit and recorded fix — in `localStorage`, and a page opened with
//! `?from=visualizer` reads it back through the engine's checked parser. Without storage
//! (private mode, blocked), the link's `?preset=` still names where the scenario began.

use poolsim_engine::{Scenario, ScenarioError};

/// Where the scenario is left [localStorage key].
pub const SCENARIO_KEY: &str = "poolsim.handoff.v1.scenario";
/// The query that asks a page to read it.
pub const FROM_VISUALIZER: &str = "from=visualizer";

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// Leave `scenario` for the next page. Best effort: a full or unavailable storage only
/// means the next page starts from the preset.
pub fn leave(scenario: &Scenario) {
    if let (Some(storage), Ok(json)) = (storage(), serde_json::to_string(scenario)) {
        let _ = storage.set_item(SCENARIO_KEY, &json);
    }
}

/// The scenario the visualizer left, if any: `None` when nothing is there, an error naming
/// the field when what is there is not a valid scenario.
pub fn pick_up() -> Option<Result<Scenario, ScenarioError>> {
    let json = storage()?.get_item(SCENARIO_KEY).ok().flatten()?;
    Some(Scenario::from_json(&json))
}

/// The value of `key` in a `?a=b&c=d` query, if present (no percent-decoding: poolsim's
/// own parameters are plain words).
pub fn query_value<'a>(search: &'a str, key: &str) -> Option<&'a str> {
    search.trim_start_matches('?').split('&').find_map(|pair| {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        (k == key).then_some(v)
    })
}

/// The page's query string (`?…`), or empty.
pub fn search() -> String {
    web_sys::window().and_then(|w| w.location().search().ok()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_values_are_found_by_exact_key() {
        let q = "?from=visualizer&preset=fast-leak";
        assert_eq!(query_value(q, "preset"), Some("fast-leak"));
        assert_eq!(query_value(q, "from"), Some("visualizer"));
        assert_eq!(query_value(q, "pre"), None);
        assert_eq!(query_value("", "preset"), None);
        assert_eq!(query_value("?embed", "embed"), Some(""));
    }
}
