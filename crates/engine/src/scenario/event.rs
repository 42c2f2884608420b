//! The timeline: an [`Action`] at a time.

use serde::Serialize;

use super::catalogue::Action;

/// An action at a time: one entry of a scenario's timeline.
///
/// In JSON the action's fields sit beside `at_s`:
/// `{ "at_s": 1800, "action": "deploy_leak", "probability": 0.0003 }`
/// (`Deserialize` by hand, see [`Action`]).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TimedEvent {
    /// When the action applies [s from the scenario start].
    pub at_s: f64,
    /// What happens.
    #[serde(flatten)]
    pub action: Action,
}

impl TimedEvent {
    /// Sort `events` by time; events at the same time keep their order, the order they
    /// run in. The one ordering of a timeline, for the engine and every editor of it.
    pub fn sort(events: &mut [TimedEvent]) {
        crate::sort::stable_by(events, |a, b| a.at_s.total_cmp(&b.at_s).is_lt());
    }
}
