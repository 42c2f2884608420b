//! The sweep heatmap: one cell per combination of two knobs, coloured by an outcome over
//! its runs, the cells where the pool survived (did not run out, in at least 95 % of the
//! runs) outlined, and the scenario's own settings marked.
//!
//! Colour is never the only cue: the scale is viridis ([`crate::theme::SEQUENTIAL`],
//! lighter as values rise, readable in greyscale and with every common colour-vision
//! deficiency), each cell carries its value as text where it fits, and survival is an
//! outline (drawn twice, a background halo under a text-coloured line, so it shows on
//! every colour of the scale), not a hue. The axes are the steps of the sweep, evenly
//! spaced: a log axis's steps have equal ratios, so its cells are evenly spaced in the
//! logarithm, as a log axis is.
//!
//! [`Heatmap::for_sweep`] builds the drawing's data from a sweep's cells, for the command
//! line and the page alike; [`draw_heatmap`] draws it on any plotters backend.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use poolsim_content::words::replicate::{outcome_title, outcome_value};
use poolsim_content::words::{Clock, count, percent, short_number};
use poolsim_engine::replicate::Replications;
use poolsim_engine::replicate::sweep::{Axis, Survival, Sweep, SweepOutcome};

use crate::Theme;
use crate::theme::{luminance, sequential};

/// One axis of a heatmap.
#[derive(Clone, Debug, PartialEq)]
pub struct HeatAxis {
    /// The knob with its unit (`pool.max_size [connections]`).
    pub title: String,
    /// Each step's value as written under (or beside) its cells.
    pub ticks: Vec<String>,
    /// Where the scenario's own value sits, in steps from the first (0.5 = halfway between
    /// the first two); `None` when it is outside the axis.
    pub own: Option<f64>,
}

impl HeatAxis {
    fn of(axis: &Axis, own: f64) -> Self {
        HeatAxis {
            title: axis.title(),
            ticks: axis.values().into_iter().map(short_number).collect(),
            own: axis.position(own),
        }
    }
}

/// One cell of a heatmap.
#[derive(Clone, Debug, PartialEq)]
pub struct HeatCell {
    /// The value coloured; `None`: no run had it (grey).
    pub value: Option<f64>,
    /// The value in words, written in the cell where it fits.
    pub text: String,
    /// Inside the outline: the pool survived in enough runs.
    pub survives: bool,
}

/// What a heatmap draws: plain data, built by [`Heatmap::for_sweep`].
#[derive(Clone, Debug, PartialEq)]
pub struct Heatmap {
    /// The heading (the scenario, what the cells show, how many runs).
    pub title: String,
    /// The columns' knob.
    pub x: HeatAxis,
    /// The rows' knob; `None`: one row.
    pub y: Option<HeatAxis>,
    /// The cells row by row, the first row at the bottom.
    pub cells: Vec<HeatCell>,
    /// The values at the ends of the colour scale.
    pub range: (f64, f64),
    /// The ends of the colour scale in words.
    pub range_labels: (String, String),
    /// What the colour is (`runs that did not run out until 15:30`).
    pub value_title: String,
    /// What the outline encloses.
    pub survives_label: String,
    /// What the marker marks: the scenario's own settings, and whether they are on the grid.
    pub own_label: String,
}

impl Heatmap {
    /// The heatmap of a sweep of the scenario `name` (whose own knob values are `own`):
    /// each cell's `runs` shown as `outcome`, outlined where they survive as `survival`
    /// asks, times in words on `clock`.
    pub fn for_sweep(
        name: &str,
        sweep: &Sweep,
        cells: &[Replications],
        own: (f64, Option<f64>),
        outcome: SweepOutcome,
        survival: &Survival,
        clock: &Clock,
    ) -> Heatmap {
        let value_title = outcome_title(outcome, survival, clock);
        let runs = cells.iter().map(Replications::len).max().unwrap_or(0);
        let cells: Vec<HeatCell> = cells
            .iter()
            .map(|runs| {
                let value = outcome.value(runs, survival);
                let survives = survival.holds(&survival.count(runs));
                HeatCell { value, text: outcome_value(outcome, value, clock), survives }
            })
            .collect();
        let values = || cells.iter().filter_map(|c| c.value);
        let range = if outcome.is_share() {
            (0.0, 1.0)
        } else {
            let low = values().reduce(f64::min).unwrap_or(0.0);
            (low, values().reduce(f64::max).unwrap_or(low))
        };
        let range_labels =
            (outcome_value(outcome, Some(range.0), clock), outcome_value(outcome, Some(range.1), clock));
        let x = HeatAxis::of(&sweep.x, own.0);
        let y = sweep.y.zip(own.1).map(|(axis, own)| HeatAxis::of(&axis, own));
        let inside = x.own.is_some() && y.as_ref().is_none_or(|y| y.own.is_some());
        let settings = match (sweep.y, own.1) {
            (Some(axis), Some(v)) => {
                format!(
                    "{} = {}, {} = {}",
                    sweep.x.knob.path(),
                    short_number(own.0),
                    axis.knob.path(),
                    short_number(v)
                )
            }
            _ => format!("{} = {}", sweep.x.knob.path(), short_number(own.0)),
        };
        let own_label = if inside {
            format!("the scenario's own settings ({settings})")
        } else {
            format!("the scenario's own settings ({settings}) are outside the grid")
        };
        let share = percent(survival.share);
        let survives_label = match survival.until_s {
            Some(t) => format!("did not run out until {} in at least {share} of runs", clock.at(t)),
            None => format!("never ran out in at least {share} of runs"),
        };
        Heatmap {
            title: format!("{name}: {value_title}, {} runs a cell", count(runs as u64)),
            x,
            y,
            cells,
            range,
            range_labels,
            value_title,
            survives_label,
            own_label,
        }
    }

