//! The presets the page ships, read as every scenario is ([`Scenario::from_json`]: errors
//! name the field path), and only the story presets: the pool flavours reach the pages as
//! links from the glossary.

use poolsim_content::presets;
use poolsim_engine::Scenario;

/// The preset called `name`, parsed; `None` for an unknown name.
pub fn preset(name: &str) -> Option<Scenario> {
    presets::story(name).and_then(|p| p.scenario().ok())
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
