//! The pool view: every connection a slot, coloured *and patterned* by state so it reads
//! without colour too; active slots fill up as their hold runs; the waiting queue beside.
//!
//! Up to [`MAX_SLOTS`] connections are drawn one by one (the layout adapts from 1 to
//! thousands); beyond that, or when slots would be too small to see, the view switches to
//! an aggregate bar of counts per state.
//!
//! With [`Motion`] (the visualizer), requests are particles: the waiting line is a lane of
//! them, longest first, each with a bar growing towards its connection timeout; flights
//! to and from the slots are drawn over the whole view; the flows per second get moving
//! stripes when there are too many requests to draw one by one. A leaked slot carries a
//! strip growing with the time since it leaked (full at [`LEAK_AGE_FULL_S`]).

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use poolsim_engine::{ConnState, ConnectionView, SimTime, Simulation};

use crate::Theme;
use crate::motion::{LANE_MAX, Motion, Trip};

/// Most connections drawn one slot each.
pub const MAX_SLOTS: usize = 2_000;
/// Smallest slot drawn one by one [CSS px]; smaller switches to the aggregate view.
const MIN_SLOT_CSS_PX: f64 = 7.0;
/// Waiters drawn as dots before the queue shows only its count.
const MAX_QUEUE_DOTS: usize = 60;
/// Time since a connection leaked at which its slot's age strip is full [s].
pub const LEAK_AGE_FULL_S: f64 = 3_600.0;

/// What the pool view shows at one instant.
#[derive(Clone, Copy, Debug)]
pub struct PoolInput<'a> {
    /// Every open or opening connection.
    pub connections: &'a [ConnectionView],
    /// `maximumPoolSize`: empty slots are drawn up to it.
    pub max_size: u32,
    /// Requests waiting for a connection.
    pub waiting: u32,
    /// Requests that arrived in the last simulated second (the flow in).
    pub recent_arrivals: u32,
    /// Requests that got a connection in the last simulated second (the flow out of the queue).
    pub recent_served: u32,
    /// Acquire timeouts in the last simulated second.
    pub recent_timeouts: u32,
    /// The simulated time being drawn, for hold progress.
    pub now: SimTime,
    /// `prefers-reduced-motion`: draw states without in-slot progress.
    pub reduced_motion: bool,
    /// Requests as particles (`None`: the queue as a block of dots, nothing moves).
    pub motion: Option<&'a Motion>,
}

impl<'a> PoolInput<'a> {
    /// The pool of `sim` now: its `connections` (collected by the caller, who may reuse the
    /// buffer), its gauges and the last second's flows.
    pub fn of(sim: &Simulation, connections: &'a [ConnectionView], reduced_motion: bool) -> Self {
        let gauges = sim.gauges();
        let last = sim.samples().last();
        Self {
            connections,
            max_size: gauges.max,
            waiting: gauges.pending,
            recent_arrivals: last.map_or(0, |s| s.arrivals),
            recent_served: last.map_or(0, |s| s.served),
            recent_timeouts: last.map_or(0, |s| s.timeouts),
            now: sim.now(),
            reduced_motion,
            motion: None,
        }
    }
}

/// How a slot is drawn, by the state the simulator knows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SlotLook {
    /// A slot `maximumPoolSize` allows but no connection fills.
    Empty,
    /// Being opened: outline only.
    Opening,
    /// Idle in the pool: light fill.
    Idle,
    /// In use and coming back: solid, filling with hold progress.
    Active,
    /// In use past the leak-detection threshold: solid with a mark.
    Suspected,
    /// Never coming back: solid with a cross.
    Leaked,
}

impl SlotLook {
    /// The look of one connection.
    pub fn of(c: &ConnectionView) -> Self {
        match (c.state, c.suspected) {
            (ConnState::Opening, _) => Self::Opening,
            (ConnState::Idle, _) => Self::Idle,
            (ConnState::Leaked, _) => Self::Leaked,
            (ConnState::Active, true) => Self::Suspected,
            (ConnState::Active, false) => Self::Active,
        }
    }

