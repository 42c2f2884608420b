//! The fleet view: each instance of a fleet a row of its connection slots — the pool view's
//! looks, colour and pattern, in use first — with its name, in use of its size and its
//! waiting requests; beside it the database the fleet shares, as a gauge of the
//! connections the fleet holds against `max_connections − reserved` and a CPU meter.
//!
//! The rows are drawn on one canvas when the panels refresh (at most every
//! [`PANEL_REFRESH_MS`](crate::hooks::PANEL_REFRESH_MS)), not every frame. Up to 200
//! instances stay legible: a row of words each while they fit, then thin rows in more
//! columns (names every few rows, numbers with the keys or a click), then rows that
//! each sum a few instances; a square stands for several connections when a pool is too
//! large for its row. The view says so under the canvas. Click a row, or focus the view
//! and use the arrow keys and Enter, to show that instance in the pool view. The canvas
//! holds a list of the instances for screen readers (its fallback content), and a
//! sentence says what the fleet is doing, announced politely when an instance runs out or
//! the database fills up.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use poolsim_charts::pool::{draw_slot, look_counts};
use poolsim_charts::{PoolInput, SlotLook};
use poolsim_content::words::instance;
use poolsim_engine::{SimTime, Simulation};
use web_sys::HtmlCanvasElement;
use yew::prelude::*;

use crate::canvas::drawing_on;
use crate::components::pool_view::instance_label;
use crate::hooks::use_window_resize;
use crate::run::fleet::{DatabaseGauge, alarm, describe, describe_instance, exhausted, not_serving};
use crate::run::live::{Live, LiveHandle};

/// The tallest the rows get [CSS px]; past it they thin out, then group.
const MAX_HEIGHT: f64 = 420.0;
/// Row heights of a row with words [CSS px].
const WORDS_ROW: (f64, f64) = (13.0, 18.0);
/// The thinnest row [CSS px].
const THIN_ROW: f64 = 4.0;
/// Room for a name (`app-1000`) [CSS px].
const LABEL_W: f64 = 52.0;
/// Room for the numbers after the slots (`50/50 · 120 waiting`) [CSS px].
const NUMBERS_W: f64 = 118.0;
/// The narrowest row of slots [CSS px].
const MIN_STRIP: f64 = 96.0;
/// Rows of words in a column before more columns are preferred to larger squares.
const SHORT_COLUMN: u32 = 10;
/// The smallest square: smaller, one square stands for several connections [CSS px].
const MIN_CELL: f64 = 3.0;
/// Space between columns [CSS px].
const COLUMN_GAP: f64 = 16.0;
/// Space between names and their labels' line height [CSS px].
const LABEL_LINE: f64 = 12.0;

/// Where the instances go on the canvas, in CSS pixels. Rows fill each column top to
/// bottom, then the next column (as a phone book reads).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct FleetLayout {
    /// Instances in the fleet.
    pub instances: u32,
    /// Columns of rows.
    pub columns: u32,
    /// Rows in a column.
    pub rows: u32,
    /// Instances summed in one row (1: a row each).
    pub group: u32,
    /// Height of a row.
    pub row_h: f64,
    /// Room above the first row and below the last, for the names of thin rows.
    pub margin: f64,
    /// Width of a column.
    pub column_w: f64,
    /// Each row carries its name and numbers (otherwise: thin rows, a name every few).
    pub words: bool,
    /// Room for the slots of a row.
    pub strip_w: f64,
    /// Connections one square stands for.
    pub per_cell: u32,
    /// Squares in the longest row.
    pub cells: u32,
    /// Distance from one square to the next.
    pub pitch: f64,
}

