//! A legend above the plot, so it never hides the data it explains, with a headline figure
//! ("peak 37 waiting") on the right of its first row. Entries wrap onto more rows when the
//! chart is narrow (a phone) rather than being left out.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::Theme;

/// How a legend entry is drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Swatch {
    /// A filled square (areas).
    Fill,
    /// A short line (lines).
    Line,
}

/// One legend entry.
#[derive(Clone, Copy, Debug)]
pub struct LegendItem<'a> {
    /// The words.
    pub label: &'a str,
    /// The series colour.
    pub color: RGBColor,
    /// How the series is drawn.
    pub swatch: Swatch,
}

/// Most rows a legend takes, however narrow the chart.
const MAX_ROWS: usize = 3;

/// Height of one legend row [device px].
pub fn legend_height(theme: &Theme) -> u32 {
    theme.px(22.0)
}

/// Where each entry of a legend goes, worked out for the width of the chart.
#[derive(Clone, Debug)]
pub struct LegendLayout<'a> {
    items: &'a [LegendItem<'a>],
    headline: Option<&'a str>,
    /// Per item: left edge [device px] and row; `None` when it did not fit in [`MAX_ROWS`].
    places: Vec<Option<(i32, usize)>>,
    rows: usize,
}

impl LegendLayout<'_> {
    /// Height the legend needs [device px].
    pub fn height(&self, theme: &Theme) -> u32 {
        legend_height(theme) * self.rows as u32
    }
}

/// Lay out `items` left to right from `left_css` [CSS px] (the plot's left edge), wrapping
/// onto new rows, with `headline` right-aligned on the first row; measured in `area`.
pub fn layout_legend<'a, DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    items: &'a [LegendItem<'a>],
    headline: Option<&'a str>,
    left_css: f64,
    theme: &Theme,
) -> Result<LegendLayout<'a>, DrawingAreaErrorKind<DB::ErrorType>> {
    let right = area.dim_in_pixel().0 as i32 - theme.px(16.0) as i32;
    let (box_size, gap, left) = (theme.px(11.0) as i32, theme.px(16.0) as i32, theme.px(left_css) as i32);
    let headline_w = match headline {
        Some(text) => area.estimate_text_size(text, &headline_font(theme))?.0 as i32 + gap,
        None => 0,
    };
    let (mut x, mut row) = (left, 0);
    let mut places = Vec::with_capacity(items.len());
    for item in items {
        let w = box_size
            + theme.px(5.0) as i32
            + area.estimate_text_size(item.label, &label_font(theme))?.0 as i32;
        let limit = if row == 0 { right - headline_w } else { right };
        // Wrap when it does not fit — unless it already starts a row (it gets the row to itself).
        let starts_row = x == left && (row > 0 || headline_w == 0);
        if x + w > limit && !starts_row {
            (x, row) = (left, row + 1);
        }
        places.push((row < MAX_ROWS).then_some((x, row)));
        x += w + gap;
    }
    let rows = places.iter().flatten().map(|(_, row)| row + 1).max().unwrap_or(1);
    Ok(LegendLayout { items, headline, places, rows })
}

/// Draw `layout` in `area` (the strip above the plot, [`LegendLayout::height`] tall).
pub fn draw_legend<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    layout: &LegendLayout<'_>,
    theme: &Theme,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let row_h = legend_height(theme) as i32;
    let box_size = theme.px(11.0) as i32;
    if let Some(text) = layout.headline {
        let right = area.dim_in_pixel().0 as i32 - theme.px(16.0) as i32;
        let font = headline_font(theme).pos(Pos::new(HPos::Right, VPos::Center));
        area.draw(&Text::new(text, (right, row_h / 2), font))?;
    }
    for (item, place) in layout.items.iter().zip(&layout.places) {
        let Some((x, row)) = *place else { continue };
        let mid = row as i32 * row_h + row_h / 2;
        match item.swatch {
            Swatch::Fill => {
                let half = box_size / 2;
                area.draw(&Rectangle::new(
                    [(x, mid - half), (x + box_size, mid + half)],
                    item.color.filled(),
                ))?;
            }
            Swatch::Line => {
                area.draw(&PathElement::new(
                    [(x, mid), (x + box_size, mid)],
                    item.color.stroke_width(theme.px(2.0)),
                ))?;
            }
        }
        let text_x = x + box_size + theme.px(5.0) as i32;
        let font = label_font(theme).pos(Pos::new(HPos::Left, VPos::Center));
        area.draw(&Text::new(item.label, (text_x, mid), font))?;
    }
    Ok(())
}

fn label_font(theme: &Theme) -> TextStyle<'static> {
    theme.font(12.0).color(&theme.text)
}

fn headline_font(theme: &Theme) -> TextStyle<'static> {
    theme.font(12.0).style(FontStyle::Bold).color(&theme.text)
}
