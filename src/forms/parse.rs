//! Reading a number out of what the user typed: never a panic, always a reason.
//!
//! The reasons are short phrases that follow the field's label ("Max pool size: …").
//! Range rules (a pool of 0, a probability of 2) are not checked here: they belong to
//! [`Scenario::validate`](poolsim_engine::Scenario::validate), so the page and the
//! scenario file refuse the same values with the same words.

use poolsim_engine::scenario::exact::parse_f64;

/// Largest whole number an `f64` holds exactly (2^53): beyond it "1e17" is not the number typed.
const MAX_EXACT_WHOLE: f64 = 9_007_199_254_740_992.0;

/// A decimal number, such as a rate or a probability: `150`, `0.0003`, `3e-4`.
pub fn decimal(text: &str) -> Result<f64, String> {
    let text = text.trim();
    if text.is_empty() {
        return Err("enter a number".to_owned());
    }
    let value = parse_f64(text).ok_or_else(|| format!("“{text}” is not a number"))?;
    if value.is_nan() {
        return Err(format!("“{text}” is not a number"));
    }
    if value.is_infinite() {
        return Err(format!("“{text}” is too large to be a number here"));
    }
    Ok(value)
}

/// A whole number ≥ 0, such as a timeout in ms or a seed: `30000`, `3e4`.
pub fn whole(text: &str) -> Result<u64, String> {
    let trimmed = text.trim();
    // Exact for every u64 (a seed may be above 2^53); the float path takes `3e4`, `1.0`.
    if let Ok(n) = trimmed.parse::<u64>() {
        return Ok(n);
    }
    let value = decimal(trimmed)?;
    if value < 0.0 {
        return Err(format!("must be 0 or more, got {trimmed}"));
    }
    if value.fract() != 0.0 {
        return Err(format!("must be a whole number, got {trimmed}"));
    }
    if value > MAX_EXACT_WHOLE {
        return Err(format!("“{trimmed}” is too large"));
    }
    // In range and whole: the conversion is exact.
    Ok(value as u64)
}

/// A whole number that fits a `u32` (a pool size, a retry count).
pub fn whole_u32(text: &str) -> Result<u32, String> {
    let n = whole(text)?;
    u32::try_from(n).map_err(|_| format!("“{}” is too large", text.trim()))
}

/// A whole number that fits a `u32`, or nothing when the field is left empty.
pub fn optional_u32(text: &str) -> Result<Option<u32>, String> {
    if text.trim().is_empty() { Ok(None) } else { whole_u32(text).map(Some) }
}

/// A switch's text: `on` or `off` ([`show_on_off`]).
pub fn on_off(text: &str) -> Result<bool, String> {
    match text.trim() {
        "on" => Ok(true),
        "off" => Ok(false),
        other => Err(format!("“{other}” is neither on nor off")),
    }
}

/// A switch's state as its text: `on` or `off`.
pub fn show_on_off(on: bool) -> &'static str {
    if on { "on" } else { "off" }
}

/// Show a number as the user would type it back: `150`, `0.000124`, `40.5`.
pub fn show(value: f64) -> String {
    // `Display` for f64 never uses an exponent and round-trips exactly.
    value.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_people_type_are_read() {
        assert_eq!(decimal("150"), Ok(150.0));
        assert_eq!(decimal(" 0.0003 "), Ok(0.0003));
        assert_eq!(decimal("3e-4"), Ok(0.0003));
        assert_eq!(decimal("-2"), Ok(-2.0), "the range is the validator's job");
    }

    #[test]
    fn text_that_is_not_a_number_gets_a_reason_not_a_panic() {
        for bad in ["", "   ", "abc", "1,5", "12ms", "--1", "0x10"] {
            assert!(decimal(bad).is_err(), "{bad:?} was accepted");
            assert!(whole(bad).is_err(), "{bad:?} was accepted as whole");
        }
        assert_eq!(decimal(""), Err("enter a number".to_owned()));
        assert_eq!(decimal("abc"), Err("“abc” is not a number".to_owned()));
        for bad in ["NaN", "nan", "inf", "-infinity", "1e999"] {
            let reason = decimal(bad).expect_err(bad);
            assert!(reason.contains(bad), "the reason quotes what was typed: {reason}");
        }
    }

    #[test]
    fn whole_numbers_refuse_fractions_negatives_and_overflow() {
        assert_eq!(whole("30000"), Ok(30_000));
        assert_eq!(whole("3e4"), Ok(30_000));
        assert_eq!(whole("18446744073709551615"), Ok(u64::MAX), "every seed is exact");
        assert_eq!(whole("1.5"), Err("must be a whole number, got 1.5".to_owned()));
        assert_eq!(whole("-3"), Err("must be 0 or more, got -3".to_owned()));
        assert!(whole("1e20").is_err());
        assert_eq!(whole_u32("4294967295"), Ok(u32::MAX));
        assert!(whole_u32("4294967296").is_err());
    }

    #[test]
    fn an_empty_optional_field_means_unset() {
        assert_eq!(optional_u32(""), Ok(None));
        assert_eq!(optional_u32(" 20 "), Ok(Some(20)));
        assert!(optional_u32("abc").is_err());
    }

    #[test]
    fn a_switch_reads_on_or_off_and_nothing_else() {
        for on in [true, false] {
            assert_eq!(on_off(show_on_off(on)), Ok(on));
        }
        assert_eq!(on_off("maybe"), Err("“maybe” is neither on nor off".to_owned()));
    }

    #[test]
    fn shown_numbers_read_back_to_the_same_value() {
        for v in [0.0, 150.0, 0.000124, 40.5, 1e-9, 1_000_000.0, 0.1 + 0.2] {
            assert_eq!(decimal(&show(v)), Ok(v), "{v}");
        }
        assert_eq!(show(150.0), "150");
        assert_eq!(show(0.000124), "0.000124");
    }
}