impl FleetLayout {
    /// The layout of `instances` pools of at most `slots` connections each in `width` CSS
    /// pixels: a row of words each while the rows fit in [`MAX_HEIGHT`], in as many columns
    /// as give the largest squares in at most [`SHORT_COLUMN`] rows; else thin rows in the
    /// columns that give the largest squares, summing several instances a row when even
    /// the most columns cannot hold them.
    pub fn new(instances: u32, slots: u32, width: f64) -> Self {
        let n = instances.max(1);
        let width = width.max(LABEL_W + MIN_STRIP);
        // Columns of rows at least `min_w` wide that fit the width.
        let columns_of =
            |min_w: f64| (((width + COLUMN_GAP) / (min_w + COLUMN_GAP)).floor() as u32).min(n).max(1);
        // Larger squares for each connection first; at a tie, more columns (fewer rows).
        let best = |layouts: &mut dyn Iterator<Item = Self>| {
            layouts.max_by(|a, b| {
                (a.pitch / f64::from(a.per_cell)).total_cmp(&(b.pitch / f64::from(b.per_cell)))
            })
        };
        let most = columns_of(LABEL_W + NUMBERS_W + MIN_STRIP);
        if f64::from(n.div_ceil(most)) * WORDS_ROW.0 <= MAX_HEIGHT {
            let short = (1..=most).filter(|c| n.div_ceil(*c) <= SHORT_COLUMN);
            let laid = best(&mut short.map(|c| Self::laid(n, slots, width, c, 1, true)));
            return laid.unwrap_or_else(|| Self::laid(n, slots, width, most, 1, true));
        }
        let most = columns_of(LABEL_W + MIN_STRIP);
        let thin_rows = (MAX_HEIGHT / THIN_ROW) as u32;
        let group = n.div_ceil(most * thin_rows);
        let least = n.div_ceil(group).div_ceil(thin_rows);
        let laid = best(&mut (least..=most).map(|c| Self::laid(n, slots, width, c, group, false)));
        laid.unwrap_or_else(|| Self::laid(n, slots, width, most, group, false))
    }

    /// `n` instances in `columns`, `group` a row, with words or thin.
    fn laid(n: u32, slots: u32, width: f64, columns: u32, group: u32, words: bool) -> Self {
        let rows = n.div_ceil(group).div_ceil(columns);
        let (least, most) = if words { WORDS_ROW } else { (THIN_ROW, WORDS_ROW.0 - 1.0) };
        // `max` then `min`, not `clamp`: its check for a range upside down would print floats,
        // code the page otherwise does without.
        let row_h = (MAX_HEIGHT / f64::from(rows)).floor().max(least).min(most);
        let column_w = (width - COLUMN_GAP * f64::from(columns - 1)) / f64::from(columns);
        let strip_w = column_w - LABEL_W - if words { NUMBERS_W } else { 0.0 };
        let slots = slots.max(1) * group;
        let fit = (strip_w / MIN_CELL).floor().max(1.0) as u32;
        let per_cell = slots.div_ceil(fit);
        let cells = slots.div_ceil(per_cell);
        let pitch = (strip_w / f64::from(cells)).min(row_h);
        let margin = ((LABEL_LINE - row_h) / 2.0).max(0.0).ceil();
        Self {
            instances: n,
            columns,
            rows,
            group,
            row_h,
            margin,
            column_w,
            words,
            strip_w,
            per_cell,
            cells,
            pitch,
        }
    }

    /// The canvas's height.
    pub fn height(&self) -> f64 {
        f64::from(self.rows) * self.row_h + 2.0 * self.margin
    }

    /// Rows on the canvas (the last column may be short).
    pub fn row_count(&self) -> u32 {
        self.instances.div_ceil(self.group)
    }

    /// Where row `i` starts: its column and row in the column.
    fn place(&self, i: u32) -> (f64, f64) {
        let x = f64::from(i / self.rows) * (self.column_w + COLUMN_GAP);
        (x, self.margin + f64::from(i % self.rows) * self.row_h)
    }

    /// The instances of row `i` (0-based).
    fn members(&self, i: u32) -> std::ops::Range<u32> {
        i * self.group..((i + 1) * self.group).min(self.instances)
    }

    /// The first instance of the row at `(x, y)` (0-based), if a row is there.
    pub fn instance_at(&self, x: f64, y: f64) -> Option<u32> {
        let (pitch, y) = (self.column_w + COLUMN_GAP, y - self.margin);
        if x < 0.0 || y < 0.0 || x % pitch > self.column_w {
            return None;
        }
        let (column, row) = ((x / pitch) as u32, (y / self.row_h) as u32);
        let i = column * self.rows + row;
        (column < self.columns && row < self.rows && i < self.row_count()).then(|| i * self.group)
    }

    /// Names shown every this many rows (1 with words).
    fn label_every(&self) -> u32 {
        if self.words { 1 } else { (LABEL_LINE / self.row_h).ceil() as u32 }
    }

    /// What the reader should know about how the rows are drawn, in words.
    pub fn notes(&self) -> Vec<String> {
        let mut notes = Vec::new();
        if !self.words {
            notes.push(
                "Thin rows, a name every few: use the arrow keys or click a row for its numbers.".to_owned(),
            );
        }
        if self.group > 1 {
            notes.push(format!(
                "Too many instances to draw one by one: each row sums {} instances.",
                self.group
            ));
        }
        if self.per_cell > 1 {
            notes.push(format!("Each square stands for {} connections.", self.per_cell));
        }
        notes
    }

