//! Time in poolsim: simulated instants and spans, and the clock time of day they are shown in.
//!
//! The simulator counts integer microseconds from the start of the run. Those counts used to
//! be plain `u64`s, beside the web page's real (wall-clock) milliseconds and the scenario's
//! seconds, so nothing but a name's suffix kept an instant from being added to another, or a
//! real millisecond from being taken for a simulated one. [`SimTime`] (an instant of the run)
//! and [`SimDuration`] (a span of simulated time) are those microseconds as types of their
//! own: they add and compare only with each other, and become seconds or plain numbers only
//! through a named method. Both are a bare `u64` in memory and in JSON, so they cost nothing
//! and change no file.
//!
//! People read a clock (`14:05`). [`ClockTime`] is that clock: a time of day with one parser
//! and one formatter, used by the scenario format (`clock_start`, serialised as `"HH:MM"` or
//! `"HH:MM:SS"`), the charts' axes, the CSV, the timeline and every sentence that names a
//! time — so a clock is never passed around as text to be parsed again, and a time of day
//! is never mistaken for seconds of the run.

use std::fmt;
use std::ops::{Add, AddAssign, Sub};

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};

/// Microseconds in a second.
const US_PER_S: u64 = 1_000_000;
/// Microseconds in a millisecond.
const US_PER_MS: u64 = 1_000;

/// An instant of simulated time: microseconds from the start of the run.
///
/// Only [`SimDuration`]s add to it; two instants subtract to the span between them. `+` and
/// `-` behave as they do on `u64` (an overflow is a bug); the scheduling code uses
/// [`saturating_add`](Self::saturating_add), so a timer that would fall past [`SimTime::MAX`]
/// (a deadline that never comes) stays there. Serialised as the bare number of µs.
///
/// ```
/// use poolsim_scenario::time::{SimDuration, SimTime};
/// let t = SimTime::from_secs(90) + SimDuration::from_millis(250);
/// assert_eq!(t.as_micros(), 90_250_000);
/// assert_eq!(t.as_secs_f64(), 90.25);
/// assert_eq!(t - SimTime::from_secs(90), SimDuration::from_millis(250));
/// assert_eq!(SimTime::from_secs_f64(0.0000015), SimTime::from_micros(2), "rounded to nearest");
/// assert_eq!(serde_json::to_string(&t).expect("serialises"), "90250000");
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[repr(transparent)]
#[serde(transparent)]
pub struct SimTime(u64);

impl SimTime {
    /// The start of the run.
    pub const ZERO: Self = Self(0);
    /// The last representable instant: a deadline that never comes.
    pub const MAX: Self = Self(u64::MAX);

    /// `us` [µs] after the start of the run.
    #[inline]
    pub const fn from_micros(us: u64) -> Self {
        Self(us)
    }

    /// `s` whole seconds after the start, saturating at [`SimTime::MAX`].
    #[inline]
    pub const fn from_secs(s: u64) -> Self {
        Self(s.saturating_mul(US_PER_S))
    }

    /// `s` seconds after the start, rounded to the nearest µs (so `at_s = as_secs_f64()`
    /// round-trips); negative or NaN → 0, huge → [`SimTime::MAX`].
    #[inline]
    pub fn from_secs_f64(s: f64) -> Self {
        Self(secs_f64_to_us(s))
    }

    /// Microseconds from the start of the run.
    #[inline]
    pub const fn as_micros(self) -> u64 {
        self.0
    }

    /// Whole seconds from the start (truncated).
    #[inline]
    pub const fn as_secs(self) -> u64 {
        self.0 / US_PER_S
    }

    /// Seconds from the start.
    #[inline]
    pub fn as_secs_f64(self) -> f64 {
        self.0 as f64 / 1e6
    }

    /// The time since the start of the run.
    #[inline]
    pub const fn since_start(self) -> SimDuration {
        SimDuration(self.0)
    }

    /// `self + d`, or [`SimTime::MAX`] if that would overflow.
    #[inline]
    pub const fn saturating_add(self, d: SimDuration) -> Self {
        Self(self.0.saturating_add(d.0))
    }

    /// `self + d`, or `None` if that would overflow.
    #[inline]
    pub const fn checked_add(self, d: SimDuration) -> Option<Self> {
        match self.0.checked_add(d.0) {
            Some(us) => Some(Self(us)),
            None => None,
        }
    }

    /// The span from `earlier` to `self`, or zero if `earlier` is later.
    #[inline]
    pub const fn saturating_duration_since(self, earlier: Self) -> SimDuration {
        SimDuration(self.0.saturating_sub(earlier.0))
    }
}

