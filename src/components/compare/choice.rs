//! The what-ifs offered for a comparison, as a checklist: each row a [`VariantKind`]
//! with its editable parameters (a pool size, a time as a clock time, a threshold) shown
//! as the user types them and read back into the kind.
//!
//! Reading a parameter only checks what the words can say (a number, a clock time within
//! the run); everything else is [`variants::build`]'s job, so the page and
//! `poolsim compare` refuse the same what-ifs.

use poolsim_engine::time::ClockTime;
use std::rc::Rc;

use poolsim_content::presets;
use poolsim_content::variants::{self, VariantKind};
use poolsim_content::words::Clock;
use poolsim_engine::Scenario;

use crate::forms::parse;

/// Seconds in a day: clock times repeat every day.
const DAY_S: u64 = 86_400;

/// One row of the checklist.
#[derive(Clone, Debug, PartialEq)]
pub struct Choice {
    /// The what-if, with the last parameters that read correctly.
    pub kind: VariantKind,
    /// Run it in the comparison (row 0, the baseline, always runs).
    pub chosen: bool,
    /// The text of each parameter field, as typed ([`params`] order).
    pub texts: Vec<String>,
    /// Why the text of a field was refused: the field and the message.
    pub error: Option<(Param, String)>,
}

/// The checklist for `base`: the June 15 what-ifs for the seed preset (`preset` names it),
/// else [`variants::suggested`]. Row 0 is always "as it happened", and every row starts
/// chosen.
pub fn choices_for(base: &Scenario, preset: Option<&str>) -> Vec<Choice> {
    let kinds = if preset == Some(presets::SEED_INCIDENT) {
        variants::june_15_what_ifs()
    } else {
        variants::suggested(base)
    };
    let mut kinds: Vec<VariantKind> =
        kinds.into_iter().filter(|k| *k != VariantKind::AsItHappened {}).collect();
    kinds.insert(0, VariantKind::AsItHappened {});
    kinds.into_iter().map(|kind| Choice::new(kind, base)).collect()
}

impl Choice {
    /// A chosen row for `kind`, its fields showing the kind's parameters.
    pub fn new(kind: VariantKind, base: &Scenario) -> Self {
        let texts = params(&kind).iter().map(|p| show(&kind, *p, base)).collect();
        Self { kind, chosen: true, texts, error: None }
    }

    /// Apply the text of field `param`: the kind changes if it reads, else the row keeps
    /// its kind and holds the message.
    pub fn edit(&mut self, param: Param, text: String, base: &Scenario) {
        let Some(i) = params(&self.kind).iter().position(|p| *p == param) else { return };
        match set(&self.kind, param, &text, base) {
            Ok(kind) => {
                self.kind = kind;
                // Another field's message stays until that field reads.
                if self.error.as_ref().is_some_and(|(p, _)| *p == param) {
                    self.error = None;
                }
            }
            Err(message) => self.error = Some((param, message)),
        }
        if let Some(slot) = self.texts.get_mut(i) {
            *slot = text;
        }
    }

    /// The what-if with every field read again, or the first field that does not read.
    pub fn read(&self, base: &Scenario) -> Result<VariantKind, (Param, String)> {
        let mut kind = self.kind.clone();
        for (param, text) in params(&self.kind).iter().zip(&self.texts) {
            kind = set(&kind, *param, text, base).map_err(|message| (*param, message))?;
        }
        Ok(kind)
    }
}

/// The checklist: the rows, changed by [`ChecklistAction`]s.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Checklist(pub Vec<Choice>);

/// A change of the checklist.
#[derive(Clone, Debug, PartialEq)]
pub enum ChecklistAction {
    /// New rows (a new base scenario).
    Reset(Vec<Choice>),
    /// Choose or drop row `i` (row 0, the baseline, stays chosen).
    Choose(usize, bool),
    /// The user typed `text` into field `param` of row `row`, read against `base`.
    Edit {
        /// The row.
        row: usize,
        /// The field.
        param: Param,
        /// What was typed.
        text: String,
        /// The base scenario.
        base: Rc<Scenario>,
    },
    /// Field `param` of row `row` cannot be used: show `message` beside it.
    Refuse {
        /// The row.
        row: usize,
        /// The field.
        param: Param,
        /// Why.
        message: String,
    },
}

