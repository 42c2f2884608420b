//! Reading actions and timeline events from JSON, field by field.
//!
//! The JSON shape is flat: `{ "at_s": 1800, "action": "deploy_leak", "probability": 0.0003 }`.
//! serde's `flatten` plus an internally tagged enum can read that shape, but it buffers
//! the fields first, so a wrong type is reported at `events[3]` instead of
//! `events[3].probability`, and a unit action (`rollback`) silently accepts any unknown
//! field. This reader takes each field as it comes, under its own path, and refuses
//! fields that are unknown or belong to another action. The tag may come anywhere
//! in the object.

use std::convert::Infallible;
use std::fmt;

use crate::scenario::exact::Exact;
use serde::Deserialize;
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, Visitor};

use super::catalogue::{ActionField, ActionKind, FieldInput, FieldValue, FieldValues, kind_names};
use crate::scenario::AlertMetric;
use crate::scenario::{Action, Rollout, Target, TimedEvent};

/// Every field's value is read as the catalogue says ([`FieldInput`]); a field's name
/// has one input whichever action uses it, so a value can be read as soon as its key is
/// seen, before the tag is known.
#[inline(never)]
fn read_value<'de, A: MapAccess<'de>>(
    map: &mut A,
    field: &ActionField,
) -> Result<Option<FieldValue>, A::Error> {
    Ok(Some(match field.input {
        FieldInput::Decimal => FieldValue::Decimal(map.next_value::<Exact>()?.0),
        FieldInput::Whole => FieldValue::Whole(map.next_value()?),
        FieldInput::Count => FieldValue::Count(map.next_value()?),
        FieldInput::OptionalCount => return Ok(map.next_value::<Option<u32>>()?.map(FieldValue::Count)),
        FieldInput::Text => FieldValue::Text(map.next_value()?),
        FieldInput::Metric => FieldValue::Metric(map.next_value::<AlertMetric>()?),
        FieldInput::Choice(names) => FieldValue::Choice(map.next_value_seed(OneOf(names))?),
    }))
}

/// Reads one of `names`, refusing any other text under the field's own path.
struct OneOf(&'static [&'static str]);

impl<'de> DeserializeSeed<'de> for OneOf {
    type Value = &'static str;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<&'static str, D::Error> {
        let text = String::deserialize(deserializer)?;
        self.0.iter().find(|n| **n == text).copied().ok_or_else(|| {
            let expected: Vec<String> = self.0.iter().map(|n| format!("`{n}`")).collect();
            de::Error::custom(format!("unknown variant `{text}`, expected one of {}", expected.join(", ")))
        })
    }
}

/// Refuses the value under the current key with `message`, so the error's path ends
/// with that key (`events[3].bogus`).
struct Reject(String);

impl<'de> DeserializeSeed<'de> for Reject {
    type Value = Infallible;

    fn deserialize<D: Deserializer<'de>>(self, _deserializer: D) -> Result<Infallible, D::Error> {
        Err(de::Error::custom(self.0))
    }
}

fn reject<'de, A: MapAccess<'de>, T>(map: &mut A, message: String) -> Result<T, A::Error> {
    match map.next_value_seed(Reject(message))? {}
}

/// Reads one flat object: an action (`timed == false`) or a timeline event.
struct FlatVisitor {
    timed: bool,
}

impl FlatVisitor {
    fn what(&self) -> &'static str {
        if self.timed { "event" } else { "action" }
    }
}

impl<'de> Visitor<'de> for FlatVisitor {
    type Value = (f64, Action, Target);

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.timed {
            f.write_str(
                r#"a timeline event such as {"at_s": 1800, "action": "deploy_leak", "probability": 0.0003}"#,
            )
        } else {
            f.write_str(r#"an action such as {"action": "deploy_leak", "probability": 0.0003}"#)
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut kind: Option<ActionKind> = None;
        let mut at_s: Option<f64> = None;
        let mut seen: Vec<&'static ActionField> = Vec::new();
        let mut values = FieldValues::default();
        let mut target = Target::default();
        while let Some(key) = map.next_key::<String>()? {
            if key == "action" {
                if kind.is_some() {
                    return reject(&mut map, "duplicate field `action`".to_owned());
                }
                kind = Some(map.next_value()?);
                continue;
            }
            if key == "at_s" && self.timed {
                if at_s.is_some() {
                    return reject(&mut map, format!("duplicate field `{key}`"));
                }
                at_s = Some(map.next_value::<Exact>()?.0);
                continue;
            }
            if key == "instances" && self.timed {
                if target.instances.is_some() {
                    return reject(&mut map, format!("duplicate field `{key}`"));
                }
                target.instances = Some(map.next_value::<Vec<u32>>()?);
                continue;
            }
            if key == "rollout" && self.timed {
                if target.rollout.is_some() {
                    return reject(&mut map, format!("duplicate field `{key}`"));
                }
                target.rollout = Some(map.next_value::<Rollout>()?);
                continue;
            }
            let Some(field) = ActionKind::any_field(&key) else {
                let expected = match kind {
                    Some(k) => format!("action `{}` takes {}", k.name(), k.field_list()),
                    None if self.timed => {
                        "an event has `at_s`, `action`, that action's fields, and optionally `instances` and `rollout`"
                            .to_owned()
                    }
                    None => "an action has `action` and that action's fields".to_owned(),
                };
                return reject(&mut map, format!("unknown field `{key}`: {expected}"));
            };
            if seen.iter().any(|f| f.name == field.name) {
                return reject(&mut map, format!("duplicate field `{key}`"));
            }
            if let Some(k) = kind
                && k.field(field.name).is_none()
            {
                return reject(
                    &mut map,
                    format!(
                        "unknown field `{key}` for action `{}`, which takes {}",
                        k.name(),
                        k.field_list()
                    ),
                );
            }
            seen.push(field);
            if let Some(value) = read_value(&mut map, field)? {
                values.set(field.name, value);
            }
        }

        let Some(kind) = kind else {
            return Err(de::Error::custom(format!(
                "missing field `action`: every {} names its action, one of {}",
                self.what(),
                kind_names()
            )));
        };
        // Fields given before the tag could not be checked against it as they came.
        if let Some(f) = seen.iter().find(|f| kind.field(f.name).is_none()) {
            return Err(de::Error::custom(format!(
                "field `{}` does not belong to action `{}`, which takes {}",
                f.name,
                kind.name(),
                kind.field_list()
            )));
        }
        if let Some(f) = kind.fields().iter().find(|f| f.required && !seen.iter().any(|s| s.name == f.name)) {
            return Err(de::Error::custom(format!(
                "missing field `{}`: action `{}` takes {}",
                f.name,
                kind.name(),
                kind.field_list()
            )));
        }
        let at_s = match at_s {
            Some(t) => t,
            None if self.timed => {
                return Err(de::Error::custom(
                    "missing field `at_s`: when the action happens, in seconds from the start",
                ));
            }
            None => 0.0,
        };
        let action = kind
            .build(&values)
            .ok_or_else(|| de::Error::custom("internal error: a required field is missing"))?;
        Ok((at_s, action, target))
    }
}

impl<'de> Deserialize<'de> for Action {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(FlatVisitor { timed: false }).map(|(_, action, _)| action)
    }
}

impl<'de> Deserialize<'de> for TimedEvent {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let (at_s, action, target) = deserializer.deserialize_map(FlatVisitor { timed: true })?;
        Ok(TimedEvent { at_s, action, target })
    }
}