/// A span of simulated time [µs]: a timeout, a hold, a wait, a step of the run.
///
/// ```
/// use poolsim_scenario::time::SimDuration;
/// assert_eq!(SimDuration::from_millis(30_000).as_micros(), 30_000_000);
/// assert_eq!(SimDuration::from_micros(1_999).as_millis(), 1, "truncated");
/// assert_eq!(SimDuration::from_millis_f64(0.0004), SimDuration::ZERO, "rounded to nearest");
/// assert_eq!(SimDuration::from_secs_f64(f64::NAN), SimDuration::ZERO);
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[repr(transparent)]
#[serde(transparent)]
pub struct SimDuration(u64);

impl SimDuration {
    /// No time at all.
    pub const ZERO: Self = Self(0);
    /// The longest span: forever.
    pub const MAX: Self = Self(u64::MAX);

    /// `us` microseconds.
    #[inline]
    pub const fn from_micros(us: u64) -> Self {
        Self(us)
    }

    /// `ms` whole milliseconds, saturating instead of overflowing.
    #[inline]
    pub const fn from_millis(ms: u64) -> Self {
        Self(ms.saturating_mul(US_PER_MS))
    }

    /// `s` whole seconds, saturating instead of overflowing.
    #[inline]
    pub const fn from_secs(s: u64) -> Self {
        Self(s.saturating_mul(US_PER_S))
    }

    /// Fractional milliseconds, rounded to the nearest µs; negative or NaN → 0, huge →
    /// [`SimDuration::MAX`] (the `as` cast saturates).
    #[inline]
    pub fn from_millis_f64(ms: f64) -> Self {
        Self(round_u64(ms * 1000.0))
    }

    /// Fractional seconds, rounded to the nearest µs; negative or NaN → 0, huge →
    /// [`SimDuration::MAX`].
    #[inline]
    pub fn from_secs_f64(s: f64) -> Self {
        Self(secs_f64_to_us(s))
    }

    /// Microseconds.
    #[inline]
    pub const fn as_micros(self) -> u64 {
        self.0
    }

    /// Whole milliseconds (truncated).
    #[inline]
    pub const fn as_millis(self) -> u64 {
        self.0 / US_PER_MS
    }

    /// Seconds.
    #[inline]
    pub fn as_secs_f64(self) -> f64 {
        self.0 as f64 / 1e6
    }

    /// No time at all (a setting that is off, a wait that took none).
    #[inline]
    pub const fn is_zero(self) -> bool {
        self.0 == 0
    }

    /// `self + d`, or [`SimDuration::MAX`] if that would overflow.
    #[inline]
    pub const fn saturating_add(self, d: Self) -> Self {
        Self(self.0.saturating_add(d.0))
    }

    /// `self − d`, or zero when `d` is longer.
    pub const fn saturating_sub(self, d: Self) -> Self {
        Self(self.0.saturating_sub(d.0))
    }
}

/// Seconds to microseconds, rounded to nearest; negative or NaN → 0, huge → `u64::MAX`
/// (the `as` cast saturates).
#[inline]
fn secs_f64_to_us(s: f64) -> u64 {
    round_u64(s * 1e6)
}

/// `x` rounded to the nearest whole number, halves away from zero, as a `u64`: exactly
/// `libm::round(x) as u64` for every `x` (negative or NaN → 0, huge → `u64::MAX`), without
/// a call into libm — x86-64's baseline has no rounding instruction, and every request
/// rounds its hold and its arrival time. The fraction `x − trunc(x)` is exact in `f64`.
#[inline]
pub fn round_u64(x: f64) -> u64 {
    // Below 2⁶³, every time and span the engine rounds, through `i64`: a single
    // instruction each way on x86-64, where the saturating `u64` conversions take a
    // dozen. The same whole number either way, so the same result. (wasm converts to and
    // from `u64` in one instruction: there this would only add bytes to every page.)
    #[cfg(target_arch = "x86_64")]
    if (0.0..I64_LIMIT).contains(&x) {
        let whole = x as i64;
        let rounded = if x - whole as f64 >= 0.5 { whole + 1 } else { whole };
        return rounded as u64;
    }
    let whole = x as u64;
    if x - whole as f64 >= 0.5 { whole.saturating_add(1) } else { whole }
}

/// 2⁶³: every `f64` in [0, 2⁶³) converts to `i64` exactly as to `u64`.
#[cfg(target_arch = "x86_64")]
const I64_LIMIT: f64 = 9_223_372_036_854_775_808.0;

/// `x` rounded up to a whole number, as a `u64`: exactly `libm::ceil(x) as u64` for every
/// `x` (negative or NaN → 0, huge → `u64::MAX`), without a call into libm.
#[inline]
pub fn ceil_u64(x: f64) -> u64 {
    let whole = x as u64;
    if (whole as f64) < x { whole.saturating_add(1) } else { whole }
}

impl Add<SimDuration> for SimTime {
    type Output = SimTime;

    #[inline]
    fn add(self, d: SimDuration) -> SimTime {
        SimTime(self.0 + d.0)
    }
}

impl AddAssign<SimDuration> for SimTime {
    #[inline]
    fn add_assign(&mut self, d: SimDuration) {
        self.0 += d.0;
    }
}

