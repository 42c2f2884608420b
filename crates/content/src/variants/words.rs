//! Numbers and times in the words a comparison table and its lessons use: clock times
//! (`13:54`), spans (`25 minutes`), counts (`1,025,932`) and shares (`38 %`).
//!
//! Spans between two shown clock times are computed from the clock times as shown, so
//! "fired at 13:38, 27 minutes before 14:05" always adds up for a reader.

use poolsim_engine::time::{ClockTime, DAY_S};

/// Clock times of one run.
///
/// ```
/// use poolsim_content::variants::words::Clock;
/// use poolsim_engine::time::{ClockTime, DAY_S};
/// let clock = Clock::new(ClockTime::from_seconds_of_day(12 * 3600), 18_000);
/// assert_eq!(clock.at(6813.8), "13:53");
/// assert_eq!(clock.between(5880.0, 7526.2), "27 minutes");
/// ```
#[derive(Clone, Copy, Debug)]
pub struct Clock {
    /// The run's start [s after midnight].
    start_s: u64,
    /// Show seconds (`HH:MM:SS`) always; otherwise only for times off the minute.
    seconds: bool,
    /// Round every time down to the minute (`HH:MM`), for long runs.
    minutes_only: bool,
}

impl Clock {
    /// Clock times of a run starting at `clock_start` and lasting `duration_s` [s]. Runs up to an hour show seconds; longer
    /// ones show minutes; `duration_s = 0` (unknown) shows seconds only when needed.
    pub fn new(clock_start: ClockTime, duration_s: u64) -> Self {
        let start_s = u64::from(clock_start.seconds_of_day());
        Self { start_s, seconds: (1..=3600).contains(&duration_s), minutes_only: duration_s > 3600 }
    }

    /// Whole seconds after midnight of `t_s` [s from the start], not yet wrapped.
    fn abs_s(&self, t_s: f64) -> u64 {
        // Times come from validated runs (0 ≤ t ≤ 7 days); clamp anything else.
        self.start_s + t_s.clamp(0.0, 1e9).floor() as u64
    }

    /// `t_s` [s from the start] as a clock time: `"13:54"` or `"08:01:30"`.
    pub fn at(&self, t_s: f64) -> String {
        let abs = self.abs_s(t_s);
        // Below a day once wrapped: the cast is exact.
        let time = ClockTime::from_seconds_of_day((abs % u64::from(DAY_S)) as u32);
        time.format(self.seconds || (!self.minutes_only && !abs.is_multiple_of(60)))
    }

    /// The span from `from_s` to `to_s` [s from the start] as the shown clock times
    /// differ: `"27 minutes"`, `"1 hour 55 minutes"`, `"45 seconds"`.
    pub fn between(&self, from_s: f64, to_s: f64) -> String {
        let (a, b) = (self.abs_s(from_s.min(to_s)), self.abs_s(from_s.max(to_s)));
        if self.seconds || !self.minutes_only { seconds_words(b - a) } else { minutes_words(b / 60 - a / 60) }
    }
}

/// A span [s] in words, to the second below two minutes, to the minute above.
pub fn duration(s: f64) -> String {
    let s = s.clamp(0.0, 1e9).round() as u64;
    if s < 120 || !s.is_multiple_of(60) { seconds_words(s) } else { minutes_words(s / 60) }
}

fn seconds_words(s: u64) -> String {
    if s < 120 {
        return plural(s, "second");
    }
    let (m, rest) = (s / 60, s % 60);
    if rest == 0 { minutes_words(m) } else { format!("{} {}", minutes_words(m), plural(rest, "second")) }
}

fn minutes_words(m: u64) -> String {
    let (h, rest) = (m / 60, m % 60);
    match (h, rest) {
        (0, _) => plural(rest, "minute"),
        (_, 0) => plural(h, "hour"),
        _ => format!("{} {}", plural(h, "hour"), plural(rest, "minute")),
    }
}

fn plural(n: u64, unit: &str) -> String {
    if n == 1 { format!("1 {unit}") } else { format!("{n} {unit}s") }
}

/// `1025932` as `"1,025,932"`.
pub fn count(n: u64) -> String {
    crate::export::group_thousands(n)
}

/// A share 0..=1 as a percentage: `"38 %"`, `"0.4 %"`, `"< 0.1 %"`, `"0 %"`.
pub fn percent(share: f64) -> String {
    let p = share * 100.0;
    if p <= 0.0 || !p.is_finite() {
        "0 %".to_owned()
    } else if p < 0.05 {
        "< 0.1 %".to_owned()
    } else if p < 9.95 && (p - p.round()).abs() >= 0.05 {
        format!("{p:.1} %")
    } else {
        format!("{p:.0} %")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clock_times_and_spans_add_up() {
        let long = Clock::new(ClockTime::parse("12:00").expect("a clock time"), 18_000);
        assert_eq!(long.at(6813.8), "13:53");
        assert_eq!(long.between(5880.0, 7526.2), "27 minutes");
        assert_eq!(long.between(7526.0, 14_399.9), "1 hour 54 minutes", "14:05 to 15:59");
        let short = Clock::new(ClockTime::parse("08:00").expect("a clock time"), 600);
        assert_eq!(short.at(90.5), "08:01:30");
        assert_eq!(short.between(90.0, 135.0), "45 seconds");
        let labels = Clock::new(ClockTime::parse("23:30").expect("a clock time"), 0);
        assert_eq!(labels.at(1800.0), "00:00");
        assert_eq!(labels.at(1830.0), "00:00:30");
    }

    #[test]
    fn counts_and_shares_read_as_people_write_them() {
        assert_eq!(count(0), "0");
        assert_eq!(count(999), "999");
        assert_eq!(count(1_025_932), "1,025,932");
        assert_eq!(percent(0.3804), "38 %");
        assert_eq!(percent(0.8), "80 %");
        assert_eq!(percent(0.004), "0.4 %");
        assert_eq!(percent(0.0001), "< 0.1 %");
        assert_eq!(percent(0.0), "0 %");
        assert_eq!(duration(300.0), "5 minutes");
        assert_eq!(duration(90.0), "90 seconds");
        assert_eq!(duration(5400.0), "1 hour 30 minutes");
    }
}
