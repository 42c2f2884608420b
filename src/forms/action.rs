//! The timeline's add / edit form as data: the text the user typed for an action of the
//! engine's catalogue ([`ActionKind`]: its kinds and fields), and the checks that turn it
//! into the next scenario or into a message naming the field that is wrong.
//!
//! Every accepted scenario has passed [`Scenario::validate`]; its events are sorted by
//! time, keeping the order of events at the same time (the engine runs ties in list
//! order, so the sort never changes what a run does).
//!
//! Pure functions (no Yew): tested natively.

use poolsim_engine::{
    Action, ActionKind, AlertMetric, FieldInput, FieldValue, FieldValues, Rollout, Scenario, ScenarioError,
    Target as Instances, TimedEvent, validate_action,
};

use super::time::{TIME_HINT, parse_time, show_time, time_input};
use crate::forms::field::{TARGET_BATCH, TARGET_EVERY, TARGET_INSTANCES};
use crate::forms::parse;

/// The name of the time field in [`FormError::field`] and in its test hook.
pub const TIME_FIELD: &str = "time";

/// Each field's text as the user would type it (an absent optional field is empty).
fn texts(action: &Action) -> Vec<(&'static str, String)> {
    let values = action.values();
    action
        .kind()
        .fields()
        .iter()
        .map(|field| {
            let text = match values.get(field.name) {
                None => String::new(),
                Some(FieldValue::Decimal(x)) => parse::show(*x),
                Some(FieldValue::Whole(n)) => n.to_string(),
                Some(FieldValue::Count(n)) => n.to_string(),
                Some(FieldValue::Text(t)) => t.clone(),
                Some(FieldValue::Metric(m)) => m.name().to_owned(),
                Some(FieldValue::Choice(c)) => (*c).to_owned(),
            };
            (field.name, text)
        })
        .collect()
}