impl Sub<SimDuration> for SimTime {
    type Output = SimTime;

    #[inline]
    fn sub(self, d: SimDuration) -> SimTime {
        SimTime(self.0 - d.0)
    }
}

/// The span between two instants; `later - earlier` (see
/// [`saturating_duration_since`](SimTime::saturating_duration_since) when the order is not known).
impl Sub for SimTime {
    type Output = SimDuration;

    #[inline]
    fn sub(self, earlier: SimTime) -> SimDuration {
        SimDuration(self.0 - earlier.0)
    }
}

impl Add for SimDuration {
    type Output = SimDuration;

    #[inline]
    fn add(self, d: SimDuration) -> SimDuration {
        SimDuration(self.0 + d.0)
    }
}

impl Sub for SimDuration {
    type Output = SimDuration;

    #[inline]
    fn sub(self, d: SimDuration) -> SimDuration {
        SimDuration(self.0 - d.0)
    }
}

/// Seconds in a day: clock times wrap at midnight.
pub const DAY_S: u32 = 86_400;

/// A time of day on a 24-hour clock, to the second.
///
/// ```
/// use poolsim_scenario::time::ClockTime;
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

    /// Seconds from `start` until the clock next shows this time, 0 when they are the
    /// same: the offset of a clock time in a run that starts at `start` (a run that starts
    /// at 23:00 reaches 00:30 after 5,400 s).
    ///
    /// ```
    /// use poolsim_scenario::time::ClockTime;
    /// let at = |text| ClockTime::parse(text).expect("a clock time");
    /// assert_eq!(at("15:30").seconds_after(at("12:00")), 12_600);
    /// assert_eq!(at("00:30").seconds_after(at("23:00")), 5_400);
    /// ```
    pub const fn seconds_after(self, start: ClockTime) -> u32 {
        (self.seconds_of_day + DAY_S - start.seconds_of_day) % DAY_S
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
    #[test]
    fn whole_numbers_without_libm_are_libms() {
        let special = [
            0.0,
            -0.0,
            0.3,
            0.5,
            -0.5,
            -0.7,
            -3.0,
            0.49999999999999994,
            1.5,
            2.5,
            2.4999999999999996,
            1e15 + 0.5,
            4503599627370495.5,
            9007199254740993.0,
            9_223_372_036_854_774_784.0,
            9_223_372_036_854_775_808.0,
            1.8446744073709552e19,
            1e300,
            -1e300,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::NAN,
            f64::MIN_POSITIVE,
            1e-310,
        ];
        let spread = (0..20_000).map(|i| f64::from(i) * 0.123_456_7);
        let bits = (0..20_000u64).map(|i| f64::from_bits(i.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 1));
        for x in special.into_iter().chain(spread).chain(bits) {
            assert_eq!(round_u64(x), libm::round(x) as u64, "round {x}");
            assert_eq!(ceil_u64(x), libm::ceil(x) as u64, "ceil {x}");
        }
    }

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

    #[test]
    fn sim_times_convert_as_the_engine_always_has() {
        // Seconds round to the nearest µs; nothing below zero; the cast saturates.
        for (s, us) in [(1.5, 1_500_000), (0.000_000_5, 1), (0.000_000_49, 0), (-1.0, 0), (f64::NAN, 0)] {
            assert_eq!(SimTime::from_secs_f64(s).as_micros(), us, "{s}");
            assert_eq!(SimDuration::from_secs_f64(s).as_micros(), us, "{s}");
        }
        assert_eq!(SimTime::from_secs_f64(f64::INFINITY), SimTime::MAX);
        assert_eq!(SimTime::from_secs(u64::MAX), SimTime::MAX);
        assert_eq!(SimDuration::from_millis(u64::MAX), SimDuration::MAX);
        assert_eq!(SimDuration::from_millis_f64(40.0005).as_micros(), 40_001);
        assert_eq!(SimDuration::from_millis_f64(-3.0), SimDuration::ZERO);
        assert_eq!(SimTime::from_micros(1_234_567).as_secs(), 1);
        assert_eq!(SimTime::from_micros(123_456_789).as_secs_f64(), 123.456_789);
        assert_eq!(SimTime::MAX.saturating_add(SimDuration::from_secs(1)), SimTime::MAX);
        assert_eq!(SimTime::MAX.checked_add(SimDuration::from_micros(1)), None);
        let (a, b) = (SimTime::from_secs(2), SimTime::from_secs(5));
        assert_eq!(a.saturating_duration_since(b), SimDuration::ZERO);
        assert_eq!(b - a, SimDuration::from_secs(3));
        assert_eq!(b - SimDuration::from_secs(3), a);
        let json = serde_json::to_string(&Some(b)).expect("serialises");
        assert_eq!(json, "5000000");
        assert_eq!(serde_json::from_str::<SimTime>(&json).expect("reads back"), b);
    }
}
