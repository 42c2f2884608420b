//! Clock time: the time of day a scenario's simulated seconds are shown in.
//!
//! The simulator counts integer microseconds from the start of the run; people read a
//! clock (`14:05`). [`ClockTime`] is that clock: a time of day with one parser and one
//! formatter, used by the scenario format (`clock_start`, serialised as `"HH:MM"` or
//! `"HH:MM:SS"`), the charts' axes, the CSV, the timeline and every sentence that names a
//! time — so a clock is never passed around as text to be parsed again, and a time of day
//! is never mistaken for seconds of the run.

use std::fmt;

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};

/// Seconds in a day: clock times wrap at midnight.
pub const DAY_S: u32 = 86_400;

/// A time of day on a 24-hour clock, to the second.
///
/// ```
/// use poolsim_engine::time::ClockTime;
/// let noon = ClockTime::parse("12:00").expect("a clock time");
/// assert_eq!(noon.seconds_of_day(), 43_200);
/// assert_eq!(noon.after(6813.8).to_string(), "13:53:33");
/// assert_eq!(noon.after(6813.8).format(false), "13:53");
/// assert_eq!(ClockTime::parse("1:00"), None, "files write two digits");
/// assert_eq!(ClockTime::parse_typed(" 9:05 ").map(|c| c.to_string()), Some("09:05".into()));
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ClockTime {
    /// [s after midnight], below [`DAY_S`].
    seconds_of_day: u32,
}

impl ClockTime {
    /// 00:00.
    pub const MIDNIGHT: Self = Self { seconds_of_day: 0 };

    /// The clock time `seconds` [s] after midnight, wrapping past the end of the day.
    pub const fn from_seconds_of_day(seconds: u32) -> Self {
        Self { seconds_of_day: seconds % DAY_S }
    }

    /// Seconds after midnight, `0..86_400`.
    pub const fn seconds_of_day(self) -> u32 {
        self.seconds_of_day
    }

    /// `"HH:MM"` or `"HH:MM:SS"`, two digits each, as scenario files and links write it;
    /// `None` for anything else.
    pub fn parse(text: &str) -> Option<Self> {
        parse_with(text, 2)
    }

    /// What a person types in a time field: as [`parse`](Self::parse), but the hour may
    /// have one digit (`9:05`) and spaces around it are ignored.
    pub fn parse_typed(text: &str) -> Option<Self> {
        parse_with(text.trim(), 1)
    }

    /// The clock time `sim_s` [s of simulated time, whole seconds counted] after this one,
    /// wrapping at midnight. Negative and non-finite offsets count as 0.
    pub fn after(self, sim_s: f64) -> Self {
        let whole = if sim_s.is_finite() && sim_s > 0.0 { sim_s.floor() } else { 0.0 };
        // Runs last at most 7 days: far inside u64, and the remainder fits u32.
        let of_day = (u64::from(self.seconds_of_day) + whole as u64) % u64::from(DAY_S);
        Self { seconds_of_day: of_day as u32 }
    }

    /// `"HH:MM:SS"` when `with_seconds`, else `"HH:MM"` (seconds dropped, not rounded).
    pub fn format(self, with_seconds: bool) -> String {
        let s = self.seconds_of_day;
        let (h, m, sec) = (s / 3600, s / 60 % 60, s % 60);
        if with_seconds { format!("{h:02}:{m:02}:{sec:02}") } else { format!("{h:02}:{m:02}") }
    }
}

/// `seconds_of_day` [s after midnight, counted in whole seconds, wrapping past midnight]
/// as `"HH:MM:SS"` or `"HH:MM"`: for axes and readouts that count from midnight.
pub fn format_clock(seconds_of_day: f64, with_seconds: bool) -> String {
    ClockTime::MIDNIGHT.after(seconds_of_day).format(with_seconds)
}

