//! Share links: a whole scenario (timeline and seed included) and the view options in
//! a URL fragment, so that anyone who opens the link sees exactly the same run.
//!
//! Format: `v1.` + base64url (no padding) of the raw-deflated JSON of a [`SharedState`]:
//!
//! ```text
//! http://127.0.0.1:8080/#v1.q1YqzkgtSk1RslIqS8wpTVWqBQA
//!                        └┬┘└────────── base64url(deflate({"scenario": …, "view": …}))
//!                      version
//! ```
//!
//! Links outlive releases, so reading is forgiving where it can be and strict where it
//! must be: the view options take `serde(default)` and ignore what they do not know (a
//! wrong or absurd view value is dropped, never fatal), while the scenario goes through
//! [`Scenario`]'s own parsing and validation, so a link can never smuggle in a run the
//! scenario file format would refuse. A link is often pasted from a stranger, so
//! [`decode`] caps every stage — the text ([`MAX_LINK_CHARS`]), the unpacked JSON
//! ([`MAX_JSON_BYTES`], which stops a deflate bomb at the cap) and its nesting
//! ([`MAX_JSON_DEPTH`]) — and does linear work in its input before any cap is reached.
//!
//! ```
//! use poolsim_engine::Scenario;
//! use poolsim_content::link::{self, SharedState};
//! let state = SharedState::from(Scenario::default());
//! let fragment = link::encode(&state);
//! assert!(fragment.starts_with("v1."));
//! assert_eq!(link::decode(&format!("#{fragment}")), Ok(state));
//! assert!(link::decode("#v1.@@@").is_err());
//! ```

use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD_INDIFFERENT;
use serde::de::{self, IgnoredAny, MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::value::RawValue;

use poolsim_engine::ScenarioError;
use poolsim_engine::scenario::Scenario;

/// The link format written by this version of poolsim.
pub const VERSION: u32 = 1;
/// Longest link fragment [bytes] that [`decode`] reads (32 KiB); longer text is refused unread.
pub const MAX_LINK_CHARS: usize = 32 * 1024;
/// Largest unpacked JSON [bytes] that [`decode`] accepts (256 KiB); inflating stops at this cap.
pub const MAX_JSON_BYTES: usize = 256 * 1024;
/// Deepest nesting of JSON arrays and objects [`decode`] accepts. A shared state needs 5.
pub const MAX_JSON_DEPTH: usize = 32;
/// Longest `view.speed` kept [characters]; a longer one is dropped.
pub const MAX_SPEED_CHARS: usize = 16;
/// Longest `view.preset` kept [characters]; a longer one is dropped.
pub const MAX_PRESET_CHARS: usize = 64;
/// Fastest `view.speed` kept [simulated seconds per real second].
pub const MAX_SPEED_TIMES: u32 = 1_000_000;

/// deflate level: 9 packs best among the standard levels, and encoding happens once per edit.
const DEFLATE_LEVEL: u8 = 9;
/// The version tag is `v` + at most this many digits.
const MAX_VERSION_DIGITS: usize = 6;

/// Everything a link carries: the run and how to show it. Read it with [`decode`].
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SharedState {
    /// The complete scenario, timeline and seed included.
    pub scenario: Scenario,
    /// How the page opens it (start time, speed, embed mode …).
    pub view: ViewOptions,
}

/// A link's JSON before the scenario is parsed: unknown top-level fields are ignored.
#[derive(Deserialize)]
struct RawState<'a> {
    #[serde(borrow)]
    scenario: &'a RawValue,
    #[serde(default)]
    view: LenientView,
}

impl From<Scenario> for SharedState {
    /// A link to `scenario` with the default view.
    fn from(scenario: Scenario) -> Self {
        Self { scenario, view: ViewOptions::default() }
    }
}

/// How the page shows a shared scenario. Every field is optional, so older links keep
/// working and newer fields are ignored by older pages.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ViewOptions {
    /// Where playback starts [s from the scenario start]; `None` = at the start.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub at_s: Option<f64>,
    /// Playback speed: `"60x"` (simulated seconds per real second) or `"max"`; `None` = the page's default.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub speed: Option<String>,
    /// Start playing as soon as the page opens.
    #[serde(skip_serializing_if = "is_false")]
    pub autoplay: bool,
    /// Compact embed layout for an iframe (pool view, main chart, play/pause, outcome).
    #[serde(skip_serializing_if = "is_false")]
    pub embed: bool,
    /// In embed mode, hide the playback controls too.
    #[serde(skip_serializing_if = "is_false")]
    pub hide_controls: bool,
    /// The preset the scenario came from, if unchanged (kebab-case name, `june-15-2024`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub preset: Option<String>,
}

fn is_false(b: &bool) -> bool {
    !*b
}

