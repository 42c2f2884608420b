//! What every browser test needs: wait for the next animation frame, wait (frame by
//! frame, never by the clock) until a condition holds, and find or click an element by
//! its `data-testid`. Each test file includes it with `mod support;`.
// Not every test file uses every helper.
#![allow(dead_code)]

use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement};

/// Resolve on the browser's next animation frame.
pub async fn next_frame() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(window) = web_sys::window() {
            let _ = window.request_animation_frame(&resolve);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// Wait, frame by frame (at most ~10 s of frames), until `ready` holds on `root`.
pub async fn until(root: &Element, what: &str, ready: impl Fn(&Element) -> bool) {
    until_frames(root, what, 600, ready).await;
}

/// Wait at most `frames` animation frames until `ready` holds on `root`; panic with what
/// was on screen otherwise.
pub async fn until_frames(root: &Element, what: &str, frames: u32, ready: impl Fn(&Element) -> bool) {
    for _ in 0..frames {
        if ready(root) {
            return;
        }
        next_frame().await;
    }
    panic!("timed out waiting for {what}; the view was: {}", root.inner_html());
}

/// The element with `data-testid="{test_id}"` under `root`.
pub fn find(root: &Element, test_id: &str) -> Option<Element> {
    root.query_selector(&format!("[data-testid='{test_id}']")).ok().flatten()
}

/// Click the element with `data-testid="{test_id}"`; panic if there is none.
pub fn click(root: &Element, test_id: &str) {
    find(root, test_id)
        .and_then(|e| e.dyn_into::<HtmlElement>().ok())
        .unwrap_or_else(|| panic!("no {test_id} to click"))
        .click();
}
