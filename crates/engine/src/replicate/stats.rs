//! Statistics over replications: [`Stats`] of a figure, the [`Share`] of runs where
//! something happened, the paired [`Difference`] of two variants.

use distrs::{Normal, StudentsT};
use serde::{Deserialize, Serialize};

use crate::histogram::nearest_rank;

/// The confidence level of every interval: 95 %.
pub const CONFIDENCE: f64 = 0.95;

/// The upper quantile of a two-sided interval at [`CONFIDENCE`]: 0.975.
const UPPER: f64 = 1.0 - (1.0 - CONFIDENCE) / 2.0;

/// Student's t quantile: the `t` with `P(T ≤ t) = p` for `df` degrees of freedom
/// (`t(0.975, 9)` = 2.262). NaN for `p` outside 0–1 or `df` = 0.
pub fn student_t_quantile(p: f64, df: u32) -> f64 {
    if df == 0 { f64::NAN } else { StudentsT::ppf(p, df) }
}

/// The standard normal quantile: the `z` with `P(Z ≤ z) = p` (`z(0.975)` = 1.960).
pub fn normal_quantile(p: f64) -> f64 {
    Normal::ppf(p, 0.0, 1.0)
}

/// A closed interval `[low, high]`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Interval {
    /// Lower end.
    pub low: f64,
    /// Upper end.
    pub high: f64,
}

impl Interval {
    /// `x` lies within it (ends included).
    pub fn contains(&self, x: f64) -> bool {
        self.low <= x && x <= self.high
    }
}

/// A figure over the runs where it has a value (see the [module](super) for the
/// definitions). Every field but `n` is `None` without values; `std_dev` and `ci95` need two.
/// [`Replications::report`](super::Replications::report) cuts the interval to the values
/// the figure can take ([`within`](Self::within)).
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Stats {
    /// Runs with a value.
    pub n: u32,
    /// Mean.
    pub mean: Option<f64>,
    /// Sample standard deviation (divisor n − 1).
    pub std_dev: Option<f64>,
    /// 95 % confidence interval of the mean (Student's t).
    pub ci95: Option<Interval>,
    /// Median (nearest rank: the lower middle value of an even count).
    pub median: Option<f64>,
    /// 5th percentile (nearest rank).
    pub p5: Option<f64>,
    /// 95th percentile (nearest rank).
    pub p95: Option<f64>,
}

impl Stats {
    /// The statistics of `values`, given in run order (sums run in that order, so the
    /// same values in the same order give the same bits).
    pub fn of(values: &[f64]) -> Stats {
        let Some((n, mean, std_dev)) = moments(values) else { return Stats::default() };
        let middle = Percentiles::of(values);
        Stats {
            n,
            mean: Some(mean),
            std_dev,
            ci95: std_dev.map(|s| mean_interval(mean, s, n)),
            median: middle.map(|p| p.median),
            p5: middle.map(|p| p.p5),
            p95: middle.map(|p| p.p95),
        }
    }
}

/// The median and the range of 90 % of some values (nearest rank): [`Stats`]'s, without
/// the mean and its interval — all a page that says the range needs (the visualizer's
/// and a lesson's "how sure", whose downloads then carry no Student's t).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Percentiles {
    /// 5th percentile.
    pub p5: f64,
    /// Median (the lower middle value of an even count).
    pub median: f64,
    /// 95th percentile.
    pub p95: f64,
}

impl Percentiles {
    /// The percentiles of `values`; `None` for none.
    pub fn of(values: &[f64]) -> Option<Percentiles> {
        let mut sorted = values.to_vec();
        // The project's small sort (no standard sort in the pages' downloads): equal values
        // in total order are the same bits, so any correct sort gives the same order.
        crate::sort::stable_by(&mut sorted, |a, b| a.total_cmp(b).is_lt());
        let at = |q: f64| sorted.get(rank_index(q, sorted.len())).copied();
        Some(Percentiles { p5: at(0.05)?, median: at(0.5)?, p95: at(0.95)? })
    }
}

impl Stats {
    /// The same, with the interval cut to `low..=high`, the values the figure can take:
    /// a skewed figure's t interval can reach below 0 where no wait can.
    pub fn within(self, low: f64, high: f64) -> Stats {
        let ci95 =
            self.ci95.map(|ci| Interval { low: ci.low.clamp(low, high), high: ci.high.clamp(low, high) });
        Stats { ci95, ..self }
    }
}

