//! Numbers, spans and clock times in words: the one place poolsim words them, for the
//! pages, the charts, the exports and the command line alike.
//!
//! - Counts: [`count`] (`1,025,932`), [`compact_count`] (`2.7 M`); shares: [`percent`]
//!   (`38 %`); settings: [`short_number`] (`0.0124`), [`one_in_n`] (a leak probability);
//!   response times: [`millis`] (`9.3 ms`, `5,080 ms`).
//! - Spans, in three styles, each for its place: sentences say [`duration`] (`1 hour 54
//!   minutes`, `45 seconds`); settings and estimates say [`duration_s_words`] /
//!   [`duration_ms_words`] (`90 s`, `15 min`, `1 h 30 min`) and [`approx_duration`]
//!   (rounded to the minute); tables and readouts say [`duration_text`] (`5 h 00 m`,
//!   `1 m 30 s`: fixed width, so a column of them lines up).
//! - Clock times of a run: [`Clock`] (over `poolsim_engine::time::ClockTime`). Spans between
//!   two shown clock times are computed from the clock times as shown, so "fired at 13:38,
//!   27 minutes before 14:05" always adds up for a reader.
//! - Timeline actions: [`action`] (a sentence for the timeline, a label for a chart marker).
//! - A fleet's instances: [`instance`] (`app-3`), as the engine's log names them.
//! - Replications and sweeps: [`replicate`] (each figure's name, a sweep cell's value, the
//!   smallest pool that survives in a sentence).

pub mod action;
pub mod database;
pub mod replicate;

use poolsim_engine::time::{ClockTime, DAY_S};

/// Clock times of one run.
///
/// ```
/// use poolsim_content::words::Clock;
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
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A fleet's instance by its number from 1, as the engine's log and summary name it: `app-3`.
pub fn instance(number: u32) -> String {
    format!("app-{number}")
}

/// `2_700_000` → `2.7 M`; `12_300` → `12.3 k`.
pub fn compact_count(n: u64) -> String {
    match n {
        0..1_000 => n.to_string(),
        1_000..1_000_000 => format!("{:.1} k", n as f64 / 1e3),
        _ => format!("{:.1} M", n as f64 / 1e6),
    }
}

/// At most four significant digits, no float noise: `0.012400000000000001` → `0.0124`.
pub fn short_number(x: f64) -> String {
    if !x.is_finite() || x == 0.0 {
        return format!("{x}");
    }
    let digits = (3 - x.abs().log10().floor() as i32).clamp(0, 12) as usize;
    let text = format!("{x:.digits$}");
    if text.contains('.') { text.trim_end_matches('0').trim_end_matches('.').to_owned() } else { text }
}

/// A leak probability in words: "≈ 1 in 8,065 requests leaks its connection".
pub fn one_in_n(probability: f64) -> String {
    if probability.is_nan() || probability <= 0.0 {
        "No leak: every connection comes back.".to_owned()
    } else if probability >= 1.0 {
        "Every request leaks its connection.".to_owned()
    } else if probability < 1e-12 {
        "Fewer than 1 in a trillion requests leaks its connection.".to_owned()
    } else {
        let n = (1.0 / probability).round();
        let approx = if (n * probability - 1.0).abs() < 1e-9 { "" } else { "≈ " };
        // n ≤ 1e12 here: the cast is exact.
        format!("{approx}1 in {} requests leaks its connection.", count(n as u64))
    }
}

/// A span [s] for a table or a readout, fixed width: `18000` → `5 h 00 m`; `90` → `1 m 30 s`.
pub fn duration_text(seconds: f64) -> String {
    let total = if seconds.is_finite() { seconds.max(0.0).round() as u64 } else { 0 };
    let (h, m, s) = (total / 3600, (total / 60) % 60, total % 60);
    if h > 0 { format!("{h} h {m:02} m") } else { format!("{m} m {s:02} s") }
}

/// A setting's span in ms as people say it: `500 ms`, `2 s`, `60 s`, `15 min`, `1 h 30 min`.
pub fn duration_ms_words(ms: u64) -> String {
    if ms < 1000 { format!("{ms} ms") } else { duration_s_words(ms as f64 / 1000.0) }
}

