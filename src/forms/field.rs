//! One description of a field, whichever panel shows it: its label, unit, how it is typed
//! (a number input with its range, a number or time typed as text, free text, a choice),
//! its help and the real setting it mirrors, and the element ids it is known by.
//!
//! The settings panel builds one per knob ([`Knob::spec`](super::knob::Knob::spec)), the
//! timeline form one per field of the engine's action catalogue ([`FieldSpec::action`])
//! plus its time ([`FieldSpec::time`]), the fix panel one per fix that takes a value. The
//! one field component (`crate::components::field::Field`) draws them all.
//!
//! Pure data and functions (no Yew): tested natively.

use poolsim_engine::{ActionField, AlertMetric, FieldInput};

use super::action::TIME_FIELD;

/// Id (and test hook) of the message saying why a save of the timeline form was refused:
/// one for the whole form, next to the field it names.
pub const TIMELINE_ERROR: &str = "timeline-error";

/// The panel a field is in: it decides the field's element ids, test hooks and look.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Panel {
    /// The settings panel: `control-<id>`, its error `control-error-<id>`.
    Controls,
    /// The timeline's add / edit form: `timeline-<id>`, its error [`TIMELINE_ERROR`].
    Timeline,
    /// A fix card of the fix panel, by its button's hook (`fix-resize`): the input is
    /// `<hook>-<id>`; the help and error lines are the fix's (`<hook>-help`, `<hook>-error`).
    Fix(&'static str),
}

/// How a value is typed.
#[derive(Clone, Debug, PartialEq)]
pub enum Entry {
    /// The browser's number input (`type="number"`, with `min`, `max` and `step`).
    Number,
    /// A number typed as text (`type="text"`, a numeric keyboard on phones), so that a
    /// refusal can quote exactly what was typed.
    TypedNumber,
    /// A clock time typed as text (numeric keyboard, no spell checking).
    Time,
    /// Free text of at most this many characters.
    Text {
        /// `maxlength`.
        max_len: u32,
    },
    /// One of these options, as (value, label).
    Choice(Vec<(String, String)>),
    /// On or off: a checkbox announced as a switch, its text `on` or `off`
    /// ([`show_on_off`](super::parse::show_on_off)).
    Switch,
}

/// The timeline form's fleet fields ([`FieldSpec::target`]).
pub const TARGET_INSTANCES: &str = "instances";
/// See [`TARGET_INSTANCES`].
pub const TARGET_BATCH: &str = "rollout_batch";
/// See [`TARGET_INSTANCES`].
pub const TARGET_EVERY: &str = "rollout_every";

/// Everything a field shows besides its value and its error.
#[derive(Clone, Debug, PartialEq)]
pub struct FieldSpec {
    /// The panel it is in (with `id`, its element ids and look).
    pub panel: Panel,
    /// Its name in its panel: `pool-size` → `control-pool-size`, `field-max_size` →
    /// `timeline-field-max_size`, `size` of the fix `fix-resize` → `fix-resize-size`.
    pub id: String,
    /// The field's label.
    pub label: String,
    /// Unit shown beside the input (`ms`, `req/s`); empty for none. See [`unit_words`].
    pub unit: &'static str,
    /// How the value is typed.
    pub entry: Entry,
    /// `min` attribute.
    pub min: Option<f64>,
    /// `max` attribute.
    pub max: Option<f64>,
    /// `step` attribute.
    pub step: Option<&'static str>,
    /// Whole numbers only (`inputmode="numeric"` rather than `decimal`).
    pub whole: bool,
    /// Shown in an empty field (an empty field is a valid value: "= max", "keep").
    pub placeholder: Option<&'static str>,
    /// The real setting it mirrors, named before the help: (product, name), e.g.
    /// ("HikariCP", "maximumPoolSize").
    pub setting: Option<(&'static str, &'static str)>,
    /// One sentence of help.
    pub help: String,
}