impl Checklist {
    /// Apply `action`.
    pub fn apply(&mut self, action: ChecklistAction) {
        let rows = &mut self.0;
        match action {
            ChecklistAction::Reset(new) => *rows = new,
            ChecklistAction::Choose(i, chosen) => {
                if let Some(row) = rows.get_mut(i).filter(|_| i > 0) {
                    row.chosen = chosen;
                }
            }
            ChecklistAction::Edit { row, param, text, base } => {
                if let Some(choice) = rows.get_mut(row) {
                    choice.edit(param, text, &base);
                }
            }
            ChecklistAction::Refuse { row, param, message } => {
                if let Some(choice) = rows.get_mut(row) {
                    choice.error = Some((param, message));
                }
            }
        }
    }
}

/// A parameter a what-if lets the user change.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Param {
    /// `maximumPoolSize` [connections].
    PoolSize,
    /// When a fix happens (clock time).
    At,
    /// From when a setting applies (clock time; the start = from the start).
    From,
    /// When the run ends (clock time).
    Until,
    /// The abandoned timeout, or the connection timeout of failing fast [s].
    TimeoutS,
    /// A retry budget's share of first tries [%].
    BudgetPercent,
    /// A usage alert's threshold [% of the pool].
    AbovePercent,
    /// How long the alert's condition must hold [s].
    ForS,
    /// The delay between the first alert and the rollback [min].
    ReactionMin,
}

impl Param {
    /// The field's label.
    pub fn label(self) -> &'static str {
        match self {
            Param::PoolSize => "Pool size",
            Param::At => "At",
            Param::From => "From",
            Param::Until => "Run until",
            Param::TimeoutS => "Timeout",
            Param::BudgetPercent => "Budget",
            Param::AbovePercent => "Above",
            Param::ForS => "For",
            Param::ReactionMin => "Reaction",
        }
    }

    /// The unit shown after the field.
    pub fn unit(self) -> &'static str {
        match self {
            Param::PoolSize => "connections",
            Param::At | Param::From | Param::Until => "HH:MM",
            Param::TimeoutS | Param::ForS => "s",
            Param::AbovePercent => "%",
            Param::BudgetPercent => "% of first tries",
            Param::ReactionMin => "min",
        }
    }

    /// A short lowercase name for test ids: `pool-size`, `at` …
    pub fn slug(self) -> &'static str {
        match self {
            Param::PoolSize => "pool-size",
            Param::At => "at",
            Param::From => "from",
            Param::Until => "until",
            Param::TimeoutS => "timeout",
            Param::BudgetPercent => "budget",
            Param::AbovePercent => "above",
            Param::ForS => "for",
            Param::ReactionMin => "reaction",
        }
    }

    /// The field holds a clock time.
    pub fn is_clock(self) -> bool {
        matches!(self, Param::At | Param::From | Param::Until)
    }
}

/// The parameters of `kind`, in the order the row shows them.
pub fn params(kind: &VariantKind) -> &'static [Param] {
    match kind {
        VariantKind::BiggerPoolOnly { .. } => &[Param::PoolSize, Param::From],
        VariantKind::RollbackAt { .. } | VariantKind::RestartAt { .. } => &[Param::At],
        VariantKind::AbandonedReclaim { .. } => &[Param::TimeoutS, Param::From],
        VariantKind::FailFast { .. } => &[Param::TimeoutS],
        VariantKind::RetryBudget { .. } => &[Param::BudgetPercent],
        VariantKind::UsageAlert { .. } => &[Param::AbovePercent, Param::ForS],
        VariantKind::RollbackAfterFirstAlert { .. } => &[Param::ReactionMin],
        VariantKind::NoRollback { .. } => &[Param::Until],
        VariantKind::AsItHappened {}
        | VariantKind::NoFix {}
        | VariantKind::JitteredRetries {}
        | VariantKind::Custom { .. } => &[],
    }
}

