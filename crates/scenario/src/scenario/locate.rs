//! Which field a reading error is about: the path (`events[3].at_s`) of the place in the
//! text where serde_json stopped.
//!
//! serde_json says where it stopped (line and column) but not in which field. Walking
//! the text up to that place with a stack of the objects' keys and the arrays' indices
//! names it. This is hand-written for the page's size: `serde_path_to_error`, which
//! names the same paths by wrapping every deserializer serde derives, made the
//! visualizer's wasm 4.6 KB (gzip) heavier, more with every new field. Its paths stay the
//! reference: `tests/error_paths.rs` reads every field of every preset broken in many
//! ways (wrong types, unknown and missing fields, cut-off text) with both and requires
//! the same path and reason. Every function is `#[inline]` for the same reason as
//! `Scenario::from_json`: compiled in the calling crate, for size in the pages.
//!
//! serde_json stops after the value (or key) it refused, so the innermost key read so
//! far is the field at fault. Two kinds of error are about an object as a whole and are
//! named by the object's path: serde's missing and duplicate fields, and the flat
//! action reader's checks once it has seen every field (`read`), all raised at the
//! object's end or before its colon.

use serde_json::error::Category;

/// Where the walk is inside an object.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Phase {
    /// Before a key (after `{` or `,`).
    Key,
    /// After a key, before its colon.
    Colon,
    /// After the colon: reading, or done reading, the value.
    Value,
}

/// What a value is, as far as the walk needs to know.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Scalar,
    Object,
    Array,
}

/// An open object or array, with the key or index it is at and what its latest member is.
struct Frame {
    kind: Kind,
    /// The object's key being read or last read.
    key: Option<String>,
    phase: Phase,
    /// The array's element being read or last read.
    index: usize,
    started: bool,
    last: Kind,
}

impl Frame {
    fn new(kind: Kind) -> Self {
        Self { kind, key: None, phase: Phase::Key, index: 0, started: false, last: Kind::Scalar }
    }
}

/// The path of the field `error` is about in `text` (empty for the whole document).
#[inline]
pub(super) fn error_path(text: &str, error: &serde_json::Error) -> String {
    if error.line() == 0 {
        return String::new();
    }
    let mut end = offset(text, error.line(), error.column());
    let syntax = error.classify() == Category::Syntax;
    if syntax {
        // A syntax error is placed after the character that broke the syntax, unread.
        end = end.saturating_sub(1);
    }
    let (mut stack, closed) = walk(text, end);
    if let Some(frame) = stack.last_mut()
        && syntax
        && frame.kind == Kind::Array
        && !matches!(text.as_bytes().get(end), Some(b']' | b' ' | b'\t' | b'\n' | b'\r'))
    {
        // Anything but the array's end is read as its next element.
        frame.started = true;
    }
    let message = error.to_string();
    let mut whole = true;
    if let Some(closed) = closed
        && error.classify() == Category::Data
    {
        // Checks of a whole object run at its end, after its closing brace: the path is
        // the object's own. Other errors there are about its last member, if the reader
        // closed it after refusing that member.
        if about_the_object(&message, closed.phase) {
            whole = false;
        } else if closed_by_reader(&closed, &message, text[end..].trim_start().starts_with(',')) {
            stack.push(closed);
        }
    }
    if let Some(frame) = stack.last_mut()
        && whole
        && (about_the_object(&message, frame.phase) || between_members(&message, frame.phase))
    {
        frame.key = None;
        frame.started = false;
    }
    let mut path = String::new();
    for frame in &stack {
        match (frame.kind, &frame.key) {
            (Kind::Object, Some(key)) => {
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(key);
            }
            (Kind::Array, _) if frame.started => {
                path.push('[');
                path.push_str(&frame.index.to_string());
                path.push(']');
            }
            _ => {}
        }
    }
    path
}

/// Errors about an object as a whole rather than the field last read: a field that is
/// missing (at the object's end), the flat reader's "field `x` does not belong" once it
/// has every field, and whatever is wrong between a key and its colon (a field given
/// twice, a missing colon) except the key itself (an unknown field).
#[inline]
fn about_the_object(message: &str, phase: Phase) -> bool {
    match phase {
        Phase::Colon => !message.starts_with("unknown field"),
        _ => message.starts_with("missing field") || message.starts_with("field `"),
    }
}