/// Count, mean and (from two values) sample standard deviation, two passes in order.
fn moments(values: &[f64]) -> Option<(u32, f64, Option<f64>)> {
    if values.is_empty() {
        return None;
    }
    // At most MAX_RUNS values: the count fits.
    let n = u32::try_from(values.len()).unwrap_or(u32::MAX);
    let mean = values.iter().sum::<f64>() / f64::from(n);
    let std_dev = (n >= 2).then(|| {
        let squares: f64 = values.iter().map(|x| (x - mean) * (x - mean)).sum();
        libm::sqrt(squares / f64::from(n - 1))
    });
    Some((n, mean, std_dev))
}

/// 0-based index of the nearest-rank `q` quantile among `len` sorted values.
fn rank_index(q: f64, len: usize) -> usize {
    usize::try_from(nearest_rank(q, len as u64)).map_or(0, |r| r - 1)
}

/// `mean ± t(0.975, n − 1)·s/√n`, for `n ≥ 2`.
fn mean_interval(mean: f64, std_dev: f64, n: u32) -> Interval {
    let half = student_t_quantile(UPPER, n - 1) * std_dev / libm::sqrt(f64::from(n));
    Interval { low: mean - half, high: mean + half }
}

/// How many of some runs something happened in (the pool ran out), with the 95 % Wilson
/// score interval of the share.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Share {
    /// Runs where it happened.
    pub count: u32,
    /// Runs.
    pub of: u32,
    /// `count / of`; `None` without runs.
    pub share: Option<f64>,
    /// Wilson's 95 % interval of the share, within 0–1; `None` without runs.
    pub ci95: Option<Interval>,
}

impl Share {
    /// `count` of `of` runs.
    pub fn new(count: u32, of: u32) -> Share {
        if of == 0 {
            return Share { count, of, share: None, ci95: None };
        }
        let (k, n) = (f64::from(count.min(of)), f64::from(of));
        let p = k / n;
        let z = normal_quantile(UPPER);
        let z2 = z * z;
        let centre = (p + z2 / (2.0 * n)) / (1.0 + z2 / n);
        let half = z / (1.0 + z2 / n) * libm::sqrt(p * (1.0 - p) / n + z2 / (4.0 * n * n));
        let ci95 = Interval { low: (centre - half).max(0.0), high: (centre + half).min(1.0) };
        Share { count, of, share: Some(p), ci95: Some(ci95) }
    }
}

/// A variant against the base over paired runs (the same replication index, so the same
/// seed): the mean of `variant − base`, its 95 % interval, and whether that excludes 0.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Difference {
    /// Pairs where both runs have a value.
    pub pairs: u32,
    /// Mean difference, variant − base.
    pub mean: Option<f64>,
    /// 95 % confidence interval of the mean difference (Student's t over the pairs).
    pub ci95: Option<Interval>,
    /// The interval excludes 0: the difference is not chance at 95 %.
    pub significant: bool,
}