/// What the form holds: the time and kind chosen and the text of every field typed so
/// far (each kind keeps its own, so switching kinds back and forth loses nothing).
#[derive(Clone, Debug, PartialEq)]
pub struct Draft {
    /// The time field's text.
    pub time: String,
    /// The action kind chosen.
    pub kind: ActionKind,
    /// Every field's text typed so far, of each kind chosen so far (a few dozen at most:
    /// a list, not a map, so the page carries no map code for it).
    values: Vec<((ActionKind, &'static str), String)>,
    /// In a fleet: the instances field's text (empty: all), and a rollout's batch size
    /// and pause (both empty: all at once).
    pub instances: String,
    /// See [`instances`](Self::instances).
    pub batch: String,
    /// See [`instances`](Self::instances).
    pub every: String,
}

impl Draft {
    /// A new event of `kind` at `at_s` [s from the start], fields at their defaults.
    pub fn new(kind: ActionKind, at_s: f64, clock_start_s: u32, scenario: &Scenario) -> Self {
        let mut draft = Self {
            time: time_input(at_s, clock_start_s),
            kind: ActionKind::Note,
            values: Vec::new(),
            instances: String::new(),
            batch: String::new(),
            every: String::new(),
        };
        draft.choose(kind, scenario);
        draft
    }

    /// The form for editing `event`: its time and every value as the user would type it.
    pub fn from_event(event: &TimedEvent, clock_start_s: u32, scenario: &Scenario) -> Self {
        let kind = event.action.kind();
        let mut draft = Self::new(kind, event.at_s, clock_start_s, scenario);
        for (name, text) in texts(&event.action) {
            draft.put((kind, name), text);
        }
        if let Some(list) = &event.target.instances {
            draft.instances = list.iter().map(u32::to_string).collect::<Vec<_>>().join(", ");
        }
        if let Some(r) = &event.target.rollout {
            draft.batch = r.batch.to_string();
            draft.every = parse::show(r.every_s);
        }
        draft
    }

    /// The text of a fleet field ([`TARGET_INSTANCES`], [`TARGET_BATCH`], [`TARGET_EVERY`]).
    pub fn target_text(&self, name: &str) -> &str {
        match name {
            TARGET_INSTANCES => &self.instances,
            TARGET_BATCH => &self.batch,
            _ => &self.every,
        }
    }

    /// Set a fleet field's text.
    pub fn set_target_text(&mut self, name: &str, text: String) {
        match name {
            TARGET_INSTANCES => self.instances = text,
            TARGET_BATCH => self.batch = text,
            _ => self.every = text,
        }
    }

    /// The instances the event acts on, read from the fleet fields (all of them, at once,
    /// when they are empty or the kind acts on the whole fleet); the ranges are checked
    /// against the fleet when the scenario is validated.
    pub fn target(&self) -> Result<Instances, FormError> {
        let refuse = |field: &str, message: String| FormError {
            field: field.to_owned(),
            path: field.to_owned(),
            message,
        };
        if !self.kind.per_instance() {
            return Ok(Instances::default());
        }
        let mut target = Instances::default();
        let text = self.instances.trim();
        if !text.is_empty() {
            let mut list = Vec::new();
            for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
                let number = |t: &str| {
                    t.trim().parse::<u32>().map_err(|_| {
                        refuse(
                            TARGET_INSTANCES,
                            format!("Instances: `{t}` is not an instance number; write 1-4 or 1, 3, 5"),
                        )
                    })
                };
                match part.split_once('-') {
                    Some((a, b)) => {
                        let (a, b) = (number(a)?, number(b)?);
                        if b < a || b - a >= 1000 {
                            return Err(refuse(
                                TARGET_INSTANCES,
                                format!(
                                    "Instances: `{part}` is not a range from a lower number to a higher one"
                                ),
                            ));
                        }
                        list.extend(a..=b);
                    }
                    None => list.push(number(part)?),
                }
            }
            target.instances = Some(list);
        }
        match (self.batch.trim(), self.every.trim()) {
            ("", "") => {}
            (batch, every) => {
                let batch = parse::whole_u32(batch).map_err(|reason| {
                    refuse(TARGET_BATCH, format!("Roll out: instances at a time: {reason}"))
                })?;
                let every_s = parse::decimal(every)
                    .map_err(|reason| refuse(TARGET_EVERY, format!("Roll out: every: {reason}")))?;
                target.rollout = Some(Rollout { batch, every_s });
            }
        }
        Ok(target)
    }

    /// Switch to `kind`; its fields keep any text typed before, others start at defaults.
    pub fn choose(&mut self, kind: ActionKind, scenario: &Scenario) {
        self.kind = kind;
        for (name, text) in texts(&kind.example(scenario)) {
            if !self.values.iter().any(|(key, _)| *key == (kind, name)) {
                self.values.push(((kind, name), text));
            }
        }
    }

    /// The text of the chosen kind's field `name` ("" when it has none).
    pub fn value(&self, name: &str) -> &str {
        self.values.iter().find(|((k, n), _)| *k == self.kind && *n == name).map_or("", |(_, v)| v.as_str())
    }

    /// Set the text of the chosen kind's field `name` (ignored for a field it lacks).
    pub fn set(&mut self, name: &str, text: String) {
        if let Some(field) = self.kind.field(name) {
            self.put((self.kind, field.name), text);
        }
    }

    /// Set the text of field `key`.
    fn put(&mut self, key: (ActionKind, &'static str), text: String) {
        match self.values.iter_mut().find(|(k, _)| *k == key) {
            Some(slot) => slot.1 = text,
            None => self.values.push((key, text)),
        }
    }

    /// Read the fields into an action and check it with [`validate_action`].
    pub fn action(&self) -> Result<Action, FormError> {
        let action = self.read_action()?;
        validate_action(&action, "").map_err(|e| {
            let label = self.kind.field(&e.path).map_or(e.path.as_str(), |f| f.label);
            FormError {
                field: e.path.clone(),
                path: e.path.clone(),
                message: format!("{label}: {}", e.reason),
            }
        })?;
        Ok(action)
    }

    /// The action the fields' text says, each field read as the catalogue's input says;
    /// an optional field left empty takes its default.
    fn read_action(&self) -> Result<Action, FormError> {
        let mut values = FieldValues::default();
        for field in self.kind.fields() {
            let name = field.name;
            let text = self.value(name);
            let value = match field.input {
                FieldInput::Text => Some(FieldValue::Text(text.trim().to_owned())),
                _ if !field.required && text.trim().is_empty() => None,
                FieldInput::Decimal => Some(FieldValue::Decimal(self.read(name, parse::decimal)?)),
                FieldInput::Whole => Some(FieldValue::Whole(self.read(name, parse::whole)?)),
                FieldInput::Count | FieldInput::OptionalCount => {
                    Some(FieldValue::Count(self.read(name, parse::whole_u32)?))
                }
                FieldInput::Metric => Some(FieldValue::Metric(self.read(name, |t| {
                    AlertMetric::from_name(t).ok_or_else(|| "choose a metric".to_owned())
                })?)),
                FieldInput::Choice(names) => Some(FieldValue::Choice(self.read(name, |t| {
                    names.iter().find(|n| **n == t.trim()).copied().ok_or_else(|| "choose one".to_owned())
                })?)),
            };
            if let Some(value) = value {
                values.set(name, value);
            }
        }
        self.kind.build(&values).ok_or_else(|| FormError {
            field: String::new(),
            path: String::new(),
            message: format!("{}: a field is missing", self.kind.label()),
        })
    }

    /// Read field `name` with `read`, or say which field could not be read and why.
    fn read<T>(&self, name: &str, read: impl Fn(&str) -> Result<T, String>) -> Result<T, FormError> {
        read(self.value(name)).map_err(|reason| {
            let label = self.kind.field(name).map_or(name, |f| f.label);
            FormError { field: name.to_owned(), path: name.to_owned(), message: format!("{label}: {reason}") }
        })
    }
}

/// Why the form was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FormError {
    /// The form field that is wrong (`time`, `max_size`), or the scenario path when the
    /// problem lies elsewhere in the scenario.
    pub field: String,
    /// The path [`Scenario::validate`] names (`events[3].at_s`), or the field's own name
    /// when the text could not be read.
    pub path: String,
    /// The message shown: the field's label and the reason.
    pub message: String,
}

/// What the form is for: a new event, or the event at `index` of the scenario it was
/// opened on (kept whole, to find it again if the list changed meanwhile).
#[derive(Clone, Debug, PartialEq)]
pub enum Target {
    /// Add an event.
    New,
    /// Replace an existing event.
    Edit {
        /// Its index in the scenario's events when the form opened.
        index: usize,
        /// The event as it was.
        original: TimedEvent,
    },
}

/// Where `original` (last seen at `index`) is in `events` now, if it is still there.
pub fn locate(events: &[TimedEvent], index: usize, original: &TimedEvent) -> Option<usize> {
    if events.get(index) == Some(original) { Some(index) } else { events.iter().position(|e| e == original) }
}

/// Sort events by time; events at the same time keep their order (the order they run in).
pub fn sort_events(events: &mut [TimedEvent]) {
    TimedEvent::sort(events);
}

/// Indices of `events` in time order, ties in list order: the rows of the timeline.
pub fn time_order(events: &[TimedEvent]) -> Vec<usize> {
    // Insertion sort: stable, and linear on a timeline that is already in order (the
    // editor keeps it so); no sorting code of its own in the bundle.
    let mut order: Vec<usize> = (0..events.len()).collect();
    for i in 1..order.len() {
        let mut j = i;
        while j > 0 && events[order[j - 1]].at_s > events[order[j]].at_s {
            order.swap(j - 1, j);
            j -= 1;
        }
    }
    order
}

/// The next scenario with the form's event added (or put in place of the edited one),
/// sorted by time and validated; or why it is refused. `scenario` is left as it was.
pub fn save(
    scenario: &Scenario,
    target: &Target,
    draft: &Draft,
    clock_start_s: u32,
) -> Result<Scenario, FormError> {
    let unchanged_time = match target {
        // The field still shows the edited event's time: keep it to the fraction of a second
        // (a live fix lands between whole seconds).
        Target::Edit { original, .. } if draft.time.trim() == time_input(original.at_s, clock_start_s) => {
            Some(original.at_s)
        }
        _ => None,
    };
    let at_s = match unchanged_time {
        Some(at_s) => at_s,
        None => parse_time(&draft.time, clock_start_s).map_err(|reason| FormError {
            field: TIME_FIELD.to_owned(),
            path: TIME_FIELD.to_owned(),
            message: format!("Time: {reason}"),
        })?,
    };
    let action = draft.action()?;
    let on = draft.target()?;
    let mut next = scenario.clone();
    let event = TimedEvent { at_s, action, target: on };
    let index = match target {
        Target::New => {
            next.events.push(event);
            next.events.len() - 1
        }
        Target::Edit { index, original } => {
            let Some(i) = locate(&next.events, *index, original) else {
                return Err(FormError {
                    field: String::new(),
                    path: String::new(),
                    message: "This event is no longer on the timeline; cancel and add it again.".to_owned(),
                });
            };
            next.events[i] = event;
            i
        }
    };
    next.validate().map_err(|e| explain(&e, index, at_s, draft.kind, scenario, clock_start_s))?;
    sort_events(&mut next.events);
    Ok(next)
}

/// The scenario without the event last seen at `index` (sorted), or `None` when it is no
/// longer there (a second click before the list re-rendered) or the rest is invalid.
pub fn remove(scenario: &Scenario, index: usize, original: &TimedEvent) -> Option<Scenario> {
    let i = locate(&scenario.events, index, original)?;
    let mut next = scenario.clone();
    next.events.remove(i);
    sort_events(&mut next.events);
    next.validate().ok()?;
    Some(next)
}

/// A validation error of the candidate scenario, put in the form's words: a time outside
/// the run says the run's clock range; a field of the new event names that field.
fn explain(
    error: &ScenarioError,
    index: usize,
    at_s: f64,
    kind: ActionKind,
    scenario: &Scenario,
    clock_start_s: u32,
) -> FormError {
    let prefix = format!("events[{index}].");
    let Some(name) = error.path.strip_prefix(&prefix) else {
        // Another part of the scenario: name it in full.
        return FormError { field: error.path.clone(), path: error.path.clone(), message: error.to_string() };
    };
    let path = error.path.clone();
    if name == "at_s" {
        let end_s = scenario.duration_s as f64;
        let message = format!(
            "Time: must be within the run, {} to {}; {} is {}",
            show_time(0.0, clock_start_s),
            show_time(end_s, clock_start_s),
            show_time(at_s, clock_start_s),
            if at_s > end_s { "after its end" } else { "outside it" },
        );
        return FormError { field: TIME_FIELD.to_owned(), path, message };
    }
    // The fleet fields: `instances[2]`, `rollout.batch`, `rollout.every_s`.
    let fleet_field = match name {
        n if n.starts_with("instances") => Some((TARGET_INSTANCES, "Instances")),
        "rollout.batch" => Some((TARGET_BATCH, "Roll out: instances at a time")),
        n if n.starts_with("rollout") => Some((TARGET_EVERY, "Roll out: every")),
        _ => None,
    };
    if let Some((field, label)) = fleet_field {
        return FormError { field: field.to_owned(), path, message: format!("{label}: {}", error.reason) };
    }
    // The action's own fields passed `validate_action` already: name the field anyway.
    let label = kind.field(name).map_or(name, |f| f.label);
    FormError { field: name.to_owned(), path, message: format!("{label}: {}", error.reason) }
}

/// Help line of the time field, with the run's range in clock time.
pub fn time_help(scenario: &Scenario, clock_start_s: u32) -> String {
    format!(
        "Enter {TIME_HINT}; the run goes from {} to {}.",
        show_time(0.0, clock_start_s),
        show_time(scenario.duration_s as f64, clock_start_s)
    )
}

#[cfg(test)]
mod tests {
    use poolsim_content::presets;
    use poolsim_engine::time::ClockTime;

