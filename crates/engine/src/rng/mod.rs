//! Counter-based random draws: common random numbers across variants of a scenario.
//!
//! Every draw is a pure function of `(seed, stream, k, attempt)`: request k's
//! inter-arrival mass, hold time, slow-query decision and leak decision never depend
//! on pool state or on the order in which events ran. Two variants of a scenario (say,
//! one with a resize at t) therefore see the same arrivals and the same requests leak,
//! which makes comparing fixes fair.
//!
//! The mixing function is SplitMix64's output finalizer (Steele, Lea & Flood,
//! "Fast splittable pseudorandom number generators", OOPSLA 2014; the constants are
//! the `mix64variant13` ones Java's `SplittableRandom` uses). It is a bijection on
//! `u64` with full avalanche, so hashing a distinct counter gives an independent-looking
//! 64-bit value. Exp(1) draws use the ziggurat method ([`ziggurat`]); every other
//! floating-point transform goes through `libm`, so native and wasm runs produce the
//! same bits.

mod ziggurat;

/// Golden-ratio increment of SplitMix64: spreads consecutive counters apart before mixing.
pub(crate) const GOLDEN_GAMMA: u64 = 0x9E37_79B9_7F4A_7C15;

/// Independent sequences of draws; the discriminant is part of the hashed counter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u64)]
pub(crate) enum Stream {
    /// Exp(1) mass until the next arrival after request k.
    Arrival = 1,
    /// The hold-time draw of request k's attempt.
    Hold = 2,
    /// Second uniform of the hold-time draw (Box–Muller for log-normal holds).
    HoldPair = 3,
    /// Is request k's attempt a slow query?
    Slow = 4,
    /// Does request k's attempt leak its connection?
    Leak = 5,
    /// HikariCP's max-lifetime variance of connection k (k = its serial number).
    Lifetime = 6,
    /// Which waiter gets the k-th freed connection under a random wait order.
    Handoff = 7,
    /// Which instance the random balancer picks for request k's attempt.
    Balance = 8,
    /// The full-jitter pause before request k's retry (`attempt` = the retry's number).
    Jitter = 9,
    /// Does request k need no database (`app.no_db_share`)? Drawn once per request.
    NoDb = 10,
}

/// SplitMix64's finalizer: a bijective 64-bit mix with full avalanche.
pub(crate) const fn mix64(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The seed, pre-mixed; hands out draws by counter.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Draws {
    key: u64,
}

impl Draws {
    /// Draws for the scenario seed `seed`.
    pub(crate) const fn new(seed: u64) -> Self {
        Self { key: mix64(seed ^ 0x5DEE_CE66_D1CE_5EED) }
    }

    /// The draws of request (or counter) `k`: its first round of mixing, done once for
    /// all of its streams and attempts.
    #[inline]
    pub(crate) const fn request(self, k: u64) -> RequestDraws {
        RequestDraws { mixed: mix64(self.key.wrapping_add(k.wrapping_mul(GOLDEN_GAMMA))) }
    }

    /// Uniform in the open interval (0, 1) for `(stream, k, attempt)`.
    pub(crate) fn unit(self, stream: Stream, k: u64, attempt: u32) -> f64 {
        self.request(k).unit(stream, attempt)
    }

    /// Exp(1) for `(stream, k, attempt)`, by the ziggurat method.
    #[cfg_attr(not(target_arch = "wasm32"), inline)]
    pub(crate) fn exp1(self, stream: Stream, k: u64, attempt: u32) -> f64 {
        self.request(k).exp1(stream, attempt)
    }
}

/// One request's draws ([`Draws::request`]): its counter is mixed once for all of its
/// streams (a request's leak, slow-query and hold draws come together).
#[derive(Clone, Copy, Debug)]
pub(crate) struct RequestDraws {
    /// The request's counter after the first round.
    mixed: u64,
}

impl RequestDraws {
    /// 64 random bits for `(stream, attempt)`.
    ///
    /// Two rounds: first over k (the request, [`Draws::request`]), then over (attempt,
    /// stream), each input spread by the golden gamma as SplitMix64 does for consecutive
    /// states.
    #[inline]
    pub(crate) const fn bits(self, stream: Stream, attempt: u32) -> u64 {
        let lane = ((attempt as u64) << 8) | stream as u64;
        mix64(self.mixed ^ lane.wrapping_mul(GOLDEN_GAMMA))
    }

    /// Uniform in the open interval (0, 1): 53 random bits, centred in their cell so
    /// neither 0 (ln 0 = −∞) nor 1 can come out.
    #[inline]
    pub(crate) fn unit(self, stream: Stream, attempt: u32) -> f64 {
        const SCALE: f64 = 1.0 / (1u64 << 53) as f64;
        ((self.bits(stream, attempt) >> 11) as f64 + 0.5) * SCALE
    }

    /// Exp(1) for `(stream, attempt)`, by the ziggurat method.
    #[cfg_attr(not(target_arch = "wasm32"), inline)]
    pub(crate) fn exp1(self, stream: Stream, attempt: u32) -> f64 {
        ziggurat::exp1(self.bits(stream, attempt))
    }

    /// Standard normal by Box–Muller over the `Hold` and `HoldPair` uniforms.
    pub(crate) fn normal_hold(self, attempt: u32) -> f64 {
        let u1 = self.unit(Stream::Hold, attempt);
        let u2 = self.unit(Stream::HoldPair, attempt);
        libm::sqrt(-2.0 * libm::log(u1)) * libm::cos(core::f64::consts::TAU * u2)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn draws_depend_only_on_their_counter() {
        let d = Draws::new(7);
        assert_eq!(d.request(12).bits(Stream::Leak, 0), Draws::new(7).request(12).bits(Stream::Leak, 0));
        assert_ne!(d.request(12).bits(Stream::Leak, 0), d.request(13).bits(Stream::Leak, 0));
        assert_ne!(d.request(12).bits(Stream::Leak, 0), d.request(12).bits(Stream::Leak, 1));
        assert_ne!(d.request(12).bits(Stream::Leak, 0), d.request(12).bits(Stream::Hold, 0));
        assert_ne!(d.request(12).bits(Stream::Leak, 0), Draws::new(8).request(12).bits(Stream::Leak, 0));
    }

    #[test]
    fn uniforms_and_exponentials_have_the_right_moments() {
        let d = Draws::new(1);
        let n = 200_000u64;
        let (mut su, mut se, mut sn, mut sn2) = (0.0, 0.0, 0.0, 0.0);
        for k in 0..n {
            let u = d.unit(Stream::Slow, k, 0);
            assert!(u > 0.0 && u < 1.0);
            su += u;
            se += d.exp1(Stream::Arrival, k, 0);
            let z = d.request(k).normal_hold(0);
            sn += z;
            sn2 += z * z;
        }
        let nf = n as f64;
        assert!((su / nf - 0.5).abs() < 0.005);
        assert!((se / nf - 1.0).abs() < 0.01);
        assert!((sn / nf).abs() < 0.01);
        assert!((sn2 / nf - 1.0).abs() < 0.01);
    }
}
