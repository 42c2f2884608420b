//! Analytic companions shown beside the simulation: Little's law, Erlang C for an
//! M/M/c pool, the time a leak takes to exhaust a pool, and for the database behind it:
//! the Universal Scalability Law, its peak and the query time it gives a saturated pool,
//! the processor-sharing response time, HikariCP's pool-size rule of thumb and a fleet's
//! connections against `max_connections`.
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

/// The share of requests a server of `threads` request threads and no accept queue
/// refuses (Erlang B, an M/M/c/c loss system): Poisson arrivals at `rate_per_s`
/// [requests/s], each holding its thread for an exponential `hold_ms` [ms] on average.
pub fn erlang_b_refused(threads: u32, rate_per_s: f64, hold_ms: f64) -> f64 {
    erlang_b(threads, littles_law_active(rate_per_s, hold_ms))
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

/// Throughput of a database running `n` queries at once with `cores` cores, in units
/// of one uncontended query's rate (a query alone progresses at rate 1): Gunther's
/// Universal Scalability Law with the parallelism capped at the cores,
/// `X(n) = min(n, cores) / (1 + σ·(n − 1) + κ·n·(n − 1))`. σ (`contention`) is the
/// serial share (locks, a hot row), κ (`coherency`) the cost of keeping every pair of
/// workers consistent (cache lines, buffer pool). 0 for `n` = 0.
pub fn usl_capacity(n: u32, cores: u32, contention: f64, coherency: f64) -> f64 {
    if n == 0 {
        return 0.0;
    }
    let n_f = f64::from(n);
    let parallel = f64::from(n.min(cores));
    parallel / (1.0 + contention * (n_f - 1.0) + coherency * n_f * (n_f - 1.0))
}

/// Concurrency at which the USL's throughput peaks, `N* = √((1 − σ) / κ)`
/// (before the core cap): past it, more connections make the database slower in total.
/// `None` when κ is 0 (throughput never falls, it only flattens) or the inputs make no
/// curve.
pub fn usl_peak_concurrency(contention: f64, coherency: f64) -> Option<f64> {
    if !(coherency > 0.0 && coherency.is_finite() && (0.0..1.0).contains(&contention)) {
        return None;
    }
    Some(((1.0 - contention) / coherency).sqrt())
}

/// Mean time a query spends in the database while `n` queries run at once all the time
/// (a pool of `n` that never has a connection free) [ms]: Little's law on the database,
/// `service_ms · n / X(n)` with `X` the [`usl_capacity`]; `service_ms` is a query's time
/// alone. A bigger pool past the cores makes every query slower, and past
/// [`usl_peak_concurrency`] the database gets less done too. `None` for `n` = 0.
pub fn usl_saturated_query_ms(
    n: u32,
    cores: u32,
    contention: f64,
    coherency: f64,
    service_ms: f64,
) -> Option<f64> {
    let capacity = usl_capacity(n, cores, contention, coherency);
    (capacity > 0.0).then(|| service_ms * f64::from(n) / capacity)
}

/// HikariCP's rule of thumb ("About Pool Sizing", from PostgreSQL's wiki):
/// `connections = cores × 2 + effective spindles` — for the whole database, shared by
/// every instance.
pub fn hikari_rule_of_thumb(cores: u32, spindles: u32) -> u32 {
    cores.saturating_mul(2).saturating_add(spindles)
}

/// The connections an application may hold: `max_connections − reserved` (PostgreSQL
/// keeps `superuser_reserved_connections` of its `max_connections` for superusers).
pub fn usable_connections(max_connections: u32, reserved: u32) -> u32 {
    max_connections.saturating_sub(reserved)
}

/// A fleet's connections against the database's limit: `K × max_size` connections at
/// most against the [`usable_connections`] an application may hold. Positive: the fleet
/// can ask for that many more than it may get.
pub fn fleet_connection_excess(instances: u32, max_size: u32, max_connections: u32, reserved: u32) -> i64 {
    let wanted = i64::from(instances) * i64::from(max_size);
    wanted - i64::from(usable_connections(max_connections, reserved))
}

/// Mean response time of an M/M/1 processor-sharing server [ms]: `S / (1 − ρ)` with
/// service time `service_ms` and load `ρ = λ·S`; every job, short or long, is stretched
/// by the same `1 / (1 − ρ)`. `None` when ρ ≥ 1 (unstable) or the inputs are not finite.
pub fn ps_mean_response_ms(rate_per_s: f64, service_ms: f64) -> Option<f64> {
    let rho = littles_law_active(rate_per_s, service_ms);
    if !(rho.is_finite() && service_ms.is_finite() && (0.0..1.0).contains(&rho) && service_ms >= 0.0) {
        return None;
    }
    Some(service_ms / (1.0 - rho))
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

    #[test]
    fn usl_is_linear_up_to_the_cores_without_contention_then_flat() {
        assert_eq!(usl_capacity(0, 4, 0.0, 0.0), 0.0);
        assert_eq!(usl_capacity(1, 4, 0.5, 0.5), 1.0, "a query alone runs at full speed");
        assert_eq!(usl_capacity(3, 4, 0.0, 0.0), 3.0);
        assert_eq!(usl_capacity(64, 4, 0.0, 0.0), 4.0, "CPU-bound: flat past the cores");
        // Contention only: Amdahl's curve, approaching 1/σ.
        let x = usl_capacity(1000, 1000, 0.05, 0.0);
        assert!(x < 20.0 && x > 19.0, "{x}");
    }

    #[test]
    fn usl_peaks_at_n_star_and_falls_after_it() {
        let (sigma, kappa) = (0.02, 0.0005);
        let peak = usl_peak_concurrency(sigma, kappa).unwrap_or(f64::NAN);
        assert!((peak - (0.98f64 / 0.0005).sqrt()).abs() < 1e-9);
        let at = |n: u32| usl_capacity(n, 10_000, sigma, kappa);
        let best = peak.round() as u32;
        assert!(at(best) >= at(best / 2) && at(best) >= at(best * 2));
        assert!(at(400) < at(best), "past N* more connections give less throughput");
        assert_eq!(usl_peak_concurrency(0.1, 0.0), None);
    }

    #[test]
    fn a_saturated_database_stretches_each_query_by_n_over_its_throughput() {
        // CPU-bound, 2 cores: 64 queries at once each take 32 times as long as alone.
        assert_eq!(usl_saturated_query_ms(64, 2, 0.0, 0.0, 4.8), Some(4.8 * 32.0));
        assert_eq!(usl_saturated_query_ms(1, 2, 0.1, 0.1, 2.0), Some(2.0), "alone: its own time");
        // Contended: past the cores, the queries also slow each other down.
        let x = usl_capacity(400, 4, 0.005, 0.000_05);
        let q = usl_saturated_query_ms(400, 4, 0.005, 0.000_05, 2.0).unwrap_or(f64::NAN);
        assert!((q - 2.0 * 400.0 / x).abs() < 1e-9 && q > 2.0 * 100.0, "{q}");
        assert_eq!(usl_saturated_query_ms(0, 4, 0.0, 0.0, 2.0), None);
    }

    #[test]
    fn ps_response_time_stretches_by_one_over_one_minus_rho() {
        // 4.8 ms queries at 70 % load.
        let rate = 0.7 / 0.0048;
        let r = ps_mean_response_ms(rate, 4.8).unwrap_or(f64::NAN);
        assert!((r - 16.0).abs() < 1e-9, "{r}");
        assert_eq!(ps_mean_response_ms(1000.0, 1.0), None, "ρ = 1 is unstable");
    }

    #[test]
    fn fleet_arithmetic_counts_every_instance() {
        assert_eq!(hikari_rule_of_thumb(4, 1), 9);
        // Five instances raised to 200 against PostgreSQL's default 100 (3 reserved).
        assert_eq!(fleet_connection_excess(5, 200, 100, 3), 903);
        assert_eq!(fleet_connection_excess(4, 8, 20, 3), 15);
        assert_eq!(fleet_connection_excess(2, 8, 20, 3), -1);
    }
}