    use super::*;

    const NOON: u32 = 12 * 3600;

    fn seed_incident() -> Scenario {
        presets::load("june-15-2024").expect("the seed preset loads")
    }

    fn draft(kind: ActionKind, time: &str, fields: &[(&str, &str)], scenario: &Scenario) -> Draft {
        let mut d = Draft::new(kind, 0.0, NOON, scenario);
        d.time = time.to_owned();
        for (name, text) in fields {
            d.set(name, (*text).to_owned());
        }
        d
    }

    fn is_sorted(s: &Scenario) -> bool {
        s.events.windows(2).all(|w| w[0].at_s <= w[1].at_s)
    }

    #[test]
    fn every_engine_action_has_a_kind_with_a_unique_name() {
        let mut names: Vec<&str> = ActionKind::ALL.iter().map(|k| k.name()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), ActionKind::ALL.len(), "every kind has its own name");
        for kind in ActionKind::ALL {
            assert_eq!(ActionKind::from_name(kind.name()), Some(kind));
            assert!(!kind.label().is_empty());
            // The JSON name is the engine's: a default action of the kind serialises with it.
            let action = Draft::new(kind, 0.0, NOON, &seed_incident()).read_action();
            if let Ok(action) = action {
                let json = serde_json::to_value(&action).expect("serialises");
                assert_eq!(json["action"], kind.name(), "{kind:?}");
                assert_eq!(action.kind(), kind);
            }
        }
    }