    /// Legend words for the look.
    pub fn label(self) -> &'static str {
        match self {
            Self::Empty => "free slot",
            Self::Opening => "opening",
            Self::Idle => "idle",
            Self::Active => "active",
            Self::Suspected => "flagged by leak detection",
            Self::Leaked => "leaked",
        }
    }
}

/// Where slots go: a grid filling the area as fully as the slot count allows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SlotGrid {
    /// Slots per row.
    pub columns: u32,
    /// Rows.
    pub rows: u32,
    /// Side of a slot including its gap [device px].
    pub cell: u32,
}

/// The largest square cells that fit `slots` in `width` × `height` device pixels.
pub fn slot_grid(slots: u32, width: u32, height: u32) -> SlotGrid {
    let slots = slots.max(1);
    let mut best = SlotGrid { columns: slots, rows: 1, cell: 0 };
    // Try each row count; the cell is bounded by both dimensions. Rows ≤ √slots·aspect-ish
    // in practice, but the loop is cheap (bounded by the slot count, at most MAX_SLOTS).
    for rows in 1..=slots {
        let columns = slots.div_ceil(rows);
        let cell = (width / columns).min(height / rows);
        if cell > best.cell {
            best = SlotGrid { columns, rows, cell };
        }
        if height / rows < best.cell {
            break;
        }
    }
    best
}

/// Draw the pool view filling `area`: the slots on the left, the queue on the right.
pub fn draw_pool<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    input: &PoolInput<'_>,
    theme: &Theme,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    area.fill(&theme.background)?;
    let (width, _) = area.dim_in_pixel();
    let queue_w = (width / 5).clamp(theme.px(90.0).min(width / 2), theme.px(220.0));
    let (slots_area, queue_area) = area.split_horizontally(width - queue_w);
    let slot_count = (input.max_size as usize).max(input.connections.len());
    let (w, h) = slots_area.dim_in_pixel();
    let grid = slot_grid(slot_count.min(MAX_SLOTS) as u32, w, h);
    let one_by_one = slot_count <= MAX_SLOTS && f64::from(grid.cell) >= MIN_SLOT_CSS_PX * theme.scale;
    if one_by_one {
        draw_slots(&slots_area, input, grid, theme)?;
    } else {
        draw_aggregate(&slots_area, input, theme)?;
    }
    draw_queue(&queue_area, input, theme)?;
    match input.motion {
        Some(m) => draw_flights(area, m, one_by_one.then_some(grid), (width - queue_w) as i32, theme),
        None => Ok(()),
    }
}

fn draw_slots<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    input: &PoolInput<'_>,
    grid: SlotGrid,
    theme: &Theme,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let cell = grid.cell as i32;
    let gap = (cell / 8).max(1);
    let side = cell - gap;
    let slots = input
        .connections
        .iter()
        .map(Some)
        .chain(std::iter::repeat(None))
        .take((input.max_size as usize).max(input.connections.len()));
    for (i, conn) in slots.enumerate() {
        let (col, row) = (i as i32 % grid.columns as i32, i as i32 / grid.columns as i32);
        let (x, y) = (col * cell, row * cell);
        let look = conn.map_or(SlotLook::Empty, SlotLook::of);
        let progress = match conn {
            // How long it has been gone: information, drawn with reduced motion too.
            Some(c) if c.state == ConnState::Leaked => Some(
                (input.now.saturating_duration_since(c.since_us).as_secs_f64() / LEAK_AGE_FULL_S).min(1.0),
            ),
            _ => conn.and_then(|c| hold_progress(c, input.now)).filter(|_| !input.reduced_motion),
        };
        draw_slot(area, (x, y), side, look, progress, theme)?;
    }
    Ok(())
}

/// Fraction of the hold already run, 0..=1, for an active connection with a known end.
fn hold_progress(c: &ConnectionView, now: SimTime) -> Option<f64> {
    let until = c.until_us?;
    if c.state != ConnState::Active || until <= c.since_us {
        return None;
    }
    let (run, hold) = (now.saturating_duration_since(c.since_us), until - c.since_us);
    Some((run.as_micros() as f64 / hold.as_micros() as f64).clamp(0.0, 1.0))
}

