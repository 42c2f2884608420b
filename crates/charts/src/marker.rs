//! Vertical marks on a time axis: timeline events, alert firings, the exhaustion moment.
//!
//! [`markers_for`] lists them for a run (the web app and the command line share it);
//! [`draw_markers`] draws them over any chart with a time x axis, labels staggered in rows
//! so events close in time stay readable.

use plotters::coord::Shift;
use plotters::prelude::*;
use poolsim_content::words::action::marker_label;
use poolsim_engine::{ActionKind, Simulation};

use crate::Theme;

/// What a marker stands for; each kind has its own colour in the [`Theme`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MarkerKind {
    /// A timeline action (deploy, resize, restart, rollback …).
    Action,
    /// A note from the timeline: a short tick, no label (the timeline lists them).
    Note,
    /// An alert rule fired.
    Alert,
    /// The pool first ran out.
    Exhaustion,
    /// The moment a lesson's text talks about (the learn page's figures).
    Moment,
    /// When the pool ran out over many runs: a band from the 5th to the 95th
    /// percentile ([`Marker::until_s`]), the visualizer's "How sure?".
    Range,
}

/// One mark at a time, with a short label.
#[derive(Clone, Debug, PartialEq)]
pub struct Marker {
    /// When [s from the scenario start].
    pub t_s: f64,
    /// Short text drawn beside the mark.
    pub label: String,
    /// What it stands for.
    pub kind: MarkerKind,
    /// A band's end (from `t_s`) [s]; `None` for a line.
    pub until_s: Option<f64>,
}

/// Rows available for staggered labels.
const LABEL_ROWS: usize = 3;
/// A note's tick covers this top share of the plot.
const NOTE_TICK_SHARE: f64 = 0.06;

/// Markers for everything that has happened in `sim` so far — its timeline (scenario events
/// and live actions, including those still ahead), alert firings and the first exhaustion —
/// in time order.
pub fn markers_for(sim: &Simulation) -> Vec<Marker> {
    let timeline = sim.scenario().events.iter().chain(sim.applied());
    let mut out: Vec<Marker> = timeline
        .map(|event| {
            let kind =
                if event.action.kind() == ActionKind::Note { MarkerKind::Note } else { MarkerKind::Action };
            Marker { t_s: event.at_s, label: marker_label(&event.action), kind, until_s: None }
        })
        .collect();
    out.extend(sim.alert_firings().iter().map(|a| Marker {
        t_s: a.at_s,
        label: format!("alert {}", a.name),
        kind: MarkerKind::Alert,
        until_s: None,
    }));
    if let Some(t_s) = sim.summary().milestones.first_exhaustion_s {
        out.push(Marker {
            t_s,
            label: "pool exhausted".to_owned(),
            kind: MarkerKind::Exhaustion,
            until_s: None,
        });
    }
    poolsim_engine::sort::stable_by(&mut out, |a, b| a.t_s.total_cmp(&b.t_s).is_lt());
    out
}

