//! The logic behind every field the pages edit, as plain Rust (no Yew), tested natively:
//! reading what the user typed ([`parse`]), one description of a field whichever panel
//! shows it — label, unit, range, help, element ids ([`field`]), the scenario's settings as
//! knobs with their fields and live actions ([`knob`]), one edit of the settings panel to
//! the next scenario ([`edit`]), the timeline's add / edit form over the engine's action
//! catalogue ([`action`]), and times as people type them on the timeline ([`time`]).
//! The components in `crate::components` only wire these to the DOM.

pub mod action;
pub mod edit;
pub mod field;
pub mod knob;
pub mod parse;
pub mod time;