impl FieldSpec {
    /// A field of `panel` with no range, placeholder, setting or help.
    pub fn new(
        panel: Panel,
        id: impl Into<String>,
        label: impl Into<String>,
        unit: &'static str,
        entry: Entry,
    ) -> Self {
        Self {
            panel,
            id: id.into(),
            label: label.into(),
            unit,
            entry,
            min: None,
            max: None,
            step: None,
            whole: false,
            placeholder: None,
            setting: None,
            help: String::new(),
        }
    }

    /// A field of the timeline form, as the engine's action catalogue describes it.
    pub fn action(field: &ActionField) -> Self {
        let entry = match field.input {
            FieldInput::Decimal | FieldInput::Whole | FieldInput::Count | FieldInput::OptionalCount => {
                Entry::TypedNumber
            }
            FieldInput::Text => Entry::Text { max_len: 500 },
            FieldInput::Metric => Entry::Choice(
                AlertMetric::ALL
                    .iter()
                    .map(|m| (m.name().to_owned(), format!("{} — {}", m.name(), m.meaning())))
                    .collect(),
            ),
            FieldInput::Choice(names) => {
                Entry::Choice(names.iter().map(|n| ((*n).to_owned(), (*n).to_owned())).collect())
            }
        };
        Self {
            whole: field.input != FieldInput::Decimal,
            placeholder: (field.input == FieldInput::OptionalCount).then_some("keep"),
            help: field.help.to_owned(),
            ..Self::new(Panel::Timeline, format!("field-{}", field.name), field.label, field.unit, entry)
        }
    }

    /// The timeline form's fleet fields: which instances (`instances`), and a rollout's
    /// batch size (`rollout_batch`) and pause (`rollout_every`); `fleet` instances in all.
    pub fn target(name: &'static str, fleet: u32) -> Self {
        let (label, unit, entry, help, placeholder) = match name {
            TARGET_INSTANCES => (
                "Instances",
                "",
                Entry::Text { max_len: 4000 },
                format!("Which of the {fleet} instances, by number: 1-4 or 1, 3, 5. Empty: all of them."),
                Some("all"),
            ),
            TARGET_BATCH => (
                "Roll out: instances at a time",
                "",
                Entry::TypedNumber,
                "A rolling deploy or restart: this many instances at a time. Empty: all at once.".to_owned(),
                Some("all at once"),
            ),
            _ => (
                "Roll out: every",
                "s",
                Entry::TypedNumber,
                "Seconds between the starts of two batches.".to_owned(),
                None,
            ),
        };
        Self {
            whole: name == TARGET_BATCH,
            placeholder,
            help,
            ..Self::new(Panel::Timeline, format!("field-{name}"), label, unit, entry)
        }
    }

    /// The time field of the timeline form, with its help (the run's range in clock time).
    pub fn time(help: impl Into<String>) -> Self {
        Self {
            placeholder: Some("HH:MM:SS"),
            help: help.into(),
            ..Self::new(Panel::Timeline, TIME_FIELD, "Time", "", Entry::Time)
        }
    }

    /// Id and test hook of the input (or select).
    pub fn input_id(&self) -> String {
        match self.panel {
            Panel::Controls => format!("control-{}", self.id),
            Panel::Timeline => format!("timeline-{}", self.id),
            Panel::Fix(hook) => format!("{hook}-{}", self.id),
        }
    }

    /// Id of the help line.
    pub fn help_id(&self) -> String {
        match self.panel {
            Panel::Fix(hook) => format!("{hook}-help"),
            Panel::Controls | Panel::Timeline => format!("{}-help", self.input_id()),
        }
    }

    /// Id of the line under the input that follows the value (the leak's "1 in N").
    pub fn note_id(&self) -> String {
        format!("{}-note", self.input_id())
    }

    /// Id of the "applies on restart" line.
    pub fn hint_id(&self) -> String {
        format!("{}-hint", self.input_id())
    }

    /// Id of the inline error.
    pub fn error_id(&self) -> String {
        match self.panel {
            Panel::Controls => format!("{}-error", self.input_id()),
            Panel::Timeline => TIMELINE_ERROR.to_owned(),
            Panel::Fix(hook) => format!("{hook}-error"),
        }
    }

