//! The action catalogue: every kind of timeline action, written down once — its JSON
//! name, what a page calls it, and its fields (name, label, unit, how the value is read,
//! whether it is required, help naming the real pool setting).
//!
//! The reader (`read.rs`) takes an action's tag and the fields it accepts from here, the
//! timeline form offers these kinds and fields, and `docs/architecture.md` tells how to
//! add one. A new action touches this table, [`Action`] (its values), validation, the
//! simulator's effect (`sim/actions.rs`) and its words.

use serde::{Deserialize, Serialize};

use super::action::Action;

/// The kind of an [`Action`], without its values: its tag in JSON (`"action": "rollback"`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActionKind {
    /// [`Action::SetRate`].
    SetRate,
    /// [`Action::DeployLeak`].
    DeployLeak,
    /// [`Action::Rollback`].
    Rollback,
    /// [`Action::ResizePool`].
    ResizePool,
    /// [`Action::RestartApp`].
    RestartApp,
    /// [`Action::SetHold`].
    SetHold,
    /// [`Action::SetLeakDetection`].
    SetLeakDetection,
    /// [`Action::SetAbandonedTimeout`].
    SetAbandonedTimeout,
    /// [`Action::SetConnectionTimeout`].
    SetConnectionTimeout,
    /// [`Action::AddAlert`].
    AddAlert,
    /// [`Action::Note`].
    Note,
}

/// How a field's value is written (in JSON) and typed (in a form).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldInput {
    /// A decimal number (`0.0003`, `150`).
    Decimal,
    /// A whole number ≥ 0.
    Whole,
    /// A whole number, or nothing for "not set".
    OptionalWhole,
    /// Free text (a note, an alert name).
    Text,
    /// One of the alert metrics (`usage`, `pending` …).
    Metric,
}

/// One field of an action.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ActionField {
    /// The JSON field name (`max_size`): error paths and the pages' test hooks use it.
    pub name: &'static str,
    /// What a form calls it.
    pub label: &'static str,
    /// Unit shown beside the value; empty for none.
    pub unit: &'static str,
    /// How the value is written and typed.
    pub input: FieldInput,
    /// Whether a timeline event must give it (otherwise it has a default).
    pub required: bool,
    /// One line of help, naming the real pool setting where there is one.
    pub help: &'static str,
}

const fn field(
    name: &'static str,
    label: &'static str,
    unit: &'static str,
    input: FieldInput,
    required: bool,
    help: &'static str,
) -> ActionField {
    ActionField { name, label, unit, input, required, help }
}

use FieldInput::{Decimal, Metric, OptionalWhole, Text, Whole};

const RATE: [ActionField; 1] =
    [field("rate_per_s", "Traffic rate", "req/s", Decimal, true, "New mean arrival rate.")];
const LEAK: [ActionField; 1] = [field(
    "probability",
    "Leak probability",
    "0–1",
    Decimal,
    true,
    "Chance that a served request never returns its connection (0.001 = 1 in 1,000).",
)];
const RESIZE: [ActionField; 2] = [
    field("max_size", "Max pool size", "conns", Whole, true, "HikariCP maximumPoolSize, applied at once."),
    field("min_idle", "Min idle", "conns", OptionalWhole, false, "minimumIdle; leave empty to keep it."),
];
const RESTART: [ActionField; 1] = [field(
    "downtime_s",
    "Downtime",
    "s",
    Decimal,
    false,
    "Requests fail while the app is down; then the pool refills.",
)];
const HOLD: [ActionField; 1] = [field(
    "hold_ms",
    "Mean hold time",
    "ms",
    Decimal,
    true,
    "How long a normal request holds its connection (a slow database holds longer).",
)];
const LEAK_DETECTION: [ActionField; 1] = [field(
    "threshold_ms",
    "Leak detection threshold",
    "ms",
    Whole,
    true,
    "HikariCP leakDetectionThreshold: log connections out longer than this (0 = off; HikariCP wants ≥ 2000).",
)];
const ABANDONED: [ActionField; 1] = [field(
    "timeout_ms",
    "Reclaim after",
    "ms",
    Whole,
    true,
    "Tomcat removeAbandonedTimeout: close connections out longer than this (0 = off).",
)];
const CONNECTION_TIMEOUT: [ActionField; 1] = [field(
    "timeout_ms",
    "Connection timeout",
    "ms",
    Whole,
    true,
    "HikariCP connectionTimeout for requests that start waiting from then on.",
)];
const ALERT: [ActionField; 4] = [
    field("name", "Rule name", "", Text, true, "Shown in the log and the outcome."),
    field("metric", "Metric", "", Metric, true, "What the rule watches."),
    field("above", "Above", "", Decimal, true, "Fires when the metric is above this (usage: 0.8 = 80 %)."),
    field("for_s", "For", "s", Whole, false, "How long the condition must hold (Prometheus for:)."),
];
const NOTE: [ActionField; 1] =
    [field("text", "Note", "", Text, true, "An annotation; it changes nothing in the run.")];

impl ActionKind {
    /// Every kind, in the order the pages offer them.
    pub const ALL: [Self; 11] = [
        Self::SetRate,
        Self::DeployLeak,
        Self::Rollback,
        Self::ResizePool,
        Self::RestartApp,
        Self::SetHold,
        Self::SetLeakDetection,
        Self::SetAbandonedTimeout,
        Self::SetConnectionTimeout,
        Self::AddAlert,
        Self::Note,
    ];

