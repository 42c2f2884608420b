//! Running variants to the end and what a comparison table shows of each: the
//! [`VariantOutcome`], and which row is [`best`] in each column.

use serde::{Deserialize, Serialize};

use poolsim_engine::ScenarioError;
use poolsim_engine::log::LOG_CAPACITY;
use poolsim_engine::metrics::{CallerSummary, DatabaseSummary, Firings, LogKind, RunCounts, Sample, Summary};
use poolsim_engine::scenario::Scenario;
use poolsim_engine::{Action, Simulation};

use super::build::build;
use super::kind::VariantKind;

/// Events per [`Simulation::advance`] call while a [`LogTally`] counts log lines: each
/// event logs at most one line (plus one per alert rule once), so none is dropped from
/// the log before it is counted.
const TALLY_BUDGET_EVENTS: u64 = 1024;

/// Failure-free seconds that end a failing span (the engine's recovery window) [s].
const SPAN_GAP_S: u32 = 60;

/// What one variant's run to the end comes to: the row of a comparison table.
///
/// Times are seconds from the scenario start. The counts and times derive from the run's
/// [`Summary`], so `poolsim run` on the variant's scenario prints the same numbers;
/// `killed_by_reclaim` comes from the log, `failing_spans` and `final_max_size` from
/// the per-second samples, `fix_at_s` from the scenario. With a database behind the pool,
/// `database` says where a request's time went (absent from the JSON without one).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct VariantOutcome {
    /// The row's words (`"Bigger pool only (200)"`).
    pub label: String,
    /// The what-if this row runs.
    pub kind: VariantKind,
    /// The built scenario's `name`.
    pub scenario_name: String,
    /// Length of the variant's run [s] (a [`VariantKind::NoRollback`] may run longer than the base).
    pub duration_s: u64,
    /// [`Summary::requests`].
    pub requests: u64,
    /// [`Summary::counts`] (in JSON, their fields sit beside `requests`).
    #[serde(flatten)]
    pub counts: RunCounts,
    /// Legitimate requests whose connection abandoned reclaim closed under them, so they
    /// failed: the price of reclaim. Counted from the run's log.
    pub killed_by_reclaim: u64,
    /// The first exhaustion of [`Summary::milestones`]; `None` = never.
    pub first_exhaustion_s: Option<f64>,
    /// The first timeout of [`Summary::milestones`] (`Connection is not available …`); `None` = never.
    pub first_timeout_s: Option<f64>,
    /// The alert rule that fired first (`None` if none fired).
    pub first_alert: Option<String>,
    /// Time to detect: when the first alert rule fired [s from the start]; `None` = no alert fired.
    pub time_to_detect_s: Option<f64>,
    /// When [`Summary::milestones`] says it recovered: the last failure, if the run then stayed failure-free
    /// for 60 s to its end.
    pub recovered_s: Option<f64>,
    /// The first refusal of [`Summary::milestones`]; `None` = never.
    pub first_refusal_s: Option<f64>,
    /// Time to recover [s]: from the start of the outage (the first timeout or refusal,
    /// [`outage_from_s`](Self::outage_from_s)) to `recovered_s`. `None` when nothing timed
    /// out or was refused (no outage to recover from) or the run never recovered (then
    /// `still_failing_at_end` is true).
    pub time_to_recover_s: Option<f64>,
    /// Requests failed and the run ended before 60 failure-free seconds: never recovered.
    pub still_failing_at_end: bool,
    /// When the variant's first timed fix takes effect [s] (`None`: no timed fix).
    pub fix_at_s: Option<f64>,
    /// `maximumPoolSize` at the end of the run [connections].
    pub final_max_size: u32,
    /// The stretches of time with failures, from the per-second samples: seconds with
    /// failed requests, joined across gaps shorter than 60 s.
    pub failing_spans: Vec<FailingSpan>,
    /// [`Summary::alerts`].
    pub alerts: Firings,
    /// With a database: the wait for a connection, the query and the database's figures
    /// ([`Summary::database`]); `None` without one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub database: Option<DatabaseOutcome>,
    /// When the run models its callers: what they saw ([`Summary::callers`]: the answers in
    /// time, the wasted work, the retries); `None` otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub callers: Option<CallerSummary>,
}

