//! Charts as SVG text: the command line's `--svg`, exports and native tests.

use plotters::prelude::*;

use crate::{ChartInput, Theme, draw_connections};

/// The connections chart as a standalone SVG document of `width` × `height` pixels.
pub fn connections_svg(input: &ChartInput<'_>, width: u32, height: u32, dark: bool) -> Result<String, String> {
    let theme = if dark { Theme::dark(1.0) } else { Theme::light(1.0) };
    let mut out = String::new();
    {
        let area = SVGBackend::with_string(&mut out, (width, height)).into_drawing_area();
        draw_connections(&area, input, &theme).map_err(|e| e.to_string())?;
    }
    Ok(out)
}