/// One grammar for every clock: `H:MM[:SS]` with at least `min_hour_digits` hour digits
/// (at most two), two digits for minutes and seconds, within a day.
fn parse_with(text: &str, min_hour_digits: usize) -> Option<ClockTime> {
    let mut parts = text.split(':');
    let hours = digits(parts.next()?, min_hour_digits)?;
    let minutes = digits(parts.next()?, 2)?;
    let seconds = match parts.next() {
        Some(part) => digits(part, 2)?,
        None => 0,
    };
    if parts.next().is_some() || hours > 23 || minutes > 59 || seconds > 59 {
        return None;
    }
    Some(ClockTime { seconds_of_day: hours * 3600 + minutes * 60 + seconds })
}

/// `part` as a number of `min_len` to 2 ASCII digits.
fn digits(part: &str, min_len: usize) -> Option<u32> {
    if !(min_len..=2).contains(&part.len()) || !part.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    part.bytes().try_fold(0u32, |n, b| Some(n * 10 + u32::from(b - b'0')))
}

/// `"HH:MM"`, or `"HH:MM:SS"` when the seconds are not zero: what a file keeps.
impl fmt::Display for ClockTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.format(!self.seconds_of_day.is_multiple_of(60)))
    }
}

/// A clock time equals the text that reads as it (`"12:00"`, `"12:00:00"`).
impl PartialEq<&str> for ClockTime {
    fn eq(&self, text: &&str) -> bool {
        Self::parse(text) == Some(*self)
    }
}

impl Serialize for ClockTime {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for ClockTime {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Text;
        impl Visitor<'_> for Text {
            type Value = ClockTime;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(r#"a time of day as "HH:MM" or "HH:MM:SS""#)
            }

            fn visit_str<E: de::Error>(self, text: &str) -> Result<ClockTime, E> {
                ClockTime::parse(text).ok_or_else(|| {
                    E::custom(format!(
                        "must be a time of day as \"HH:MM\" or \"HH:MM:SS\" (e.g. \"12:00\"), got {text:?}"
                    ))
                })
            }
        }
        deserializer.deserialize_str(Text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_write_two_digits_and_people_may_type_one() {
        assert_eq!(ClockTime::parse("12:00").map(ClockTime::seconds_of_day), Some(43_200));
        assert_eq!(ClockTime::parse("23:59:59").map(ClockTime::seconds_of_day), Some(86_399));
        for bad in ["24:00", "12", "12:60", "12:00:60", "12:00:00:00", "", "+1:00", "1:00", "12:5", " 12:00"]
        {
            assert_eq!(ClockTime::parse(bad), None, "{bad:?}");
        }
        assert_eq!(ClockTime::parse_typed(" 9:05 ").map(ClockTime::seconds_of_day), Some(9 * 3600 + 300));
        assert_eq!(ClockTime::parse_typed("+9:05"), None);
        assert_eq!(ClockTime::parse_typed("123:00"), None);
    }

    #[test]
    fn what_is_written_reads_back() {
        for s in [0, 59, 60, 43_200, 43_230, 86_399] {
            let c = ClockTime::from_seconds_of_day(s);
            assert_eq!(ClockTime::parse(&c.to_string()), Some(c), "{c}");
            let json = serde_json::to_string(&c).expect("serialises");
            assert_eq!(serde_json::from_str::<ClockTime>(&json).expect("reads back"), c);
        }
        assert_eq!(ClockTime::from_seconds_of_day(43_200).to_string(), "12:00");
        assert_eq!(ClockTime::from_seconds_of_day(43_230).to_string(), "12:00:30");
    }

    #[test]
    fn times_after_the_start_wrap_at_midnight() {
        let late = ClockTime::parse("23:00").expect("valid");
        assert_eq!(late.after(5400.9).format(true), "00:30:00");
        assert_eq!(late.after(-5.0), late);
        assert_eq!(late.after(f64::NAN), late);
        assert_eq!(late.after(7.0 * 86_400.0), late);
        // A clock shows 14:00:30 for the whole of that second.
        let noon = ClockTime::from_seconds_of_day(12 * 3600);
        assert_eq!(noon.after(7200.0).format(true), "14:00:00");
        assert_eq!(ClockTime::from_seconds_of_day(23 * 3600 + 59 * 60).after(61.0).format(true), "00:00:01");
        assert_eq!(noon.after(7230.9).format(true), "14:00:30");
    }
}
