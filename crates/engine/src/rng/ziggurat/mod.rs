//! Exp(1) by the ziggurat method (Marsaglia & Tsang, "The Ziggurat Method for Generating
//! Random Variables", J. Stat. Softw. 5(8), 2000), the same layout as `rand_distr`'s `Exp1`.
//!
//! Two Exp(1) draws per request (its arrival and its hold) are the hottest arithmetic in
//! the engine; `-ln U` costs a logarithm every time, the ziggurat a multiply and a compare
//! about 99 % of the time. The exponential density is covered by 256 layers of equal
//! area v; a draw picks a layer and a point in it, and only a point near the curve (or in
//! the tail beyond R) needs `libm::exp`/`libm::log`. The method is exact: what it returns
//! is Exp(1)-distributed, not an approximation.
//!
//! That common case is inlined where a draw is made, the rest is a cold call
//! (`exp1_beyond`): −5.6 % instructions on a one-hour run of
//! `abandoned-reclaim-kills-slow-queries`, −6.4 % on June 15 (cachegrind), the same bits.
//!
//! The tables are constants, computed once with 60-digit decimal arithmetic from
//! R = 7.69711747013104971 and v = 0.0039496598225815571993 (X[i+1] = −ln(e^(−X[i]) + v/X[i]))
//! and rounded to the nearest `f64`, so every platform uses the same bits (`tables.rs`).

mod tables;

use self::tables::{F, X};
use crate::rng::mix64;

/// Start of the tail: beyond it the base layer hands over to R + Exp(1).
const R: f64 = 7.697_117_470_131_05;

/// Draws beyond the first come from this chain, seeded by the first draw's bits.
const CHAIN_GAMMA: u64 = 0x9E37_79B9_7F4A_7C15;

/// 2⁻⁵³: 53 random bits times this is a uniform in [0, 1).
const SCALE: f64 = 1.0 / (1u64 << 53) as f64;

/// An Exp(1) draw starting from the 64 random bits `bits` (the counter-based draw of
/// the request); the rare rejections continue with a deterministic chain of further
/// bits, so the result is still a pure function of the original counter.
///
/// The first point accepted inside its layer (about 99 % of draws) is inlined into the
/// caller; everything else, [`exp1_beyond`], is a call of its own that repeats that first
/// step, so both give the same bits. Kept apart, the common path saves the call and the
/// registers the loop's calls into `libm` need (a third of this function's instructions).
/// Not inlined in wasm, where the page's size comes first.
#[cfg_attr(not(target_arch = "wasm32"), inline)]
pub(crate) fn exp1(bits: u64) -> f64 {
    let i = (bits & 0xFF) as usize;
    let x = (bits >> 11) as f64 * SCALE * X[i];
    if x < X[i + 1] {
        return x;
    }
    exp1_beyond(bits)
}

/// [`exp1`] in full: the draws near the curve or in the tail, and the rejections.
#[cold]
#[inline(never)]
fn exp1_beyond(bits: u64) -> f64 {
    let mut state = bits;
    let mut next = move || {
        let out = state;
        state = mix64(state.wrapping_add(CHAIN_GAMMA));
        out
    };
    loop {
        let b = next();
        let i = (b & 0xFF) as usize;
        // 53 bits independent of the 8 layer bits: a uniform in [0, 1).
        let u = (b >> 11) as f64 * SCALE;
        let x = u * X[i];
        if x < X[i + 1] {
            return x;
        }
        if i == 0 {
            // The tail is memoryless: R plus a fresh Exp(1), by inversion (open interval).
            let u_tail = ((next() >> 11) as f64 + 0.5) * SCALE;
            return R - libm::log(u_tail);
        }
        // Between the layer's edges: accept if a uniform height lies under the density.
        let height = F[i + 1] + (F[i] - F[i + 1]) * ((next() >> 11) as f64 * SCALE);
        if height < libm::exp(-x) {
            return x;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tables_describe_equal_area_layers() {
        assert_eq!(X[1], R);
        assert_eq!(X[256], 0.0);
        let v = X[1] * (F[2] - F[1]);
        for i in 1..256 {
            assert!(X[i + 1] < X[i]);
            let area = X[i] * (F[i + 1] - F[i]);
            assert!((area - v).abs() < 1e-15, "layer {i}: {area} vs {v}");
            assert!((F[i] - libm::exp(-X[i])).abs() < 2.5e-16, "F[{i}]");
        }
    }

    #[test]
    fn draws_follow_the_exponential_distribution() {
        let n = 400_000u64;
        let mut below = [0u64; 4];
        let mut sum = 0.0;
        let mut sum_sq = 0.0;
        for k in 0..n {
            let x = exp1(mix64(k.wrapping_mul(0x2545_F491_4F6C_DD1D)));
            assert!(x >= 0.0 && x.is_finite());
            sum += x;
            sum_sq += x * x;
            for (j, q) in [0.1, 1.0, 3.0, 8.0].iter().enumerate() {
                below[j] += u64::from(x < *q);
            }
        }
        let nf = n as f64;
        assert!((sum / nf - 1.0).abs() < 0.005, "mean {}", sum / nf);
        assert!((sum_sq / nf - 2.0).abs() < 0.02, "E[x²] {}", sum_sq / nf);
        // CDF 1 − e^(−q), including the tail beyond R.
        for (j, q) in [0.1f64, 1.0, 3.0, 8.0].iter().enumerate() {
            let expected = 1.0 - libm::exp(-q);
            let got = below[j] as f64 / nf;
            assert!((got - expected).abs() < 0.003, "P(x < {q}) = {got}, expected {expected}");
        }
    }
}