    /// Test hook of the inline error.
    pub fn error_hook(&self) -> String {
        match self.panel {
            Panel::Controls => format!("control-error-{}", self.id),
            Panel::Timeline | Panel::Fix(_) => self.error_id(),
        }
    }

    /// `aria-describedby`: the error first (it matters most), then the help and the lines
    /// under the input.
    pub fn described_by(&self, error: bool, note: bool, hint: bool) -> String {
        let parts = [
            (error, self.error_id()),
            (true, self.help_id()),
            (note, self.note_id()),
            (hint, self.hint_id()),
        ];
        parts.into_iter().filter(|(on, _)| *on).map(|(_, id)| id).collect::<Vec<_>>().join(" ")
    }

    /// The keyboard a phone should show.
    pub fn inputmode(&self) -> Option<&'static str> {
        match self.entry {
            Entry::Number | Entry::TypedNumber => Some(if self.whole { "numeric" } else { "decimal" }),
            Entry::Time => Some("numeric"),
            Entry::Text { .. } | Entry::Choice(_) | Entry::Switch => None,
        }
    }

    /// Whether the unit has its place beside the input: when there is one, and always
    /// beside the settings panel's number inputs, so that they line up.
    pub fn unit_shown(&self) -> bool {
        !self.unit.is_empty() || (self.panel == Panel::Controls && self.entry == Entry::Number)
    }

    /// Whether the input takes a row of its own (text and choices in the timeline form).
    pub fn wide(&self) -> bool {
        self.panel == Panel::Timeline && matches!(self.entry, Entry::Text { .. } | Entry::Choice(_))
    }
}