impl ViewOptions {
    /// The options with every unusable value dropped: a start time that is not a time
    /// (`NaN`, negative) is dropped and one past the end is clamped to `duration_s`; a speed
    /// other than `"max"` or `"<1..=1000000>x"`, and a preset name that is not short
    /// kebab-case, are dropped.
    pub fn sanitized(mut self, duration_s: u64) -> Self {
        // Exact for every accepted duration (≤ 7 days ≪ 2^53).
        let end_s = duration_s as f64;
        self.at_s = self.at_s.filter(|t| t.is_finite() && *t >= 0.0).map(|t| t.min(end_s));
        self.speed = self.speed.filter(|s| valid_speed(s));
        self.preset = self.preset.filter(|p| {
            !p.is_empty()
                && p.len() <= MAX_PRESET_CHARS
                && p.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        });
        self
    }
}

/// `"max"`, or a whole number of simulated seconds per real second followed by `x`.
fn valid_speed(s: &str) -> bool {
    if s == "max" {
        return true;
    }
    if s.len() > MAX_SPEED_CHARS {
        return false;
    }
    let Some(digits) = s.strip_suffix('x') else { return false };
    !digits.is_empty()
        && digits.bytes().all(|b| b.is_ascii_digit())
        && digits.parse::<u32>().is_ok_and(|n| (1..=MAX_SPEED_TIMES).contains(&n))
}

/// `view` read field by field: a value of the wrong type is dropped instead of failing
/// (the view is a convenience, the scenario is what the link is for), unknown fields are
/// skipped, and anything but an object is an empty view.
#[derive(Default)]
struct LenientView(ViewOptions);

/// Any JSON value, kept only if it is a scalar.
enum Scalar {
    Number(f64),
    Text(String),
    Bool(bool),
    Other,
}

impl<'de> Deserialize<'de> for Scalar {
    /// Read any value as its raw text; numbers go through Rust's correctly rounded parser
    /// (as the scenario's do, see `poolsim_engine::scenario::exact`), so a start time reads back exactly.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw: Box<RawValue> = Deserialize::deserialize(deserializer)?;
        let text = raw.get().trim();
        Ok(match text.as_bytes().first() {
            Some(b'-' | b'0'..=b'9') => {
                poolsim_engine::scenario::exact::parse_f64(text).map_or(Scalar::Other, Scalar::Number)
            }
            Some(b'"') => serde_json::from_str(text).map_or(Scalar::Other, Scalar::Text),
            Some(b't') => Scalar::Bool(true),
            Some(b'f') => Scalar::Bool(false),
            _ => Scalar::Other,
        })
    }
}

impl<'de> Deserialize<'de> for LenientView {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(LenientViewVisitor)
    }
}

struct LenientViewVisitor;

impl<'de> Visitor<'de> for LenientViewVisitor {
    type Value = LenientView;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("view options")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<LenientView, A::Error> {
        let mut view = ViewOptions::default();
        while let Some(key) = map.next_key::<String>()? {
            let value: Scalar = map.next_value()?;
            match (key.as_str(), value) {
                ("at_s", Scalar::Number(t)) => view.at_s = Some(t),
                ("speed", Scalar::Text(s)) => view.speed = Some(s),
                ("autoplay", Scalar::Bool(b)) => view.autoplay = b,
                ("embed", Scalar::Bool(b)) => view.embed = b,
                ("hide_controls", Scalar::Bool(b)) => view.hide_controls = b,
                ("preset", Scalar::Text(p)) => view.preset = Some(p),
                _ => {}
            }
        }
        Ok(LenientView(view))
    }