/// One slot at `(x, y)` of `side` device pixels, in the look's colour and pattern;
/// `progress` is an active slot's hold run so far, a leaked slot's age (0 to 1).
pub fn draw_slot<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    (x, y): (i32, i32),
    side: i32,
    look: SlotLook,
    progress: Option<f64>,
    theme: &Theme,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let rect = [(x, y), (x + side, y + side)];
    let stroke = theme.px(1.0);
    match look {
        SlotLook::Empty => area.draw(&Rectangle::new(rect, theme.grid.stroke_width(stroke)))?,
        SlotLook::Opening => {
            area.draw(&Rectangle::new(rect, theme.opening.stroke_width(theme.px(2.0))))?;
        }
        SlotLook::Idle => {
            area.draw(&Rectangle::new(rect, theme.idle.mix(0.35).filled()))?;
            area.draw(&Rectangle::new(rect, theme.idle.stroke_width(stroke)))?;
        }
        SlotLook::Active | SlotLook::Suspected => {
            let color = if look == SlotLook::Active { theme.active } else { theme.suspected };
            match progress {
                // The part of the hold still to run is lighter; the slot fills up as it runs.
                Some(p) => {
                    area.draw(&Rectangle::new(rect, color.mix(0.45).filled()))?;
                    let filled = (f64::from(side) * p).round() as i32;
                    area.draw(&Rectangle::new(
                        [(x, y + side - filled), (x + side, y + side)],
                        color.filled(),
                    ))?;
                }
                None => area.draw(&Rectangle::new(rect, color.filled()))?,
            }
            if look == SlotLook::Suspected && side >= 6 {
                // An exclamation bar: readable without colour.
                let cx = x + side / 2;
                let w = (side / 8).max(1);
                area.draw(&Rectangle::new(
                    [(cx - w, y + side / 5), (cx + w, y + side * 3 / 5)],
                    theme.background.filled(),
                ))?;
                area.draw(&Rectangle::new(
                    [(cx - w, y + side * 7 / 10), (cx + w, y + side * 4 / 5)],
                    theme.background.filled(),
                ))?;
            }
        }
        SlotLook::Leaked => {
            area.draw(&Rectangle::new(rect, theme.leaked.filled()))?;
            // A cross: the leaked state reads without colour.
            let inset = (side / 5).max(1);
            let style = theme.background.stroke_width(theme.px(1.5));
            area.draw(&PathElement::new(
                [(x + inset, y + inset), (x + side - inset, y + side - inset)],
                style,
            ))?;
            area.draw(&PathElement::new(
                [(x + side - inset, y + inset), (x + inset, y + side - inset)],
                style,
            ))?;
            if let Some(age) = progress {
                // A strip along the top grows with the time since it leaked.
                let len = (f64::from(side) * age).round() as i32;
                area.draw(&Rectangle::new([(x, y), (x + len, y + inset / 2 + 1)], theme.text.filled()))?;
            }
        }
    }
    Ok(())
}

/// Counts per look, in drawing order.
pub fn look_counts(input: &PoolInput<'_>) -> [(SlotLook, u32); 6] {
    let mut counts = [0u32; 6];
    for c in input.connections {
        counts[SlotLook::of(c) as usize] += 1;
    }
    let used: u32 = counts.iter().sum();
    counts[SlotLook::Empty as usize] = input.max_size.saturating_sub(used);
    [
        (SlotLook::Leaked, counts[SlotLook::Leaked as usize]),
        (SlotLook::Suspected, counts[SlotLook::Suspected as usize]),
        (SlotLook::Active, counts[SlotLook::Active as usize]),
        (SlotLook::Idle, counts[SlotLook::Idle as usize]),
        (SlotLook::Opening, counts[SlotLook::Opening as usize]),
        (SlotLook::Empty, counts[SlotLook::Empty as usize]),
    ]
}

