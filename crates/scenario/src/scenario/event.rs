//! The timeline: an [`Action`] at a time, on some or all of a fleet's instances.

use serde::{Deserialize, Serialize};

use super::catalogue::Action;

/// An action at a time: one entry of a scenario's timeline.
///
/// In JSON the action's fields sit beside `at_s`:
/// `{ "at_s": 1800, "action": "deploy_leak", "probability": 0.0003 }`
/// (`Deserialize` by hand, see [`Action`]). In a fleet, `instances` and `rollout` say
/// which instances it acts on and when ([`Target`]).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TimedEvent {
    /// When the action applies [s from the scenario start].
    pub at_s: f64,
    /// What happens.
    #[serde(flatten)]
    pub action: Action,
    /// Where it happens: every instance unless it says otherwise.
    #[serde(flatten)]
    pub target: Target,
}

/// Which instances of a fleet an action acts on, and whether at once or in batches.
/// The default, every instance at once, is all there is without a fleet.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Target {
    /// Instance numbers, from 1 (absent: every instance), in the order a rollout takes them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub instances: Option<Vec<u32>>,
    /// Act on the instances one batch at a time (a rolling deploy or restart).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rollout: Option<Rollout>,
}

impl Target {
    /// Every instance, at once.
    pub fn is_all(&self) -> bool {
        self.instances.is_none() && self.rollout.is_none()
    }

    /// The instances (0-based, in order) the action reaches in each batch, with each
    /// batch's delay after the event's time [s], in a fleet of `fleet` instances.
    pub fn batches(&self, fleet: u32) -> Vec<(f64, Vec<u32>)> {
        let order: Vec<u32> = match &self.instances {
            Some(list) => list.iter().map(|n| n.saturating_sub(1)).collect(),
            None => (0..fleet).collect(),
        };
        match &self.rollout {
            None => vec![(0.0, order)],
            Some(r) => order
                .chunks(r.batch.max(1) as usize)
                .enumerate()
                .map(|(i, chunk)| (i as f64 * r.every_s, chunk.to_vec()))
                .collect(),
        }
    }
}

/// A rollout: `batch` instances at a time, a batch every `every_s` seconds.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rollout {
    /// Instances per batch (at least 1).
    pub batch: u32,
    /// Seconds between the starts of two batches.
    #[serde(deserialize_with = "crate::scenario::exact::f64")]
    pub every_s: f64,
}

impl TimedEvent {
    /// `action` at `at_s` on every instance.
    pub fn new(at_s: f64, action: Action) -> Self {
        Self { at_s, action, target: Target::default() }
    }

    /// Sort `events` by time; events at the same time keep their order, the order they
    /// run in. The one ordering of a timeline, for the engine and every editor of it.
    pub fn sort(events: &mut [TimedEvent]) {
        crate::sort::stable_by(events, |a, b| a.at_s.total_cmp(&b.at_s).is_lt());
    }
}
