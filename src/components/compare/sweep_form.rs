//! The sweep form's fields as typed, and what they ask for once read: two knobs over
//! ranges, the runs of each cell, the outcome to map and the time the pool must survive
//! until. Every field is read as the command line reads its flag (`poolsim sweep --x
//! KNOB=FROM..TO:STEPS[:log] --y … --runs N --outcome … --until HH:MM`): the same
//! [`Axis`] rules, the same scenario validation of every cell, the same [`until_s`]; a
//! refusal names its field and is shown beside it.
//!
//! Pure data and functions (no Yew): tested natively.

use poolsim_content::replications::sweep::until_s;
use poolsim_content::words::count;
use poolsim_engine::Scenario;
use poolsim_engine::replicate::sweep::{
    Axis, Knob, MAX_SWEEP_RUNS, Scale, Side, Survival, Sweep, SweepError, SweepOutcome,
};

use crate::forms::parse::{decimal, show, whole_u32};
use crate::replicate::parse_runs;

/// One axis as typed.
#[derive(Clone, Debug, PartialEq)]
pub struct AxisForm {
    /// The knob.
    pub knob: Knob,
    /// The first value, as typed.
    pub from: String,
    /// The last value, as typed.
    pub to: String,
    /// How many values, as typed.
    pub steps: String,
    /// Steps of equal ratio.
    pub log: bool,
}

impl AxisForm {
    /// `knob`'s sensible range around `base`'s own value: half to twice a pool size,
    /// timeout or instance count, half to one and a half times a rate or hold time, and
    /// leak probabilities from 1 in 10,000 to 1 in 100 in equal ratios.
    pub fn around(knob: Knob, base: &Scenario) -> Self {
        let own = knob.get(base);
        let (from, to, steps, log) = match knob {
            Knob::MaxSize => ((own / 2.0).round().max(1.0), (own * 2.0).max(4.0), 4, false),
            Knob::LeakProbability => (0.0001, 0.01, 5, true),
            Knob::Rate | Knob::Hold => (own * 0.5, own * 1.5, 5, false),
            Knob::ConnectionTimeout if own >= 4.0 => ((own / 4.0).round(), own * 2.0, 4, true),
            Knob::ConnectionTimeout => (250.0, 30_000.0, 4, true),
            Knob::Instances => (1.0, (own * 2.0).max(4.0), 4, false),
        };
        AxisForm { knob, from: show(from), to: show(to), steps: steps.to_string(), log }
    }
}

/// The whole form as typed.
#[derive(Clone, Debug, PartialEq)]
pub struct SweepForm {
    /// Along the columns.
    pub x: AxisForm,
    /// Along the rows.
    pub y: AxisForm,
    /// Runs of each cell, as typed.
    pub runs: String,
    /// What the cells show.
    pub outcome: SweepOutcome,
    /// Survive until this clock time, as typed; empty: the whole run.
    pub until: String,
}

impl SweepForm {
    /// The defaults for `base`: its pool size by its traffic, 4 × 5 cells of 10 runs
    /// (200 runs: the June 15 incident's in about half a minute on two cores), the share
    /// of runs that never ran out.
    pub fn new(base: &Scenario) -> Self {
        SweepForm {
            x: AxisForm::around(Knob::MaxSize, base),
            y: AxisForm::around(Knob::Rate, base),
            runs: "10".into(),
            outcome: SweepOutcome::Survived,
            until: String::new(),
        }
    }
}

/// The fields that can be refused, by element id.
pub mod field {
    /// The columns' knob.
    pub const X_KNOB: &str = "sweep-x-knob";
    /// The columns' first value.
    pub const X_FROM: &str = "sweep-x-from";
    /// The columns' last value.
    pub const X_TO: &str = "sweep-x-to";
    /// The columns' steps.
    pub const X_STEPS: &str = "sweep-x-steps";
    /// The rows' knob.
    pub const Y_KNOB: &str = "sweep-y-knob";
    /// The rows' first value.
    pub const Y_FROM: &str = "sweep-y-from";
    /// The rows' last value.
    pub const Y_TO: &str = "sweep-y-to";
    /// The rows' steps.
    pub const Y_STEPS: &str = "sweep-y-steps";
    /// Runs of each cell.
    pub const RUNS: &str = "sweep-runs";
    /// Survive until.
    pub const UNTIL: &str = "sweep-until";
}