/// Errors in the text between two members (a missing comma, the end of the text): about
/// the object or array, not the member before.
#[inline]
fn between_members(message: &str, phase: Phase) -> bool {
    const BETWEEN: [&str; 5] = [
        "EOF while parsing an object",
        "EOF while parsing a list",
        "expected `,` or `}`",
        "expected `,` or `]`",
        "trailing comma",
    ];
    phase != Phase::Colon && BETWEEN.iter().any(|start| message.starts_with(start))
}

/// When the text up to the error ends with an object or array closing, whether the
/// error is about its last member rather than about it.
///
/// A value read whole before it is judged (a number read exactly, `exact`) is refused
/// with no place; serde_json gives it the place where the object or array holding it
/// stops reading, after its closing bracket when one follows the value. So the value at
/// fault is the closed one's last member, unless nothing was closed after it: then the
/// next character is a comma and the refused value is the closed one itself, which the
/// message says is a map or a sequence. One shape stays ambiguous, and is read as the
/// member: a number given an object whose last member is an object, followed by a
/// comma (`"above": {"a": {}},` reads as `above.a`, as `"above": {},` at an object's end
/// would be).
#[inline]
fn closed_by_reader(closed: &Frame, message: &str, comma_next: bool) -> bool {
    let refused = if message.starts_with("invalid type: map") {
        Some(Kind::Object)
    } else if message.starts_with("invalid type: sequence") {
        Some(Kind::Array)
    } else {
        None
    };
    !(comma_next && refused == Some(closed.kind) && closed.last != closed.kind)
}

/// The byte offset of serde_json's line (from 1) and column (bytes into the line).
#[inline]
fn offset(text: &str, line: usize, column: usize) -> usize {
    let start =
        if line <= 1 { 0 } else { text.match_indices('\n').nth(line - 2).map_or(text.len(), |(i, _)| i + 1) };
    (start + column).min(text.len())
}

/// The frames open at byte `end`, each at the key or index it is reading, and the one
/// closed last if nothing but white space follows its closing bracket.
#[inline]
fn walk(text: &str, end: usize) -> (Vec<Frame>, Option<Frame>) {
    let bytes = &text.as_bytes()[..end];
    let mut stack: Vec<Frame> = Vec::new();
    let mut closed = None;
    let mut i = 0;
    while i < bytes.len() {
        let byte = bytes[i];
        if !matches!(byte, b' ' | b'\t' | b'\n' | b'\r') {
            closed = None;
        }
        match byte {
            b'"' => {
                let Some(close) = string_end(bytes, i) else { break };
                match stack.last_mut() {
                    Some(frame) if frame.kind == Kind::Object && frame.phase == Phase::Key => {
                        frame.key = Some(unescape(&text[i..=close]));
                        frame.phase = Phase::Colon;
                    }
                    frame => start_value(frame, Kind::Scalar),
                }
                i = close;
            }
            b'{' | b'[' => {
                let kind = if byte == b'{' { Kind::Object } else { Kind::Array };
                start_value(stack.last_mut(), kind);
                stack.push(Frame::new(kind));
            }
            b'}' | b']' => closed = stack.pop(),
            b':' => {
                if let Some(frame) = stack.last_mut() {
                    frame.phase = Phase::Value;
                }
            }
            b',' => {
                if let Some(frame) = stack.last_mut() {
                    frame.key = None;
                    frame.phase = Phase::Key;
                    frame.index += 1;
                    frame.started = false;
                }
            }
            b' ' | b'\t' | b'\n' | b'\r' => {}
            _ => start_value(stack.last_mut(), Kind::Scalar),
        }
        i += 1;
    }
    (stack, closed)
}

/// A value of `kind` begins in `frame`: in an array, the element at its index.
#[inline]
fn start_value(frame: Option<&mut Frame>, kind: Kind) {
    if let Some(frame) = frame {
        frame.started = true;
        frame.last = kind;
    }
}

/// The index of the quote that closes the string opening at `open`, if the text has it.
#[inline]
fn string_end(bytes: &[u8], open: usize) -> Option<usize> {
    let mut i = open + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'"' => return Some(i),
            _ => i += 1,
        }
    }
    None
}

/// A key as serde sees it (escapes decoded); `quoted` includes its quotes.
#[inline]
fn unescape(quoted: &str) -> String {
    if quoted.contains('\\') {
        serde_json::from_str(quoted).unwrap_or_default()
    } else {
        quoted[1..quoted.len() - 1].to_owned()
    }
}
