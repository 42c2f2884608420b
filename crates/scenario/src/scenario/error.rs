//! A scenario's errors are values: each names the field that is wrong and why.

use std::fmt;

/// A scenario that cannot be run, with the path of the offending field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScenarioError {
    /// Path of the field, e.g. `pool.max_size` or `events[3].at_s`; empty for the whole document.
    pub path: String,
    /// Why the value is refused, in words a user can act on.
    pub reason: String,
}

impl ScenarioError {
    /// An error at `path` for `reason`.
    pub fn new(path: impl Into<String>, reason: impl Into<String>) -> Self {
        Self { path: path.into(), reason: reason.into() }
    }
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            write!(f, "{}", self.reason)
        } else {
            write!(f, "{}: {}", self.path, self.reason)
        }
    }
}

impl std::error::Error for ScenarioError {}
