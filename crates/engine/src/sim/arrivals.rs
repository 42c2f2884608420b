//! Arrivals of new requests: a non-homogeneous Poisson process at the piecewise-constant
//! rate λ(t), by the time-change method.
//!
//! Request k draws an Exp(1) "mass" from its own counter; it arrives when ∫λ dt since
//! the previous arrival reaches that mass. When the rate changes, the mass already
//! accumulated is kept and the rest is spent at the new rate, which is exact for
//! a Poisson process and keeps request k's draw the same in every variant. At rate 0
//! the mass waits until the rate rises again. Exact (fractional) arrival times are
//! kept in `f64` so rounding to whole microseconds never drifts the rate.

use crate::rng::{Draws, Stream};
use crate::sim::queue::EventQueue;
use crate::time::{SimTime, round_u64};

/// The arrival process.
#[derive(Clone, Debug)]
pub(crate) struct Arrivals {
    /// Id of the next new request.
    next_k: u64,
    /// Exp(1) mass still to accumulate before request `next_k` arrives.
    mass_left: f64,
    /// Exact time at which `mass_left` was measured [µs].
    origin_us: f64,
    /// Current rate [requests/µs].
    rate_per_us: f64,
    /// Exact time of the pending arrival, `origin_us + mass_left / rate_per_us`, as
    /// scheduled [µs]: kept so the arrival does not divide again.
    due_us: f64,
}

impl Arrivals {
    /// The process at time 0 with rate `rate_per_s` [requests/s]; schedules the first arrival.
    pub(crate) fn start(draws: Draws, rate_per_s: f64, queue: &mut EventQueue) -> Self {
        let mut a = Self {
            next_k: 0,
            mass_left: draws.exp1(Stream::Arrival, 0, 0),
            origin_us: 0.0,
            rate_per_us: rate_per_s / 1e6,
            due_us: 0.0,
        };
        a.schedule(queue);
        a
    }

    /// Put the pending arrival in the queue (replacing an earlier schedule).
    fn schedule(&mut self, queue: &mut EventQueue) {
        let at = (self.rate_per_us > 0.0).then(|| {
            self.due_us = self.origin_us + self.mass_left / self.rate_per_us;
            // The cast saturates, and the queue drops times past the end of the run.
            SimTime::from_micros(round_u64(self.due_us))
        });
        queue.set_arrival(at);
    }

    /// The pending arrival happened: returns its request id and schedules the next.
    pub(crate) fn arrived(&mut self, draws: Draws, queue: &mut EventQueue) -> u64 {
        let k = self.next_k;
        // Only an arrival that was scheduled happens: `due_us` is its time.
        self.origin_us = self.due_us;
        self.next_k += 1;
        self.mass_left = draws.exp1(Stream::Arrival, self.next_k, 0);
        self.schedule(queue);
        k
    }

    /// The rate becomes `rate_per_s` [requests/s] at `now`.
    pub(crate) fn set_rate(&mut self, now: SimTime, rate_per_s: f64, queue: &mut EventQueue) {
        let now = now.as_micros() as f64;
        if now > self.origin_us {
            // The pending event may lie up to 0.5 µs before the exact time: clamp at 0.
            self.mass_left = (self.mass_left - self.rate_per_us * (now - self.origin_us)).max(0.0);
            self.origin_us = now;
        }
        self.rate_per_us = rate_per_s / 1e6;
        self.schedule(queue);
    }
}
