//! Colours and sizes for charts: a colour-blind-safe palette (Okabe–Ito) in light and dark
//! variants, and a scale factor so lines and text stay the same size on HiDPI canvases.

use plotters::style::{FontDesc, FontFamily, FontStyle, RGBColor};

/// How a chart looks. Sizes are in CSS pixels and multiplied by `scale` when drawn.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Theme {
    /// Device pixels per CSS pixel (the browser's `devicePixelRatio`; 1 for SVG).
    pub scale: f64,
    /// Chart background.
    pub background: RGBColor,
    /// Axis labels and titles.
    pub text: RGBColor,
    /// Grid lines.
    pub grid: RGBColor,
    /// Connections idle in the pool.
    pub idle: RGBColor,
    /// Connections in use by a request that will return them.
    pub active: RGBColor,
    /// Connections that will never come back.
    pub leaked: RGBColor,
    /// Connections flagged by leak detection.
    pub suspected: RGBColor,
    /// Connections being opened.
    pub opening: RGBColor,
    /// Requests waiting for a connection.
    pub pending: RGBColor,
    /// Failures: timeouts and failed requests.
    pub failure: RGBColor,
    /// Failures other than timeouts (restarts, reclaimed holders, downtime).
    pub other_failure: RGBColor,
    /// The pool's maximum size.
    pub limit: RGBColor,
    /// Median acquire time (thin line).
    pub wait_p50: RGBColor,
    /// 99th-percentile acquire time (the main line).
    pub wait_p99: RGBColor,
    /// Longest acquire time (thin line).
    pub wait_max: RGBColor,
    /// Requests arriving per second.
    pub arrivals: RGBColor,
    /// Requests served per second.
    pub served: RGBColor,
    /// The database's usable connections (`max_connections − reserved`).
    pub usable: RGBColor,
    /// The database's cores busy.
    pub cpu: RGBColor,
    /// How much longer queries took than alone.
    pub stretch: RGBColor,
    /// Timeline-action markers.
    pub marker_action: RGBColor,
    /// Alert markers.
    pub marker_alert: RGBColor,
}

// Okabe–Ito: distinguishable with every common colour-vision deficiency.
const BLUE: RGBColor = RGBColor(0x00, 0x72, 0xB2);
const SKY: RGBColor = RGBColor(0x56, 0xB4, 0xE9);
const VERMILLION: RGBColor = RGBColor(0xD5, 0x5E, 0x00);
const ORANGE: RGBColor = RGBColor(0xE6, 0x9F, 0x00);
const GREEN: RGBColor = RGBColor(0x00, 0x9E, 0x73);
const PURPLE: RGBColor = RGBColor(0xCC, 0x79, 0xA7);

/// Viridis (matplotlib's default colour map) at nine even stops, dark purple to yellow:
/// its lightness rises steadily, so values read in order in greyscale and with every
/// common colour-vision deficiency. A sequential scale for one quantity (the heatmap),
/// where Okabe–Ito's hues tell series apart.
pub const SEQUENTIAL: [RGBColor; 9] = [
    RGBColor(0x44, 0x01, 0x54),
    RGBColor(0x47, 0x2D, 0x7B),
    RGBColor(0x3B, 0x52, 0x8B),
    RGBColor(0x2C, 0x72, 0x8E),
    RGBColor(0x21, 0x90, 0x8C),
    RGBColor(0x27, 0xAD, 0x81),
    RGBColor(0x5D, 0xC8, 0x63),
    RGBColor(0xAA, 0xDC, 0x32),
    RGBColor(0xFD, 0xE7, 0x25),
];

