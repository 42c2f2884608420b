//! Canvas helpers: size a canvas for sharp drawing on HiDPI screens.
//!
//! plotters-canvas draws in the canvas's own pixels and knows nothing of
//! `devicePixelRatio`, so the canvas gets CSS size × ratio pixels and the charts scale
//! their lines and text by the same ratio (see `poolsim_charts::Theme::scale`).

use plotters_canvas::CanvasBackend;
use poolsim_charts::Theme;
use web_sys::HtmlCanvasElement;

/// Device pixels per CSS pixel, clamped to a sane range (1 where unknown).
pub fn device_pixel_ratio() -> f64 {
    let ratio = web_sys::window().map_or(1.0, |w| w.device_pixel_ratio());
    if ratio.is_finite() && ratio > 0.0 { ratio.clamp(1.0, 4.0) } else { 1.0 }
}

/// Give `canvas` a backing store of its CSS size × `ratio` pixels; returns that size,
/// or `None` while the canvas is not laid out (zero size).
pub fn fit_to_css_size(canvas: &HtmlCanvasElement, ratio: f64) -> Option<(u32, u32)> {
    let css_w = f64::from(canvas.client_width());
    let css_h = f64::from(canvas.client_height());
    if css_w <= 0.0 || css_h <= 0.0 {
        return None;
    }
    let (w, h) = ((css_w * ratio).round() as u32, (css_h * ratio).round() as u32);
    if canvas.width() != w {
        canvas.set_width(w);
    }
    if canvas.height() != h {
        canvas.set_height(h);
    }
    Some((w, h))
}

/// `canvas` ready for a drawing redone from scratch: sized as above, with the theme (light or
/// `dark`) scaled to the screen's pixels; `None` while the canvas is not laid out.
pub fn drawing_on(canvas: &HtmlCanvasElement, dark: bool) -> Result<Option<(CanvasBackend, Theme)>, String> {
    let ratio = device_pixel_ratio();
    if fit_to_css_size(canvas, ratio).is_none() {
        return Ok(None);
    }
    let theme = if dark { Theme::dark(ratio) } else { Theme::light(ratio) };
    let backend = CanvasBackend::with_canvas_object(canvas.clone()).ok_or("no 2D context")?;
    Ok(Some((backend, theme)))
}
