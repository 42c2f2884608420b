//! Times as people type and read them on the timeline: clock times in the scenario's
//! clock (`14:30`, `14:30:15`) or offsets from its start (`+90:00`, `+1:30:00`),
//! turned into seconds from the start, and back.
//!
//! Pure functions (no Yew): tested natively.

use poolsim_engine::time::{ClockTime, DAY_S, format_clock};

/// How the time field explains what it accepts.
pub const TIME_HINT: &str = "a clock time HH:MM or HH:MM:SS, or +MM:SS after the start";

/// Seconds from the scenario start for what the user typed in the time field.
///
/// A clock time is read in the scenario's clock and is the first such time at or after
/// `clock_start_s` [s since midnight]: a run that starts at 23:00 reaches `00:30` after
/// 5,400 s. An offset `+MM:SS` or `+H:MM:SS` counts from the start (`+90:00` = 5,400 s).
/// The range of the run is not checked here (the scenario's validation does that).
pub fn parse_time(text: &str, clock_start_s: u32) -> Result<f64, String> {
    let text = text.trim();
    if text.is_empty() {
        return Err(format!("enter {TIME_HINT}"));
    }
    if let Some(offset) = text.strip_prefix('+') {
        return parse_offset(offset.trim())
            .map(f64::from)
            .ok_or_else(|| format!("“{text}” is not an offset: write +MM:SS or +H:MM:SS (e.g. +90:00)"));
    }
    let at = ClockTime::parse_typed(text).ok_or_else(|| {
        format!("“{text}” is not a time of day: write HH:MM or HH:MM:SS on a 24-hour clock (e.g. 14:30)")
    })?;
    // The first time the clock shows this after the start: past midnight it wraps.
    Ok(f64::from(at.seconds_after(ClockTime::from_seconds_of_day(clock_start_s % DAY_S))))
}

/// `MM:SS` (any number of minutes) or `H:MM:SS` → seconds.
fn parse_offset(text: &str) -> Option<u32> {
    let parts: Vec<&str> = text.split(':').collect();
    let (hours, minutes, seconds) = match parts.as_slice() {
        [m, s] => (0, number(m, 1..=6)?, number(s, 2..=2)?),
        [h, m, s] => {
            let minutes = number(m, 2..=2)?;
            if minutes >= 60 {
                return None;
            }
            (number(h, 1..=4)?, minutes, number(s, 2..=2)?)
        }
        _ => return None,
    };
    if seconds >= 60 {
        return None;
    }
    hours.checked_mul(3600)?.checked_add(minutes.checked_mul(60)?)?.checked_add(seconds)
}

/// Digits only, with a length in `digits`.
fn number(part: &str, digits: std::ops::RangeInclusive<usize>) -> Option<u32> {
    if !digits.contains(&part.len()) || !part.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    part.parse().ok()
}

/// The clock time of `at_s` [s from the start] as a row shows it: `14:30:15`, with the
/// day added when the run has gone round the clock (`14:30:15 (day 2)`).
pub fn show_time(at_s: f64, clock_start_s: u32) -> String {
    let clock = format_clock(f64::from(clock_start_s) + at_s, true);
    let day = (at_s.max(0.0) / f64::from(DAY_S)).floor();
    if day >= 1.0 { format!("{clock} (day {})", day + 1.0) } else { clock }
}

/// What the time field shows for an event at `at_s`: its clock time when that reads back
/// to the same second, else an offset `+H:MM:SS` (a clock time on a later day of a long run).
pub fn time_input(at_s: f64, clock_start_s: u32) -> String {
    let clock = format_clock(f64::from(clock_start_s) + at_s, true);
    let whole_s = at_s.max(0.0).floor();
    if parse_time(&clock, clock_start_s) == Ok(whole_s) {
        return clock;
    }
    // Below 7 days (validated), so the cast is exact.
    let total = whole_s as u64;
    format!("+{}:{:02}:{:02}", total / 3600, (total / 60) % 60, total % 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOON: u32 = 12 * 3600;

    #[test]
    fn clock_times_count_from_the_scenario_start() {
        assert_eq!(parse_time("15:00", NOON), Ok(10_800.0));
        assert_eq!(parse_time("15:00:30", NOON), Ok(10_830.0));
        assert_eq!(parse_time(" 12:00 ", NOON), Ok(0.0));
        assert_eq!(parse_time("9:05", 9 * 3600), Ok(300.0), "one-digit hours are read too");
    }

    #[test]
    fn a_run_past_midnight_reaches_early_clock_times_the_next_day() {
        let start = 23 * 3600;
        assert_eq!(parse_time("23:30", start), Ok(1800.0));
        assert_eq!(parse_time("00:30", start), Ok(5400.0));
        assert_eq!(parse_time("00:00:00", start), Ok(3600.0));
        // Before the start on the clock: the next day (the run's range decides if it is in).
        assert_eq!(parse_time("22:59", start), Ok(86_340.0));
    }

    #[test]
    fn offsets_count_from_the_start() {
        assert_eq!(parse_time("+90:00", NOON), Ok(5400.0));
        assert_eq!(parse_time("+0:30", NOON), Ok(30.0));
        assert_eq!(parse_time("+1:30:00", NOON), Ok(5400.0));
        assert_eq!(parse_time("+ 2:00", NOON), Ok(120.0));
    }

    #[test]
    fn text_that_is_not_a_time_gets_a_reason_never_a_panic() {
        for bad in ["", "abc", "25:00", "12:60", "12:00:60", "12", "12:0", "1:2:3:4", "-1:00", "12h", "💥"]
        {
            let reason = parse_time(bad, NOON).expect_err(bad);
            assert!(!reason.is_empty(), "{bad:?}");
        }
        assert!(parse_time("abc", NOON).expect_err("abc").contains("“abc”"), "the reason quotes the text");
        for bad in ["+", "+90", "+1:60:00", "+10:75", "+a:00", "+4294967295:00:00"] {
            assert!(parse_time(bad, NOON).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn times_read_back_as_they_are_shown() {
        assert_eq!(show_time(10_800.0, NOON), "15:00:00");
        assert_eq!(show_time(1800.0, 23 * 3600), "23:30:00");
        assert_eq!(show_time(5400.0, 23 * 3600), "00:30:00");
        assert_eq!(show_time(90_000.0, NOON), "13:00:00 (day 2)");
        for (at_s, start) in [(10_800.0, NOON), (5400.0, 23 * 3600), (0.0, 0), (86_399.0, 1)] {
            assert_eq!(parse_time(&time_input(at_s, start), start), Ok(at_s), "{at_s} from {start}");
        }
        // The second day of a long run cannot be a clock time: it becomes an offset.
        assert_eq!(time_input(90_000.0, NOON), "+25:00:00");
        assert_eq!(parse_time("+25:00:00", NOON), Ok(90_000.0));
    }
}
