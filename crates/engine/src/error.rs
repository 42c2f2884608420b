//! What the running engine refuses.

use std::fmt;

use crate::scenario::ScenarioError;
use crate::time::SimTime;

/// A request the running engine refuses.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EngineError {
    /// `advance_to` was asked for a time before the current clock.
    TimeInPast { now: SimTime, requested: SimTime },
    /// A live action with an impossible value.
    InvalidAction(ScenarioError),
}

impl fmt::Display for EngineError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::TimeInPast { now, requested } => {
                let (now_us, requested_us) = (now.as_micros(), requested.as_micros());
                write!(f, "cannot go back in time: the clock is at {now_us} µs, asked for {requested_us} µs")
            }
            Self::InvalidAction(e) => write!(f, "invalid action: {e}"),
        }
    }
}

impl std::error::Error for EngineError {}