    /// The JSON name (`resize_pool`).
    pub fn name(self) -> &'static str {
        match self {
            Self::SetRate => "set_rate",
            Self::DeployLeak => "deploy_leak",
            Self::Rollback => "rollback",
            Self::ResizePool => "resize_pool",
            Self::RestartApp => "restart_app",
            Self::SetHold => "set_hold",
            Self::SetLeakDetection => "set_leak_detection",
            Self::SetAbandonedTimeout => "set_abandoned_timeout",
            Self::SetConnectionTimeout => "set_connection_timeout",
            Self::AddAlert => "add_alert",
            Self::Note => "note",
        }
    }

    /// What a page calls it ("Resize the pool").
    pub fn label(self) -> &'static str {
        match self {
            Self::SetRate => "Change the traffic rate",
            Self::DeployLeak => "Deploy a leak",
            Self::Rollback => "Roll back the leak",
            Self::ResizePool => "Resize the pool",
            Self::RestartApp => "Restart the app",
            Self::SetHold => "Change the hold time (slow database)",
            Self::SetLeakDetection => "Set leak detection",
            Self::SetAbandonedTimeout => "Set abandoned-connection reclaim",
            Self::SetConnectionTimeout => "Set the connection timeout",
            Self::AddAlert => "Add an alert rule",
            Self::Note => "Note",
        }
    }

    /// Its fields, in the order a form shows them.
    pub fn fields(self) -> &'static [ActionField] {
        match self {
            Self::SetRate => &RATE,
            Self::DeployLeak => &LEAK,
            Self::Rollback => &[],
            Self::ResizePool => &RESIZE,
            Self::RestartApp => &RESTART,
            Self::SetHold => &HOLD,
            Self::SetLeakDetection => &LEAK_DETECTION,
            Self::SetAbandonedTimeout => &ABANDONED,
            Self::SetConnectionTimeout => &CONNECTION_TIMEOUT,
            Self::AddAlert => &ALERT,
            Self::Note => &NOTE,
        }
    }

    /// The field called `name`, if this kind has one.
    pub fn field(self, name: &str) -> Option<&'static ActionField> {
        self.fields().iter().find(|f| f.name == name)
    }

    /// The kind whose JSON name is `name`.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.name() == name)
    }

    /// "`probability`", "`max_size`, `min_idle`" or "no fields", for messages.
    pub fn field_list(self) -> String {
        let names: Vec<String> = self.fields().iter().map(|f| format!("`{}`", f.name)).collect();
        if names.is_empty() { "no fields".to_owned() } else { names.join(", ") }
    }
}

impl Action {
    /// This action's kind.
    pub fn kind(&self) -> ActionKind {
        match self {
            Self::SetRate { .. } => ActionKind::SetRate,
            Self::DeployLeak { .. } => ActionKind::DeployLeak,
            Self::Rollback => ActionKind::Rollback,
            Self::ResizePool { .. } => ActionKind::ResizePool,
            Self::RestartApp { .. } => ActionKind::RestartApp,
            Self::SetHold { .. } => ActionKind::SetHold,
            Self::SetLeakDetection { .. } => ActionKind::SetLeakDetection,
            Self::SetAbandonedTimeout { .. } => ActionKind::SetAbandonedTimeout,
            Self::SetConnectionTimeout { .. } => ActionKind::SetConnectionTimeout,
            Self::AddAlert { .. } => ActionKind::AddAlert,
            Self::Note { .. } => ActionKind::Note,
        }
    }
}

/// The names of every kind, for messages: "set_rate, deploy_leak, …, note".
pub fn kind_names() -> String {
    ActionKind::ALL.map(ActionKind::name).join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_a_unique_name_that_serde_agrees_with() {
        let mut names: Vec<&str> = ActionKind::ALL.iter().map(|k| k.name()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), ActionKind::ALL.len());
        for kind in ActionKind::ALL {
            assert_eq!(ActionKind::from_name(kind.name()), Some(kind));
            let json = serde_json::to_string(&kind).expect("serialises");
            assert_eq!(json, format!("\"{}\"", kind.name()));
            assert!(!kind.label().is_empty());
            let mut fields: Vec<&str> = kind.fields().iter().map(|f| f.name).collect();
            fields.sort_unstable();
            fields.dedup();
            assert_eq!(fields.len(), kind.fields().len(), "{kind:?} names a field twice");
        }
    }

    #[test]
    fn every_action_serialises_with_its_kinds_name_and_fields() {
        let actions = [
            Action::SetRate { rate_per_s: 1.0 },
            Action::DeployLeak { probability: 0.1 },
            Action::Rollback,
            Action::ResizePool { max_size: 2, min_idle: Some(1) },
            Action::RestartApp { downtime_s: 1.0 },
            Action::SetHold { hold_ms: 1.0 },
            Action::SetLeakDetection { threshold_ms: 1 },
            Action::SetAbandonedTimeout { timeout_ms: 1 },
            Action::SetConnectionTimeout { timeout_ms: 1 },
            Action::AddAlert { name: "A".into(), metric: crate::AlertMetric::Usage, above: 0.5, for_s: 1 },
            Action::Note { text: "n".into() },
        ];
        assert_eq!(actions.len(), ActionKind::ALL.len());
        for action in actions {
            let kind = action.kind();
            let json = serde_json::to_value(&action).expect("serialises");
            let object = json.as_object().expect("an object");
            assert_eq!(object["action"], kind.name());
            let mut keys: Vec<&str> = object.keys().map(String::as_str).filter(|k| *k != "action").collect();
            let mut fields: Vec<&str> = kind.fields().iter().map(|f| f.name).collect();
            keys.sort_unstable();
            fields.sort_unstable();
            assert_eq!(keys, fields, "{kind:?}");
        }
    }
}