/// A refusal: the field's id and why, in words that start with the field's label.
pub type Refusal = (&'static str, String);

/// What the form asks for.
#[derive(Clone, Debug, PartialEq)]
pub struct SweepPlan {
    /// The knobs over their ranges.
    pub sweep: Sweep,
    /// Runs of each cell.
    pub runs: u32,
    /// What the cells show.
    pub outcome: SweepOutcome,
    /// When a run and a cell survive (95 % of the runs).
    pub survival: Survival,
}

impl SweepPlan {
    /// Every run of every cell.
    pub fn total_runs(&self) -> u32 {
        // At most MAX_SWEEP_RUNS: checked when read.
        u32::try_from(self.sweep.len() as u64 * u64::from(self.runs)).unwrap_or(u32::MAX)
    }
}

/// The ids of an axis's fields: knob, from, to, steps.
pub fn ids(side: Side) -> [&'static str; 4] {
    match side {
        Side::X => [field::X_KNOB, field::X_FROM, field::X_TO, field::X_STEPS],
        Side::Y => [field::Y_KNOB, field::Y_FROM, field::Y_TO, field::Y_STEPS],
    }
}

/// What an axis is called on the page.
pub fn side_label(side: Side) -> &'static str {
    match side {
        Side::X => "Columns",
        Side::Y => "Rows",
    }
}

/// Read one axis; refusals name its fields.
fn read_axis(form: &AxisForm, side: Side, refusals: &mut Vec<Refusal>) -> Option<Axis> {
    let [_, from_id, to_id, steps_id] = ids(side);
    let label = side_label(side);
    let mut number = |id: &'static str, what: &str, text: &str| {
        decimal(text).map_err(|e| refusals.push((id, format!("{label}, {what}: {e}")))).ok()
    };
    let from = number(from_id, "from", &form.from);
    let to = number(to_id, "to", &form.to);
    let steps = whole_u32(&form.steps).map_err(|e| refusals.push((steps_id, format!("{label}, steps: {e}"))));
    let (from, to, steps) = (from?, to?, steps.ok()?);
    let scale = if form.log { Scale::Log } else { Scale::Linear };
    Axis::new(form.knob, from, to, steps, scale)
        .map_err(|e| {
            let (id, what) = match e.part {
                "TO" => (to_id, "to"),
                "STEPS" => (steps_id, "steps"),
                _ => (from_id, "from"),
            };
            refusals.push((id, format!("{label}, {what}: {}", e.reason)));
        })
        .ok()
}

/// Read `form` for a sweep of `base`: the plan, or every field's refusal.
pub fn read(form: &SweepForm, base: &Scenario) -> Result<SweepPlan, Vec<Refusal>> {
    let mut refusals = Vec::new();
    let x = read_axis(&form.x, Side::X, &mut refusals);
    let y = read_axis(&form.y, Side::Y, &mut refusals);
    let runs = parse_runs(&form.runs, "Runs per cell").map_err(|e| refusals.push((field::RUNS, e))).ok();
    let until = match form.until.trim() {
        "" => Some(None),
        text => until_s(text, base.clock_start, base.duration_s)
            .map(Some)
            .map_err(|e| refusals.push((field::UNTIL, format!("Survive until: {e}"))))
            .ok(),
    };
    let (Some(x), Some(y), Some(runs), Some(until_s)) = (x, y, runs, until) else {
        return Err(refusals);
    };
    let sweep = Sweep::new(x, Some(y)).map_err(|e| vec![(field::Y_KNOB, format!("Rows, knob: {e}"))])?;
    let total = sweep.len() as u64 * u64::from(runs);
    if total > MAX_SWEEP_RUNS {
        return Err(vec![(
            field::RUNS,
            format!(
                "Runs per cell: {} cells × {} runs is {} runs; a sweep runs at most {}: fewer steps or runs.",
                count(sweep.len() as u64),
                count(u64::from(runs)),
                count(total),
                count(MAX_SWEEP_RUNS)
            ),
        )]);
    }
    sweep.check(base).map_err(|e| {
        vec![match &e {
            SweepError::Value { side, .. } => (ids(*side)[1], format!("{}: {e}", side_label(*side))),
            SweepError::SameKnob(_) => (field::Y_KNOB, format!("Rows, knob: {e}")),
            SweepError::Cell { .. } => (field::Y_FROM, format!("Rows: {e}")),
        }]
    })?;
    let survival = Survival { until_s, share: Survival::DEFAULT_SHARE };
    Ok(SweepPlan { sweep, runs, outcome: form.outcome, survival })
}