/// Too many connections to draw one by one: a bar of counts per state.
fn draw_aggregate<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    input: &PoolInput<'_>,
    theme: &Theme,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let (w, h) = area.dim_in_pixel();
    let counts = look_counts(input);
    let total: u32 = counts.iter().map(|(_, n)| n).sum::<u32>().max(1);
    let bar_h = (h as i32 / 3).max(theme.px(16.0) as i32);
    let top = (h as i32 - bar_h) / 3;
    let mut x = 0i32;
    let font = theme.font(12.0).color(&theme.text);
    let mut label_y = top + bar_h + theme.px(6.0) as i32;
    for (look, n) in counts {
        if n == 0 {
            continue;
        }
        let seg = ((f64::from(n) / f64::from(total)) * f64::from(w)).round().max(1.0) as i32;
        draw_segment(area, (x, top), (seg, bar_h), look, theme)?;
        x += seg;
        let text = format!("{} {n}", look.label());
        area.draw(&Text::new(text, (0, label_y), font.pos(Pos::new(HPos::Left, VPos::Top))))?;
        label_y += theme.px(16.0) as i32;
    }
    Ok(())
}

fn draw_segment<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    (x, y): (i32, i32),
    (w, h): (i32, i32),
    look: SlotLook,
    theme: &Theme,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let rect = [(x, y), (x + w, y + h)];
    let color = match look {
        SlotLook::Empty => theme.grid,
        SlotLook::Opening => theme.opening,
        SlotLook::Idle => theme.idle,
        SlotLook::Active => theme.active,
        SlotLook::Suspected => theme.suspected,
        SlotLook::Leaked => theme.leaked,
    };
    area.draw(&Rectangle::new(rect, color.filled()))?;
    if look == SlotLook::Leaked {
        // Hatching keeps the leaked share readable without colour.
        let step = theme.px(8.0) as i32;
        let style = theme.background.stroke_width(theme.px(1.0));
        let mut i = 0;
        while i < w + h {
            let (x0, y0) = (x + i.min(w), y + (i - w).max(0));
            let (x1, y1) = (x + (i - h).max(0), y + i.min(h));
            area.draw(&PathElement::new([(x0, y0), (x1, y1)], style))?;
            i += step;
        }
    }
    Ok(())
}

/// The waiting queue: a dot per waiter (up to a limit), its length, and recent timeouts.
fn draw_queue<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    input: &PoolInput<'_>,
    theme: &Theme,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let (w, _) = area.dim_in_pixel();
    let pad = theme.px(10.0) as i32;
    let title = theme.font(12.0).color(&theme.text);
    let big = theme.font(22.0).color(&theme.text);
    area.draw(&Text::new("waiting", (pad, 0), title.pos(Pos::new(HPos::Left, VPos::Top))))?;
    area.draw(&Text::new(
        input.waiting.to_string(),
        (pad, theme.px(16.0) as i32),
        big.pos(Pos::new(HPos::Left, VPos::Top)),
    ))?;
    let dot = theme.px(7.0) as i32;
    let top = theme.px(46.0) as i32;
    let step = theme.px(22.0) as i32;
    let mut y = match input.motion {
        Some(m) => {
            let lane = Lane::of(area.dim_in_pixel(), theme);
            draw_lane(area, m, lane, input.now, theme)?;
            lane.bottom + theme.px(4.0) as i32
        }
        None => {
            let per_row = ((w as i32 - pad) / (dot + 2)).max(1);
            for i in 0..(input.waiting as usize).min(MAX_QUEUE_DOTS) as i32 {
                let (x, y) = (pad + (i % per_row) * (dot + 2), top + (i / per_row) * (dot + 2));
                area.draw(&Circle::new((x + dot / 2, y + dot / 2), dot / 2, theme.pending.filled()))?;
            }
            let rows = (input.waiting as usize).min(MAX_QUEUE_DOTS).div_ceil(per_row as usize) as i32;
            top + rows * (dot + 2) + theme.px(8.0) as i32
        }
    };
    // The flow through the pool over the last simulated second: in, served, timed out.
    let flows = [
        (format!("→ {} in /s", input.recent_arrivals), input.recent_arrivals, theme.text),
        (format!("✓ {} served /s", input.recent_served), input.recent_served, theme.text),
        (format!("✕ {} timed out /s", input.recent_timeouts), input.recent_timeouts, theme.failure),
    ];
    let most = input.recent_arrivals.max(input.recent_served).max(input.recent_timeouts).max(1);
    for (text, rate, color) in flows {
        let font = theme.font(12.0).color(&color);
        area.draw(&Text::new(text, (pad, y), font.pos(Pos::new(HPos::Left, VPos::Top))))?;
        if let Some(m) = input.motion {
            let len = f64::from(rate) / f64::from(most) * f64::from(w as i32 - 2 * pad);
            let moving = m.flows() && !input.reduced_motion;
            draw_stream(
                area,
                (pad, y + theme.px(15.0) as i32),
                len as i32,
                color,
                moving.then(|| m.now_ms()),
                theme,
            )?;
        }
        y += if input.motion.is_some() { step } else { theme.px(16.0) as i32 };
    }
    Ok(())
}