/// The [`SEQUENTIAL`] colour at `t` (0 = the low end, 1 = the high end; cut to 0–1),
/// interpolated between its stops.
pub fn sequential(t: f64) -> RGBColor {
    let t = if t.is_finite() { t.clamp(0.0, 1.0) } else { 0.0 };
    let last = (SEQUENTIAL.len() - 1) as f64;
    let at = t * last;
    let i = (at.floor() as usize).min(SEQUENTIAL.len() - 2);
    let f = at - i as f64;
    let (a, b) = (SEQUENTIAL[i], SEQUENTIAL[i + 1]);
    let mix = |x: u8, y: u8| (f64::from(x) + (f64::from(y) - f64::from(x)) * f).round() as u8;
    RGBColor(mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
}

/// Relative luminance of `c` (sRGB weights, 0–1): whether dark or light text reads on it.
pub fn luminance(c: RGBColor) -> f64 {
    (0.2126 * f64::from(c.0) + 0.7152 * f64::from(c.1) + 0.0722 * f64::from(c.2)) / 255.0
}

impl Theme {
    /// Dark text on white.
    pub fn light(scale: f64) -> Self {
        Self {
            scale: clamp_scale(scale),
            background: RGBColor(0xFF, 0xFF, 0xFF),
            text: RGBColor(0x1F, 0x23, 0x28),
            grid: RGBColor(0xE3, 0xE6, 0xEA),
            idle: SKY,
            active: BLUE,
            leaked: VERMILLION,
            suspected: PURPLE,
            opening: GREEN,
            pending: ORANGE,
            failure: VERMILLION,
            other_failure: PURPLE,
            limit: RGBColor(0x1F, 0x23, 0x28),
            wait_p50: SKY,
            wait_p99: ORANGE,
            wait_max: VERMILLION,
            arrivals: BLUE,
            served: GREEN,
            usable: ORANGE,
            cpu: GREEN,
            stretch: PURPLE,
            marker_action: RGBColor(0x59, 0x60, 0x6B),
            marker_alert: PURPLE,
        }
    }

    /// Light text on a dark background; the same hues, brightened where they were too dark.
    pub fn dark(scale: f64) -> Self {
        Self {
            background: RGBColor(0x16, 0x1B, 0x22),
            text: RGBColor(0xE6, 0xE9, 0xED),
            grid: RGBColor(0x2D, 0x33, 0x3B),
            active: RGBColor(0x3D, 0x9B, 0xE0),
            arrivals: RGBColor(0x3D, 0x9B, 0xE0),
            limit: RGBColor(0xE6, 0xE9, 0xED),
            marker_action: RGBColor(0x9A, 0xA3, 0xAE),
            ..Self::light(scale)
        }
    }

    /// A length in CSS pixels, in device pixels.
    pub fn px(&self, css_px: f64) -> u32 {
        (css_px * self.scale).round().max(1.0) as u32
    }

    /// The charts' font, sans-serif, `css_px` CSS pixels high, in device pixels.
    pub fn font(&self, css_px: f64) -> FontDesc<'static> {
        sans_serif(css_px * self.scale)
    }
}

/// Sans-serif, `size` pixels high: every chart's text.
///
/// Named by [`FontFamily::SansSerif`], not by the string `"sans-serif"`: plotters
/// lower-cases a family given as a string (`str::to_lowercase`), which links Unicode's
/// case tables into every page, 12 KB (gzip) of a page's download.
pub fn sans_serif(size: f64) -> FontDesc<'static> {
    FontDesc::new(FontFamily::SansSerif, size, FontStyle::Normal)
}

fn clamp_scale(scale: f64) -> f64 {
    if scale.is_finite() { scale.clamp(0.5, 4.0) } else { 1.0 }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sequential_scale_gets_lighter_from_end_to_end() {
        assert_eq!(sequential(0.0), SEQUENTIAL[0]);
        assert_eq!(sequential(1.0), SEQUENTIAL[8]);
        assert_eq!(sequential(0.5), SEQUENTIAL[4]);
        assert_eq!(sequential(f64::NAN), SEQUENTIAL[0]);
        let steps: Vec<f64> = (0..=20).map(|i| luminance(sequential(f64::from(i) / 20.0))).collect();
        assert!(steps.windows(2).all(|w| w[0] < w[1]), "{steps:?}");
    }
}