/// The same sweep on the command line: `poolsim sweep --x … --y … --runs N [--until T]`
/// (after the scenario), whose `--format csv` is the page's download.
pub fn command_args(plan: &SweepPlan, until: &str) -> String {
    let mut args = format!(
        "--x {} --y {} --runs {}",
        plan.sweep.x,
        plan.sweep.y.map(|y| y.to_string()).unwrap_or_default(),
        plan.runs
    );
    if plan.outcome != SweepOutcome::Survived {
        args.push_str(&format!(" --outcome {}", plan.outcome.key()));
    }
    if plan.survival.until_s.is_some() {
        args.push_str(&format!(" --until {}", until.trim()));
    }
    args
}

#[cfg(test)]
mod tests {
    use super::*;

    fn june_15() -> Scenario {
        poolsim_content::presets::load("june-15-2024").expect("the preset")
    }

    #[test]
    fn the_defaults_sweep_the_pool_by_the_traffic_around_the_scenarios_own() {
        let base = june_15();
        let plan = read(&SweepForm::new(&base), &base).expect("the defaults are accepted");
        assert_eq!((plan.sweep.columns(), plan.sweep.rows(), plan.runs), (4, 5, 10));
        assert_eq!(plan.total_runs(), 200);
        let (own_x, own_y) = plan.sweep.own(&base);
        assert!(plan.sweep.x.values().contains(&own_x), "the scenario's own pool is a column");
        assert!(plan.sweep.y.is_some_and(|y| y.position(own_y.unwrap_or_default()).is_some()));
        for knob in Knob::ALL {
            let mut form = SweepForm::new(&base);
            form.y = AxisForm::around(knob, &base);
            if knob == Knob::MaxSize {
                form.x = AxisForm::around(Knob::Hold, &base);
            }
            assert!(read(&form, &base).is_ok(), "{knob:?}: {:?}", read(&form, &base));
        }
    }

    #[test]
    fn each_refusal_names_its_field_and_says_why() {
        let base = june_15();
        let mut form = SweepForm::new(&base);
        form.x.from = "lots".into();
        form.y.steps = "1".into();
        form.runs = "5".into();
        form.until = "25:00".into();
        let refusals = read(&form, &base).expect_err("four wrong fields");
        let ids: Vec<&str> = refusals.iter().map(|r| r.0).collect();
        assert_eq!(ids, [field::X_FROM, field::Y_STEPS, field::RUNS, field::UNTIL], "{refusals:?}");
        assert_eq!(refusals[0].1, "Columns, from: “lots” is not a number");
        assert!(refusals[1].1.starts_with("Rows, steps: 1 is not a number of values from 2"), "{refusals:?}");
        assert_eq!(refusals[2].1, "Runs per cell: give a whole number from 10 to 1,000 (not “5”).");
        assert!(refusals[3].1.starts_with("Survive until: not a clock time"), "{refusals:?}");

        let mut same = SweepForm::new(&base);
        same.y = same.x.clone();
        assert_eq!(read(&same, &base).expect_err("one knob twice")[0].0, field::Y_KNOB);
        let mut zero = SweepForm::new(&base);
        zero.x.from = "0".into();
        let refused = read(&zero, &base).expect_err("a pool of 0");
        assert_eq!(refused[0].0, field::X_FROM);
        assert!(refused[0].1.contains("pool.max_size"), "{refused:?}");
        let mut backwards = SweepForm::new(&base);
        backwards.y.to = "1".into();
        assert_eq!(read(&backwards, &base).expect_err("to below from")[0].0, field::Y_TO);
    }

    #[test]
    fn the_command_line_equivalent_names_the_same_axes() {
        let base = june_15();
        let mut form = SweepForm::new(&base);
        form.y = AxisForm {
            knob: Knob::LeakProbability,
            from: "1e-4".into(),
            to: "0.01".into(),
            steps: "3".into(),
            log: true,
        };
        form.until = "14:00".into();
        let plan = read(&form, &base).expect("accepted");
        let args = command_args(&plan, &form.until);
        assert!(
            args.starts_with("--x pool.max_size=50..200:4 --y leak.probability=0.0001..0.01:3:log --runs 10"),
            "{args}"
        );
        assert!(args.ends_with("--until 14:00"), "{args}");
        assert_eq!(Axis::parse(&plan.sweep.x.to_string()), Ok(plan.sweep.x), "the axis reads back as itself");
    }
}
