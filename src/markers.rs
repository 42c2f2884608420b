//! Chart markers for a run: its timeline (scenario events and live actions), alert
//! firings, and the exhaustion moment.

use poolsim_charts::{Marker, MarkerKind};
use poolsim_engine::{Action, Simulation};

/// Markers for everything that has happened in `sim` so far, plus the timeline still ahead.
pub fn markers(sim: &Simulation) -> Vec<Marker> {
    let timeline = sim.scenario().events.iter().chain(sim.applied());
    let mut out: Vec<Marker> = timeline
        .map(|event| {
            let kind = if matches!(event.action, Action::Note { .. }) { MarkerKind::Note } else { MarkerKind::Action };
            Marker { t_s: event.at_s, label: action_label(&event.action), kind }
        })
        .collect();
    out.extend(
        sim.alert_firings()
            .iter()
            .map(|a| Marker { t_s: a.at_s, label: format!("alert {}", a.name), kind: MarkerKind::Alert }),
    );
    if let Some(t_s) = sim.summary().first_exhaustion_s {
        out.push(Marker { t_s, label: "pool exhausted".to_owned(), kind: MarkerKind::Exhaustion });
    }
    out.sort_by(|a, b| a.t_s.total_cmp(&b.t_s));
    out
}

/// A few words for a timeline action, short enough to label a chart marker.
pub fn action_label(action: &Action) -> String {
    match action {
        Action::SetRate { rate_per_s } => format!("traffic {rate_per_s}/s"),
        Action::DeployLeak { probability } => format!("leaky deploy ({} %)", short_number(probability * 100.0)),
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

/// At most four significant digits, no float noise: `0.012400000000000001` → `0.0124`.
pub fn short_number(x: f64) -> String {
    if !x.is_finite() || x == 0.0 {
        return format!("{x}");
    }
    let digits = (3 - x.abs().log10().floor() as i32).clamp(0, 12) as usize;
    let text = format!("{x:.digits$}");
    if text.contains('.') { text.trim_end_matches('0').trim_end_matches('.').to_owned() } else { text }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_in_labels_carry_no_float_noise() {
        assert_eq!(short_number(0.012400000000000001), "0.0124");
        assert_eq!(short_number(150.0), "150");
        assert_eq!(short_number(0.5), "0.5");
        assert_eq!(short_number(12345.6), "12346");
        assert_eq!(action_label(&Action::DeployLeak { probability: 0.000124 }), "leaky deploy (0.0124 %)");
    }
    use poolsim_engine::presets;

    #[test]
    fn the_seed_incident_marks_its_timeline_and_its_exhaustion() {
        let mut sim = Simulation::new(&presets::load("june-15-2024").expect("preset")).expect("runs");
        sim.run_to_end();
        let marks = markers(&sim);
        assert!(marks.windows(2).all(|w| w[0].t_s <= w[1].t_s), "in time order");
        assert!(marks.iter().any(|m| m.kind == MarkerKind::Exhaustion));
        assert!(marks.iter().any(|m| m.label == "pool → 200"));
        assert!(marks.iter().filter(|m| m.kind == MarkerKind::Note).count() >= 10, "every postmortem line");
    }

    #[test]
    fn live_actions_are_marked_where_they_were_applied() {
        let mut sim = Simulation::new(&presets::load("healthy-pool").expect("preset")).expect("runs");
        sim.advance_to(90_000_000).expect("forward");
        sim.apply(Action::ResizePool { max_size: 40, min_idle: None }).expect("valid");
        let marks = markers(&sim);
        assert!(marks.iter().any(|m| m.t_s == 90.0 && m.label == "pool → 40"), "{marks:?}");
    }
}
