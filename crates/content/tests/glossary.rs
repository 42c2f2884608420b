//! The glossary (lessons/glossary.json): a name for every knob in every pool, and every
//! scenario field it names exists.

use poolsim_content::lessons::glossary::glossary;
use poolsim_content::presets;
use poolsim_engine::{Flavour, Scenario};

#[test]
fn every_knob_has_a_name_in_every_pool_and_names_a_real_field() {
    let g = glossary();
    assert_eq!(g.pools, ["HikariCP", "Tomcat JDBC", "Go database/sql", "pgbouncer", "sqlx", "bb8"]);
    assert!(g.rows.len() >= 7, "the file failed to read");
    for row in &g.rows {
        assert_eq!(row.names.len(), g.pools.len(), "{}", row.knob);
        assert!(row.names.iter().all(|n| !n.trim().is_empty()), "{}", row.knob);
        if let Some(field) = row.knob.strip_prefix("pool.") {
            // A real field: the scenario reader knows it (it refuses unknown fields).
            let read = Scenario::from_json(&format!(r#"{{"pool": {{"{field}": 1000}}}}"#));
            assert!(
                !read.is_err_and(|e| e.reason.contains("unknown field")),
                "{} is not a scenario field",
                row.knob
            );
        }
    }
    let hikari = &g.rows.iter().find(|r| r.knob == "pool.max_size").expect("max_size").names[0];
    assert_eq!(hikari, "maximumPoolSize = 10");
}

#[test]
fn each_pools_presets_run_that_pool() {
    let g = glossary();
    assert_eq!(g.presets.len(), g.pools.len());
    for (pool, (names, flavour)) in g.pools.iter().zip(g.presets.iter().zip(Flavour::ALL)) {
        assert_eq!(pool, flavour.title());
        for name in names {
            let s = presets::load(name).unwrap_or_else(|e| panic!("{pool}: {e}"));
            assert_eq!(s.pool.flavour, flavour, "{name} runs {pool}");
        }
    }
    assert!(g.presets.iter().filter(|p| !p.is_empty()).count() >= 5, "a preset for all but bb8");
}
