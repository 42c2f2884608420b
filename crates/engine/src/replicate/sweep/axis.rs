//! One side of a sweep: a [`Knob`] stepped from one value to another, written
//! `KNOB=FROM..TO:STEPS`, with `:log` for steps of equal ratio (`leak.probability=1e-4..1e-2:5:log`
//! is 0.0001, 0.000316, 0.001, 0.00316, 0.01).

use std::fmt;

use super::knob::Knob;

/// The most steps an axis may have.
pub const MAX_STEPS: u32 = 100;

/// How the steps between the ends are spaced.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Scale {
    /// Equal differences: 50, 100, 150 ….
    Linear,
    /// Equal ratios: 0.0001, 0.001, 0.01 …; both ends above 0.
    Log,
}

/// A knob from `from` to `to` in `steps` values, ends included.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Axis {
    /// What it varies.
    pub knob: Knob,
    /// The first value.
    pub from: f64,
    /// The last value, above `from`.
    pub to: f64,
    /// How many values, 2 to [`MAX_STEPS`].
    pub steps: u32,
    /// How they are spaced.
    pub scale: Scale,
}

/// Which part of `KNOB=FROM..TO:STEPS[:log]` is wrong, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AxisError {
    /// `KNOB`, `FROM`, `TO`, `STEPS`, `log` or the whole text (`KNOB=FROM..TO:STEPS`).
    pub part: &'static str,
    /// What is wrong with it, in words to act on.
    pub reason: String,
}

impl fmt::Display for AxisError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.part, self.reason)
    }
}

impl std::error::Error for AxisError {}

/// The form an axis is written in, for messages.
pub const AXIS_FORM: &str = "KNOB=FROM..TO:STEPS, or KNOB=FROM..TO:STEPS:log for equal ratios \
                             (pool.max_size=50..400:8)";

fn error(part: &'static str, reason: impl Into<String>) -> AxisError {
    AxisError { part, reason: reason.into() }
}

impl Axis {
    /// Read `KNOB=FROM..TO:STEPS[:log]`; each error names the part that is wrong.
    ///
    /// ```
    /// use poolsim_engine::replicate::sweep::{Axis, Knob};
    /// let axis = Axis::parse("pool.max_size=50..400:8").unwrap();
    /// assert_eq!(axis.knob, Knob::MaxSize);
    /// assert_eq!(axis.values(), [50.0, 100.0, 150.0, 200.0, 250.0, 300.0, 350.0, 400.0]);
    /// assert_eq!(Axis::parse("pool.max_size=50..400:8x").unwrap_err().part, "STEPS");
    /// ```
    pub fn parse(text: &str) -> Result<Axis, AxisError> {
        let text = text.trim();
        let Some((name, range)) = text.split_once('=') else {
            return Err(error("KNOB=FROM..TO:STEPS", format!("no `=` after the knob; write {AXIS_FORM}")));
        };
        let name = name.trim();
        let knob = Knob::from_path(name).ok_or_else(|| {
            error("KNOB", format!("`{name}` is not a knob a sweep can vary; one of {}", Knob::paths()))
        })?;
        let mut parts = range.split(':');
        let ends = parts.next().unwrap_or_default();
        let Some((from, to)) = ends.split_once("..") else {
            return Err(error("FROM..TO", format!("`{ends}` is not a range; write FROM..TO (50..400)")));
        };
        let from = number(knob, "FROM", from)?;
        let to = number(knob, "TO", to)?;
        let steps = match parts.next().map(str::trim) {
            None | Some("") => return Err(error("STEPS", format!("missing; write {AXIS_FORM}"))),
            Some(steps) => {
                steps.parse::<u32>().ok().filter(|n| (2..=MAX_STEPS).contains(n)).ok_or_else(|| {
                    error("STEPS", format!("`{steps}` is not a whole number of values from 2 to {MAX_STEPS}"))
                })?
            }
        };
        let scale = match parts.next().map(str::trim) {
            None => Scale::Linear,
            Some("log") => Scale::Log,
            Some(other) => {
                return Err(error(
                    "log",
                    format!("`{other}` after STEPS: only `log` (equal ratios) may follow"),
                ));
            }
        };
        if let Some(extra) = parts.next() {
            return Err(error(
                "KNOB=FROM..TO:STEPS",
                format!("`:{extra}` is one part too many; write {AXIS_FORM}"),
            ));
        }
        Axis::new(knob, from, to, steps, scale)
    }

