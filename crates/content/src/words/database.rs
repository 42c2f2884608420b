//! The database's arithmetic in words, beside the simulation: what theory says a pool in
//! front of this database should do (HikariCP's rule of thumb, the Universal Scalability
//! Law's peak, the fleet's connections against `max_connections − reserved`, the
//! database's load and a processor-sharing server's stretch), so a reader can hold the
//! run against the formulas. The numbers are [`poolsim_engine::analytic`]'s.

use poolsim_engine::analytic::{
    fleet_connection_excess, hikari_rule_of_thumb, ps_mean_response_ms, usable_connections,
    usl_peak_concurrency,
};
use poolsim_engine::scenario::{DatabaseConfig, FleetConfig, Scenario};

use super::{count, millis, short_number};

/// One line per companion for `scenario` run with pools of `max_size` at `rate_per_s`
/// requests a second holding a connection `hold_ms` on average (the settings in force);
/// none without a database.
pub fn companions(scenario: &Scenario, max_size: u32, rate_per_s: f64, hold_ms: f64) -> Vec<String> {
    let Some(db) = &scenario.database else { return Vec::new() };
    let instances = FleetConfig::instances_of(scenario);
    let pools = u64::from(instances) * u64::from(max_size);
    let of_pools = if instances > 1 {
        format!("the fleet's {instances} pools of {max_size} allow {}", count(pools))
    } else {
        format!("the pool allows {max_size}")
    };
    let mut lines = vec![format!(
        "Rule of thumb (HikariCP, \"About Pool Sizing\"): cores × 2 + 1 = {} connections for the whole database; {of_pools}.",
        hikari_rule_of_thumb(db.cores, 1)
    )];
    lines.push(match usl_peak_concurrency(db.contention, db.coherency) {
        Some(peak) => format!(
            "Universal Scalability Law: throughput peaks at N* = √((1 − σ) / κ) ≈ {} queries at once; past it, more connections get less done.",
            count(peak.round() as u64)
        ),
        None if db.contention > 0.0 => format!(
            "Universal Scalability Law: with contention σ = {} and no coherency cost, throughput flattens past the {} cores but never falls.",
            short_number(db.contention),
            db.cores
        ),
        None => format!(
            "CPU-bound (σ = κ = 0): throughput is flat past the {} cores; more queries at once only make each one slower.",
            db.cores
        ),
    });
    let usable = usable_connections(db.max_connections, db.reserved_connections);
    let excess = fleet_connection_excess(instances, max_size, db.max_connections, db.reserved_connections);
    let wanted = if instances > 1 {
        format!("{instances} × {max_size} = {}", count(pools))
    } else {
        format!("the pool's {max_size}")
    };
    lines.push(format!(
        "Connections: {wanted} wanted against {} usable (max_connections {} − {} reserved){}.",
        count(u64::from(usable)),
        count(u64::from(db.max_connections)),
        db.reserved_connections,
        if excess > 0 {
            format!(": {} too many, so opens are refused", count(excess.unsigned_abs()))
        } else {
            ": they fit".to_owned()
        }
    ));
    let query_ms = query_ms(db, hold_ms);
    let load = rate_per_s * query_ms / 1000.0 / f64::from(db.cores.max(1));
    let stretch = match ps_mean_response_ms(rate_per_s / f64::from(db.cores.max(1)), query_ms) {
        Some(r) if db.cores == 1 => format!(
            ": a query of {} takes {} on average (M/M/1-PS, S / (1 − ρ))",
            millis(query_ms),
            millis(r)
        ),
        Some(r) => format!(
            ": if each of the {} cores served its share alone (M/M/1-PS, S / (1 − ρ)), a query of {} would take {}; sharing the cores makes it less",
            db.cores,
            millis(query_ms),
            millis(r)
        ),
        None => ": more work arrives than the cores can do, so queries pile up".to_owned(),
    };
    lines.push(format!("Database load ρ = λ × query ÷ cores = {}{stretch}.", short_number(load)));
    lines
}

/// A query's mean time in the database alone [ms]: its share of the hold.
fn query_ms(db: &DatabaseConfig, hold_ms: f64) -> f64 {
    hold_ms * db.db_share
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fleet_too_big_for_max_connections_is_told_how_many_too_many() {
        let scenario = crate::presets::load("five-instances-one-database").expect("a preset");
        let lines = companions(&scenario, 100, 750.0, 40.0);
        assert_eq!(lines.len(), 4, "{lines:#?}");
        assert!(lines[2].contains("5 × 100 = 500 wanted against 247 usable"), "{lines:#?}");
        assert!(lines[2].ends_with("253 too many, so opens are refused."), "{lines:#?}");
        let fits = companions(&scenario, 40, 750.0, 40.0);
        assert!(fits[2].ends_with("they fit."), "{fits:#?}");
    }

    #[test]
    fn the_usl_peak_and_the_cpu_bound_case_are_told_apart() {
        let contended = crate::presets::load("pool-sizing-contended").expect("a preset");
        let db = contended.database.as_ref().expect("a database");
        let peak = ((1.0 - db.contention) / db.coherency).sqrt().round() as u64;
        let lines = companions(&contended, 10, 100.0, contended.work.hold_ms);
        assert!(lines[1].contains(&format!("≈ {} queries at once", count(peak))), "{lines:#?}");
        // The measured CPU-bound database has a trace of contention (σ = 0.001).
        let cpu = crate::presets::load("pool-sizing-cpu-bound").expect("a preset");
        let lines = companions(&cpu, 8, cpu.traffic.rate_per_s, cpu.work.hold_ms);
        assert!(lines[1].contains("flattens past the 2 cores but never falls"), "{lines:#?}");
        assert!(lines[0].contains("cores × 2 + 1 = 5 connections"), "{lines:#?}");
        assert!(lines[2].starts_with("Connections: the pool's 8 wanted against 197 usable"), "{lines:#?}");
        // 290 requests/s of 4.8 ms queries on 2 cores: ρ ≈ 0.7.
        assert!(lines[3].starts_with("Database load ρ = λ × query ÷ cores = 0.696"), "{lines:#?}");
        let pure = Scenario {
            database: cpu.database.clone().map(|d| DatabaseConfig { contention: 0.0, ..d }),
            ..cpu.clone()
        };
        assert!(companions(&pure, 8, 290.0, 4.8)[1].starts_with("CPU-bound"));
    }

    #[test]
    fn without_a_database_there_is_nothing_to_say() {
        assert!(companions(&Scenario::default(), 10, 100.0, 40.0).is_empty());
    }
}
