//! A legend row above the plot, so it never hides the data it explains.

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

/// Height of the legend row [device px].
pub fn legend_height(theme: &Theme) -> u32 {
    theme.px(22.0)
}

/// Draw `items` left to right in `area`, wrapping nothing: entries that do not fit are left out.
pub fn draw_legend<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    items: &[LegendItem<'_>],
    theme: &Theme,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let font = ("sans-serif", theme.font(12.0)).into_font().color(&theme.text);
    let (width, height) = area.dim_in_pixel();
    let mid = i32::try_from(height / 2).unwrap_or(0);
    let (box_size, gap) = (theme.px(11.0) as i32, theme.px(16.0) as i32);
    let mut x = theme.px(52.0) as i32; // aligned with the plot's left edge (after the y labels)
    for item in items {
        let (text_w, _) = area.estimate_text_size(item.label, &font)?;
        let end = x + box_size + theme.px(5.0) as i32 + text_w as i32;
        if end > width as i32 {
            break;
        }
        match item.swatch {
            Swatch::Fill => {
                let half = box_size / 2;
                area.draw(&Rectangle::new([(x, mid - half), (x + box_size, mid + half)], item.color.filled()))?;
            }
            Swatch::Line => {
                area.draw(&PathElement::new([(x, mid), (x + box_size, mid)], item.color.stroke_width(theme.px(2.0))))?;
            }
        }
        let text_x = x + box_size + theme.px(5.0) as i32;
        area.draw(&Text::new(item.label, (text_x, mid), font.pos(Pos::new(HPos::Left, VPos::Center))))?;
        x = end + gap;
    }
    Ok(())
}
