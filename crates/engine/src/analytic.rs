//! Analytic companions shown beside the simulation: Little's law, Erlang C for an
//! M/M/c pool, and the time a leak takes to exhaust a pool.
//!
//! Pure functions of the settings; the tests check the simulator against them.

/// Expected connections in use by Little's law, L = λ·W [connections].
///
/// `rate_per_s` [requests/s], `hold_ms` mean hold [ms].
pub fn littles_law_active(rate_per_s: f64, hold_ms: f64) -> f64 {
    rate_per_s * hold_ms / 1000.0
}

/// Erlang B blocking probability for `servers` servers and offered load `a` [Erlang].
///
/// Uses the recursion B(0) = 1, B(k) = a·B(k−1) / (k + a·B(k−1)), which never
/// overflows (unlike the textbook aᶜ/c! sum), so it stays exact for 10,000 servers.
fn erlang_b(servers: u32, a: f64) -> f64 {
    let mut b = 1.0;
    for k in 1..=servers {
        let ab = a * b;
        b = ab / (f64::from(k) + ab);
    }
    b
}

/// Offered load a = λ·hold [Erlang], or `None` if the inputs make no M/M/c queue
/// (no servers, negative or non-finite values, or a ≥ servers: the queue grows without bound).
fn stable_load(servers: u32, rate_per_s: f64, hold_ms: f64) -> Option<f64> {
    let a = littles_law_active(rate_per_s, hold_ms);
    if servers == 0 || !a.is_finite() || a < 0.0 || a >= f64::from(servers) {
        return None;
    }
    Some(a)
}

/// Erlang C: the probability that a request has to wait for a connection in an
/// M/M/c pool of `servers` connections, Poisson arrivals at `rate_per_s`
/// [requests/s] and exponential holds of mean `hold_ms` [ms].
///
/// `None` when λ·hold ≥ servers (unstable: the wait grows without bound).
pub fn erlang_c_wait_probability(servers: u32, rate_per_s: f64, hold_ms: f64) -> Option<f64> {
    let a = stable_load(servers, rate_per_s, hold_ms)?;
    let c = f64::from(servers);
    let b = erlang_b(servers, a);
    // C = c·B / (c − a·(1 − B)), the standard B → C conversion.
    Some(c * b / (c - a * (1.0 - b)))
}

/// Erlang C mean wait of all requests (those served at once count as 0) [ms].
///
/// W_q = C / (c·μ − λ); `None` when λ·hold ≥ servers.
pub fn erlang_c_mean_wait_ms(servers: u32, rate_per_s: f64, hold_ms: f64) -> Option<f64> {
    let a = stable_load(servers, rate_per_s, hold_ms)?;
    let p_wait = erlang_c_wait_probability(servers, rate_per_s, hold_ms)?;
    if a == 0.0 {
        return Some(0.0);
    }
    // c·μ − λ expressed per ms of hold: (c − a) / hold_ms.
    Some(p_wait * hold_ms / (f64::from(servers) - a))
}

/// Time for a leak to exhaust the pool [s]: T ≈ (N − λ·hold) / (λ·p).
///
/// The pool starts with about λ·hold connections busy; each request leaks with
/// probability p, so leaked connections pile up at λ·p per second until the
/// remaining N − λ·hold are gone. Doubling N therefore only roughly doubles T.
/// `None` if λ or p is 0 (no leak, never exhausts) or the inputs are not finite;
/// `Some(0.0)` if the pool is already saturated without any leak.
pub fn time_to_exhaustion_s(
    max_size: u32,
    rate_per_s: f64,
    hold_ms: f64,
    leak_probability: f64,
) -> Option<f64> {
    let leak_rate = rate_per_s * leak_probability;
    if !(leak_rate.is_finite() && leak_rate > 0.0 && hold_ms.is_finite()) {
        return None;
    }
    let spare = f64::from(max_size) - littles_law_active(rate_per_s, hold_ms);
    Some((spare / leak_rate).max(0.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn erlang_c_matches_textbook_values() {
        // M/M/1 at ρ = 0.5: P(wait) = ρ, W_q = ρ/(μ − λ) = 0.5·hold/(1 − 0.5) = hold.
        let p = erlang_c_wait_probability(1, 12.5, 40.0).unwrap_or(f64::NAN);
        assert!((p - 0.5).abs() < 1e-12);
        let w = erlang_c_mean_wait_ms(1, 12.5, 40.0).unwrap_or(f64::NAN);
        assert!((w - 40.0).abs() < 1e-9);
        // c = 2, a = 1: C = 1/3 (textbook).
        let p2 = erlang_c_wait_probability(2, 25.0, 40.0).unwrap_or(f64::NAN);
        assert!((p2 - 1.0 / 3.0).abs() < 1e-12);
    }

    #[test]
    fn erlang_c_works_for_ten_thousand_servers() {
        let p = erlang_c_wait_probability(10_000, 9_900.0 * 1000.0 / 40.0, 40.0).unwrap_or(f64::NAN);
        assert!(p.is_finite() && (0.0..=1.0).contains(&p), "p = {p}");
    }

    #[test]
    fn unstable_or_leak_free_inputs_give_none() {
        assert_eq!(erlang_c_wait_probability(4, 100.0, 40.0), None);
        assert_eq!(erlang_c_mean_wait_ms(0, 1.0, 40.0), None);
        assert_eq!(time_to_exhaustion_s(100, 150.0, 40.0, 0.0), None);
        assert_eq!(time_to_exhaustion_s(100, 0.0, 40.0, 0.01), None);
    }

    #[test]
    fn doubling_the_pool_roughly_doubles_the_time_bought() {
        let t1 = time_to_exhaustion_s(100, 150.0, 40.0, 0.001).unwrap_or(f64::NAN);
        let t2 = time_to_exhaustion_s(200, 150.0, 40.0, 0.001).unwrap_or(f64::NAN);
        assert!((t1 - 94.0 / 0.15).abs() < 1e-9);
        assert!(t2 / t1 > 2.0 && t2 / t1 < 2.2);
    }
}