    /// The instance the keys move the cursor to from `from`: Up and Down step along the
    /// rows, Left and Right a column, Page keys ten rows, Home and End to the ends.
    pub fn step(&self, from: u32, key: &str) -> Option<u32> {
        let last = self.instances - 1;
        let column = self.rows * self.group;
        Some(match key {
            "ArrowDown" => from.saturating_add(1).min(last),
            "ArrowUp" => from.saturating_sub(1),
            "ArrowRight" => from.saturating_add(column).min(last),
            "ArrowLeft" => from.saturating_sub(column),
            "PageDown" => from.saturating_add(10).min(last),
            "PageUp" => from.saturating_sub(10),
            "Home" => 0,
            "End" => last,
            _ => return None,
        })
    }
}

/// Connections of each look in instances `members` of `sim`, in the pool view's order
/// (in use first, free slots last).
fn looks(live: &Live, sim: &Simulation, members: std::ops::Range<u32>) -> [(SlotLook, u32); 6] {
    let mut sum = [(SlotLook::Empty, 0u32); 6];
    for j in members {
        let max_size = sim.instance_gauges(j).map_or(0, |g| g.max);
        let counts = live.with_connections(Some(j), |connections| {
            look_counts(&PoolInput {
                connections,
                max_size,
                waiting: 0,
                recent_arrivals: 0,
                recent_served: 0,
                recent_timeouts: 0,
                now: SimTime::ZERO,
                reduced_motion: true,
                motion: None,
            })
        });
        for (total, (look, n)) in sum.iter_mut().zip(counts) {
            *total = (look, total.1 + n);
        }
    }
    sum
}

/// The largest pool of the fleet now, in slots (a shrunk pool may still hold more
/// connections than its size).
fn most_slots(sim: &Simulation) -> u32 {
    (0..sim.instance_count())
        .filter_map(|j| sim.instance_gauges(j))
        .map(|g| g.max.max(g.total + g.opening))
        .max()
        .unwrap_or(1)
}

/// What the drawing needs beyond the run: the selected instance (a shaded row) and the
/// keys' cursor (an outlined row, when it is elsewhere).
#[derive(Clone, Copy, Debug, PartialEq)]
struct Marks {
    selected: u32,
    cursor: u32,
}

