//! Reading the scenarios the page itself ships or makes (presets, its own links): through
//! the engine's trusted reader ([`Scenario::from_trusted_json`]), instantiated here once,
//! in the page's size-first build. Imported files go through [`Scenario::from_json`]
//! instead, whose errors name the field path.

use poolsim_content::presets;
use poolsim_engine::{Scenario, ScenarioError};

/// A scenario from JSON the page trusts; validation errors still name their field.
#[inline(never)]
pub fn trusted(text: &str) -> Result<Scenario, ScenarioError> {
    Scenario::from_trusted_json(text)
}

/// The preset called `name`, parsed; `None` for an unknown name.
#[inline(never)]
pub fn preset(name: &str) -> Option<Scenario> {
    presets::story(name).and_then(|p| trusted(p.json).ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn presets_read_here_are_the_engines() {
        for p in presets::PRESETS {
            assert_eq!(preset(p.name), Some(presets::load(p.name).expect("valid")), "{}", p.name);
        }
        assert_eq!(preset("no-such-preset"), None);
    }
}
