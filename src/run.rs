//! A finished run as the page shows it: the engine's samples and summary, plus the
//! markers the charts draw (timeline events, alert firings, the exhaustion moment).

use std::rc::Rc;

use poolsim_charts::{Marker, MarkerKind, parse_clock};
use poolsim_engine::{Action, LogEntry, Sample, Scenario, ScenarioError, Simulation, Summary};

/// Log lines kept for the page after a run.
const LOG_TAIL: usize = 50;

/// The outcome of running a scenario to its end.
#[derive(Clone, Debug)]
pub struct FinishedRun {
    /// What was run.
    pub scenario: Rc<Scenario>,
    /// One sample per simulated second.
    pub samples: Rc<[Sample]>,
    /// The outcome.
    pub summary: Summary,
    /// Timeline events, alert firings and the exhaustion moment.
    pub markers: Rc<[Marker]>,
    /// Time of day at simulated time 0 [s since midnight].
    pub clock_start_s: u32,
    /// The last lines of the event log.
    pub log_tail: Rc<[LogEntry]>,
}

impl PartialEq for FinishedRun {
    /// Two handles to the same run (cheap: runs are never compared by content).
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.samples, &other.samples)
    }
}

impl FinishedRun {
    /// Simulate `scenario` from start to end.
    pub fn simulate(scenario: &Scenario) -> Result<Self, ScenarioError> {
        let mut sim = Simulation::new(scenario)?;
        let summary = sim.run_to_end();
        let markers = markers(scenario, &summary);
        Ok(Self {
            scenario: Rc::new(scenario.clone()),
            samples: sim.samples().into(),
            summary,
            markers: markers.into(),
            clock_start_s: parse_clock(&scenario.clock_start).unwrap_or(0),
            log_tail: sim.log().skip(sim.log().count().saturating_sub(LOG_TAIL)).cloned().collect(),
        })
    }
}

/// Chart markers for a scenario's timeline and a run's alert firings and exhaustion.
pub fn markers(scenario: &Scenario, summary: &Summary) -> Vec<Marker> {
    let mut out: Vec<Marker> = scenario
        .events
        .iter()
        .map(|event| {
            let kind = if matches!(event.action, Action::Note { .. }) { MarkerKind::Note } else { MarkerKind::Action };
            Marker { t_s: event.at_s, label: action_label(&event.action), kind }
        })
        .collect();
    out.extend(summary.alerts.iter().filter_map(|(name, at)| {
        at.map(|t_s| Marker { t_s, label: format!("alert {name}"), kind: MarkerKind::Alert })
    }));
    if let Some(t_s) = summary.first_exhaustion_s {
        out.push(Marker { t_s, label: "pool exhausted".to_owned(), kind: MarkerKind::Exhaustion });
    }
    out.sort_by(|a, b| a.t_s.total_cmp(&b.t_s));
    out
}

/// A few words for a timeline action, short enough to label a chart marker.
pub fn action_label(action: &Action) -> String {
    match action {
        Action::SetRate { rate_per_s } => format!("traffic {rate_per_s}/s"),
        Action::DeployLeak { probability } => format!("leaky deploy ({:.3} %)", probability * 100.0),
        Action::Rollback => "rollback".to_owned(),
        Action::ResizePool { max_size, .. } => format!("pool → {max_size}"),
        Action::RestartApp { .. } => "restart".to_owned(),
        Action::SetHold { hold_ms } => format!("hold {hold_ms} ms"),
        Action::SetLeakDetection { threshold_ms } => format!("leak detection {threshold_ms} ms"),
        Action::SetAbandonedTimeout { timeout_ms } => format!("reclaim after {timeout_ms} ms"),
        Action::SetConnectionTimeout { timeout_ms } => format!("timeout {timeout_ms} ms"),
        Action::AddAlert { name, .. } => format!("alert rule {name}"),
        Action::Note { text } => text.clone(),
    }
}
