//! Vertical marks on a time axis: timeline events, alert firings, the exhaustion moment.
//! Labels are staggered in rows so events close in time stay readable.

use plotters::coord::Shift;
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;

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
}

/// Rows available for staggered labels.
const LABEL_ROWS: usize = 3;

/// Draw `markers` over a chart whose x axis is time [s] and y axis spans `0..y_max`.
pub fn draw_markers<DB: DrawingBackend, X: Ranged<ValueType = f64>>(
    chart: &mut ChartContext<'_, DB, Cartesian2d<X, RangedCoordf64>>,
    markers: &[Marker],
    y_max: f64,
    theme: &Theme,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let (x_range, _) = (chart.x_range(), ());
    let visible = markers.iter().filter(|m| m.t_s >= x_range.start && m.t_s <= x_range.end);
    let color_of = |kind| match kind {
        MarkerKind::Note | MarkerKind::Action => theme.marker_action,
        MarkerKind::Alert => theme.marker_alert,
        MarkerKind::Exhaustion => theme.failure,
    };
    let mut labels: Vec<(f64, String, RGBColor)> = Vec::new();
    for m in visible {
        let color = color_of(m.kind);
        let (from, width) = match m.kind {
            MarkerKind::Note => (y_max * 0.94, 1.0),
            MarkerKind::Exhaustion => (0.0, 2.0),
            _ => (0.0, 1.0),
        };
        chart.draw_series(std::iter::once(PathElement::new(
            [(m.t_s, from), (m.t_s, y_max)],
            color.stroke_width(theme.px(width)),
        )))?;
        if m.kind == MarkerKind::Note || m.label.is_empty() {
            continue;
        }
        // Events at the same second share one label ("restart, pool → 200").
        match labels.last_mut() {
            Some((t, text, _)) if (*t - m.t_s).abs() < 1.0 => {
                text.push_str(", ");
                text.push_str(&m.label);
            }
            _ => labels.push((m.t_s, m.label.clone(), color)),
        }
    }
    let pixel_x: Vec<i32> = labels.iter().map(|(t, _, _)| chart.backend_coord(&(*t, y_max)).0).collect();
    let area = chart.plotting_area().strip_coord_spec();
    draw_labels(&area, &labels, &pixel_x, theme)
}

fn draw_labels<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    labels: &[(f64, String, RGBColor)],
    pixel_x: &[i32],
    theme: &Theme,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let left = area.get_base_pixel().0;
    let width = area.dim_in_pixel().0 as i32;
    let row_h = theme.px(14.0) as i32;
    let pad = theme.px(3.0) as i32;
    let mut row_end = [i32::MIN; LABEL_ROWS];
    for ((_, text, color), x_abs) in labels.iter().zip(pixel_x) {
        let font = ("sans-serif", theme.font(11.0)).into_font().color(color);
        let (w, _) = area.estimate_text_size(text, &font)?;
        let w = w as i32;
        // Right of the line, or left of it near the right edge.
        let x = x_abs - left;
        let start = if x + pad + w <= width { x + pad } else { (x - pad - w).max(0) };
        let Some(row) = row_end.iter().position(|end| start > *end) else { continue };
        row_end[row] = start + w + pad;
        area.draw(&Text::new(text.clone(), (start, pad + row as i32 * row_h), font))?;
    }
    Ok(())
}