    /// Columns.
    pub fn columns(&self) -> usize {
        self.x.ticks.len().max(1)
    }

    /// Rows.
    pub fn rows(&self) -> usize {
        self.y.as_ref().map_or(1, |y| y.ticks.len().max(1))
    }

    /// Where `value` falls on the colour scale, 0–1.
    fn share_of_range(&self, value: f64) -> f64 {
        let (low, high) = self.range;
        if high > low { (value - low) / (high - low) } else { 0.5 }
    }

    /// The heatmap in words, for screen readers.
    pub fn describe(&self) -> String {
        let surviving = self.cells.iter().filter(|c| c.survives).count();
        let over = match &self.y {
            Some(y) => format!("{} by {}", self.x.title, y.title),
            None => self.x.title.clone(),
        };
        format!(
            "Heatmap of {} over {over}, from {} to {}: {surviving} of {} cells {}; marked: {}.",
            self.value_title,
            self.range_labels.0,
            self.range_labels.1,
            self.cells.len(),
            self.survives_label,
            self.own_label
        )
    }
}

/// Height of a heatmap of `rows` rows [px] (at scale 1): the title, the legend and the
/// axes, and rows of 16 to 32 px.
pub fn heatmap_height(rows: usize) -> u32 {
    let plot = (rows.max(1) as u32 * 32).clamp(64, 560);
    FIXED_HEIGHT_CSS as u32 + plot
}

/// Everything but the cells [CSS px]: margins, title, three legend rows, axis titles, ticks.
const FIXED_HEIGHT_CSS: f64 =
    PAD_CSS * 2.0 + TITLE_CSS + LEGEND_ROW_CSS * 3.0 + 2.0 * AXIS_TITLE_CSS + TICKS_CSS;
const PAD_CSS: f64 = 12.0;
const TITLE_CSS: f64 = 26.0;
const LEGEND_ROW_CSS: f64 = 22.0;
const AXIS_TITLE_CSS: f64 = 20.0;
const TICKS_CSS: f64 = 20.0;
/// Width of the colour bar in the legend [CSS px].
const SCALE_BAR_CSS: f64 = 140.0;

/// Where [`draw_heatmap`] draws the cells of `map` in `area` [px of the area]: a page
/// lays its focusable cells over them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HeatPlot {
    /// The first column's left edge.
    pub left: i32,
    /// The last row's top edge.
    pub top: i32,
    /// The last column's right edge.
    pub right: i32,
    /// The first row's bottom edge.
    pub bottom: i32,
}

/// The cells' box of `map` drawn filling `area`: below the title, the legend and the y
/// axis's title, right of the y ticks, above the x ticks and the x axis's title.
pub fn heatmap_plot<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    map: &Heatmap,
    theme: &Theme,
) -> Result<HeatPlot, DrawingAreaErrorKind<DB::ErrorType>> {
    let (width, height) = area.dim_in_pixel();
    let px = |css: f64| theme.px(css) as i32;
    let pad = px(PAD_CSS);
    let y_ticks_w = match &map.y {
        Some(y) => {
            let font = theme.font(11.0).color(&theme.text);
            let mut widest = 0;
            for tick in &y.ticks {
                widest = widest.max(area.estimate_text_size(tick, &font)?.0 as i32);
            }
            widest + px(8.0)
        }
        None => 0,
    };
    Ok(HeatPlot {
        left: pad + y_ticks_w,
        top: pad + px(TITLE_CSS) + 3 * px(LEGEND_ROW_CSS) + px(AXIS_TITLE_CSS),
        right: width as i32 - pad,
        bottom: height as i32 - pad - px(AXIS_TITLE_CSS) - px(TICKS_CSS),
    })
}

