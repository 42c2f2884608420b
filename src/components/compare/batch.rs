//! Running a comparison in the browser without freezing the tab: every what-if is built
//! up front (so a bad one is refused before anything runs), then run to its end in
//! budgeted slices, a few per animation frame, one variant after another.
//!
//! The result equals [`variants::run`] — the numbers `poolsim compare` prints: each run
//! is the same [`Simulation`] advanced in slices (which reaches the same state as one
//! call), its log counted by a [`LogTally`] as [`variants::run_built`] counts it. The one
//! two-pass what-if, [`VariantKind::RollbackAfterFirstAlert`], finds its first alert in
//! slices too, then runs the scenario [`variants::rollback_after_first_alert`] builds
//! from it (the one [`variants::build`] makes).

use poolsim_charts::{Reduce, decimate_with};
use poolsim_content::variants::{self, LogTally, VariantKind, VariantOutcome};
use poolsim_engine::{Sample, Scenario, Simulation};

/// Events per [`Simulation::advance`] slice: few enough that the log drops no line
/// before the tally counts it, and that a frame overshoots its budget by little.
const SLICE_EVENTS: u64 = 1024;
/// Samples kept per run and chart: more than a canvas draws (it decimates again).
const KEPT_SAMPLES: usize = 2400;

/// What the charts draw of one finished run.
#[derive(Clone, Debug, PartialEq)]
pub struct Series {
    /// The run's samples, decimated keeping the busiest seconds (connections in use).
    pub in_use: Vec<Sample>,
    /// The run's samples, decimated keeping the seconds with most timeouts.
    pub timeouts: Vec<Sample>,
}

/// What the current variant is doing.
#[derive(Debug)]
enum Stage {
    /// Not started: build (or take) its scenario next.
    Start,
    /// Running the base without its fixes until an alert fires (the first pass of
    /// [`VariantKind::RollbackAfterFirstAlert`]).
    FindAlert(Box<Simulation>),
    /// Running the variant to its end.
    Run(Box<Simulation>, LogTally),
}

/// A comparison in progress.
#[derive(Debug)]
pub struct Batch {
    base: Scenario,
    kinds: Vec<VariantKind>,
    /// Each variant's scenario, built up front (`None` for the two-pass kind), taken when it starts.
    scenarios: Vec<Option<Scenario>>,
    /// The variant being run.
    current: usize,
    stage: Stage,
    /// The finished runs' rows.
    outcomes: Vec<VariantOutcome>,
    /// The finished runs' chart series.
    series: Vec<Series>,
}

/// Where a comparison is: variant `row` of `rows`, and how far overall.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Progress {
    /// The variant running (0-based).
    pub row: usize,
    /// Variants in all.
    pub rows: usize,
    /// Share of the work done, 0..=1.
    pub share: f64,
}