    #[test]
    fn adding_a_resize_at_15_00_gives_a_valid_sorted_scenario() {
        let s = seed_incident();
        let d = draft(ActionKind::ResizePool, "15:00", &[("max_size", "200")], &s);
        let next = save(&s, &Target::New, &d, NOON).expect("a valid event");
        assert_eq!(next.events.len(), s.events.len() + 1);
        assert!(next.validate().is_ok() && is_sorted(&next));
        let added = TimedEvent::new(10_800.0, Action::ResizePool { max_size: 200, min_idle: None });
        let at = next.events.iter().position(|e| *e == added).expect("the new event is in");
        assert!(next.events[at - 1].at_s <= 10_800.0 && next.events[at + 1].at_s >= 10_800.0);
    }

    #[test]
    fn a_time_past_the_end_is_refused_naming_the_time_field_and_its_path() {
        let s = seed_incident();
        let d = draft(ActionKind::Rollback, "17:30", &[], &s);
        let error = save(&s, &Target::New, &d, NOON).expect_err("after the 17:00 end");
        assert_eq!(error.field, TIME_FIELD);
        assert_eq!(error.path, format!("events[{}].at_s", s.events.len()));
        assert_eq!(
            error.message,
            "Time: must be within the run, 12:00:00 to 17:00:00; 17:30:00 is after its end"
        );
        // Before the start on the clock is the next day: also past the end.
        let early = save(&s, &Target::New, &draft(ActionKind::Rollback, "11:00", &[], &s), NOON);
        assert!(early.is_err_and(|e| e.field == TIME_FIELD));
        let garbage =
            save(&s, &Target::New, &draft(ActionKind::Rollback, "3 pm", &[], &s), NOON).expect_err("garbage");
        assert_eq!((garbage.field.as_str(), garbage.path.as_str()), (TIME_FIELD, TIME_FIELD));
        assert!(garbage.message.starts_with("Time: “3 pm”"), "{}", garbage.message);
    }