/// Where a request's time went in a run with a database: waiting for a connection, or
/// running its query among the others. A bigger pool moves time from one to the other.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DatabaseOutcome {
    /// [`Summary::mean_wait_ms`]: the mean wait for a connection [ms].
    pub mean_wait_ms: f64,
    /// [`Summary::mean_response_ms`]: the wait plus the query [ms].
    pub mean_response_ms: f64,
    /// What the database did (in JSON, its fields sit beside `mean_response_ms`).
    #[serde(flatten)]
    pub database: DatabaseSummary,
}

impl DatabaseOutcome {
    /// The database's part of `summary`, if it has one.
    fn of(summary: &Summary) -> Option<Self> {
        let database = summary.database.clone()?;
        let mean_response_ms = summary.mean_response_ms()?;
        Some(DatabaseOutcome { mean_wait_ms: summary.mean_wait_ms, mean_response_ms, database })
    }
}

/// A stretch of time in which requests failed [s from the start, whole seconds].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FailingSpan {
    /// Start of the first second with failures.
    pub from_s: u32,
    /// End of the last second with failures.
    pub to_s: u32,
}

impl VariantOutcome {
    /// The outcome of `sim` (run to the end, or as far as it got) for the row `label`
    /// running `kind`; `tally` is the log count taken along the way.
    pub fn from_run(kind: VariantKind, label: String, sim: &Simulation, tally: &LogTally) -> Self {
        let scenario = sim.scenario();
        let summary = sim.summary();
        let (first_alert, time_to_detect_s) = first_alert(&summary);
        let database = DatabaseOutcome::of(&summary);
        let m = &summary.milestones;
        let outage_from_s = earliest(m.first_timeout_s, m.first_refusal_s);
        let time_to_recover_s = match (outage_from_s, m.recovered_s) {
            (Some(first), Some(recovered)) if recovered >= first => Some(recovered - first),
            _ => None,
        };
        VariantOutcome {
            label,
            kind,
            scenario_name: scenario.name.clone(),
            duration_s: scenario.duration_s,
            requests: summary.requests,
            still_failing_at_end: summary.counts.failed > 0 && m.recovered_s.is_none(),
            counts: summary.counts,
            killed_by_reclaim: tally.killed_by_reclaim,
            first_exhaustion_s: m.first_exhaustion_s,
            first_timeout_s: m.first_timeout_s,
            first_alert,
            time_to_detect_s,
            first_refusal_s: m.first_refusal_s,
            recovered_s: m.recovered_s,
            time_to_recover_s,
            fix_at_s: first_fix_s(scenario),
            final_max_size: sim.samples().last().map_or(scenario.pool.max_size, |s| s.gauges.max),
            failing_spans: failing_spans(sim.samples()),
            database,
            callers: summary.callers,
            alerts: summary.alerts,
        }
    }

    /// When the outage began: the first acquire timeout or the first refusal (a pool that
    /// lets no more wait), whichever came first; `None` when neither happened.
    pub fn outage_from_s(&self) -> Option<f64> {
        earliest(self.first_timeout_s, self.first_refusal_s)
    }

    /// The failing spans that start after `t_s` [s]: failures that came back after a fix.
    pub fn failing_after(&self, t_s: f64) -> impl Iterator<Item = &FailingSpan> + '_ {
        self.failing_spans.iter().filter(move |span| f64::from(span.from_s) > t_s)
    }
}

/// The earliest alert firing of a summary: its name and time (ties: the first name).
fn first_alert(summary: &Summary) -> (Option<String>, Option<f64>) {
    let mut best: Option<(&String, f64)> = None;
    for (name, at) in &summary.alerts {
        if let Some(at) = *at
            && best.is_none_or(|(_, b)| at < b)
        {
            best = Some((name, at));
        }
    }
    (best.map(|(n, _)| n.clone()), best.map(|(_, t)| t))
}

