//! Files in and out of the page: a download from text or a blob (an object URL on a
//! temporary `<a download>`, revoked afterwards), a PNG rasterised from SVG text, and
//! the text of a file the user picked or dropped.
//!
//! Nothing leaves the browser: downloads are made from memory, no network involved.

use std::cell::RefCell;
use std::rc::Rc;

use gloo::timers::callback::Timeout;
use js_sys::{Array, Promise};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    Blob, BlobPropertyBag, CanvasRenderingContext2d, File, HtmlAnchorElement, HtmlCanvasElement, Url,
};

use super::url::js_text;

/// How long an object URL stays valid after its download started [ms]. Revoking at once
/// can cancel the download in some browsers (FileSaver.js waits 40 s too).
const REVOKE_AFTER_MS: u32 = 40_000;
/// Largest file read for import [bytes]: far more than any scenario needs.
pub const MAX_READ_BYTES: f64 = 1024.0 * 1024.0;

/// A blob of `text` with the media type `mime`.
pub fn text_blob(text: &str, mime: &str) -> Result<Blob, String> {
    let bag = BlobPropertyBag::new();
    bag.set_type(mime);
    Blob::new_with_str_sequence_and_options(&Array::of1(&JsValue::from_str(text)), &bag).map_err(js_text)
}

/// Offer `text` as a file called `file_name`.
pub fn download_text(file_name: &str, mime: &str, text: &str) -> Result<(), String> {
    download_blob(file_name, &text_blob(text, mime)?)
}

/// Offer `blob` as a file called `file_name`.
pub fn download_blob(file_name: &str, blob: &Blob) -> Result<(), String> {
    let window = web_sys::window().ok_or("no browser window")?;
    let document = window.document().ok_or("no document")?;
    let body = document.body().ok_or("no page body")?;
    let url = Url::create_object_url_with_blob(blob).map_err(js_text)?;
    let anchor: HtmlAnchorElement =
        document.create_element("a").map_err(js_text)?.dyn_into().map_err(|_| "no link element")?;
    anchor.set_href(&url);
    anchor.set_download(file_name);
    anchor.set_hidden(true);
    // Some browsers only follow a link that is in the document.
    let clicked = body.append_child(&anchor).map(|_| anchor.click()).map_err(js_text);
    anchor.remove();
    // The timer must outlive this function (the download goes on after it returns), and a
    // `Timeout` dropped is a timeout cancelled. Rather than leak it (`Timeout::forget` leaks
    // its closure for good), it holds itself in `slot` until it fires, then lets go: dropping
    // a closure while it runs is safe (wasm-bindgen frees it once the call returns).
    let slot = Rc::new(RefCell::new(None::<Timeout>));
    let timeout = Timeout::new(REVOKE_AFTER_MS, {
        let slot = Rc::clone(&slot);
        move || {
            let _ = Url::revoke_object_url(&url);
            drop(slot.borrow_mut().take());
        }
    });
    *slot.borrow_mut() = Some(timeout);
    clicked
}

/// The PNG of a canvas (`canvas.toBlob`).
pub async fn canvas_png(canvas: &HtmlCanvasElement) -> Result<Blob, String> {
    let promise = Promise::new(&mut |resolve, reject| {
        if let Err(e) = canvas.to_blob(&resolve) {
            let _ = reject.call1(&JsValue::UNDEFINED, &e);
        }
    });
    let blob = JsFuture::from(promise).await.map_err(js_text)?;
    // `toBlob` gives null when the canvas is too large to encode.
    blob.dyn_into::<Blob>().map_err(|_| "the browser could not encode an image this large".to_owned())
}

/// Rasterise SVG text of `width` × `height` px into a PNG `scale` times as large (2 for
/// sharp print and HiDPI screens): the browser draws the SVG image on an offscreen canvas.
pub async fn svg_to_png(svg: &str, (width, height): (u32, u32), scale: f64) -> Result<Blob, String> {
    let document = web_sys::window().and_then(|w| w.document()).ok_or("no document")?;
    let url = Url::create_object_url_with_blob(&text_blob(svg, "image/svg+xml")?).map_err(js_text)?;
    let image = web_sys::HtmlImageElement::new().map_err(js_text)?;
    image.set_src(&url);
    let decoded = JsFuture::from(image.decode()).await;
    let _ = Url::revoke_object_url(&url);
    decoded.map_err(|e| format!("the charts could not be drawn as an image: {}", js_text(e)))?;

    let canvas: HtmlCanvasElement =
        document.create_element("canvas").map_err(js_text)?.dyn_into().map_err(|_| "no canvas element")?;
    let (w, h) = ((f64::from(width) * scale).round(), (f64::from(height) * scale).round());
    canvas.set_width(w as u32);
    canvas.set_height(h as u32);
    let context: CanvasRenderingContext2d = canvas
        .get_context("2d")
        .map_err(js_text)?
        .and_then(|c| c.dyn_into().ok())
        .ok_or("no 2D canvas in this browser")?;
    context.draw_image_with_html_image_element_and_dw_and_dh(&image, 0.0, 0.0, w, h).map_err(js_text)?;
    canvas_png(&canvas).await
}

/// The text of a file the user chose; refused above [`MAX_READ_BYTES`].
pub async fn read_file_text(file: &File) -> Result<String, String> {
    if file.size() > MAX_READ_BYTES {
        return Err(format!(
            "“{}” is {:.1} MB: too large to be a poolsim scenario (at most 1 MB)",
            file.name(),
            file.size() / 1_048_576.0
        ));
    }
    let text = JsFuture::from(file.text()).await.map_err(js_text)?;
    text.as_string().ok_or_else(|| format!("“{}” could not be read as text", file.name()))
}
