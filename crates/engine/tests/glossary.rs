//! The glossary (lessons/glossary.json): a name for every knob in every pool, and every
//! scenario field it names exists.

use poolsim_engine::Scenario;
use poolsim_engine::lessons::glossary::glossary;

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