    /// An axis from its parts, checked as [`parse`](Self::parse) checks them.
    pub fn new(knob: Knob, from: f64, to: f64, steps: u32, scale: Scale) -> Result<Axis, AxisError> {
        if from.partial_cmp(&to) != Some(std::cmp::Ordering::Less) {
            return Err(error("TO", format!("{to} must be above FROM ({from})")));
        }
        if !(2..=MAX_STEPS).contains(&steps) {
            return Err(error("STEPS", format!("{steps} is not a number of values from 2 to {MAX_STEPS}")));
        }
        if scale == Scale::Log && from <= 0.0 {
            return Err(error("FROM", format!("{from}: equal ratios (log) need both ends above 0")));
        }
        let axis = Axis { knob, from, to, steps, scale };
        let values = axis.values();
        if let Some(w) = values.windows(2).find(|w| w[0] == w[1]) {
            let fewer = match scale {
                // Linear steps of whole numbers are distinct up to one per number.
                Scale::Linear => format!("at most {} steps here", (to - from) as u64 + 1),
                Scale::Log => "fewer steps, or a wider range".to_owned(),
            };
            return Err(error(
                "STEPS",
                format!(
                    "{steps} values from {from} to {to} give {} twice, as {} takes whole numbers: {fewer}",
                    w[0],
                    knob.path()
                ),
            ));
        }
        Ok(axis)
    }

    /// The values, `from` first and `to` last, each exactly so; rounded for a whole knob,
    /// to 12 significant digits for the others (0.002, not 0.0019999999999999996: the
    /// step's arithmetic leaves noise that would show in every output).
    pub fn values(&self) -> Vec<f64> {
        let last = self.steps.saturating_sub(1).max(1);
        (0..self.steps)
            .map(|k| {
                let v = if k == 0 {
                    self.from
                } else if k == last {
                    self.to
                } else {
                    let share = f64::from(k) / f64::from(last);
                    match self.scale {
                        Scale::Linear => self.from + (self.to - self.from) * share,
                        Scale::Log => {
                            let (a, b) = (libm::log(self.from), libm::log(self.to));
                            libm::exp(a + (b - a) * share)
                        }
                    }
                };
                if self.knob.is_whole() { libm::round(v) } else { significant(v) }
            })
            .collect()
    }

    /// Where `value` sits along the axis, in steps: 0 at `from`, `steps − 1` at `to`,
    /// between for the values between (on the log of the value for a log axis); `None`
    /// outside the axis or for a log axis and a value not above 0.
    pub fn position(&self, value: f64) -> Option<f64> {
        if !(self.from..=self.to).contains(&value) {
            return None;
        }
        let last = f64::from(self.steps - 1);
        let share = match self.scale {
            Scale::Linear => (value - self.from) / (self.to - self.from),
            Scale::Log => {
                let (a, b) = (libm::log(self.from), libm::log(self.to));
                (libm::log(value) - a) / (b - a)
            }
        };
        Some(share * last)
    }

    /// A title for the axis: the field path with its unit, and how it steps
    /// (`pool.max_size [connections]`, `leak.probability (log steps)`).
    pub fn title(&self) -> String {
        let unit = self.knob.unit();
        let unit = if unit.is_empty() { String::new() } else { format!(" [{unit}]") };
        let log = if self.scale == Scale::Log { " (log steps)" } else { "" };
        format!("{}{unit}{log}", self.knob.path())
    }
}

/// `KNOB=FROM..TO:STEPS[:log]` with the numbers as Rust writes them (the shortest text
/// that reads back as the same value): [`Axis::parse`] reads it back as the same axis.
impl fmt::Display for Axis {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}={}..{}:{}", self.knob.path(), self.from, self.to, self.steps)?;
        if self.scale == Scale::Log {
            f.write_str(":log")?;
        }
        Ok(())
    }
}

/// `v` to 12 significant digits, through decimal text (exact and the same on every
/// platform, as Rust's float formatting and parsing are correctly rounded). Written with
/// the decimal places that leave 12 significant digits (`{:.11e}` would round at the same
/// digit, but its exponential formatting weighs on the page that draws the axes); values
/// of 10¹² and more, beyond any setting a scenario accepts, are left as they are.
fn significant(v: f64) -> f64 {
    if v == 0.0 || !v.is_finite() {
        return v;
    }
    // The decimal exponent: 10^e ≤ |v| < 10^(e + 1). Within an ulp or so of a power of
    // ten `log10` may be one off, where 11, 12 or 13 digits all round to that power.
    let e = libm::floor(libm::log10(libm::fabs(v)));
    if e > 11.0 {
        return v;
    }
    let places = (11.0 - e) as usize;
    // The scenario reader's parser (correctly rounded, as `str::parse` is, so the same
    // bits), not std's: its tables would weigh on the page too.
    crate::scenario::exact::parse_f64(&format!("{v:.places$}")).unwrap_or(v)
}