    // Anything but an object: no view options.
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<LenientView, E> {
        Ok(LenientView::default())
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<LenientView, E> {
        Ok(LenientView::default())
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<LenientView, E> {
        Ok(LenientView::default())
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<LenientView, E> {
        Ok(LenientView::default())
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<LenientView, E> {
        Ok(LenientView::default())
    }
    fn visit_unit<E: de::Error>(self) -> Result<LenientView, E> {
        Ok(LenientView::default())
    }
    fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<LenientView, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(LenientView::default())
    }
}

/// Why a link cannot be opened. [`Display`](fmt::Display) words it for the person who
/// pasted the link.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LinkError {
    /// Nothing after the `#`.
    Empty,
    /// Longer than [`MAX_LINK_CHARS`]: `bytes` after the `#`.
    TooLong { bytes: usize },
    /// Does not start with a version tag such as `v1.`.
    NotPoolsim,
    /// A version tag this poolsim does not read (`v9` from a newer one).
    UnsupportedVersion { version: String },
    /// The payload is not base64url.
    BadBase64,
    /// The payload is not raw-deflate data (cut short, or altered).
    BadCompression,
    /// The payload unpacks to more than [`MAX_JSON_BYTES`].
    TooBig,
    /// The unpacked data is not UTF-8 text.
    NotText,
    /// JSON nested deeper than [`MAX_JSON_DEPTH`].
    TooDeep,
    /// The unpacked text is not JSON, or not a shared state (the parser's reason).
    BadJson { reason: String },
    /// The scenario inside is refused: the field path is the scenario's own (`pool.max_size`).
    Scenario(ScenarioError),
}

impl fmt::Display for LinkError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Empty => f.write_str("this link holds no scenario: there is nothing after the `#`"),
            Self::TooLong { bytes } => write!(
                f,
                "this link is too long to be a poolsim link ({bytes} characters after the `#`, at most {MAX_LINK_CHARS})"
            ),
            Self::NotPoolsim => f.write_str(
                "this is not a poolsim link: the part after the `#` should start with `v1.` \
                 (it may have been cut short when copied)",
            ),
            Self::UnsupportedVersion { version } => match version.strip_prefix('v').map(str::parse::<u64>) {
                Some(Ok(n)) if n > u64::from(VERSION) => write!(
                    f,
                    "this link was made by a newer poolsim ({version}); this one reads v{VERSION} links"
                ),
                _ => write!(f, "this link has a format version this poolsim does not know ({version})"),
            },
            Self::BadBase64 => f.write_str(
                "this link is damaged (not valid base64): it may have been cut short or changed when copied",
            ),
            Self::BadCompression => f.write_str(
                "this link is damaged (its compressed data is corrupt): it may have been cut short when copied",
            ),
            Self::TooBig => write!(
                f,
                "this link's scenario is too large: it unpacks to more than {} KiB",
                MAX_JSON_BYTES / 1024
            ),
            Self::NotText => f.write_str("this link is damaged (its data is not text)"),
            Self::TooDeep => write!(
                f,
                "this link's data is nested too deeply (more than {MAX_JSON_DEPTH} levels) to be a scenario"
            ),
            Self::BadJson { reason } => write!(f, "this link is damaged (its data is not a poolsim scenario: {reason})"),
            Self::Scenario(e) => write!(f, "this link's scenario is not valid: {e}"),
        }
    }
}

impl std::error::Error for LinkError {}

impl From<ScenarioError> for LinkError {
    fn from(e: ScenarioError) -> Self {
        Self::Scenario(e)
    }
}

/// The link fragment for `state` (without the `#`): `v1.` + base64url(deflate(JSON)).
///
/// Deterministic: the same state gives the same text on every platform. A scenario near
/// the validation limits (1,000 long notes) can exceed what [`decode`] reads back; use
/// [`try_encode`] to find out before sharing.
pub fn encode(state: &SharedState) -> String {
    wrap(&miniz_oxide::deflate::compress_to_vec(&to_json(state), DEFLATE_LEVEL))
}

/// The JSON a link packs for `state`: the first step of [`encode`], for a page that
/// deflates with the browser's own `CompressionStream` (`deflate-raw`) instead.
#[inline]
pub fn to_json(state: &SharedState) -> Vec<u8> {
    // Serialising plain data with string keys cannot fail; an empty payload would be
    // refused by `decode` with a clear message rather than open a wrong scenario.
    serde_json::to_vec(state).unwrap_or_default()
}

/// The link fragment for `packed`, the raw-deflated JSON: `v1.` + base64url. The last
/// step of [`encode`].
#[inline]
pub fn wrap(packed: &[u8]) -> String {
    format!("v{VERSION}.{}", URL_SAFE_NO_PAD_INDIFFERENT.encode(packed))
}

/// Like [`encode`], but refuses a state whose link [`decode`] would refuse as too long
/// ([`LinkError::TooLong`]) or too large once unpacked ([`LinkError::TooBig`]).
pub fn try_encode(state: &SharedState) -> Result<String, LinkError> {
    let json_bytes = serde_json::to_vec(state).map_or(0, |json| json.len());
    if json_bytes > MAX_JSON_BYTES {
        return Err(LinkError::TooBig);
    }
    let fragment = encode(state);
    if fragment.len() > MAX_LINK_CHARS {
        return Err(LinkError::TooLong { bytes: fragment.len() });
    }
    Ok(fragment)
}

/// A full share URL: `base` (any fragment it had removed) + `#` + the fragment.
pub fn share_url(base: &str, state: &SharedState) -> String {
    let base = base.split('#').next().unwrap_or(base);
    format!("{base}#{}", encode(state))
}