    #[test]
    fn a_bad_field_is_refused_naming_that_field() {
        let s = seed_incident();
        let cases = [
            (
                ActionKind::ResizePool,
                "max_size",
                "0",
                "Max pool size: must be between 1 and 100000 connections, got 0",
            ),
            (ActionKind::ResizePool, "max_size", "abc", "Max pool size: “abc” is not a number"),
            (
                ActionKind::DeployLeak,
                "probability",
                "2",
                "Leak probability: must be a probability between 0 and 1",
            ),
            (ActionKind::Note, "text", "   ", "Note: a note needs some text"),
            (ActionKind::AddAlert, "above", "80", "Above: usage is a share between 0 and 1"),
            (ActionKind::SetConnectionTimeout, "timeout_ms", "1e12", "Connection timeout: must be at most"),
        ];
        for (kind, field, text, message) in cases {
            let d = draft(kind, "13:00", &[(field, text)], &s);
            let error = save(&s, &Target::New, &d, NOON).expect_err(text);
            assert_eq!(error.field, field, "{kind:?}");
            assert!(error.message.starts_with(message), "{kind:?}: {}", error.message);
        }
        let d = draft(ActionKind::ResizePool, "13:00", &[("max_size", "50"), ("min_idle", "60")], &s);
        assert_eq!(save(&s, &Target::New, &d, NOON).expect_err("min > max").field, "min_idle");
    }