/// Where the waiting line is drawn in the queue area [device px].
#[derive(Clone, Copy, Debug)]
struct Lane {
    /// Left edge of the particles.
    x: i32,
    /// Top of the first place.
    top: i32,
    /// Height of one place.
    row: i32,
    /// Places drawn.
    rows: usize,
    /// Bottom of the last place.
    bottom: i32,
    /// Right end of the age bars.
    right: i32,
}

impl Lane {
    /// The line in a queue area of `w` × `h` device px.
    fn of((w, h): (u32, u32), theme: &Theme) -> Self {
        let (top, row) = (theme.px(46.0) as i32, theme.px(8.0) as i32);
        // The three flows below take 3 × 22 px.
        let rows = ((h as i32 - top - theme.px(70.0) as i32) / row).clamp(1, LANE_MAX as i32);
        let x = theme.px(10.0) as i32;
        Self { x, top, row, rows: rows as usize, bottom: top + rows * row, right: w as i32 - x }
    }

    /// The centre of the particle at `place` from the head.
    fn at(&self, place: f64) -> (i32, i32) {
        (self.x + self.row / 2, self.top + (place * f64::from(self.row)) as i32 + self.row / 2)
    }
}

/// The waiting line: a particle per waiter, longest first, each with its wait so far as a
/// bar filling towards its connection timeout (outlined to full length).
fn draw_lane<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    motion: &Motion,
    lane: Lane,
    now: SimTime,
    theme: &Theme,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let r = (lane.row * 2 / 5).max(1);
    let bar_x = lane.x + lane.row + r;
    let full = (lane.right - bar_x).max(1);
    for l in motion.lane().iter().take(lane.rows) {
        if l.place >= lane.rows as f64 {
            continue;
        }
        let (cx, cy) = lane.at(l.place);
        area.draw(&Circle::new((cx, cy), r, theme.pending.filled()))?;
        let w = &l.waiter;
        let waited = now.saturating_duration_since(w.since_us).as_micros() as f64;
        let patience = w.deadline_us.saturating_duration_since(w.since_us).as_micros().max(1) as f64;
        let len = (f64::from(full) * (waited / patience).min(1.0)) as i32;
        let (y0, y1) = (cy - r / 2 - 1, cy + r / 2 + 1);
        area.draw(&Rectangle::new([(bar_x, y0), (bar_x + full, y1)], theme.grid.stroke_width(1)))?;
        area.draw(&Rectangle::new([(bar_x, y0), (bar_x + len, y1)], theme.pending.mix(0.7).filled()))?;
    }
    Ok(())
}

