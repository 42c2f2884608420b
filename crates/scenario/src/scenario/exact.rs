//! Numbers read exactly as written.
//!
//! JSON numbers are parsed by a correctly rounded parser ([`parse_f64`]), so scenario →
//! JSON → scenario (a file, a link) is the identity for every `f64`. serde_json's fast
//! parser can be one unit off in the last place, and its exact mode (`float_roundtrip`)
//! would add some 13 KB of tables to the page.

use serde::de::{Deserialize, Deserializer, Error, Unexpected};
use serde_json::value::RawValue;

/// The `f64` nearest to the decimal number `text` (`150`, `-0.0003`, `3e-4`, `.5`),
/// correctly rounded like `str::parse::<f64>`, or `None` when `text` is not a number.
/// `inf` and `NaN` are numbers here too: callers refuse them by value.
///
/// Every number the page reads — scenario files, links, what the user types — goes
/// through here: `lexical`'s compact parser, because Rust's own carries some 20 KB of
/// tables, a twentieth of the page's download.
pub fn parse_f64(text: &str) -> Option<f64> {
    lexical_parse_float::FromLexical::from_lexical(text.as_bytes()).ok()
}

/// An `f64` read exactly from its JSON text.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Exact(pub f64);

impl<'de> Deserialize<'de> for Exact {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw: Box<RawValue> = Deserialize::deserialize(deserializer)?;
        let text = raw.get().trim();
        let unexpected = match text.as_bytes().first() {
            Some(b'-' | b'0'..=b'9') => {
                return parse_f64(text)
                    .map(Exact)
                    .ok_or_else(|| Error::invalid_value(Unexpected::Other(text), &"a number"));
            }
            Some(b'"') => Unexpected::Str(text.trim_matches('"')),
            Some(b't') => Unexpected::Bool(true),
            Some(b'f') => Unexpected::Bool(false),
            Some(b'n') => Unexpected::Unit,
            Some(b'[') => Unexpected::Seq,
            Some(b'{') => Unexpected::Map,
            _ => Unexpected::Other(text),
        };
        Err(Error::invalid_type(unexpected, &"a number"))
    }
}

/// `#[serde(deserialize_with = "crate::scenario::exact::f64")]`
pub(crate) fn f64<'de, D: Deserializer<'de>>(deserializer: D) -> Result<f64, D::Error> {
    Exact::deserialize(deserializer).map(|e| e.0)
}

/// `#[serde(deserialize_with = "crate::scenario::exact::opt_f64")]`: a number or `null`.
pub(crate) fn opt_f64<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<f64>, D::Error> {
    Option::<Exact>::deserialize(deserializer).map(|e| e.map(|e| e.0))
}

#[cfg(test)]
mod tests {
    use super::Exact;

    fn read(json: &str) -> Result<f64, String> {
        serde_json::from_str::<Exact>(json).map(|e| e.0).map_err(|e| e.to_string())
    }

    #[test]
    fn numbers_read_back_to_the_same_bits() {
        // serde_json's fast path reads this one unit off in the last place.
        let x = 105_842.014_186_521_61_f64;
        assert_eq!(read(&serde_json::to_string(&x).expect("json")), Ok(x));
        for x in [0.000_124, 150.0, 1e-300, 2.5e300, -0.0, 0.1 + 0.2, f64::MIN_POSITIVE, 5e-324] {
            let back = read(&serde_json::to_string(&x).expect("json")).expect("a number");
            assert_eq!(back.to_bits(), x.to_bits(), "{x:e}");
        }
    }

    #[test]
    fn the_compact_parser_agrees_with_rusts_own_to_the_bit() {
        use proptest::prelude::*;
        use proptest::test_runner::{Config, TestRunner};
        // Any f64, written shortest (as JSON and links write it) and in full.
        let mut runner = TestRunner::new(Config { cases: 20_000, ..Config::default() });
        runner
            .run(&any::<f64>().prop_filter("finite", |x| x.is_finite()), |x| {
                for text in [format!("{x}"), format!("{x:e}"), format!("{x:.20e}")] {
                    let parsed = super::parse_f64(&text).map(f64::to_bits);
                    prop_assert_eq!(parsed, Some(x.to_bits()), "{}", text);
                }
                Ok(())
            })
            .expect("every f64 reads back to its bits");
        // Decimal text as people and files write it, hard cases included: many digits,
        // halfway points, the edges of the exponent range.
        let decimal = (
            "-?(0|[1-9][0-9]{0,24})",
            proptest::option::of("[0-9]{1,30}"),
            proptest::option::of(-400i32..400),
        );
        runner
            .run(&decimal, |(int, frac, exp)| {
                let mut text = int;
                if let Some(f) = frac {
                    text = format!("{text}.{f}");
                }
                if let Some(e) = exp {
                    text = format!("{text}e{e}");
                }
                let ours = super::parse_f64(&text).map(f64::to_bits);
                prop_assert_eq!(ours, text.parse::<f64>().ok().map(f64::to_bits), "{}", text);
                Ok(())
            })
            .expect("the same f64 as str::parse");
        for (text, want) in [("150", Some(150.0)), (".5", Some(0.5)), ("5.", Some(5.0)), ("3e-4", Some(3e-4))]
        {
            assert_eq!(super::parse_f64(text), want, "{text}");
        }
        for text in ["", "-", "e5", "1e", "1.2.3", "0x10", "1_000", "five", "1,5"] {
            assert_eq!(super::parse_f64(text), None, "{text}");
        }
    }

    #[test]
    fn what_is_not_a_number_says_so() {
        assert!(
            read("\"150\"").is_err_and(|e| e.contains("invalid type: string \"150\", expected a number"))
        );
        assert!(read("true").is_err_and(|e| e.contains("expected a number")));
        assert!(read("null").is_err_and(|e| e.contains("expected a number")));
        assert!(read("[1]").is_err_and(|e| e.contains("expected a number")));
        assert_eq!(read(" 42 "), Ok(42.0));
        // Too large for an f64: infinite here, refused by validation with the field's path.
        assert_eq!(read("1e999"), Ok(f64::INFINITY));
    }
}