    #[test]
    fn a_run_past_midnight_takes_clock_times_of_the_next_day() {
        let s = Scenario {
            clock_start: ClockTime::from_seconds_of_day(23 * 3600),
            duration_s: 7200,
            ..Scenario::default()
        };
        let start = 23 * 3600;
        let d = draft(ActionKind::Note, "00:30", &[("text", "after midnight")], &s);
        let next = save(&s, &Target::New, &d, start).expect("00:30 is within 23:00–01:00");
        assert_eq!(next.events[0].at_s, 5400.0);
        let late = draft(ActionKind::Note, "01:30", &[("text", "too late")], &s);
        assert!(
            save(&s, &Target::New, &late, start).is_err_and(|e| e.message.contains("23:00:00 to 01:00:00"))
        );
    }

    #[test]
    fn events_sort_by_time_and_ties_keep_their_order() {
        let note = |at_s: f64, text: &str| TimedEvent::new(at_s, Action::Note { text: text.into() });
        let mut events =
            vec![note(30.0, "c"), note(10.0, "a"), note(30.0, "d"), note(10.0, "b"), note(20.0, "x")];
        assert_eq!(time_order(&events), [1, 3, 4, 0, 2]);
        sort_events(&mut events);
        let texts: Vec<String> =
            events.iter().map(|e| poolsim_content::words::action::sentence(&e.action)).collect();
        assert_eq!(texts, ["a", "b", "x", "c", "d"]);
        // The seed incident has three events at 14:15: resize, restart, note — in that order.
        let s = seed_incident();
        let d = draft(ActionKind::Note, "12:05", &[("text", "first")], &s);
        let next = save(&s, &Target::New, &d, NOON).expect("valid");
        let at_1415: Vec<ActionKind> =
            next.events.iter().filter(|e| e.at_s == 13_500.0).map(|e| e.action.kind()).collect();
        assert_eq!(at_1415, [ActionKind::ResizePool, ActionKind::RestartApp, ActionKind::Note]);
    }

    #[test]
    fn editing_replaces_the_event_and_keeps_a_fractional_time_when_untouched() {
        let mut s = seed_incident();
        s.events.push(TimedEvent::new(9000.5, Action::Rollback));
        let index = s.events.len() - 1;
        let original = s.events[index].clone();
        let mut d = Draft::from_event(&original, NOON, &s);
        assert_eq!(d.time, "14:30:00");
        d.choose(ActionKind::ResizePool, &s);
        d.set("max_size", "150".into());
        let target = Target::Edit { index, original };
        let next = save(&s, &target, &d, NOON).expect("valid");
        assert_eq!(next.events.len(), s.events.len());
        assert!(
            next.events
                .contains(&TimedEvent::new(9000.5, Action::ResizePool { max_size: 150, min_idle: None }))
        );
        assert!(!next.events.iter().any(|e| e.action == Action::Rollback && e.at_s == 9000.5));
        d.time = "14:45".into();
        let moved = save(&s, &target, &d, NOON).expect("valid");
        assert!(moved.events.iter().any(|e| e.at_s == 9900.0 && e.action.kind() == ActionKind::ResizePool));
    }

    #[test]
    fn an_edit_form_reads_back_every_value_it_shows() {
        let s = seed_incident();
        for event in &s.events {
            let d = Draft::from_event(event, NOON, &s);
            assert_eq!(d.action().as_ref(), Ok(&event.action));
            assert_eq!(parse_time(&d.time, NOON), Ok(event.at_s));
        }
        let alert = Action::AddAlert {
            name: "Slow".into(),
            metric: AlertMetric::AcquireP99Ms,
            above: 250.0,
            for_s: 30,
        };
        let d = Draft::from_event(&TimedEvent::new(60.0, alert.clone()), NOON, &s);
        assert_eq!(d.action(), Ok(alert));
    }

