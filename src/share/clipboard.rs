//! Copy text to the clipboard. The Clipboard API exists only in secure contexts (https,
//! localhost) and may be refused (no user gesture, a policy): the caller then falls back
//! to selecting the text for the user to copy.

use wasm_bindgen::JsCast;
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;

use super::url::js_text;

/// Write `text` to the clipboard, or say why it cannot be done.
pub async fn copy_text(text: &str) -> Result<(), String> {
    let navigator = web_sys::window().ok_or("no browser window")?.navigator();
    // `navigator.clipboard` is undefined outside secure contexts: look before calling.
    let clipboard = js_sys::Reflect::get(&navigator, &JsValue::from_str("clipboard"))
        .ok()
        .filter(|c| c.is_object())
        .ok_or("the clipboard is not available on this page")?;
    let clipboard: web_sys::Clipboard = clipboard.unchecked_into();
    JsFuture::from(clipboard.write_text(text)).await.map(drop).map_err(js_text)
}
