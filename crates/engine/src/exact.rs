//! Numbers read exactly as written.
//!
//! JSON numbers are parsed by Rust's own correctly rounded parser (`str::parse::<f64>`),
//! so scenario → JSON → scenario (a file, a link) is the identity for every `f64`.
//! serde_json's fast parser can be one unit off in the last place, and its exact mode
//! (`float_roundtrip`) would add some 13 KB of tables to the page; `str::parse` is in the
//! page already.

use serde::de::{Deserialize, Deserializer, Error, Unexpected};
use serde_json::value::RawValue;

/// An `f64` read exactly from its JSON text.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Exact(pub f64);

impl<'de> Deserialize<'de> for Exact {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw: Box<RawValue> = Deserialize::deserialize(deserializer)?;
        let text = raw.get().trim();
        let unexpected = match text.as_bytes().first() {
            Some(b'-' | b'0'..=b'9') => {
                return text
                    .parse::<f64>()
                    .map(Exact)
                    .map_err(|_| Error::invalid_value(Unexpected::Other(text), &"a number"));
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

/// `#[serde(deserialize_with = "crate::exact::f64")]`
pub(crate) fn f64<'de, D: Deserializer<'de>>(deserializer: D) -> Result<f64, D::Error> {
    Exact::deserialize(deserializer).map(|e| e.0)
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
