//! Links packed and unpacked with the browser's own deflate (`CompressionStream` and
//! `DecompressionStream`, format `deflate-raw`), so that the pages carry no compression
//! code of their own. The format is the engine's ([`poolsim_content::link`]): `v1.` +
//! base64url of the raw-deflated JSON, so a link made here opens in `poolsim run --link`
//! and the other way round. Unpacking stops reading at [`MAX_JSON_BYTES`]: a deflate bomb
//! costs the page no more than that.

use js_sys::{Reflect, Uint8Array};
use poolsim_content::link::{self, LinkError, MAX_JSON_BYTES, SharedState};
use poolsim_engine::{Scenario, ScenarioError};
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{ReadableStream, ReadableStreamDefaultReader, WritableStream};

use super::url::js_text;

// The Compression Streams API (every current browser). web-sys has it only behind
// `--cfg=web_sys_unstable_apis`; these few bindings are all the page needs.
#[wasm_bindgen]
extern "C" {
    type CompressionStream;
    #[wasm_bindgen(constructor, catch)]
    fn new(format: &str) -> Result<CompressionStream, JsValue>;
    #[wasm_bindgen(method, getter)]
    fn readable(this: &CompressionStream) -> ReadableStream;
    #[wasm_bindgen(method, getter)]
    fn writable(this: &CompressionStream) -> WritableStream;

    type DecompressionStream;
    #[wasm_bindgen(constructor, catch)]
    fn new(format: &str) -> Result<DecompressionStream, JsValue>;
    #[wasm_bindgen(method, getter)]
    fn readable(this: &DecompressionStream) -> ReadableStream;
    #[wasm_bindgen(method, getter)]
    fn writable(this: &DecompressionStream) -> WritableStream;
}

/// Raw deflate (RFC 1951), as the engine's links hold it.
const FORMAT: &str = "deflate-raw";

/// The link fragment (`v1.…`, without `#`) for `state`. `Err` when the browser cannot
/// deflate or the link would be longer than any page reads back.
pub async fn pack(state: &SharedState) -> Result<String, String> {
    let json = link::to_json(state);
    if json.len() > MAX_JSON_BYTES {
        return Err(LinkError::TooBig.to_string());
    }
    let stream = CompressionStream::new(FORMAT).map_err(js_text)?;
    let packed =
        transform(&json, &stream.writable(), &stream.readable(), usize::MAX).await.map_err(js_text)?;
    let fragment = link::wrap(&packed.unwrap_or_default());
    if fragment.len() > link::MAX_LINK_CHARS {
        return Err(LinkError::TooLong { bytes: fragment.len() }.to_string());
    }
    Ok(fragment)
}

/// The shared state in `link` (a fragment, `#fragment` or a whole URL), its scenario read
/// by `parse` (see [`link::from_unpacked`]). Every failure is a [`LinkError`].
pub async fn unpack(
    link: &str,
    parse: fn(&str) -> Result<Scenario, ScenarioError>,
) -> Result<SharedState, LinkError> {
    let packed = link::unwrap(link)?;
    let stream = DecompressionStream::new(FORMAT).map_err(|_| LinkError::BadCompression)?;
    let json = transform(&packed, &stream.writable(), &stream.readable(), MAX_JSON_BYTES)
        .await
        .map_err(|_| LinkError::BadCompression)?
        .ok_or(LinkError::TooBig)?;
    link::from_unpacked(&json, parse)
}

/// Feed `input` through a transform stream (its `writable` and `readable` sides) and
/// collect the output: `Ok(None)` once it grows past `cap` bytes (reading stops there),
/// `Err` when the stream fails (damaged input).
async fn transform(
    input: &[u8],
    writable: &WritableStream,
    readable: &ReadableStream,
    cap: usize,
) -> Result<Option<Vec<u8>>, JsValue> {
    let writer = writable.get_writer()?;
    // Not awaited: the output is read while the input goes in. Their promises fail along
    // with the stream on damaged input; handle them so no rejection goes unheard.
    settle(writer.write_with_chunk(&Uint8Array::from(input)));
    settle(writer.close());
    let reader: ReadableStreamDefaultReader = readable.get_reader().unchecked_into();
    let mut out = Vec::new();
    loop {
        let chunk = JsFuture::from(reader.read()).await?;
        if Reflect::get(&chunk, &JsValue::from_str("done"))?.is_truthy() {
            return Ok(Some(out));
        }
        let bytes: Uint8Array = Reflect::get(&chunk, &JsValue::from_str("value"))?.dyn_into()?;
        if out.len() + bytes.length() as usize > cap {
            settle(reader.cancel());
            return Ok(None);
        }
        let start = out.len();
        out.resize(start + bytes.length() as usize, 0);
        bytes.copy_to(&mut out[start..]);
    }
}

/// Let a promise run to its end, whatever it ends with.
fn settle(promise: js_sys::Promise) {
    wasm_bindgen_futures::spawn_local(async move {
        let _ = JsFuture::from(promise).await;
    });
}