/// Draw `markers` over a chart whose x axis is time [s from the start], whatever its y axis.
pub fn draw_markers<DB, X, Y>(
    chart: &ChartContext<'_, DB, Cartesian2d<X, Y>>,
    markers: &[Marker],
    theme: &Theme,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>>
where
    DB: DrawingBackend,
    X: Ranged<ValueType = f64>,
    Y: Ranged,
{
    let x_range = chart.x_range();
    let coords = chart.as_coord_spec();
    let x_pixels = coords.get_x_axis_pixel_range();
    // Drawn in the plot's own pixels, so the marks span it whatever the y scale.
    let area = chart.plotting_area().strip_coord_spec();
    let (left, height) = (area.get_base_pixel().0, area.dim_in_pixel().1 as i32);
    let color_of = |kind| match kind {
        MarkerKind::Note | MarkerKind::Action => theme.marker_action,
        MarkerKind::Alert => theme.marker_alert,
        MarkerKind::Exhaustion | MarkerKind::Range => theme.failure,
        MarkerKind::Moment => theme.text,
    };
    let mut labels: Vec<(f64, String, RGBColor, i32)> = Vec::new();
    for m in markers.iter().filter(|m| m.t_s >= x_range.start && m.t_s <= x_range.end) {
        let color = color_of(m.kind);
        let x = coords.x_spec().map(&m.t_s, (x_pixels.start, x_pixels.end)) - left;
        if let Some(until_s) = m.until_s {
            // A band, shaded under the lines and labelled at its start.
            let end = coords.x_spec().map(&until_s.min(x_range.end), (x_pixels.start, x_pixels.end)) - left;
            area.draw(&Rectangle::new([(x, 0), (end.max(x + 1), height)], color.mix(0.16).filled()))?;
            labels.push((m.t_s, m.label.clone(), color, x));
            continue;
        }
        let (bottom, width) = match m.kind {
            MarkerKind::Note => ((f64::from(height) * NOTE_TICK_SHARE).round() as i32, 1.0),
            MarkerKind::Exhaustion | MarkerKind::Moment => (height, 2.0),
            _ => (height, 1.0),
        };
        area.draw(&PathElement::new([(x, 0), (x, bottom)], color.stroke_width(theme.px(width))))?;
        if m.kind == MarkerKind::Note || m.label.is_empty() {
            continue;
        }
        // Events at the same second share one label ("restart, pool → 200").
        match labels.last_mut() {
            Some((t, text, _, _)) if (*t - m.t_s).abs() < 1.0 => {
                text.push_str(", ");
                text.push_str(&m.label);
            }
            _ => labels.push((m.t_s, m.label.clone(), color, x)),
        }
    }
    draw_labels(&area, &labels, theme)
}

fn draw_labels<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    labels: &[(f64, String, RGBColor, i32)],
    theme: &Theme,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let width = area.dim_in_pixel().0 as i32;
    let row_h = theme.px(14.0) as i32;
    let pad = theme.px(3.0) as i32;
    let mut row_end = [i32::MIN; LABEL_ROWS];
    for (_, text, color, x) in labels {
        let font = theme.font(11.0).color(color);
        let (w, _) = area.estimate_text_size(text, &font)?;
        let w = w as i32;
        // Right of the line, or left of it near the right edge.
        let start = if x + pad + w <= width { x + pad } else { (x - pad - w).max(0) };
        let Some(row) = row_end.iter().position(|end| start > *end) else { continue };
        row_end[row] = start + w + pad;
        area.draw(&Text::new(text.clone(), (start, pad + row as i32 * row_h), font))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use poolsim_content::presets;
    use poolsim_engine::SimTime;

    use super::*;

    #[test]
    fn the_seed_incident_marks_its_timeline_and_its_exhaustion() {
        let mut sim = Simulation::new(&presets::load("june-15-2024").expect("preset")).expect("runs");
        sim.run_to_end();
        let marks = markers_for(&sim);
        assert!(marks.windows(2).all(|w| w[0].t_s <= w[1].t_s), "in time order");
        assert!(marks.iter().any(|m| m.kind == MarkerKind::Exhaustion));
        assert!(marks.iter().any(|m| m.label == "pool → 200"));
        assert!(marks.iter().filter(|m| m.kind == MarkerKind::Note).count() >= 10, "every postmortem line");
    }

    #[test]
    fn live_actions_are_marked_where_they_were_applied() {
        let mut sim = Simulation::new(&presets::load("healthy-pool").expect("preset")).expect("runs");
        sim.advance_to(SimTime::from_secs(90)).expect("forward");
        sim.apply(poolsim_engine::Action::ResizePool { max_size: 40, min_idle: None }).expect("valid");
        let marks = markers_for(&sim);
        assert!(marks.iter().any(|m| m.t_s == 90.0 && m.label == "pool → 40"), "{marks:?}");
    }
}
