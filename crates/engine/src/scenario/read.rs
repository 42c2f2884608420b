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

use super::catalogue::{ActionKind, kind_names};
use crate::scenario::AlertMetric;
use crate::scenario::{Action, TimedEvent};

/// Every field an action or a timeline event may carry besides `action`.
/// Each name has one type whichever action uses it, so a value can be read as soon
/// as its key is seen, before the tag is known.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Field {
    AtS,
    RatePerS,
    Probability,
    MaxSize,
    MinIdle,
    DowntimeS,
    HoldMs,
    ThresholdMs,
    TimeoutMs,
    Name,
    Metric,
    Above,
    ForS,
    Text,
}

const FIELD_NAMES: &[(&str, Field)] = &[
    ("at_s", Field::AtS),
    ("rate_per_s", Field::RatePerS),
    ("probability", Field::Probability),
    ("max_size", Field::MaxSize),
    ("min_idle", Field::MinIdle),
    ("downtime_s", Field::DowntimeS),
    ("hold_ms", Field::HoldMs),
    ("threshold_ms", Field::ThresholdMs),
    ("timeout_ms", Field::TimeoutMs),
    ("name", Field::Name),
    ("metric", Field::Metric),
    ("above", Field::Above),
    ("for_s", Field::ForS),
    ("text", Field::Text),
];

impl Field {
    fn name(self) -> &'static str {
        FIELD_NAMES.iter().find(|(_, f)| *f == self).map_or("?", |(n, _)| n)
    }

    fn from_name(name: &str) -> Option<Self> {
        FIELD_NAMES.iter().find(|(n, _)| *n == name).map(|&(_, f)| f)
    }
}

/// Whether `kind` takes `field`.
fn takes(kind: ActionKind, field: Field) -> bool {
    kind.field(field.name()).is_some()
}

/// Field values read so far.
#[derive(Default)]
struct Values {
    at_s: Option<f64>,
    rate_per_s: Option<f64>,
    probability: Option<f64>,
    max_size: Option<u32>,
    min_idle: Option<u32>,
    downtime_s: Option<f64>,
    hold_ms: Option<f64>,
    threshold_ms: Option<u64>,
    timeout_ms: Option<u64>,
    name: Option<String>,
    metric: Option<AlertMetric>,
    above: Option<f64>,
    for_s: Option<u64>,
    text: Option<String>,
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
    type Value = (f64, Action);

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
        let mut seen: Vec<Field> = Vec::new();
        let mut v = Values::default();
        while let Some(key) = map.next_key::<String>()? {
            if key == "action" {
                if kind.is_some() {
                    return reject(&mut map, "duplicate field `action`".to_owned());
                }
                kind = Some(map.next_value()?);
                continue;
            }
            let field = Field::from_name(&key).filter(|f| self.timed || *f != Field::AtS);
            let Some(field) = field else {
                let expected = match kind {
                    Some(k) => format!("action `{}` takes {}", k.name(), k.field_list()),
                    None if self.timed => "an event has `at_s`, `action` and that action's fields".to_owned(),
                    None => "an action has `action` and that action's fields".to_owned(),
                };
                return reject(&mut map, format!("unknown field `{key}`: {expected}"));
            };
            if seen.contains(&field) {
                return reject(&mut map, format!("duplicate field `{key}`"));
            }
            if let Some(k) = kind
                && field != Field::AtS
                && !takes(k, field)
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
            match field {
                Field::AtS => v.at_s = Some(map.next_value::<Exact>()?.0),
                Field::RatePerS => v.rate_per_s = Some(map.next_value::<Exact>()?.0),
                Field::Probability => v.probability = Some(map.next_value::<Exact>()?.0),
                Field::MaxSize => v.max_size = Some(map.next_value()?),
                Field::MinIdle => v.min_idle = map.next_value()?,
                Field::DowntimeS => v.downtime_s = Some(map.next_value::<Exact>()?.0),
                Field::HoldMs => v.hold_ms = Some(map.next_value::<Exact>()?.0),
                Field::ThresholdMs => v.threshold_ms = Some(map.next_value()?),
                Field::TimeoutMs => v.timeout_ms = Some(map.next_value()?),
                Field::Name => v.name = Some(map.next_value()?),
                Field::Metric => v.metric = Some(map.next_value()?),
                Field::Above => v.above = Some(map.next_value::<Exact>()?.0),
                Field::ForS => v.for_s = Some(map.next_value()?),
                Field::Text => v.text = Some(map.next_value()?),
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
        if let Some(f) = seen.iter().find(|f| **f != Field::AtS && !takes(kind, **f)) {
            return Err(de::Error::custom(format!(
                "field `{}` does not belong to action `{}`, which takes {}",
                f.name(),
                kind.name(),
                kind.field_list()
            )));
        }
        if let Some(f) = kind.fields().iter().find(|f| f.required && !seen.iter().any(|s| s.name() == f.name))
        {
            return Err(de::Error::custom(format!(
                "missing field `{}`: action `{}` takes {}",
                f.name,
                kind.name(),
                kind.field_list()
            )));
        }
        let at_s = match v.at_s {
            Some(t) => t,
            None if self.timed => {
                return Err(de::Error::custom(
                    "missing field `at_s`: when the action happens, in seconds from the start",
                ));
            }
            None => 0.0,
        };
        Ok((
            at_s,
            build(kind, v).ok_or_else(|| de::Error::custom("internal error: a required field is missing"))?,
        ))
    }
}

/// The action of `kind` from its fields; `None` only if a required one is missing
/// (checked before, so never in practice).
fn build(kind: ActionKind, v: Values) -> Option<Action> {
    Some(match kind {
        ActionKind::SetRate => Action::SetRate { rate_per_s: v.rate_per_s? },
        ActionKind::DeployLeak => Action::DeployLeak { probability: v.probability? },
        ActionKind::Rollback => Action::Rollback,
        ActionKind::ResizePool => Action::ResizePool { max_size: v.max_size?, min_idle: v.min_idle },
        ActionKind::RestartApp => Action::RestartApp { downtime_s: v.downtime_s.unwrap_or(0.0) },
        ActionKind::SetHold => Action::SetHold { hold_ms: v.hold_ms? },
        ActionKind::SetLeakDetection => Action::SetLeakDetection { threshold_ms: v.threshold_ms? },
        ActionKind::SetAbandonedTimeout => Action::SetAbandonedTimeout { timeout_ms: v.timeout_ms? },
        ActionKind::SetConnectionTimeout => Action::SetConnectionTimeout { timeout_ms: v.timeout_ms? },
        ActionKind::AddAlert => Action::AddAlert {
            name: v.name?,
            metric: v.metric?,
            above: v.above?,
            for_s: v.for_s.unwrap_or(0),
        },
        ActionKind::Note => Action::Note { text: v.text? },
    })
}

impl<'de> Deserialize<'de> for Action {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(FlatVisitor { timed: false }).map(|(_, action)| action)
    }
}

impl<'de> Deserialize<'de> for TimedEvent {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let (at_s, action) = deserializer.deserialize_map(FlatVisitor { timed: true })?;
        Ok(TimedEvent { at_s, action })
    }
}