impl Batch {
    /// A comparison of `kinds` on `base`, nothing run yet. A variant that cannot be built
    /// is refused with its row and the reason.
    pub fn new(base: &Scenario, kinds: Vec<VariantKind>) -> Result<Self, (usize, String)> {
        let scenarios = kinds
            .iter()
            .enumerate()
            .map(|(i, kind)| {
                let built = if two_pass(kind) {
                    // Its first pass runs in slices; check what can be checked now.
                    variants::build(base, &VariantKind::NoFix {}).map(|_| None)
                } else {
                    variants::build(base, kind).map(Some)
                };
                built.map_err(|e| (i, e.to_string()))
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Self {
            base: base.clone(),
            kinds,
            scenarios,
            current: 0,
            stage: Stage::Start,
            outcomes: Vec::new(),
            series: Vec::new(),
        })
    }

    /// Work while `has_time()` says the frame allows, a slice at a time. `Ok(true)` once
    /// every variant has run; an error names the variant that could not run.
    pub fn step(&mut self, mut has_time: impl FnMut() -> bool) -> Result<bool, String> {
        loop {
            let Some(kind) = self.kinds.get(self.current) else { return Ok(true) };
            let label = kind.label(self.base.clock_start);
            let stage = std::mem::replace(&mut self.stage, Stage::Start);
            self.stage = match stage {
                Stage::Start if two_pass(kind) => {
                    let no_fix = variants::build(&self.base, &VariantKind::NoFix {})
                        .map_err(|e| format!("{label}: {e}"))?;
                    Stage::FindAlert(Box::new(start(&no_fix, &label)?))
                }
                Stage::Start => {
                    let scenario = self.scenarios.get_mut(self.current).and_then(Option::take);
                    let scenario = scenario.ok_or_else(|| format!("{label}: not built"))?;
                    Stage::Run(Box::new(start(&scenario, &label)?), LogTally::default())
                }
                Stage::FindAlert(mut sim) => {
                    slice(&mut sim);
                    match variants::first_alert_s(&sim) {
                        Some(at_s) => {
                            let scenario = variants::rollback_after_first_alert(&self.base, kind, at_s)
                                .map_err(|e| format!("{label}: {e}"))?;
                            Stage::Run(Box::new(start(&scenario, &label)?), LogTally::default())
                        }
                        None if sim.is_finished() => {
                            return Err(format!("{label}: {}", variants::NO_FIRST_ALERT));
                        }
                        None => Stage::FindAlert(sim),
                    }
                }
                Stage::Run(mut sim, mut tally) => {
                    slice(&mut sim);
                    tally.observe(&sim);
                    if sim.is_finished() {
                        self.outcomes.push(VariantOutcome::from_run(kind.clone(), label, &sim, &tally));
                        self.series.push(Series {
                            in_use: decimate_with(sim.samples(), KEPT_SAMPLES, Reduce::Busiest),
                            timeouts: decimate_with(sim.samples(), KEPT_SAMPLES, Reduce::MostFailures),
                        });
                        self.current += 1;
                        Stage::Start
                    } else {
                        Stage::Run(sim, tally)
                    }
                }
            };
            if !has_time() {
                return Ok(self.current == self.kinds.len());
            }
        }
    }

    /// How far the comparison has got.
    pub fn progress(&self) -> Progress {
        let rows = self.kinds.len();
        let part = |sim: &Simulation| sim.now().as_micros() as f64 / sim.end().as_micros().max(1) as f64;
        let within = match &self.stage {
            Stage::Start => 0.0,
            // The first pass counts as half the variant's work, the run as the other half.
            Stage::FindAlert(sim) => 0.5 * part(sim),
            Stage::Run(sim, _) if self.kinds.get(self.current).is_some_and(two_pass) => 0.5 + 0.5 * part(sim),
            Stage::Run(sim, _) => part(sim),
        };
        let share = if rows == 0 { 1.0 } else { ((self.current as f64 + within) / rows as f64).min(1.0) };
        Progress { row: self.current.min(rows.saturating_sub(1)), rows, share }
    }

    /// The label of variant `row`.
    pub fn label(&self, row: usize) -> String {
        self.kinds.get(row).map(|k| k.label(self.base.clock_start)).unwrap_or_default()
    }

    /// The finished runs' rows and chart series, in row order (all of them once
    /// [`step`](Self::step) said so).
    pub fn into_results(self) -> (Vec<VariantOutcome>, Vec<Series>) {
        (self.outcomes, self.series)
    }
}

/// `kind` runs twice: once to find when the first alert fires, then the what-if.
fn two_pass(kind: &VariantKind) -> bool {
    matches!(kind, VariantKind::RollbackAfterFirstAlert { .. })
}

/// A simulation of `scenario` at time 0 (it was built and validated, so this holds).
fn start(scenario: &Scenario, label: &str) -> Result<Simulation, String> {
    Simulation::new(scenario).map_err(|e| format!("{label}: {e}"))
}

/// One budgeted slice towards the end of the run.
fn slice(sim: &mut Simulation) {
    let end = sim.end();
    // The end is never in the past: this cannot fail.
    let _ = sim.advance(end, SLICE_EVENTS);
}

#[cfg(test)]
mod tests {
    use poolsim_content::presets;

    use super::*;

    /// Run `batch` to the end, a slice per "frame".
    fn finish(mut batch: Batch) -> (Vec<VariantOutcome>, Vec<Series>, usize) {
        let mut frames = 0;
        while !batch.step(|| false).expect("every variant runs") {
            let p = batch.progress();
            assert!((0.0..=1.0).contains(&p.share) && p.row < p.rows);
            frames += 1;
        }
        let (outcomes, series) = batch.into_results();
        (outcomes, series, frames)
    }

    #[test]
    fn sliced_runs_give_the_numbers_poolsim_compare_prints() {
        let base = presets::load("fast-leak").expect("preset");
        let mut kinds = variants::suggested(&base);
        kinds.push(VariantKind::RollbackAfterFirstAlert { reaction_s: 60.0, restart: true });
        let expected = variants::run(&base, &kinds).expect("the CLI's rows");
        let (results, series, frames) = finish(Batch::new(&base, kinds).expect("builds"));
        assert!(frames > 100, "many small slices, not one long block: {frames}");
        assert_eq!(results.len(), expected.len());
        for (got, want) in results.iter().zip(&expected) {
            // The two-pass variant's scenario is built as the rollback it implies.
            let want = VariantOutcome { scenario_name: got.scenario_name.clone(), ..want.clone() };
            assert_eq!(*got, want, "{}", want.label);
        }
        assert_eq!(series.len(), results.len());
        assert!(series.iter().all(|s| s.in_use.len() <= KEPT_SAMPLES && !s.timeouts.is_empty()));
    }

    #[test]
    fn a_variant_that_cannot_be_built_is_refused_before_anything_runs() {
        let base = presets::load("fast-leak").expect("preset");
        let kinds =
            vec![VariantKind::AsItHappened {}, VariantKind::BiggerPoolOnly { max_size: 0, at_s: 0.0 }];
        let (row, message) = Batch::new(&base, kinds).expect_err("a pool of 0");
        assert_eq!(row, 1);
        assert!(message.contains("max_size"), "{message}");
    }

    #[test]
    fn reacting_to_an_alert_that_never_fires_is_an_error_in_words() {
        let base = presets::load("healthy-pool").expect("preset");
        let mut no_alerts = base.clone();
        no_alerts.alerts.clear();
        let kinds = vec![VariantKind::RollbackAfterFirstAlert { reaction_s: 60.0, restart: true }];
        let mut batch = Batch::new(&no_alerts, kinds).expect("builds");
        let error = loop {
            match batch.step(|| true) {
                Ok(true) => panic!("it cannot finish"),
                Ok(false) => {}
                Err(e) => break e,
            }
        };
        assert!(error.contains("no alert rule fires"), "{error}");
    }
}
