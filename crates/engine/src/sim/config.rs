//! The live settings: the scenario's values after timeline and live actions, kept
//! both as the public [`Settings`] and as the microsecond values the hot path uses.

use crate::flavour::{Flavour, WaitOrder};
use crate::rng::{Draws, RequestDraws, Stream};
use crate::scenario::validate::MAX_WAITING;
use crate::scenario::{HoldDistribution, Scenario};
use crate::sim::view::Settings;
use crate::time::SimDuration;

/// Milliseconds to a span of simulated time, saturating instead of overflowing.
#[inline]
pub(crate) fn ms_to_us(ms: u64) -> SimDuration {
    SimDuration::from_millis(ms)
}

/// Fractional milliseconds to a span of simulated time, rounded to the nearest µs; negative
/// or NaN → 0, huge → the longest span (the `as` cast saturates).
#[inline]
pub(crate) fn ms_f64_to_us(ms: f64) -> SimDuration {
    SimDuration::from_millis_f64(ms)
}

/// Seconds to a span of simulated time, rounded to the nearest µs (as
/// [`SimTime::from_secs_f64`](crate::time::SimTime::from_secs_f64)).
#[inline]
pub(crate) fn s_f64_to_us(s: f64) -> SimDuration {
    SimDuration::from_secs_f64(s)
}

/// A finite, non-negative value or 0 (defence in depth behind `Scenario::validate`).
pub(crate) fn non_negative(x: f64) -> f64 {
    if x.is_finite() && x > 0.0 { x } else { 0.0 }
}

/// The settings in force now.
#[derive(Clone, Debug)]
pub(crate) struct Live {
    pub(crate) settings: Settings,
    /// `connectionTimeout` for new waiters [µs] (0 = wait forever).
    pub(crate) timeout_us: SimDuration,
    /// The pool simulated.
    pub(crate) flavour: Flavour,
    /// Who gets a connection that comes free.
    pub(crate) wait_order: WaitOrder,
    /// Most requests waiting while the pool is full (`max_waiting`, capped at [`MAX_WAITING`]).
    pub(crate) max_waiting: u32,
    /// Most idle connections kept (`max_idle`; `u32::MAX` = all).
    pub(crate) max_idle: u32,
    /// `leakDetectionThreshold` for new holds [µs] (0 = off).
    pub(crate) leak_threshold_us: SimDuration,
    /// `removeAbandonedTimeout` [µs] (0 = off).
    pub(crate) abandoned_us: SimDuration,
    /// Time to open one connection [µs].
    pub(crate) connect_us: SimDuration,
    /// `idleTimeout` [µs] (0 = never).
    pub(crate) idle_timeout_us: SimDuration,
    /// `maxLifetime` [µs] (0 = never).
    pub(crate) max_lifetime_us: SimDuration,
    pub(crate) distribution: HoldDistribution,
    pub(crate) sigma: f64,
    pub(crate) slow_share: f64,
    /// Mean hold of a slow query [ms].
    pub(crate) slow_hold_ms: f64,
}

impl Live {
    /// The settings at time 0.
    pub(crate) fn new(s: &Scenario) -> Self {
        let p = &s.pool;
        let settings = Settings {
            rate_per_s: non_negative(s.traffic.rate_per_s),
            hold_ms: non_negative(s.work.hold_ms),
            leak_probability: non_negative(s.leak.probability).min(1.0),
            max_size: p.max_size,
            min_idle: p.effective_min_idle(),
            connection_timeout_ms: p.connection_timeout_ms,
            leak_detection_threshold_ms: p.leak_detection_threshold_ms,
            abandoned_timeout_ms: p.abandoned_timeout_ms,
        };
        Self {
            settings,
            timeout_us: ms_to_us(p.connection_timeout_ms),
            flavour: p.flavour,
            wait_order: p.wait_order,
            max_waiting: p.max_waiting.unwrap_or(MAX_WAITING).min(MAX_WAITING),
            max_idle: p.max_idle.unwrap_or(u32::MAX),
            leak_threshold_us: ms_to_us(p.leak_detection_threshold_ms),
            abandoned_us: ms_to_us(p.abandoned_timeout_ms),
            connect_us: ms_f64_to_us(p.connect_ms),
            idle_timeout_us: ms_to_us(p.idle_timeout_ms),
            max_lifetime_us: ms_to_us(p.max_lifetime_ms),
            distribution: s.work.hold_distribution,
            sigma: non_negative(s.work.lognormal_sigma),
            slow_share: non_negative(s.work.slow_share).min(1.0),
            slow_hold_ms: non_negative(s.work.slow_hold_ms),
        }
    }

    /// `maximumPoolSize`.
    pub(crate) fn max_size(&self) -> u32 {
        self.settings.max_size
    }

    /// `minimumIdle`, never above `maximumPoolSize`.
    pub(crate) fn min_idle(&self) -> u32 {
        self.settings.min_idle.min(self.settings.max_size)
    }

    /// Idle connections kept when one comes back: `max_idle`, never below `min_idle`.
    pub(crate) fn idle_cap(&self) -> u32 {
        self.max_idle.max(self.min_idle())
    }

    /// Hold time of request `k`'s attempt [µs], from its own draws: the same request
    /// holds for the same multiple of the mean in every variant of the scenario.
    pub(crate) fn hold_us(&self, draws: RequestDraws, attempt: u32) -> SimDuration {
        let slow = self.slow_share > 0.0 && draws.unit(Stream::Slow, attempt) < self.slow_share;
        let mean_ms = if slow { self.slow_hold_ms } else { self.settings.hold_ms };
        let ms = match self.distribution {
            HoldDistribution::Exponential => mean_ms * draws.exp1(Stream::Hold, attempt),
            HoldDistribution::Constant => mean_ms,
            // E[exp(σZ − σ²/2)] = 1, so the mean stays `mean_ms` whatever σ.
            HoldDistribution::Lognormal => {
                let z = draws.normal_hold(attempt);
                mean_ms * libm::exp(self.sigma * z - 0.5 * self.sigma * self.sigma)
            }
        };
        ms_f64_to_us(ms)
    }

    /// Does request `k`'s attempt leak its connection under the current leak probability?
    pub(crate) fn leaks(&self, draws: RequestDraws, attempt: u32) -> bool {
        let p = self.settings.leak_probability;
        p > 0.0 && draws.unit(Stream::Leak, attempt) < p
    }

    /// Max lifetime of connection `serial` [µs]: HikariCP subtracts a random variance of
    /// up to 2.5 % (for lifetimes over 10 s) so connections opened together do not all
    /// retire at once. `None` when lifetimes are unlimited.
    pub(crate) fn lifetime_us(&self, draws: Draws, serial: u64) -> Option<SimDuration> {
        let life = self.max_lifetime_us.as_micros();
        if life == 0 {
            return None;
        }
        if life <= 10_000_000 {
            return Some(SimDuration::from_micros(life));
        }
        let variance = (draws.unit(Stream::Lifetime, serial, 0) * (life / 40) as f64) as u64;
        Some(SimDuration::from_micros(life - variance))
    }
}