    #[test]
    fn switching_kinds_keeps_each_kinds_text() {
        let s = seed_incident();
        let mut d = Draft::new(ActionKind::SetAbandonedTimeout, 0.0, NOON, &s);
        assert_eq!(d.value("timeout_ms"), "60000");
        d.set("timeout_ms", "5000".into());
        d.choose(ActionKind::SetConnectionTimeout, &s);
        assert_eq!(d.value("timeout_ms"), "30000", "each kind has its own default");
        d.choose(ActionKind::SetAbandonedTimeout, &s);
        assert_eq!(d.value("timeout_ms"), "5000", "what was typed comes back");
        d.choose(ActionKind::ResizePool, &s);
        assert_eq!(d.value("max_size"), "200", "double the pool of 100");
        let mut with_rule = s.clone();
        with_rule.alerts.push(poolsim_engine::AlertRule {
            name: "PoolUsageHigh".into(),
            metric: AlertMetric::Usage,
            above: 0.9,
            for_s: 0,
        });
        d.choose(ActionKind::AddAlert, &with_rule);
        assert_eq!(d.value("name"), "PoolUsageHigh2", "a PoolUsageHigh rule exists already");
    }

    #[test]
    fn removing_finds_the_event_even_if_the_list_moved_and_never_twice() {
        let s = seed_incident();
        let original = s.events[0].clone();
        let next = remove(&s, 0, &original).expect("removed");
        assert_eq!(next.events.len(), s.events.len() - 1);
        assert!(!next.events.contains(&original));
        assert_eq!(remove(&next, 0, &original), None, "a second click removes nothing more");
        let mut shifted = s.clone();
        shifted.events.insert(0, TimedEvent::new(1.0, Action::Rollback));
        let after = remove(&shifted, 0, &original).expect("found at its new place");
        assert!(!after.events.contains(&original) && after.events[0].action == Action::Rollback);
    }

    #[test]
    fn a_refused_save_leaves_the_scenario_as_it_was() {
        let s = seed_incident();
        let before = s.clone();
        let d = draft(ActionKind::ResizePool, "18:00", &[("max_size", "200")], &s);
        assert!(save(&s, &Target::New, &d, NOON).is_err());
        assert_eq!(s, before);
    }

    #[test]
    fn in_a_fleet_an_event_names_its_instances_and_its_rollout() {
        let s = presets::load("rolling-deploy-of-a-leak").expect("the fleet preset loads");
        let mut d = draft(ActionKind::RestartApp, "12:40", &[], &s);
        d.instances = "1-3, 5".into();
        d.batch = "2".into();
        d.every = "30".into();
        let next = save(&s, &Target::New, &d, NOON).expect("valid");
        let added = next.events.iter().find(|e| e.at_s == 2400.0).expect("added");
        assert_eq!(added.target.instances, Some(vec![1, 2, 3, 5]));
        assert_eq!(added.target.rollout, Some(Rollout { batch: 2, every_s: 30.0 }));
        // Editing it shows the same text back.
        let again = Draft::from_event(added, NOON, &next);
        assert_eq!(
            (again.instances.as_str(), again.batch.as_str(), again.every.as_str()),
            ("1, 2, 3, 5", "2", "30")
        );

        // Each fleet field that is wrong is named, and the scenario is kept.
        for (instances, batch, every, field, words) in [
            ("7", "", "", TARGET_INSTANCES, "no instance 7"),
            ("3-1", "", "", TARGET_INSTANCES, "lower number to a higher"),
            ("app", "", "", TARGET_INSTANCES, "not an instance number"),
            ("", "9", "30", TARGET_BATCH, "between 1 and"),
            ("", "1", "", TARGET_EVERY, "Roll out: every"),
        ] {
            let mut d = draft(ActionKind::RestartApp, "12:40", &[], &s);
            (d.instances, d.batch, d.every) = (instances.into(), batch.into(), every.into());
            let e = save(&s, &Target::New, &d, NOON).expect_err("refused");
            assert_eq!(e.field, field, "{instances}/{batch}/{every}: {e:?}");
            assert!(e.message.contains(words), "{}", e.message);
        }
        // The traffic acts on the whole fleet: no instances to choose.
        let mut d = draft(ActionKind::SetRate, "12:40", &[("rate_per_s", "900")], &s);
        d.instances = "2".into();
        let next = save(&s, &Target::New, &d, NOON).expect("valid");
        assert!(next.events.iter().all(|e| e.action.kind() != ActionKind::SetRate || e.target.is_all()));
    }
}