/// A flow as a dashed stream `len` px long; dashes move (at `moving`'s real time [ms]) while
/// the view shows flows, so the stream reads as volume going by.
fn draw_stream<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    (x, y): (i32, i32),
    len: i32,
    color: RGBColor,
    moving: Option<f64>,
    theme: &Theme,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let (step, dash, h) = (theme.px(8.0) as i32, theme.px(5.0) as i32, theme.px(4.0) as i32);
    let shift = moving.map_or(0, |ms| (ms * theme.scale / 12.0) as i32 % step);
    let mut from = shift - step;
    while from < len {
        let (a, b) = (from.max(0), (from + dash).min(len));
        if b > a {
            area.draw(&Rectangle::new([(x + a, y), (x + b, y + h)], color.filled()))?;
        }
        from += step;
    }
    Ok(())
}

/// The particles in flight, over the whole view: to a slot (a filled dot), out of one
/// served (a ring rising), out of the line timed out or refused (a cross falling). Without
/// slots drawn one by one (`grid` `None`), only the drop-outs.
fn draw_flights<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    motion: &Motion,
    grid: Option<SlotGrid>,
    queue_x: i32,
    theme: &Theme,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let (w, h) = area.dim_in_pixel();
    let lane = Lane::of((w - queue_x as u32, h), theme);
    let in_lane = |place: f64| {
        let (x, y) = lane.at(place.min(lane.rows as f64));
        (x + queue_x, y)
    };
    let slot = |i: u32| {
        grid.map(|g| {
            let (cell, col, row) = (g.cell as i32, (i % g.columns) as i32, (i / g.columns) as i32);
            (col * cell + cell / 2, row * cell + cell / 2)
        })
    };
    let r = theme.px(3.5) as i32;
    let lift = theme.px(36.0) as i32;
    for f in motion.flights() {
        let p = f.progress(motion.now_ms());
        // Ease in and out: a particle starts and lands gently.
        let e = p * p * (3.0 - 2.0 * p);
        let along = |(x0, y0): (i32, i32), (x1, y1): (i32, i32)| {
            (x0 + (f64::from(x1 - x0) * e) as i32, y0 + (f64::from(y1 - y0) * e) as i32)
        };
        let fade = 1.0 - p * 0.8;
        match f.trip {
            Trip::Take { from, slot: i } => {
                let Some(to) = slot(i) else { continue };
                let start = from.map_or((w as i32 - r, lane.top), in_lane);
                area.draw(&Circle::new(along(start, to), r, theme.pending.filled()))?;
            }
            Trip::Served { slot: i } => {
                let Some((x, y)) = slot(i) else { continue };
                let at = along((x, y), (x, y - lift));
                area.draw(&Circle::new(at, r, theme.served.mix(fade).stroke_width(theme.px(1.5))))?;
            }
            Trip::Dropped { from } => {
                let (x, y) = in_lane(from);
                let (cx, cy) = along((x, y), (x - lift / 2, y + lift));
                let style = theme.failure.mix(fade).stroke_width(theme.px(2.0));
                area.draw(&PathElement::new([(cx - r, cy - r), (cx + r, cy + r)], style))?;
                area.draw(&PathElement::new([(cx + r, cy - r), (cx - r, cy + r)], style))?;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grid_fits_every_slot_and_uses_the_space() {
        for (slots, w, h) in
            [(1, 400, 200), (10, 400, 200), (100, 800, 300), (1000, 800, 300), (2000, 1200, 300)]
        {
            let g = slot_grid(slots, w, h);
            assert!(g.columns * g.rows >= slots, "{slots} slots fit");
            assert!(g.columns * g.cell <= w && g.rows * g.cell <= h, "{g:?} stays inside {w}×{h}");
            assert!(g.cell > 0);
        }
        // One connection gets one big square, not a sliver.
        assert_eq!(slot_grid(1, 400, 200).cell, 200);
        // 100 slots in 800×300: 6 rows of 17 at 47 px beat 5 × 20 at 40 px and 7 × 15 at 42 px.
        assert_eq!(slot_grid(100, 800, 300), SlotGrid { columns: 17, rows: 6, cell: 47 });
    }
}