/// The time of the first fix on the scenario's timeline [s].
fn first_fix_s(s: &Scenario) -> Option<f64> {
    s.events.iter().filter(|e| e.action.kind().is_fix()).map(|e| e.at_s).reduce(f64::min)
}

/// Seconds with failures, joined across gaps shorter than [`SPAN_GAP_S`].
fn failing_spans(samples: &[Sample]) -> Vec<FailingSpan> {
    let mut spans: Vec<FailingSpan> = Vec::new();
    for s in samples.iter().filter(|s| s.failed > 0) {
        let from_s = s.t_s.saturating_sub(1);
        match spans.last_mut() {
            Some(last) if from_s < last.to_s + SPAN_GAP_S => last.to_s = s.t_s,
            _ => spans.push(FailingSpan { from_s, to_s: s.t_s }),
        }
    }
    spans
}

/// Counts log lines as a run goes, before the bounded log drops them. Call
/// [`observe`](Self::observe) after each [`Simulation::advance`] that logs at most
/// [`LOG_CAPACITY`] lines (a budget of ~1,000 events is safe).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LogTally {
    /// `seq` of the next line to look at.
    next_seq: u64,
    /// Legitimate requests killed by abandoned reclaim so far.
    pub killed_by_reclaim: u64,
    /// Lines that left the log before they were looked at (0 if observed often enough).
    pub missed_lines: u64,
}

impl LogTally {
    /// Count the lines logged since the last call.
    pub fn observe(&mut self, sim: &Simulation) {
        let total = sim.log_total();
        let new = total.saturating_sub(self.next_seq);
        let kept = total.min(LOG_CAPACITY as u64);
        self.missed_lines += new.saturating_sub(kept);
        let skip = usize::try_from(kept.saturating_sub(new)).unwrap_or(0);
        for line in sim.log().skip(skip) {
            // The engine words a reclaimed legitimate holder this way (see `abandon_check`).
            if line.kind == LogKind::Abandoned && line.message.contains("was still using it") {
                self.killed_by_reclaim += 1;
            }
        }
        self.next_seq = total;
    }
}

/// Abandoned reclaim is on at some point of the run (else nothing to count in the log).
fn reclaim_ever_on(s: &Scenario) -> bool {
    s.pool.abandoned_timeout_ms > 0
        || s.events
            .iter()
            .any(|e| matches!(e.action, Action::SetAbandonedTimeout { timeout_ms } if timeout_ms > 0))
}

/// Run `scenario` (built for `kind`) to the end; the simulation (for its samples and
/// log) and the row. Equal to one `run_to_end`: counting the log only splits the run
/// into budgeted steps, which reach the same state.
pub fn run_built(
    kind: &VariantKind,
    label: String,
    scenario: &Scenario,
) -> Result<(Simulation, VariantOutcome), ScenarioError> {
    let mut sim = Simulation::new(scenario)?;
    let mut tally = LogTally::default();
    if reclaim_ever_on(scenario) {
        let end = sim.end();
        while !sim.is_finished() {
            if sim.advance(end, TALLY_BUDGET_EVENTS).is_err() {
                break; // Cannot happen: the end is never in the past.
            }
            tally.observe(&sim);
        }
    } else {
        sim.run_to_end();
    }
    let outcome = VariantOutcome::from_run(kind.clone(), label, &sim, &tally);
    Ok((sim, outcome))
}

/// Build every variant of `base` and run each to the end, in order. A variant that
/// cannot be built is an error whose path starts `variants[i]`.
pub fn run(base: &Scenario, kinds: &[VariantKind]) -> Result<Vec<VariantOutcome>, ScenarioError> {
    kinds
        .iter()
        .enumerate()
        .map(|(i, kind)| {
            let at = |e: ScenarioError| ScenarioError::new(variant_path(i, &e.path), e.reason);
            let scenario = build(base, kind).map_err(at)?;
            let label = kind.label(base.clock_start);
            run_built(kind, label, &scenario).map(|(_, outcome)| outcome).map_err(at)
        })
        .collect()
}