/// A unit as a screen reader should say it (`ms` is read "em ess" otherwise).
pub fn unit_words(unit: &str) -> &str {
    match unit {
        "req/s" => "requests per second",
        "req" => "requests",
        "conns" => "connections",
        "ms" => "milliseconds",
        "s" => "seconds",
        "0–1" => "a share from 0 to 1",
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use poolsim_engine::ActionKind;

    use super::*;
    use crate::forms::knob::{DISTRIBUTIONS, Knob, all_knobs};

    fn seed_incident() -> poolsim_engine::Scenario {
        poolsim_content::presets::load("june-15-2024").expect("the seed preset")
    }

    #[test]
    fn each_panel_keeps_its_element_ids_and_test_hooks() {
        let s = seed_incident();
        let size = Knob::MaxSize.spec(&s);
        assert_eq!(size.input_id(), "control-pool-size");
        assert_eq!(size.help_id(), "control-pool-size-help");
        assert_eq!(size.note_id(), "control-pool-size-note");
        assert_eq!(size.hint_id(), "control-pool-size-hint");
        assert_eq!(size.error_id(), "control-pool-size-error");
        assert_eq!(size.error_hook(), "control-error-pool-size");

        let field = ActionKind::ResizePool.field("max_size").expect("a field");
        let max_size = FieldSpec::action(field);
        assert_eq!(max_size.input_id(), "timeline-field-max_size");
        assert_eq!(max_size.help_id(), "timeline-field-max_size-help");
        assert_eq!(
            (max_size.error_id(), max_size.error_hook()),
            (TIMELINE_ERROR.into(), TIMELINE_ERROR.into())
        );
        let time = FieldSpec::time("12:00:00 to 17:00:00");
        assert_eq!((time.input_id(), time.help_id()), ("timeline-time".into(), "timeline-time-help".into()));

        let fix =
            FieldSpec::new(Panel::Fix("fix-resize"), "size", "New pool size", "conns", Entry::TypedNumber);
        assert_eq!(fix.input_id(), "fix-resize-size");
        assert_eq!(fix.help_id(), "fix-resize-help");
        assert_eq!(
            (fix.error_id(), fix.error_hook()),
            ("fix-resize-error".into(), "fix-resize-error".into())
        );
    }

    #[test]
    fn the_error_is_described_first_then_the_help_and_the_lines_under_the_input() {
        let size = Knob::MaxSize.spec(&seed_incident());
        assert_eq!(size.described_by(false, false, false), "control-pool-size-help");
        assert_eq!(
            size.described_by(true, true, true),
            "control-pool-size-error control-pool-size-help control-pool-size-note control-pool-size-hint"
        );
        let time = FieldSpec::time("");
        assert_eq!(time.described_by(true, false, false), "timeline-error timeline-time-help");
        let fix = FieldSpec::new(Panel::Fix("fix-restart"), "downtime", "Downtime", "s", Entry::TypedNumber);
        assert_eq!(fix.described_by(true, false, false), "fix-restart-error fix-restart-help");
    }

    #[test]
    fn every_action_field_is_typed_as_its_catalogue_says() {
        for kind in ActionKind::ALL {
            for field in kind.fields() {
                let spec = FieldSpec::action(field);
                assert_eq!(
                    (spec.label.as_str(), spec.unit, spec.help.as_str()),
                    (field.label, field.unit, field.help)
                );
                let (inputmode, wide) = match field.input {
                    FieldInput::Decimal => (Some("decimal"), false),
                    FieldInput::Whole | FieldInput::Count | FieldInput::OptionalCount => {
                        (Some("numeric"), false)
                    }
                    FieldInput::Text | FieldInput::Metric | FieldInput::Choice(_) => (None, true),
                };
                assert_eq!((spec.inputmode(), spec.wide()), (inputmode, wide), "{kind:?} {}", field.name);
                let keep = (field.input == FieldInput::OptionalCount).then_some("keep");
                assert_eq!(spec.placeholder, keep, "{kind:?} {}", field.name);
                assert_eq!(
                    (spec.min, spec.max, spec.step),
                    (None, None, None),
                    "the engine checks the range"
                );
                assert_eq!(spec.unit_shown(), !field.unit.is_empty());
            }
        }
        let metric = FieldSpec::action(ActionKind::AddAlert.field("metric").expect("a field"));
        let Entry::Choice(options) = &metric.entry else { panic!("a choice") };
        let names: Vec<&str> = options.iter().map(|(value, _)| value.as_str()).collect();
        assert_eq!(names, AlertMetric::ALL.map(AlertMetric::name));
        assert_eq!(options[0].1, "usage — active ÷ max, 0–1");
    }

    #[test]
    fn every_knob_is_a_number_input_with_its_range_but_the_hold_shape_a_choice_and_the_database_a_switch() {
        let s = poolsim_engine::Scenario { database: Some(Default::default()), ..seed_incident() };
        for knob in all_knobs(&s) {
            let spec = knob.spec(&s);
            assert_eq!(spec.panel, Panel::Controls, "{knob:?}");
            if knob == Knob::Database {
                assert_eq!(spec.entry, Entry::Switch);
                assert_eq!((spec.inputmode(), spec.unit_shown()), (None, false), "a switch has no unit");
            } else if knob == Knob::HoldDistribution {
                let Entry::Choice(options) = &spec.entry else { panic!("a choice") };
                let values: Vec<&str> = options.iter().map(|(value, _)| value.as_str()).collect();
                assert_eq!(values, DISTRIBUTIONS.map(|(_, value, _)| value));
                assert!(!spec.unit_shown(), "a select has no unit");
            } else {
                assert_eq!(spec.entry, Entry::Number, "{knob:?}");
                assert!(spec.min.is_some() && spec.max.is_some() && spec.step.is_some(), "{knob:?}");
                assert!(spec.unit_shown(), "{knob:?}: the inputs line up");
            }
        }
        assert_eq!(Knob::Rate.spec(&s).inputmode(), Some("decimal"));
        assert_eq!(Knob::MaxSize.spec(&s).inputmode(), Some("numeric"));
        assert_eq!(Knob::MinIdle.spec(&s).placeholder, Some("= max"));
    }

    #[test]
    fn units_are_spelled_out_for_screen_readers() {
        assert_eq!(unit_words("ms"), "milliseconds");
        assert_eq!(unit_words("conns"), "connections");
        assert_eq!(unit_words("0–1"), "a share from 0 to 1");
        assert_eq!(unit_words("HH:MM"), "HH:MM");
    }
}