/// `kind`'s `param` as the field shows it: `"200"`, `"14:00"`, `"80"`.
pub fn show(kind: &VariantKind, param: Param, base: &Scenario) -> String {
    let clock = Clock::new(base.clock_start, 0);
    match (kind, param) {
        (VariantKind::BiggerPoolOnly { max_size, .. }, Param::PoolSize) => max_size.to_string(),
        (VariantKind::BiggerPoolOnly { at_s, .. }, Param::From)
        | (VariantKind::RollbackAt { at_s, .. } | VariantKind::RestartAt { at_s, .. }, Param::At) => {
            clock.at(*at_s)
        }
        (VariantKind::AbandonedReclaim { from_s, .. }, Param::From) => clock.at(*from_s),
        (
            VariantKind::AbandonedReclaim { timeout_ms, .. } | VariantKind::FailFast { timeout_ms },
            Param::TimeoutS,
        ) => parse::show(*timeout_ms as f64 / 1000.0),
        (VariantKind::RetryBudget { ratio }, Param::BudgetPercent) => parse::show(round(ratio * 100.0)),
        (VariantKind::UsageAlert { above, .. }, Param::AbovePercent) => parse::show(round(above * 100.0)),
        (VariantKind::UsageAlert { for_s, .. }, Param::ForS) => for_s.to_string(),
        (VariantKind::RollbackAfterFirstAlert { reaction_s, .. }, Param::ReactionMin) => {
            parse::show(round(reaction_s / 60.0))
        }
        (VariantKind::NoRollback { duration_s }, Param::Until) => {
            clock.at(duration_s.unwrap_or(base.duration_s) as f64)
        }
        _ => String::new(),
    }
}

/// `kind` with `param` read from `text`, or why the text cannot be used.
pub fn set(kind: &VariantKind, param: Param, text: &str, base: &Scenario) -> Result<VariantKind, String> {
    let fail = |reason: String| format!("{}: {reason}", param.label());
    let whole = |text: &str| parse::whole(text).map_err(fail);
    let decimal = |text: &str| parse::decimal(text).map_err(fail);
    let mut kind = kind.clone();
    match (&mut kind, param) {
        (VariantKind::BiggerPoolOnly { max_size, .. }, Param::PoolSize) => {
            *max_size = parse::whole_u32(text).map_err(fail)?;
        }
        (VariantKind::BiggerPoolOnly { at_s, .. }, Param::From)
        | (VariantKind::RollbackAt { at_s, .. } | VariantKind::RestartAt { at_s, .. }, Param::At)
        | (VariantKind::AbandonedReclaim { from_s: at_s, .. }, Param::From) => {
            *at_s = time_in_run(text, base).map_err(fail)?;
        }
        (
            VariantKind::AbandonedReclaim { timeout_ms, .. } | VariantKind::FailFast { timeout_ms },
            Param::TimeoutS,
        ) => {
            let s = decimal(text)?;
            if s <= 0.0 || s > 86_400.0 {
                return Err(fail(format!("between 0 and 86400 s, got {}", text.trim())));
            }
            *timeout_ms = (s * 1000.0).round() as u64;
        }
        (VariantKind::UsageAlert { above, .. }, Param::AbovePercent) => {
            let percent = decimal(text)?;
            if percent <= 0.0 || percent > 100.0 {
                return Err(fail(format!(
                    "a share of the pool above 0 and at most 100 %, got {}",
                    text.trim()
                )));
            }
            *above = percent / 100.0;
        }
        (VariantKind::UsageAlert { for_s, .. }, Param::ForS) => *for_s = whole(text)?,
        (VariantKind::RetryBudget { ratio }, Param::BudgetPercent) => {
            let percent = decimal(text)?;
            if percent < 0.0 {
                return Err(fail(format!("a share of the first tries, 0 % or more, got {}", text.trim())));
            }
            *ratio = percent / 100.0;
        }
        (VariantKind::RollbackAfterFirstAlert { reaction_s, .. }, Param::ReactionMin) => {
            let minutes = decimal(text)?;
            if minutes < 0.0 || minutes * 60.0 > base.duration_s as f64 {
                return Err(fail(format!(
                    "between 0 minutes and the length of the run, got {}",
                    text.trim()
                )));
            }
            *reaction_s = (minutes * 60.0).round();
        }
        (VariantKind::NoRollback { duration_s }, Param::Until) => {
            let offset = clock_offset_s(text, base).map_err(fail)?;
            // The first time the clock shows it at or after the base's end.
            let extra_days = base.duration_s.saturating_sub(offset).div_ceil(DAY_S);
            *duration_s = Some(offset + extra_days * DAY_S);
        }
        _ => return Err(fail("this what-if has no such setting".to_owned())),
    }
    Ok(kind)
}