impl Difference {
    /// The difference from the per-pair differences (variant − base), in run order.
    pub fn of(differences: &[f64]) -> Difference {
        let Some((pairs, mean, std_dev)) = moments(differences) else { return Difference::default() };
        let ci95 = std_dev.map(|s| mean_interval(mean, s, pairs));
        Difference { pairs, mean: Some(mean), ci95, significant: ci95.is_some_and(|ci| !ci.contains(0.0)) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, tolerance: f64) -> bool {
        (a - b).abs() <= tolerance
    }

    /// Two-sided 95 % critical values of Student's t as printed tables give them (12.706,
    /// 4.303, 3.182 …), to 6 decimals.
    #[test]
    fn t_quantiles_match_the_tables() {
        for (df, t) in [
            (1, 12.706_205),
            (2, 4.302_653),
            (3, 3.182_446),
            (4, 2.776_445),
            (5, 2.570_582),
            (9, 2.262_157),
            (10, 2.228_139),
            (19, 2.093_024),
            (29, 2.045_230),
            (30, 2.042_272),
            (99, 1.984_217),
            (100, 1.983_972),
            (999, 1.962_341),
        ] {
            let got = student_t_quantile(0.975, df);
            assert!(close(got, t, 1e-5), "t(0.975, {df}) = {got}, table {t}");
        }
        assert!(close(student_t_quantile(0.95, 10), 1.812_461, 1e-5));
        assert!(close(student_t_quantile(0.025, 10), -2.228_139, 1e-5));
        assert!(close(normal_quantile(0.975), 1.959_964, 1e-6));
        assert!(student_t_quantile(0.975, 0).is_nan());
    }

    /// A sample worked by hand: 2, 4, 4, 4, 5, 5, 7, 9 has mean 5, Σ(x − 5)² = 32,
    /// s = √(32/7) = 2.138090, s/√8 = 0.755929, t(0.975, 7) = 2.364624.
    #[test]
    fn mean_interval_and_percentiles_of_a_known_sample() {
        let s = Stats::of(&[9.0, 2.0, 5.0, 4.0, 4.0, 7.0, 4.0, 5.0]);
        assert_eq!(s.n, 8);
        assert_eq!(s.mean, Some(5.0));
        assert!(close(s.std_dev.expect("two values"), 2.138_090, 1e-6));
        let ci = s.ci95.expect("two values");
        let half = 2.364_624 * 0.755_929;
        assert!(close(ci.low, 5.0 - half, 1e-5) && close(ci.high, 5.0 + half, 1e-5), "{ci:?}");
        // Nearest rank over 2 4 4 4 5 5 7 9: ⌈0.5·8⌉ = 4th, ⌈0.05·8⌉ = 1st, ⌈0.95·8⌉ = 8th.
        assert_eq!((s.median, s.p5, s.p95), (Some(4.0), Some(2.0), Some(9.0)));
    }

    #[test]
    fn one_value_has_a_mean_but_no_interval_and_none_has_nothing() {
        let one = Stats::of(&[3.5]);
        assert_eq!((one.n, one.mean, one.median, one.p95), (1, Some(3.5), Some(3.5), Some(3.5)));
        assert_eq!((one.std_dev, one.ci95), (None, None));
        assert_eq!(Stats::of(&[]), Stats::default());
        assert_eq!(Difference::of(&[]), Difference::default());
        assert!(!Difference::of(&[2.0]).significant, "one pair proves nothing");
    }

    #[test]
    fn a_difference_is_significant_when_its_interval_excludes_zero() {
        let clear = Difference::of(&[-10.0, -12.0, -9.0, -11.0, -10.5]);
        assert!(clear.significant && clear.ci95.is_some_and(|ci| ci.high < 0.0), "{clear:?}");
        let noise = Difference::of(&[-3.0, 2.0, 1.0, -1.0, 0.5]);
        assert!(!noise.significant && noise.ci95.is_some_and(|ci| ci.contains(0.0)), "{noise:?}");
        let same = Difference::of(&[0.0; 5]);
        assert!(!same.significant, "{same:?}");
    }

    #[test]
    fn an_interval_is_cut_to_the_values_a_figure_can_take() {
        // One long wait among short ones: the t interval reaches below 0.
        let skewed = Stats::of(&[1.0, 1.0, 1.0, 1.0, 100.0]);
        assert!(skewed.ci95.is_some_and(|ci| ci.low < 0.0), "{skewed:?}");
        let cut = skewed.within(0.0, f64::INFINITY);
        assert_eq!(cut.ci95.map(|ci| ci.low), Some(0.0));
        assert_eq!(cut.ci95.map(|ci| ci.high), skewed.ci95.map(|ci| ci.high));
        assert_eq!((cut.mean, cut.median), (skewed.mean, skewed.median));
    }

    /// Wilson's score interval (Wilson 1927), worked out with z = 1.959964.
    #[test]
    fn share_intervals_are_wilsons() {
        let s = Share::new(7, 10);
        assert_eq!(s.share, Some(0.7));
        let ci = s.ci95.expect("runs");
        assert!(close(ci.low, 0.396_778, 1e-5) && close(ci.high, 0.892_208, 1e-5), "{ci:?}");
        let all = Share::new(20, 20).ci95.expect("runs");
        assert!(close(all.low, 0.838_875, 1e-5) && all.high == 1.0, "{all:?}");
        let none = Share::new(0, 20).ci95.expect("runs");
        assert!(none.low == 0.0 && close(none.high, 0.161_124, 1e-5), "{none:?}");
        assert_eq!(Share::new(0, 0).share, None);
    }
}