/// A setting's span in s as people say it: `0.5 s`, `90 s`, `15 min`, `2 h`, `1 h 30 min`.
pub fn duration_s_words(s: f64) -> String {
    // Whole minutes read better from 2 minutes on; below that, or when not whole, seconds.
    let whole_minutes = s >= 120.0 && s % 60.0 == 0.0;
    if !whole_minutes {
        return format!("{} s", short_number(s));
    }
    let minutes = (s / 60.0) as u64;
    match (minutes / 60, minutes % 60) {
        (0, m) => format!("{m} min"),
        (h, 0) => format!("{h} h"),
        (h, m) => format!("{h} h {m} min"),
    }
}

/// An estimate's span, rounded to the minute from 2 minutes on: `1380` → `23 min`;
/// `5400` → `1 h 30 min`; `40` → `40 s`.
pub fn approx_duration(seconds: f64) -> String {
    let s = seconds.max(0.0).round() as u64;
    match s {
        0..120 => format!("{s} s"),
        120..3600 => format!("{} min", (s + 30) / 60),
        _ => format!("{} h {:02} min", s / 3600, (s % 3600 + 30) / 60 % 60),
    }
}

/// A time in milliseconds for a sentence or a table: `9.3 ms`, `0.0 ms`, `708 ms`,
/// `5,080 ms` (a tenth of a millisecond below 100 ms, whole ones from there).
pub fn millis(ms: f64) -> String {
    if !ms.is_finite() || ms < 0.0 {
        return "0.0 ms".to_owned();
    }
    if ms < 99.95 { format!("{ms:.1} ms") } else { format!("{} ms", count(ms.round() as u64)) }
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
    fn response_times_keep_a_tenth_below_100_ms_and_group_thousands_above() {
        assert_eq!(millis(9.3321), "9.3 ms");
        assert_eq!(millis(0.0), "0.0 ms");
        assert_eq!(millis(99.94), "99.9 ms");
        assert_eq!(millis(99.96), "100 ms");
        assert_eq!(millis(5079.94), "5,080 ms");
        assert_eq!(millis(f64::NAN), "0.0 ms");
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
        assert_eq!(count(100), "100");
        assert_eq!(count(1_000), "1,000");
        assert_eq!(count(2_700_123), "2,700,123");
        assert_eq!(compact_count(2_700_000), "2.7 M");
        assert_eq!(compact_count(12_300), "12.3 k");
        assert_eq!(instance(3), "app-3");
    }

    #[test]
    fn numbers_in_labels_carry_no_float_noise() {
        assert_eq!(short_number(0.012400000000000001), "0.0124");
        assert_eq!(short_number(150.0), "150");
        assert_eq!(short_number(0.5), "0.5");
        assert_eq!(short_number(12345.6), "12346");
    }

    #[test]
    fn a_leak_probability_reads_as_one_in_n_requests() {
        assert_eq!(one_in_n(0.001), "1 in 1,000 requests leaks its connection.");
        assert_eq!(one_in_n(0.000124), "≈ 1 in 8,065 requests leaks its connection.");
        assert_eq!(one_in_n(0.0), "No leak: every connection comes back.");
        assert_eq!(one_in_n(1.0), "Every request leaks its connection.");
        assert_eq!(one_in_n(1e-300), "Fewer than 1 in a trillion requests leaks its connection.");
    }

    #[test]
    fn spans_read_in_the_style_of_their_place() {
        // Tables and readouts: fixed width.
        assert_eq!(duration_text(18_000.0), "5 h 00 m");
        assert_eq!(duration_text(90.0), "1 m 30 s");
        // Settings: the largest sensible unit.
        assert_eq!(duration_ms_words(500), "500 ms");
        assert_eq!(duration_ms_words(2_000), "2 s");
        assert_eq!(duration_s_words(90.0), "90 s");
        assert_eq!(duration_s_words(5400.0), "1 h 30 min");
        assert_eq!(duration_s_words(7200.0), "2 h");
        assert_eq!(duration_s_words(0.5), "0.5 s");
        // Estimates: rounded to the minute.
        assert_eq!(approx_duration(40.0), "40 s");
        assert_eq!(approx_duration(1380.0), "23 min");
        assert_eq!(approx_duration(5400.0), "1 h 30 min");
        assert_eq!(approx_duration(-3.0), "0 s");
    }
}