/// Draw the fleet's rows onto `canvas` in `layout`.
fn draw_fleet_canvas(
    canvas: &HtmlCanvasElement,
    live: &Live,
    layout: &FleetLayout,
    marks: Marks,
    dark: bool,
) -> Result<(), String> {
    let (Some((backend, theme)), Ok(player)) = (drawing_on(canvas, dark)?, &live.player) else {
        return Ok(());
    };
    let (sim, area) = (player.sim(), backend.into_drawing_area());
    let px = |css: f64| (css * theme.scale).round() as i32;
    let e = |e: DrawingAreaErrorKind<_>| e.to_string();
    area.fill(&theme.background).map_err(e)?;
    let font = |size: f64, color: &RGBColor| theme.font(size).color(color);
    let label_every = layout.label_every();
    let side =
        px((layout.pitch - if layout.pitch >= 6.0 { 1.5 } else { 1.0 }).min(layout.row_h - 2.0)).max(1);
    for i in 0..layout.row_count() {
        let members = layout.members(i);
        let (x, y) = layout.place(i);
        let (x0, y0, row_h) = (px(x), px(y), px(layout.row_h));
        let middle = y0 + row_h / 2;
        if members.contains(&marks.selected) {
            area.draw(&Rectangle::new(
                [(x0, y0), (x0 + px(layout.column_w), y0 + row_h)],
                theme.grid.filled(),
            ))
            .map_err(e)?;
        }
        if (i % layout.rows).is_multiple_of(label_every) {
            let name = instance(members.start + 1);
            let size = if layout.words { 11.0 } else { 10.0 };
            let style = font(size, &theme.text).pos(Pos::new(HPos::Right, VPos::Center));
            area.draw(&Text::new(name, (x0 + px(LABEL_W - 6.0), middle), style)).map_err(e)?;
        }
        // The slots, in use first: one square a connection, or `per_cell` of them.
        let counts = looks(live, sim, members.clone());
        let total: u32 = counts.iter().map(|(_, n)| n).sum();
        let (mut k, mut cell_x) = (0u32, x + LABEL_W);
        while k < total {
            let at = (k + layout.per_cell / 2).min(total - 1);
            let mut passed = 0;
            let look = counts
                .iter()
                .find(|(_, n)| {
                    passed += n;
                    at < passed
                })
                .map_or(SlotLook::Empty, |(look, _)| *look);
            draw_slot(&area, (px(cell_x), middle - side / 2), side, look, None, &theme).map_err(e)?;
            k += layout.per_cell;
            cell_x += layout.pitch;
        }
        // Instances the balancer sends nothing to are struck through (all of a row's).
        let why = members.clone().map(|j| not_serving(sim, j)).reduce(|a, b| a.and(b)).flatten();
        if why.is_some() {
            let strike = theme.failure.stroke_width(theme.px(2.0));
            let (from, to) = (px(x + LABEL_W - 2.0), px(cell_x));
            area.draw(&PathElement::new([(from, middle), (to, middle)], strike)).map_err(e)?;
        }
        if layout.words {
            let g = sim.instance_gauges(members.start).unwrap_or_default();
            let mut numbers = format!("{}/{}", g.active, g.max);
            if g.pending > 0 {
                numbers.push_str(&format!(" · {} waiting", g.pending));
            }
            if let Some(why) = why {
                numbers.push_str(&format!(" · {why}"));
            }
            let color = if exhausted(&g) || why.is_some() { theme.failure } else { theme.text };
            let style = font(11.0, &color).pos(Pos::new(HPos::Left, VPos::Center));
            let numbers_x = x0 + px(LABEL_W + f64::from(layout.cells) * layout.pitch + 6.0);
            area.draw(&Text::new(numbers, (numbers_x, middle), style)).map_err(e)?;
        }
        if marks.cursor != marks.selected && members.contains(&marks.cursor) {
            let outline = theme.text.stroke_width(theme.px(1.5));
            area.draw(&Rectangle::new([(x0, y0), (x0 + px(layout.column_w) - 1, y0 + row_h - 1)], outline))
                .map_err(e)?;
        }
    }
    Ok(())
}

/// Properties of [`FleetView`].
#[derive(Debug, Properties, PartialEq)]
pub struct FleetViewProps {
    /// The live run (a fleet's).
    pub live: LiveHandle,
    /// Changes whenever the run moved (redraw trigger).
    pub tick: u64,
    /// The instance the pool view shows (0-based).
    pub selected: u32,
    /// Show another instance in the pool view.
    pub on_select: Callback<u32>,
    /// Dark theme.
    pub dark: bool,
}

