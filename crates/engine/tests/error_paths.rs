//! A reading error names the field at fault, exactly as `serde_path_to_error` would.
//!
//! `Scenario::from_json` finds the field from where serde_json stopped in the text
//! (`scenario::locate`), which keeps the page light; `serde_path_to_error`, which tracks
//! the path through every deserializer, is the reference. Every preset is broken in every
//! place a user could break it — each value replaced by values of other types, each
//! object given an unknown field, each field removed or given twice, each array given a
//! wrong element, the text cut short — and written both pretty and compact; both readers
//! must name the same path with the same reason.

use poolsim_content::presets;
use poolsim_engine::ScenarioError;
use poolsim_engine::scenario::Scenario;
use serde_json::Value;

/// The reference: the path `serde_path_to_error` tracks while reading (and, as
/// `serde_json::from_str` does, nothing but white space may follow the scenario).
fn reference(text: &str) -> Result<Scenario, ScenarioError> {
    let de = &mut serde_json::Deserializer::from_str(text);
    let scenario: Scenario = serde_path_to_error::deserialize(&mut *de).map_err(|e| {
        let path = e.path().to_string();
        let path = path.trim_end_matches(['?', '.']).to_owned();
        ScenarioError::new(path, e.into_inner().to_string())
    })?;
    de.end().map_err(|e| ScenarioError::new("", e.to_string()))?;
    scenario.validate()?;
    Ok(scenario)
}

/// Every way of breaking `value` at one place: the documents, each with what was done.
fn broken(value: &Value, at: &mut Vec<String>, out: &mut Vec<(String, Value)>, root: &Value) {
    let replace = |with: Value, out: &mut Vec<(String, Value)>, what: &str| {
        let mut doc = root.clone();
        *pointer(&mut doc, at) = with;
        out.push((format!("{what} at /{}", at.join("/")), doc));
    };
    match value {
        Value::Object(map) => {
            let mut doc = root.clone();
            if let Value::Object(m) = pointer(&mut doc, at) {
                m.insert("bogus".into(), Value::from(1));
            }
            out.push((format!("unknown field in /{}", at.join("/")), doc));
            for key in map.keys() {
                let mut doc = root.clone();
                if let Value::Object(m) = pointer(&mut doc, at) {
                    m.remove(key);
                }
                out.push((format!("no {key} in /{}", at.join("/")), doc));
            }
            replace(Value::from("x"), out, "text for an object");
            for (key, child) in map {
                at.push(key.clone());
                broken(child, at, out, root);
                at.pop();
            }
        }
        Value::Array(items) => {
            for extra in [Value::from(1), Value::Object(Default::default()), Value::from("x")] {
                let mut doc = root.clone();
                if let Value::Array(a) = pointer(&mut doc, at) {
                    a.push(extra.clone());
                }
                out.push((format!("{extra} appended to /{}", at.join("/")), doc));
            }
            replace(Value::from(7), out, "number for an array");
            for (i, child) in items.iter().enumerate() {
                at.push(i.to_string());
                broken(child, at, out, root);
                at.pop();
            }
        }
        _ => {
            for with in [
                Value::from("x"),
                Value::from(-1),
                Value::from(1.5),
                Value::from(0),
                Value::from(true),
                Value::Null,
                Value::Object(Default::default()),
                Value::Array(vec![Value::from(1)]),
                serde_json::json!({ "a": [1, { "b": 2 }] }),
                serde_json::json!([[1], {}]),
                Value::from(u64::MAX),
            ] {
                replace(with, out, "replaced");
            }
        }
    }
}

fn pointer<'a>(doc: &'a mut Value, at: &[String]) -> &'a mut Value {
    at.iter().fold(doc, |v, k| match v {
        Value::Object(m) => m.get_mut(k).expect("key"),
        Value::Array(a) => &mut a[k.parse::<usize>().expect("index")],
        _ => unreachable!("a path into a scalar"),
    })
}

fn same(text: &str, what: &str) -> usize {
    let ours = Scenario::from_json(text).err();
    let theirs = reference(text).err();
    assert_eq!(ours, theirs, "{what}:\n{text}");
    usize::from(ours.is_some())
}

#[test]
fn every_broken_field_of_every_preset_is_named_as_serde_path_to_error_names_it() {
    let mut refused = 0;
    let mut documents = 0;
    for preset in presets::all() {
        let root: Value = serde_json::from_str(preset.json).expect("a preset is JSON");
        let mut out = Vec::new();
        broken(&root, &mut Vec::new(), &mut out, &root);
        for (what, doc) in &out {
            for text in
                [serde_json::to_string_pretty(doc).expect("JSON"), serde_json::to_string(doc).expect("JSON")]
            {
                refused += same(&text, &format!("{}: {what}", preset.name));
                documents += 1;
            }
        }
        // Each field given twice, in the shipped text.
        let lines: Vec<&str> = preset.json.lines().collect();
        for (i, line) in lines.iter().enumerate() {
            if line.trim_start().starts_with('"') && line.trim_end().ends_with(',') {
                let mut doubled = lines.clone();
                doubled.insert(i, line);
                refused += same(&doubled.join("\n"), &format!("{}: line {} twice", preset.name, i + 1));
                documents += 1;
            }
        }
        // Cut short anywhere, and a stray character anywhere.
        for end in (0..preset.json.len()).step_by(7).filter(|&e| preset.json.is_char_boundary(e)) {
            refused += same(&preset.json[..end], &format!("{}: cut at byte {end}", preset.name));
            let stray = format!("{}}}{}", &preset.json[..end], &preset.json[end..]);
            same(&stray, &format!("{}: `}}` at byte {end}", preset.name));
            documents += 2;
        }
    }
    // The breakages are real: most documents are refused, by both readers alike.
    assert!(refused * 2 > documents, "{refused} of {documents} documents refused");
}

#[test]
fn paths_name_keys_indices_and_nothing_for_the_whole_document() {
    let cases = [
        (r#"{"pool": {"max_size": "ten"}}"#, "pool.max_size"),
        (r#"{"events": [{"at_s": 1, "action": "rollback"}, {"at_s": "x"}]}"#, "events[1].at_s"),
        (r#"{"events": [{"at_s": 1}]}"#, "events[0]"),
        (r#"{"pool": {"max_size": 3, "max_size": 4}}"#, "pool"),
        ("{\"po\\u006fl\": {\"bogus\": 1}}", "pool.bogus"),
        (r#"[1]"#, "[0]"),
        (r#"{"pool": {}} x"#, ""),
    ];
    for (text, path) in cases {
        let error = Scenario::from_json(text).expect_err(text);
        assert_eq!(error.path, path, "{text}: {error}");
        assert_eq!(Some(&error), reference(text).err().as_ref(), "{text}");
    }
}