/// A clock time within the base's run [s from the start].
fn time_in_run(text: &str, base: &Scenario) -> Result<f64, String> {
    let offset = clock_offset_s(text, base)?;
    if offset > base.duration_s {
        let clock = Clock::new(base.clock_start, 0);
        return Err(format!(
            "{} is not within the run, which goes from {} to {}",
            text.trim(),
            clock.at(0.0),
            clock.at(base.duration_s as f64)
        ));
    }
    Ok(offset as f64)
}

/// `"HH:MM"` or `"HH:MM:SS"` as seconds after the run's start (the first such time).
fn clock_offset_s(text: &str, base: &Scenario) -> Result<u64, String> {
    let at = ClockTime::parse_typed(text)
        .ok_or_else(|| format!("“{}” is not a clock time such as 14:05", text.trim()))?
        .seconds_of_day();
    let start = base.clock_start.seconds_of_day();
    Ok((u64::from(at) + DAY_S - u64::from(start)) % DAY_S)
}

/// `x` to 6 decimals, so `0.8 × 100` shows as `80`, not `80.00000000000001`.
fn round(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seed() -> Scenario {
        presets::load(presets::SEED_INCIDENT).expect("the seed preset")
    }

    #[test]
    fn the_seed_preset_offers_the_june_15_what_ifs_with_as_it_happened_first() {
        let base = seed();
        let rows = choices_for(&base, Some(presets::SEED_INCIDENT));
        let kinds: Vec<VariantKind> = rows.iter().map(|c| c.kind.clone()).collect();
        assert_eq!(kinds, variants::june_15_what_ifs());
        assert!(rows.iter().all(|c| c.chosen));
        let labels: Vec<String> = rows.iter().map(|c| c.kind.label(base.clock_start)).collect();
        assert_eq!(labels[0], "As it happened");
        assert!(labels.contains(&"Abandoned reclaim (60 s)".to_owned()), "{labels:?}");
        // Another scenario gets the defaults, still with as it happened first.
        let other = presets::load("fast-leak").expect("preset");
        let rows = choices_for(&other, Some("fast-leak"));
        assert_eq!(rows[0].kind, VariantKind::AsItHappened {});
        assert_eq!(rows.len(), variants::default_what_ifs(&other).len());
    }

    #[test]
    fn parameters_show_as_typed_and_read_back() {
        let base = seed();
        let rows = choices_for(&base, Some(presets::SEED_INCIDENT));
        let texts: Vec<Vec<String>> = rows.iter().map(|c| c.texts.clone()).collect();
        assert_eq!(texts[2], ["200", "12:00"], "a pool of 200 from the start");
        assert_eq!(texts[3], ["21:00"], "no rollback, run until 21:00");
        assert_eq!(texts[4], ["80", "120"], "usage above 80 % for 120 s");
        assert_eq!(texts[5], ["60", "12:00"], "reclaim after 60 s, from the start");
        assert_eq!(texts[6], ["5"], "5 minutes after the first alert");
        for row in &rows {
            for (param, text) in params(&row.kind).iter().zip(&row.texts) {
                assert_eq!(set(&row.kind, *param, text, &base).as_ref(), Ok(&row.kind), "{param:?}");
            }
        }
    }

    #[test]
    fn edits_change_the_what_if_and_its_label() {
        let base = seed();
        let mut rows = choices_for(&base, Some(presets::SEED_INCIDENT));
        rows[2].edit(Param::PoolSize, "300".into(), &base);
        rows[2].edit(Param::From, "14:30".into(), &base);
        assert_eq!(rows[2].kind, VariantKind::BiggerPoolOnly { max_size: 300, at_s: 9000.0 });
        assert_eq!(rows[2].kind.label(base.clock_start), "Bigger pool only (300 from 14:30)");
        rows[4].edit(Param::AbovePercent, "90".into(), &base);
        assert_eq!(rows[4].kind, VariantKind::UsageAlert { above: 0.9, for_s: 120 });
        rows[3].edit(Param::Until, "02:00".into(), &base);
        assert_eq!(rows[3].kind, VariantKind::NoRollback { duration_s: Some(14 * 3600) }, "past midnight");
        rows[6].edit(Param::ReactionMin, "2.5".into(), &base);
        assert_eq!(rows[6].kind, VariantKind::RollbackAfterFirstAlert { reaction_s: 150.0, restart: true });
    }

    #[test]
    fn the_retry_storm_offers_the_callers_remedies_with_their_settings() {
        let base = presets::load(variants::RETRY_STORM.0).expect("the storm preset");
        let mut rows = choices_for(&base, Some(variants::RETRY_STORM.0));
        let labels: Vec<String> = rows.iter().map(|c| c.kind.label(base.clock_start)).collect();
        assert_eq!(
            labels[..5],
            [
                "As it happened",
                "Bigger pool only (100)",
                "Jittered backoff",
                "Retry budget (10 %)",
                "Fail fast (timeout 1 s)"
            ]
        );
        assert_eq!((rows[3].texts.clone(), rows[4].texts.clone()), (vec!["10".into()], vec!["1".into()]));
        assert!(rows[2].texts.is_empty(), "jitter has nothing to set");
        rows[3].edit(Param::BudgetPercent, "20".into(), &base);
        assert_eq!(rows[3].kind, VariantKind::RetryBudget { ratio: 0.2 });
        rows[4].edit(Param::TimeoutS, "0.5".into(), &base);
        assert_eq!(rows[4].kind, VariantKind::FailFast { timeout_ms: 500 });
        assert_eq!(rows[4].kind.label(base.clock_start), "Fail fast (timeout 0.5 s)");
        rows[3].edit(Param::BudgetPercent, "-5".into(), &base);
        assert!(
            rows[3]
                .error
                .as_ref()
                .is_some_and(|(p, m)| *p == Param::BudgetPercent && m.starts_with("Budget:"))
        );
        assert_eq!(rows[3].kind, VariantKind::RetryBudget { ratio: 0.2 }, "the last budget that read");
    }

    #[test]
    fn the_baseline_cannot_be_dropped_but_the_others_can() {
        let base = Rc::new(seed());
        let mut list = Checklist(choices_for(&base, Some(presets::SEED_INCIDENT)));
        list.apply(ChecklistAction::Choose(0, false));
        list.apply(ChecklistAction::Choose(3, false));
        assert!(list.0[0].chosen, "as it happened is always the baseline");
        assert!(!list.0[3].chosen);
        list.apply(ChecklistAction::Edit { row: 2, param: Param::PoolSize, text: "250".into(), base });
        assert_eq!(list.0[2].kind, VariantKind::BiggerPoolOnly { max_size: 250, at_s: 0.0 });
    }

    #[test]
    fn bad_text_is_refused_with_a_reason_and_the_row_keeps_its_what_if() {
        let base = seed();
        let mut rows = choices_for(&base, Some(presets::SEED_INCIDENT));
        let before = rows[2].kind.clone();
        for (param, bad, words) in [
            (Param::From, "25:00", "not a clock time"),
            (Param::From, "18:30", "not within the run, which goes from 12:00 to 17:00"),
            (Param::PoolSize, "abc", "not a number"),
            (Param::PoolSize, "-5", "must be 0 or more"),
        ] {
            rows[2].edit(param, bad.into(), &base);
            let (at, message) = rows[2].error.clone().expect("refused");
            assert_eq!(at, param);
            assert!(message.contains(words), "{bad:?}: {message}");
            assert_eq!(rows[2].kind, before, "{bad:?} left the what-if as it was");
        }
        rows[2].edit(Param::PoolSize, "150".into(), &base);
        assert_eq!(rows[2].error, None, "a good value clears the message");
        rows[4].edit(Param::AbovePercent, "120".into(), &base);
        assert!(rows[4].error.as_ref().is_some_and(|(_, m)| m.starts_with("Above: a share of the pool")));
    }
}
