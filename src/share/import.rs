//! Reading a scenario the user brings: a file picked or dropped, or text pasted (the
//! scenario's JSON, or a whole poolsim link). Parsing goes through
//! [`Scenario::from_json`], so an error names the field (`pool.max_size`) and the reason,
//! and nothing is applied unless the whole scenario is valid.

use poolsim_content::link::LinkError;
use poolsim_engine::{Scenario, ScenarioError};

use super::codec;

/// Longest text read as a scenario [bytes]: far more than any scenario needs.
pub const MAX_IMPORT_BYTES: usize = 1024 * 1024;

/// What the user brought, once its size is checked.
#[derive(Debug, PartialEq)]
pub enum Brought<'a> {
    /// A scenario's JSON.
    Json(&'a str),
    /// A poolsim link (an address with a `#…` fragment): its scenario is taken.
    Link(&'a str),
}

/// What `text` is: a link or JSON. `Err` for nothing, or for too much, to read.
pub fn classify(text: &str) -> Result<Brought<'_>, ScenarioError> {
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
    Ok(if !text.starts_with('{') && text.contains('#') { Brought::Link(text) } else { Brought::Json(text) })
}

/// The scenario in `text`: its JSON, or a poolsim link (`https://…#v1.…`) whose scenario
/// is taken. `Err` names the field path when there is one (empty for the whole text).
pub async fn parse_scenario(text: &str) -> Result<Scenario, ScenarioError> {
    match classify(text)? {
        Brought::Json(json) => Scenario::from_json(json),
        Brought::Link(link) => {
            codec::unpack(link, Scenario::from_json).await.map(|s| s.scenario).map_err(|e| match e {
                LinkError::Scenario(e) => e,
                other => ScenarioError::new("", other.to_string()),
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn json(text: &str) -> Result<Scenario, ScenarioError> {
        match classify(text)? {
            Brought::Json(json) => Scenario::from_json(json),
            Brought::Link(link) => panic!("{link} is not JSON"),
        }
    }

    #[test]
    fn a_valid_scenario_imports_whole() {
        let scenario = json(r#" { "name": "Pasted", "pool": { "max_size": 12 } } "#).expect("valid");
        assert_eq!((scenario.name.as_str(), scenario.pool.max_size), ("Pasted", 12));
    }

    #[test]
    fn errors_name_the_field_path() {
        let error = json(r#"{ "pool": { "max_size": "lots" } }"#).expect_err("refused");
        assert_eq!(error.path, "pool.max_size");
        let error = json(r#"{ "pool": { "max_size": 0 } }"#).expect_err("refused");
        assert_eq!(error.path, "pool.max_size");
        let error = json(r#"{ "pool": { "max_sise": 10 } }"#).expect_err("refused");
        assert!(error.reason.contains("max_sise"), "{error}");
        let error = json("{ \"name\": ").expect_err("refused");
        assert!(error.reason.contains("EOF"), "{error}");
        assert!(json("   ").expect_err("empty").reason.contains("nothing to import"));
        let huge = format!("{{\"name\": \"{}\"}}", "x".repeat(MAX_IMPORT_BYTES));
        assert!(json(&huge).expect_err("too big").reason.contains("too large"));
    }

    #[test]
    fn an_address_with_a_fragment_is_a_link_and_an_object_is_json() {
        assert_eq!(classify(" https://x.org/#v1.abc "), Ok(Brought::Link("https://x.org/#v1.abc")));
        assert_eq!(classify("{ \"name\": \"#1\" }"), Ok(Brought::Json("{ \"name\": \"#1\" }")));
    }
}