/// `FROM` or `TO` of `knob`: a finite number, whole for a whole knob, within what the
/// field can hold.
fn number(knob: Knob, part: &'static str, text: &str) -> Result<f64, AxisError> {
    let text = text.trim();
    let value: f64 = crate::scenario::exact::parse_f64(text)
        .filter(|v: &f64| v.is_finite())
        .ok_or_else(|| error(part, format!("`{text}` is not a number")))?;
    if knob.is_whole() && (value.fract() != 0.0 || value < 0.0) {
        return Err(error(part, format!("`{text}`: {} takes whole numbers (0, 1, 2 …)", knob.path())));
    }
    if value.abs() > knob.capacity() {
        return Err(error(part, format!("`{text}` is too large for {}", knob.path())));
    }
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What `significant` was first written as: the value to 12 significant digits in
    /// exponential notation, read back.
    fn through_exponential(v: f64) -> f64 {
        format!("{v:.11e}").parse().expect("a number")
    }

    #[test]
    fn twelve_significant_digits_are_the_exponential_notations() {
        // Ties at the 13th digit (exact in binary) round alike too.
        let mut values = vec![
            0.0,
            1.0,
            9.5,
            0.1 + 0.2,
            1e-4,
            3.162_277_660_168_379e-4,
            999.999_999_999_95,
            1_234_567_890.125,
            1_234_567_890.375,
            987_654_321_098.5,
            987_654_321_097.5,
        ];
        // Around every power of ten, and a spread of values in between (a fixed LCG).
        for e in -20..=11 {
            let p = 10f64.powi(e);
            for v in
                [p, p.next_up(), p.next_down(), p * (1.0 + 4e-13), p * (1.0 - 4e-13), p * 9.999_999_999_995]
            {
                values.push(v);
            }
        }
        let mut x: u64 = 0x2545_f491_4f6c_dd1d;
        for _ in 0..20_000 {
            x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            let mantissa = (x >> 11) as f64 / (1u64 << 53) as f64 * 9.0 + 1.0;
            let e = ((x >> 3) % 32) as i32 - 20;
            values.push(mantissa * 10f64.powi(e));
        }
        for v in values {
            assert_eq!(significant(v).to_bits(), through_exponential(v).to_bits(), "{v:e}");
        }
    }

    fn part(text: &str) -> &'static str {
        Axis::parse(text).expect_err(text).part
    }

    #[test]
    fn log_steps_have_equal_ratios_and_exact_ends() {
        let axis = Axis::parse("leak.probability=1e-4..1e-2:5:log").expect("an axis");
        let v = axis.values();
        assert_eq!(
            v,
            [1e-4, 0.000316227766017, 1e-3, 0.00316227766017, 1e-2],
            "ends exact, steps to 12 digits"
        );
        assert!((v[1] / v[0] - v[3] / v[2]).abs() < 1e-12, "{v:?}");
        assert_eq!(axis.to_string(), "leak.probability=0.0001..0.01:5:log");
        assert_eq!(Axis::parse(&axis.to_string()), Ok(axis), "its text reads back as the same axis");
        assert_eq!(axis.position(1e-3).map(|p| (p * 1e9).round() / 1e9), Some(2.0));
        assert_eq!(axis.position(0.5), None);
    }

    #[test]
    fn whole_knobs_round_their_steps_and_refuse_repeats() {
        assert_eq!(
            Axis::parse("pool.max_size=10..20:4").expect("an axis").values(),
            [10.0, 13.0, 17.0, 20.0]
        );
        assert_eq!(
            Axis::parse("fleet.instances=1..100:5:log").expect("an axis").values(),
            [1.0, 3.0, 10.0, 32.0, 100.0]
        );
        let e = Axis::parse("pool.max_size=1..3:8").expect_err("repeats");
        assert_eq!(e.part, "STEPS");
        assert!(e.reason.contains("at most 3 steps"), "{e}");
    }

    #[test]
    fn each_malformed_part_is_named() {
        assert_eq!(part("pool.max_size"), "KNOB=FROM..TO:STEPS");
        assert_eq!(part("pool.size=50..400:8"), "KNOB");
        assert_eq!(part("pool.max_size=50-400:8"), "FROM..TO");
        assert_eq!(part("pool.max_size=fifty..400:8"), "FROM");
        assert_eq!(part("pool.max_size=50.5..400:8"), "FROM");
        assert_eq!(part("pool.max_size=50..inf:8"), "TO");
        assert_eq!(part("pool.max_size=400..50:8"), "TO");
        assert_eq!(part("pool.max_size=50..400"), "STEPS");
        assert_eq!(part("pool.max_size=50..400:8x"), "STEPS");
        assert_eq!(part("pool.max_size=50..400:1"), "STEPS");
        assert_eq!(part("pool.max_size=50..400:101"), "STEPS");
        assert_eq!(part("pool.max_size=50..400:8:ln"), "log");
        assert_eq!(part("leak.probability=0..0.01:5:log"), "FROM");
        assert_eq!(part("pool.max_size=1..1e10:8"), "TO");
        assert_eq!(part("pool.max_size=50..400:8:log:x"), "KNOB=FROM..TO:STEPS");
        let e = Axis::parse("pool.size=50..400:8").expect_err("unknown");
        assert!(e.to_string().starts_with("KNOB: `pool.size` is not a knob"), "{e}");
        assert!(e.reason.contains("pool.max_size, leak.probability"), "{e}");
    }
}
