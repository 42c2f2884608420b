//! What every browser test needs: wait for the next animation frame, wait (frame by
//! frame, never by the clock) until a condition holds, find or click an element by its
//! `data-testid`, and record what a component reports. Each test file includes it with
//! `mod support;`.
// Not every test file uses every helper.
#![allow(dead_code)]

use std::cell::{Ref, RefCell};
use std::rc::Rc;

use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement};

/// Everything a component under test reported through a callback, in order. A harness's
/// properties hold it and compare equal only to the same record, so they can derive
/// `PartialEq`.
pub struct Reported<T>(Rc<RefCell<Vec<T>>>);

impl<T> Reported<T> {
    /// Record one report.
    pub fn push(&self, report: T) {
        self.0.borrow_mut().push(report);
    }

    /// The reports so far.
    pub fn borrow(&self) -> Ref<'_, Vec<T>> {
        self.0.borrow()
    }
}

impl<T> Clone for Reported<T> {
    fn clone(&self) -> Self {
        Self(Rc::clone(&self.0))
    }
}

impl<T> Default for Reported<T> {
    fn default() -> Self {
        Self(Rc::default())
    }
}

impl<T> PartialEq for Reported<T> {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

/// A new element to mount a component in, attached to the page: `width_px` wide (the
/// whole page's width when `None`), under the page's stylesheets `css` (added once, as
/// `<style id="{styles_id}">`).
pub fn root(styles_id: &str, css: &[&str], width_px: Option<u32>) -> Element {
    let document = web_sys::window().and_then(|w| w.document()).expect("a document");
    if document.get_element_by_id(styles_id).is_none() {
        let style = document.create_element("style").expect("a style element");
        style.set_id(styles_id);
        style.set_text_content(Some(&css.concat()));
        document.head().expect("a head").append_child(&style).expect("styled");
    }
    let root = document.create_element("div").expect("a div");
    if let Some(width) = width_px {
        root.set_attribute("style", &format!("width: {width}px")).expect("sized");
    }
    document.body().expect("a body").append_child(&root).expect("mounted");
    root
}

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