/// Read a link: the fragment with or without its leading `#`, or a whole URL (everything
/// up to the first `#` is ignored). ASCII whitespace anywhere is ignored, so a link that
/// an e-mail client wrapped still opens.
///
/// Every failure is a [`LinkError`] saying what is wrong; nothing panics, and the work is
/// linear in the input up to the caps.
pub fn decode(link: &str) -> Result<SharedState, LinkError> {
    let packed = unwrap(link)?;
    let json = miniz_oxide::inflate::decompress_to_vec_with_limit(&packed, MAX_JSON_BYTES).map_err(|e| {
        match e.status {
            miniz_oxide::inflate::TINFLStatus::HasMoreOutput => LinkError::TooBig,
            _ => LinkError::BadCompression,
        }
    })?;
    from_unpacked(&json, Scenario::from_json)
}

/// The raw-deflated payload of a link (fragment, `#fragment` or whole URL, whitespace
/// ignored): the first step of [`decode`], with its caps on the text, its version check
/// and base64url decoding. For a page that inflates with the browser's own
/// `DecompressionStream`; it must stop at [`MAX_JSON_BYTES`] ([`LinkError::TooBig`]).
#[inline]
pub fn unwrap(link: &str) -> Result<Vec<u8>, LinkError> {
    let fragment = link.split_once('#').map_or(link, |(_, after)| after);
    if fragment.len() > MAX_LINK_CHARS {
        return Err(LinkError::TooLong { bytes: fragment.len() });
    }
    let fragment: String = fragment.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    if fragment.is_empty() {
        return Err(LinkError::Empty);
    }
    let payload = strip_version(&fragment)?;
    URL_SAFE_NO_PAD_INDIFFERENT.decode(payload).map_err(|_| LinkError::BadBase64)
}

/// The shared state in a link's unpacked JSON: the last step of [`decode`]. The scenario
/// is read by `parse` — [`Scenario::from_json`], whose errors name the field path.
#[inline]
pub fn from_unpacked(
    json: &[u8],
    parse: fn(&str) -> Result<Scenario, ScenarioError>,
) -> Result<SharedState, LinkError> {
    if json.len() > MAX_JSON_BYTES {
        return Err(LinkError::TooBig);
    }
    let text = std::str::from_utf8(json).map_err(|_| LinkError::NotText)?;
    from_json(text, parse)
}

/// The payload after a supported version tag.
fn strip_version(fragment: &str) -> Result<&str, LinkError> {
    let Some((tag, payload)) = fragment.split_once('.') else { return Err(LinkError::NotPoolsim) };
    let Some(digits) = tag.strip_prefix('v') else { return Err(LinkError::NotPoolsim) };
    if digits.is_empty() || digits.len() > MAX_VERSION_DIGITS || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(LinkError::NotPoolsim);
    }
    if digits.parse::<u32>() != Ok(VERSION) {
        return Err(LinkError::UnsupportedVersion { version: tag.to_owned() });
    }
    Ok(payload)
}

/// Parse the unpacked JSON: depth first (cheap, and a clearer message than the parser's
/// recursion limit), then the envelope, then the scenario with the file import's own
/// parser and validation, so its errors carry the same field paths (`pool.max_size`).
#[inline]
fn from_json(
    text: &str,
    parse: fn(&str) -> Result<Scenario, ScenarioError>,
) -> Result<SharedState, LinkError> {
    if json_depth_exceeds(text.as_bytes(), MAX_JSON_DEPTH) {
        return Err(LinkError::TooDeep);
    }
    let raw: RawState<'_> =
        serde_json::from_str(text).map_err(|e| LinkError::BadJson { reason: e.to_string() })?;
    let scenario = parse(raw.scenario.get())?;
    let view = raw.view.0.sanitized(scenario.duration_s);
    Ok(SharedState { scenario, view })
}

/// Whether arrays and objects in `json` nest deeper than `max` (brackets inside strings
/// do not count). One pass, no allocation.
fn json_depth_exceeds(json: &[u8], max: usize) -> bool {
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    for &b in json {
        if in_string {
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                if depth > max {
                    return true;
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn depth_counts_brackets_outside_strings_only() {
        assert!(!json_depth_exceeds(br#"{"a": [[1]], "b": "[[[[[[[[["}"#, 3));
        assert!(json_depth_exceeds(br#"{"a": [[[1]]]}"#, 3));
        assert!(!json_depth_exceeds(br#"{"a": "\"[[[[", "b": [[1]]}"#, 3));
    }

    #[test]
    fn speeds_are_max_or_a_whole_multiple() {
        for ok in ["max", "1x", "60x", "1000000x"] {
            assert!(valid_speed(ok), "{ok}");
        }
        for bad in ["", "x", "0x", "60", "-5x", "1.5x", "1000001x", "99999999999999999999x", "MAX", " 60x"] {
            assert!(!valid_speed(bad), "{bad}");
        }
    }
}