/// `variants[2]` + `at_s` → `variants[2].at_s`.
fn variant_path(i: usize, path: &str) -> String {
    if path.is_empty() { format!("variants[{i}]") } else { format!("variants[{i}].{path}") }
}

/// The rows holding the best value of each column, for a table to mark.
///
/// A mark means better for users: lower is better for failures (`failed`,
/// `failed_share`), time to detect (no alert at all ranks last), time to recover (no
/// outage ranks first, never recovering last) and, with a database, the mean response (a
/// row without one ranks last). Later is better for first exhaustion and first timeout
/// (never ranks first). Ties mark every tied row; a column where all rows tie marks none.
/// Leaked connections are not ranked: the fewest leak where the pool is dead or the app
/// is down (no requests, no leaks), which is no better for anyone.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BestRows {
    /// Latest first exhaustion (or none).
    pub first_exhaustion_s: Vec<usize>,
    /// Latest first timeout (or none).
    pub first_timeout_s: Vec<usize>,
    /// Fewest failed requests.
    pub failed: Vec<usize>,
    /// Smallest failed share.
    pub failed_share: Vec<usize>,
    /// Earliest alert.
    pub time_to_detect_s: Vec<usize>,
    /// Quickest recovery.
    pub time_to_recover_s: Vec<usize>,
    /// Quickest mean response ([`DatabaseOutcome::mean_response_ms`]); never marked, and
    /// absent from the JSON, when no row has a database.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub mean_response_ms: Vec<usize>,
    /// Most requests answered in time ([`CallerSummary::goodput_share`]); never marked, and
    /// absent from the JSON, when no row models its callers.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub goodput_share: Vec<usize>,
}

/// Which rows of `outcomes` are best in each column (see [`BestRows`]).
pub fn best(outcomes: &[VariantOutcome]) -> BestRows {
    // Each key: lower is better.
    let later = |t: Option<f64>| t.map_or(f64::NEG_INFINITY, |t| -t);
    let sooner = |t: Option<f64>| t.unwrap_or(f64::INFINITY);
    BestRows {
        first_exhaustion_s: lowest(outcomes, |o| later(o.first_exhaustion_s)),
        first_timeout_s: lowest(outcomes, |o| later(o.first_timeout_s)),
        failed: lowest(outcomes, |o| o.counts.failed as f64),
        failed_share: lowest(outcomes, |o| o.counts.failed_share),
        time_to_detect_s: lowest(outcomes, |o| sooner(o.time_to_detect_s)),
        time_to_recover_s: lowest(outcomes, |o| {
            if o.still_failing_at_end { f64::INFINITY } else { o.time_to_recover_s.unwrap_or(0.0) }
        }),
        mean_response_ms: lowest(outcomes, |o| {
            o.database.as_ref().map_or(f64::INFINITY, |d| d.mean_response_ms)
        }),
        goodput_share: lowest(outcomes, |o| o.callers.as_ref().map_or(f64::INFINITY, |c| -c.goodput_share)),
    }
}

/// Indices of the rows with the lowest `key`, or none if every row ties.
fn lowest(outcomes: &[VariantOutcome], key: impl Fn(&VariantOutcome) -> f64) -> Vec<usize> {
    let keys: Vec<f64> = outcomes.iter().map(key).collect();
    let Some(min) = keys.iter().copied().reduce(f64::min) else { return Vec::new() };
    if keys.iter().all(|&k| k == min) {
        return Vec::new();
    }
    keys.iter().enumerate().filter(|&(_, &k)| k == min).map(|(i, _)| i).collect()
}

/// The earlier of two optional times.
fn earliest(a: Option<f64>, b: Option<f64>) -> Option<f64> {
    [a, b].into_iter().flatten().reduce(f64::min)
}