/// The fleet's instances in rows, the database beside them, and the sentence saying both.
#[component]
pub fn FleetView(props: &FleetViewProps) -> Html {
    let canvas_ref = use_node_ref();
    let resized = use_window_resize();
    let relayout = use_force_update();
    let cursor = use_state(|| props.selected);
    // The polite announcement: said again only when an instance runs out or recovers, or
    // the database fills up or frees a slot (the alarm and the words said last).
    let announced = use_mut_ref(|| (None::<(usize, bool, usize)>, String::new()));

    let live = props.live.read();
    let sim = live.player.as_ref().ok().map(|p| p.sim());
    let count = sim.map_or(1, Simulation::instance_count);
    let slots = sim.map_or(1, most_slots);
    let cursor_now = if *cursor < count { *cursor } else { props.selected };
    // Laid out for the canvas's width (a guess before it is on the page: the drawing
    // lays out again, and re-renders if the height was wrong).
    let laid_out_for =
        move |canvas: &HtmlCanvasElement| FleetLayout::new(count, slots, f64::from(canvas.client_width()));
    let layout = canvas_ref
        .cast::<HtmlCanvasElement>()
        .filter(|c| c.client_width() > 0)
        .map_or_else(|| FleetLayout::new(count, slots, 600.0), |c| laid_out_for(&c));
    {
        let (live, canvas_ref) = (props.live.clone(), canvas_ref.clone());
        let marks = Marks { selected: props.selected, cursor: cursor_now };
        let height = layout.height();
        use_effect_with(
            (props.tick, marks, props.dark, resized, height),
            move |(_, marks, dark, _, height)| {
                let Some(canvas) = canvas_ref.cast::<HtmlCanvasElement>() else { return };
                let layout = laid_out_for(&canvas);
                if layout.height() != *height {
                    relayout.force_update();
                }
                // A failed draw leaves the previous one; the next refresh tries again.
                let _ = draw_fleet_canvas(&canvas, &live.read(), &layout, *marks, *dark);
            },
        );
    }
    let Some(sim) = sim else { return html! {} };
    let summary = describe(sim);
    let announcement = {
        let mut said = announced.borrow_mut();
        let now = Some(alarm(sim));
        if said.0.is_some() && said.0 != now {
            said.1.clone_from(&summary);
        }
        said.0 = now;
        said.1.clone()
    };

    let on_click = {
        let (canvas_ref, cursor, on_select) = (canvas_ref.clone(), cursor.clone(), props.on_select.clone());
        Callback::from(move |event: MouseEvent| {
            let Some(canvas) = canvas_ref.cast::<HtmlCanvasElement>() else { return };
            let (x, y) = (f64::from(event.offset_x()), f64::from(event.offset_y()));
            if let Some(j) = laid_out_for(&canvas).instance_at(x, y) {
                cursor.set(j);
                on_select.emit(j);
            }
        })
    };
    let on_key = {
        let (cursor, on_select) = (cursor.clone(), props.on_select.clone());
        Callback::from(move |event: KeyboardEvent| {
            if event.ctrl_key() || event.meta_key() || event.alt_key() {
                return;
            }
            let key = event.key();
            if key == "Enter" {
                on_select.emit(cursor_now);
            } else if let Some(next) = layout.step(cursor_now, &key) {
                cursor.set(next);
            } else {
                return;
            }
            // Handled here: the page's own keys (arrows change the speed) leave it alone.
            event.prevent_default();
        })
    };

    let options = (0..count).map(|j| {
        html! {
            <div role="option" id={format!("fleet-instance-{j}")} aria-selected={(j == props.selected).to_string()}>
                {describe_instance(sim, j)}
            </div>
        }
    });
    html! {
        <div class="fleet">
            if let Some(db) = DatabaseGauge::of(sim) {
                { database_gauges(&db) }
            }
            <canvas ref={canvas_ref} class="fleet-canvas" data-testid="fleet-canvas" tabindex="0"
                style={format!("height: {:.0}px", layout.height())}
                role="listbox" aria-label="The fleet's instances: the arrow keys move, Enter shows one in the pool view"
                aria-describedby="fleet-summary" aria-activedescendant={format!("fleet-instance-{cursor_now}")}
                data-instances={count.to_string()} data-rows={layout.rows.to_string()}
                data-row-height={format!("{:.2}", layout.row_h)}
                onclick={on_click} onkeydown={on_key}>
                { for options }
            </canvas>
            <p class="fleet-cursor" data-testid="fleet-cursor">
                {describe_instance(sim, cursor_now)}
                if cursor_now != props.selected {
                    <span class="fleet-hint">{" — Enter or a click shows it in the pool view"}</span>
                }
            </p>
            { for layout.notes().into_iter().map(|note| html! { <p class="fleet-note">{note}</p> }) }
            <p class="fleet-summary" id="fleet-summary" data-testid="fleet-summary">{summary}</p>
            <p class="visually-hidden" aria-live="polite" data-testid="fleet-announcement">{announcement}</p>
        </div>
    }
}

/// In a fleet, the instance the pool view shows — `app-3 of 20` — and its gauges (the
/// readouts below stay the fleet's sums); nothing without a fleet.
pub fn shown_instance(live: &Live, wanted: u32) -> Html {
    let Ok(player) = &live.player else { return html! {} };
    let (sim, j) = (player.sim(), live.shown_instance(wanted));
    let (Some(label), Some(g)) = (instance_label(sim, j), sim.instance_gauges(j)) else { return html! {} };
    let gauges = [
        ("In use", format!("{} of {}", g.active, g.max), "instance-active"),
        ("Idle", g.idle.to_string(), "instance-idle"),
        ("Opening", g.opening.to_string(), "instance-opening"),
        ("Waiting", g.pending.to_string(), "instance-pending"),
        ("Leaked", g.leaked.to_string(), "instance-leaked"),
    ];
    html! {
        <div class="shown-instance">
            <p class="shown-instance-name">
                <strong data-testid="pool-instance">{label}</strong>
                if exhausted(&g) { <span class="shown-instance-out">{" — exhausted"}</span> }
                if let Some(why) = not_serving(sim, j) { <span class="shown-instance-out">{format!(" — {why}")}</span> }
            </p>
            <dl class="settings">
                { for gauges.into_iter().map(|(name, value, id)| html! {
                    <div class="setting"><dt>{name}</dt><dd data-testid={id}>{value}</dd></div>
                }) }
            </dl>
        </div>
    }
}

