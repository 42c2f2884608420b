//! Reading a scenario the user brings: a file picked or dropped, or text pasted (the
//! scenario's JSON, or a whole poolsim link). Parsing goes through
//! [`Scenario::from_json`], so an error names the field (`pool.max_size`) and the reason,
//! and nothing is applied unless the whole scenario is valid.

use poolsim_engine::link::{self, LinkError};
use poolsim_engine::{Scenario, ScenarioError};

/// Longest text read as a scenario [bytes]: far more than any scenario needs.
pub const MAX_IMPORT_BYTES: usize = 1024 * 1024;

/// The scenario in `text`: its JSON, or a poolsim link (`https://…#v1.…`) whose scenario
/// is taken. `Err` names the field path when there is one (empty for the whole text).
pub fn parse_scenario(text: &str) -> Result<Scenario, ScenarioError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(ScenarioError::new("", "there is nothing to import: paste a scenario's JSON first"));
    }
    if text.len() > MAX_IMPORT_BYTES {
        return Err(ScenarioError::new(
            "",
            format!(
                "{} KiB is too large for a scenario (at most {} KiB)",
                text.len() / 1024,
                MAX_IMPORT_BYTES / 1024
            ),
        ));
    }
    // Not an object but an address with a fragment: a link (its decoder says what is wrong).
    if !text.starts_with('{') && text.contains('#') {
        return link::decode(text).map(|state| state.scenario).map_err(|e| match e {
            LinkError::Scenario(e) => e,
            other => ScenarioError::new("", other.to_string()),
        });
    }
    Scenario::from_json(text)
}

#[cfg(test)]
mod tests {
    use poolsim_engine::link::SharedState;

    use super::*;

    #[test]
    fn a_valid_scenario_imports_whole() {
        let scenario =
            parse_scenario(r#" { "name": "Pasted", "pool": { "max_size": 12 } } "#).expect("valid");
        assert_eq!((scenario.name.as_str(), scenario.pool.max_size), ("Pasted", 12));
    }

    #[test]
    fn errors_name_the_field_path() {
        let error = parse_scenario(r#"{ "pool": { "max_size": "lots" } }"#).expect_err("refused");
        assert_eq!(error.path, "pool.max_size");
        let error = parse_scenario(r#"{ "pool": { "max_size": 0 } }"#).expect_err("refused");
        assert_eq!(error.path, "pool.max_size");
        let error = parse_scenario(r#"{ "pool": { "max_sise": 10 } }"#).expect_err("refused");
        assert!(error.reason.contains("max_sise"), "{error}");
        let error = parse_scenario("{ \"name\": ").expect_err("refused");
        assert!(error.reason.contains("EOF"), "{error}");
        assert!(parse_scenario("   ").expect_err("empty").reason.contains("nothing to import"));
        let huge = format!("{{\"name\": \"{}\"}}", "x".repeat(MAX_IMPORT_BYTES));
        assert!(parse_scenario(&huge).expect_err("too big").reason.contains("too large"));
    }

    #[test]
    fn a_pasted_link_imports_its_scenario() {
        let scenario = Scenario::from_json(r#"{ "name": "Linked", "duration_s": 900 }"#).expect("valid");
        let url = format!("https://x.org/#{}", link::encode(&SharedState::from(scenario.clone())));
        assert_eq!(parse_scenario(&url), Ok(scenario));
        let error = parse_scenario("https://x.org/#v1.@@@").expect_err("damaged");
        assert!(error.reason.contains("damaged"), "{error}");
    }
}