/// Draw `map` filling `area`. The caller presents the drawing area when done.
pub fn draw_heatmap<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    map: &Heatmap,
    theme: &Theme,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    area.fill(&theme.background)?;
    let px = |css: f64| theme.px(css) as i32;
    let font = |size: f64| theme.font(size).color(&theme.text);
    let bold = |size: f64| theme.font(size).style(FontStyle::Bold).color(&theme.text);
    let pad = px(PAD_CSS);
    area.draw(&Text::new(map.title.as_str(), (pad, pad), bold(15.0)))?;

    // The legend: the colour scale, then the outline and the marker.
    let row_h = px(LEGEND_ROW_CSS);
    let legend_top = pad + px(TITLE_CSS);
    let mid = legend_top + row_h / 2;
    let left_middle = Pos::new(HPos::Left, VPos::Center);
    let mut x = pad;
    let label = format!("{}:", map.value_title);
    area.draw(&Text::new(label.as_str(), (x, mid), font(12.0).pos(left_middle)))?;
    x += area.estimate_text_size(&label, &font(12.0))?.0 as i32 + px(8.0);
    area.draw(&Text::new(map.range_labels.0.as_str(), (x, mid), font(12.0).pos(left_middle)))?;
    x += area.estimate_text_size(&map.range_labels.0, &font(12.0))?.0 as i32 + px(6.0);
    let (bar_w, bar_h) = (px(SCALE_BAR_CSS), px(12.0));
    let slices = 56;
    for i in 0..slices {
        let (a, b) = (x + bar_w * i / slices, x + bar_w * (i + 1) / slices);
        let color = sequential((f64::from(i) + 0.5) / f64::from(slices));
        area.draw(&Rectangle::new([(a, mid - bar_h / 2), (b, mid + bar_h / 2)], color.filled()))?;
    }
    x += bar_w + px(6.0);
    area.draw(&Text::new(map.range_labels.1.as_str(), (x, mid), font(12.0).pos(left_middle)))?;

    let mid = legend_top + row_h + row_h / 2;
    let swatch = px(12.0);
    area.draw(&Rectangle::new(
        [(pad, mid - swatch / 2), (pad + swatch, mid + swatch / 2)],
        theme.text.stroke_width(theme.px(2.0)),
    ))?;
    area.draw(&Text::new(
        map.survives_label.as_str(),
        (pad + swatch + px(6.0), mid),
        font(12.0).pos(left_middle),
    ))?;
    let mid = legend_top + 2 * row_h + row_h / 2;
    draw_own_marker(area, (pad + swatch / 2, mid), swatch / 2, theme)?;
    area.draw(&Text::new(
        map.own_label.as_str(),
        (pad + swatch + px(6.0), mid),
        font(12.0).pos(left_middle),
    ))?;

    let HeatPlot { left, top, right, bottom } = heatmap_plot(area, map, theme)?;
    let (columns, rows) = (map.columns() as i32, map.rows() as i32);
    let cell_w = f64::from(right - left) / f64::from(columns);
    let cell_h = f64::from(bottom - top) / f64::from(rows);
    // Cell (column, row)'s corners, row 0 at the bottom.
    let corner = |c: i32, r: i32| {
        (left + (f64::from(c) * cell_w).round() as i32, bottom - (f64::from(r) * cell_h).round() as i32)
    };
    let centre = |c: f64, r: f64| {
        (left + ((c + 0.5) * cell_w).round() as i32, bottom - ((r + 0.5) * cell_h).round() as i32)
    };

    let text_room = cell_h >= f64::from(px(14.0));
    for (i, cell) in map.cells.iter().enumerate() {
        let (c, r) = ((i % map.columns()) as i32, (i / map.columns()) as i32);
        let fill = cell.value.map_or(theme.grid, |v| sequential(map.share_of_range(v)));
        let (a, b) = (corner(c, r), corner(c + 1, r + 1));
        area.draw(&Rectangle::new([(a.0, b.1), (b.0, a.1)], fill.filled()))?;
        let fits = text_room
            && f64::from(area.estimate_text_size(&cell.text, &font(10.0))?.0 as i32 + px(4.0)) <= cell_w;
        if fits {
            let ink =
                if luminance(fill) > 0.45 { RGBColor(0x1F, 0x23, 0x28) } else { RGBColor(0xFF, 0xFF, 0xFF) };
            let at = centre(f64::from(c), f64::from(r));
            let style = theme.font(10.0).color(&ink).pos(Pos::new(HPos::Center, VPos::Center));
            area.draw(&Text::new(cell.text.as_str(), at, style))?;
        }
    }

    // The outline: each edge between a surviving cell and a cell that is not (or the
    // border), a background halo first, then the line.
    let survives = |c: i32, r: i32| {
        (0..columns).contains(&c)
            && (0..rows).contains(&r)
            && map.cells.get((r * columns + c) as usize).is_some_and(|cell| cell.survives)
    };
    let mut edges = Vec::new();
    for r in 0..rows {
        for c in 0..columns {
            if !survives(c, r) {
                continue;
            }
            if !survives(c - 1, r) {
                edges.push([corner(c, r), corner(c, r + 1)]);
            }
            if !survives(c + 1, r) {
                edges.push([corner(c + 1, r), corner(c + 1, r + 1)]);
            }
            if !survives(c, r - 1) {
                edges.push([corner(c, r), corner(c + 1, r)]);
            }
            if !survives(c, r + 1) {
                edges.push([corner(c, r + 1), corner(c + 1, r + 1)]);
            }
        }
    }
    for (color, width) in [(theme.background, 5.0), (theme.text, 2.5)] {
        for edge in &edges {
            area.draw(&PathElement::new(edge.to_vec(), color.stroke_width(theme.px(width))))?;
        }
    }

    if let (Some(ox), Some(oy)) = (map.x.own, map.y.as_ref().map_or(Some(0.0), |y| y.own)) {
        let radius = (0.42 * cell_w.min(cell_h)).max(f64::from(px(6.0))) as i32;
        draw_own_marker(area, centre(ox, oy), radius, theme)?;
    }

    // Ticks: every k-th column where their labels would collide.
    let mut widest = 1;
    for tick in &map.x.ticks {
        widest = widest.max(area.estimate_text_size(tick, &font(11.0))?.0 as i32 + px(6.0));
    }
    let every = ((f64::from(widest) / cell_w).ceil() as usize).max(1);
    let below = Pos::new(HPos::Center, VPos::Top);
    for (c, tick) in map.x.ticks.iter().enumerate().step_by(every) {
        let (x, _) = centre(c as f64, 0.0);
        area.draw(&Text::new(tick.as_str(), (x, bottom + px(4.0)), font(11.0).pos(below)))?;
    }
    let x_title = (left + (right - left) / 2, bottom + px(TICKS_CSS) + px(2.0));
    area.draw(&Text::new(map.x.title.as_str(), x_title, bold(12.0).pos(below)))?;
    if let Some(y) = &map.y {
        let every = ((f64::from(px(13.0)) / cell_h).ceil() as usize).max(1);
        let right_middle = Pos::new(HPos::Right, VPos::Center);
        for (r, tick) in y.ticks.iter().enumerate().step_by(every) {
            let (_, y) = centre(0.0, r as f64);
            area.draw(&Text::new(tick.as_str(), (left - px(6.0), y), font(11.0).pos(right_middle)))?;
        }
        let y_title = format!("↑ {}", y.title);
        let at = (pad, top - px(AXIS_TITLE_CSS) / 2);
        area.draw(&Text::new(y_title.as_str(), at, bold(12.0).pos(left_middle)))?;
    }
    Ok(())
}

/// The scenario's own settings: a hollow ring `radius` px wide, so a cell's value stays
/// readable inside it, drawn as the outline is (a halo, then the text colour).
fn draw_own_marker<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    at: (i32, i32),
    radius: i32,
    theme: &Theme,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    area.draw(&Circle::new(at, radius, theme.background.stroke_width(theme.px(5.0))))?;
    area.draw(&Circle::new(at, radius, theme.text.stroke_width(theme.px(2.0))))
}

/// `map` as a standalone SVG document `width` pixels wide, [`heatmap_height`] tall.
pub fn heatmap_svg(map: &Heatmap, width: u32, dark: bool) -> Result<String, String> {
    let theme = if dark { Theme::dark(1.0) } else { Theme::light(1.0) };
    let mut out = String::new();
    {
        let area = SVGBackend::with_string(&mut out, (width, heatmap_height(map.rows()))).into_drawing_area();
        draw_heatmap(&area, map, &theme).and_then(|()| area.present()).map_err(|e| e.to_string())?;
    }
    Ok(out)
}