/// The database's gauges: the connections the fleet holds against what the application may
/// hold (its words add `max_connections`), and the share of its cores busy.
fn database_gauges(db: &DatabaseGauge) -> Html {
    html! {
        <div class="fleet-db" data-testid="fleet-db">
            <label class="meter-row">
                <span class="meter-name">{"Database connections"}</span>
                <meter min="0" max={db.usable.to_string()} value={db.connections.to_string()}
                    high={db.usable.saturating_sub(1).to_string()}></meter>
                <span class="meter-value" data-testid="fleet-db-connections">{db.connections_words()}</span>
                if db.full() { <strong class="meter-full">{"full"}</strong> }
            </label>
            <label class="meter-row">
                <span class="meter-name">{"Database CPU"}</span>
                <meter min="0" max="1" value={format!("{:.3}", db.cpu.unwrap_or(0.0))}></meter>
                <span class="meter-value" data-testid="fleet-db-cpu">{db.cpu_words()}</span>
            </label>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn twenty_instances_get_a_row_of_words_each() {
        let layout = FleetLayout::new(20, 50, 890.0);
        assert!(layout.words && layout.group == 1 && layout.per_cell == 1);
        assert_eq!((layout.columns, layout.rows), (2, 10), "the largest squares in at most ten rows");
        assert!(layout.height() <= MAX_HEIGHT);
        assert!(layout.pitch >= MIN_CELL && layout.pitch * 50.0 <= layout.strip_w + 1e-9);
        assert!(layout.notes().is_empty(), "nothing to explain");
        // A few small pools: one column of large squares.
        let few = FleetLayout::new(6, 20, 890.0);
        assert_eq!((few.columns, few.rows), (1, 6));
        assert_eq!(few.pitch, few.row_h, "squares as tall as the rows allow");
    }

    #[test]
    fn two_hundred_instances_stay_one_row_each_in_thin_rows() {
        let layout = FleetLayout::new(200, 50, 890.0);
        assert!(!layout.words && layout.group == 1);
        assert!(layout.row_h >= 6.0, "{layout:?}");
        assert!(layout.height() <= MAX_HEIGHT);
        assert_eq!(layout.row_count(), 200);
        assert!(layout.notes()[0].starts_with("Thin rows"));
        // On a phone the rows group, and say so.
        let phone = FleetLayout::new(1000, 50, 340.0);
        assert!(phone.group > 1 && phone.height() <= MAX_HEIGHT, "{phone:?}");
        assert!(phone.notes().iter().any(|n| n.contains(&format!("sums {} instances", phone.group))));
    }

    #[test]
    fn a_large_pool_draws_a_square_for_several_connections() {
        let layout = FleetLayout::new(20, 1000, 890.0);
        assert!(layout.per_cell > 1);
        assert!(f64::from(1000u32.div_ceil(layout.per_cell)) * layout.pitch <= layout.strip_w + 1e-9);
        assert!(
            layout
                .notes()
                .iter()
                .any(|n| n == &format!("Each square stands for {} connections.", layout.per_cell))
        );
    }

    #[test]
    fn a_point_finds_its_row_and_the_keys_move_along_the_rows() {
        let layout = FleetLayout::new(20, 50, 890.0);
        let (column, row_h) = (layout.column_w + COLUMN_GAP, layout.row_h);
        assert_eq!(layout.instance_at(10.0, row_h * 2.5), Some(2));
        assert_eq!(
            layout.instance_at(column + 10.0, row_h * 0.5),
            Some(10),
            "the second column starts at app-11"
        );
        assert_eq!(layout.instance_at(layout.column_w + 2.0, 1.0), None, "between columns");
        assert_eq!(layout.instance_at(2.0 * column + 10.0, row_h * 0.5), None, "no third column");
        assert_eq!(layout.instance_at(10.0, row_h * 10.5), None, "below the rows");
        assert_eq!(layout.step(0, "ArrowUp"), Some(0));
        assert_eq!(layout.step(0, "ArrowDown"), Some(1));
        assert_eq!(layout.step(2, "ArrowRight"), Some(12));
        assert_eq!(layout.step(15, "ArrowRight"), Some(19));
        assert_eq!(layout.step(12, "ArrowLeft"), Some(2));
        assert_eq!(layout.step(4, "End"), Some(19));
        assert_eq!(layout.step(4, "Home"), Some(0));
        assert_eq!(layout.step(4, "x"), None);
    }
}
