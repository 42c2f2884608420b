//! One edit of the panel → the next scenario and the live action, or the reason it is
//! refused. Every accepted scenario has passed [`Scenario::validate`].
//!
//! Pure functions (no Yew): tested natively.

use poolsim_engine::{Action, AlertMetric, AlertRule, Scenario, ScenarioError};

use super::knob::Knob;

/// An accepted change of the settings.
#[derive(Clone, Debug, PartialEq)]
pub struct ControlChange {
    /// The new base scenario; it always passed [`Scenario::validate`].
    pub scenario: Scenario,
    /// The engine action that applies this change at the current simulated time, if one
    /// exists (`None`: the change takes effect when the run restarts).
    pub live: Option<Action>,
}

/// Something the user did in the panel.
#[derive(Clone, Debug, PartialEq)]
pub enum Edit {
    /// A field was committed (Enter, blur, a select) with this text.
    Set(Knob, String),
    /// "Add rule" on this metric, with a default name and threshold.
    AddAlert(AlertMetric),
    /// Remove the alert rule at this index.
    RemoveAlert(usize),
}

/// Apply `edit` to `current`: `Ok(None)` when nothing changes, `Ok(Some(change))` for a
/// new valid scenario, `Err(message)` (naming the field) when the edit is refused.
pub fn apply(edit: &Edit, current: &Scenario) -> Result<Option<ControlChange>, String> {
    let (next, live) = match edit {
        Edit::Set(knob, text) => {
            let label = knob.spec(current).label;
            let next = knob.write(text, current).map_err(|reason| format!("{label}: {reason}"))?;
            next.validate().map_err(|e| message(&label, &knob.path(), &e))?;
            let live = knob.live(&next);
            (next, live)
        }
        Edit::AddAlert(metric) => {
            let rule = default_rule(*metric, current);
            let mut next = current.clone();
            next.alerts.push(rule.clone());
            next.validate().map_err(|e| message("New alert rule", "", &e))?;
            let AlertRule { name, metric, above, for_s } = rule;
            (next, Some(Action::AddAlert { name, metric, above, for_s }))
        }
        Edit::RemoveAlert(i) => {
            let mut next = current.clone();
            if *i >= next.alerts.len() {
                return Ok(None);
            }
            next.alerts.remove(*i);
            next.validate().map_err(|e| message("Alert rules", "", &e))?;
            // The engine has no action to stop evaluating a rule: it goes on restart.
            (next, None)
        }
    };
    Ok((next != *current).then_some(ControlChange { scenario: next, live }))
}

/// A validation error as shown beside the field: the field's label and the reason, or
/// the full path when another field is what's wrong.
fn message(label: &str, path: &str, error: &ScenarioError) -> String {
    if error.path == path { format!("{label}: {}", error.reason) } else { format!("{label}: {error}") }
}

/// A new rule on `metric` as the panel adds it ([`poolsim_engine::alerts::suggested_rule`]).
pub fn default_rule(metric: AlertMetric, scenario: &Scenario) -> AlertRule {
    poolsim_engine::alerts::suggested_rule(metric, scenario)
}

#[cfg(test)]
mod tests {
    use poolsim_content::presets::PRESETS;
    use poolsim_engine::{Balancer, DatabaseConfig, FleetConfig, HealthMode, validate_action};

    use super::*;
    use crate::forms::knob::{DATABASE_KNOBS, DISTRIBUTIONS, all_knobs};

    fn seed_incident() -> Scenario {
        poolsim_content::presets::load("june-15-2024").expect("the seed preset loads")
    }

    /// A database unlike the defaults in every field.
    fn some_database() -> DatabaseConfig {
        DatabaseConfig {
            cores: 8,
            db_share: 0.6,
            contention: 0.02,
            coherency: 0.0005,
            max_connections: 150,
            reserved_connections: 5,
            connect_cpu_ms: 6.0,
            close_cpu_ms: 4.0,
        }
    }

    /// The seed incident behind [`some_database`].
    fn behind_a_database() -> Scenario {
        Scenario { database: Some(some_database()), ..seed_incident() }
    }

    fn set(knob: Knob, text: &str, s: &Scenario) -> Result<Option<ControlChange>, String> {
        apply(&Edit::Set(knob, text.to_owned()), s)
    }

    fn changed(knob: Knob, text: &str, s: &Scenario) -> ControlChange {
        match set(knob, text, s) {
            Ok(Some(change)) => change,
            other => panic!("{knob:?} = {text:?} should change the scenario, got {other:?}"),
        }
    }

    #[test]
    fn a_pool_of_zero_or_of_letters_is_refused_naming_the_field() {
        let s = seed_incident();
        let zero = set(Knob::MaxSize, "0", &s).expect_err("a pool of 0");
        assert_eq!(zero, "Max pool size: must be between 1 and 100000 connections, got 0");
        for bad in ["abc", "", "1e999", "NaN", "-5", "2.5", "100001"] {
            let error = set(Knob::MaxSize, bad, &s).expect_err(bad);
            assert!(error.starts_with("Max pool size: "), "{bad:?}: {error}");
        }
    }

    #[test]
    fn unparseable_text_in_any_field_is_a_message_never_a_panic() {
        let s = behind_a_database();
        for knob in all_knobs(&s) {
            for bad in ["abc", "1e999", "NaN", "inf", "-1e400", "💥", "1 000"] {
                let result = set(knob, bad, &s);
                assert!(result.is_err(), "{knob:?} accepted {bad:?}: {result:?}");
            }
        }
    }

    #[test]
    fn resizing_the_pool_applies_live() {
        // The seed incident leaves minimumIdle unset: the same as the max, as in HikariCP.
        let change = changed(Knob::MaxSize, "200", &seed_incident());
        assert_eq!(change.scenario.pool.max_size, 200);
        assert_eq!(change.live, Some(Action::ResizePool { max_size: 200, min_idle: Some(200) }));
    }

    #[test]
    fn a_smaller_pool_lowers_min_idle_as_hikaricp_does() {
        let mut s = seed_incident();
        s.pool.min_idle = Some(100);
        let change = changed(Knob::MaxSize, "40", &s);
        assert_eq!(change.scenario.pool.min_idle, Some(40));
        assert_eq!(change.live, Some(Action::ResizePool { max_size: 40, min_idle: Some(40) }));
    }

    #[test]
    fn min_idle_empty_means_the_same_as_max_and_above_max_is_refused() {
        let mut s = seed_incident();
        s.pool.min_idle = Some(100);
        let change = changed(Knob::MinIdle, "", &s);
        assert_eq!(change.scenario.pool.min_idle, None);
        let grown = changed(Knob::MaxSize, "150", &change.scenario);
        assert_eq!(grown.live, Some(Action::ResizePool { max_size: 150, min_idle: Some(150) }));
        let error = set(Knob::MinIdle, "101", &s).expect_err("min idle above max");
        assert!(error.contains("must not exceed max_size (100)"), "{error}");
        assert_eq!(
            changed(Knob::MinIdle, "10", &s).live,
            Some(Action::ResizePool { max_size: 100, min_idle: Some(10) })
        );
    }

    #[test]
    fn each_live_knob_maps_to_its_engine_action() {
        let s = seed_incident();
        let cases = [
            (Knob::Rate, "300", Action::SetRate { rate_per_s: 300.0 }),
            (Knob::Hold, "120", Action::SetHold { hold_ms: 120.0 }),
            (Knob::ConnectionTimeout, "5000", Action::SetConnectionTimeout { timeout_ms: 5000 }),
            (Knob::LeakProbability, "0.001", Action::DeployLeak { probability: 0.001 }),
            (Knob::LeakDetection, "2000", Action::SetLeakDetection { threshold_ms: 2000 }),
            (Knob::Abandoned, "60000", Action::SetAbandonedTimeout { timeout_ms: 60000 }),
        ];
        for (knob, text, action) in cases {
            let change = changed(knob, text, &s);
            assert_eq!(change.live.as_ref(), Some(&action), "{knob:?}");
            assert_eq!(validate_action(&action, ""), Ok(()), "the engine accepts {action:?}");
        }
    }

    #[test]
    fn a_leak_set_to_zero_rolls_back() {
        let mut s = seed_incident();
        s.leak.probability = 0.0003;
        assert_eq!(changed(Knob::LeakProbability, "0", &s).live, Some(Action::Rollback));
        assert!(
            set(Knob::LeakProbability, "1.5", &s).expect_err("p > 1").contains("probability between 0 and 1")
        );
    }

    #[test]
    fn knobs_without_an_engine_action_apply_on_restart() {
        let s = seed_incident();
        let cases = [
            (Knob::RetryAttempts, "3"),
            (Knob::RetryBackoff, "500"),
            (Knob::HoldDistribution, "lognormal"),
            (Knob::LognormalSigma, "1.5"),
            (Knob::SlowShare, "0.01"),
            (Knob::SlowHold, "8000"),
            (Knob::IdleTimeout, "0"),
            (Knob::MaxLifetime, "900000"),
            (Knob::Connect, "12.5"),
            (Knob::AlertAbove(0), "2"),
            (Knob::AlertFor(0), "30"),
            (Knob::Seed, "42"),
            (Knob::Duration, "20000"),
            (Knob::Database, "on"),
        ];
        let database_cases = [
            (Knob::DbCores, "16"),
            (Knob::DbShare, "0.5"),
            (Knob::DbContention, "0.1"),
            (Knob::DbCoherency, "0.001"),
            (Knob::DbMaxConnections, "500"),
            (Knob::DbReserved, "10"),
            (Knob::DbConnectCpu, "12.5"),
            (Knob::Database, "off"),
        ];
        let behind = behind_a_database();
        let all =
            cases.iter().map(|case| (case, &s)).chain(database_cases.iter().map(|case| (case, &behind)));
        for (&(knob, text), s) in all {
            assert!(!knob.is_live(), "{knob:?}");
            let change = changed(knob, text, s);
            assert_eq!(change.live, None, "{knob:?}");
            assert_eq!(knob.read(&change.scenario), text, "{knob:?} shows the value set");
        }
    }

    #[test]
    fn every_live_knob_yields_an_action_and_no_other_does() {
        let s = behind_a_database();
        for knob in all_knobs(&s) {
            assert_eq!(knob.live(&s).is_some(), knob.is_live(), "{knob:?}");
        }
    }

    #[test]
    fn applying_the_shown_values_of_every_preset_changes_nothing() {
        for preset in PRESETS {
            let s = preset.scenario().expect("presets are valid");
            let behind = Scenario { database: Some(some_database()), ..s.clone() };
            for s in [s, behind] {
                for knob in all_knobs(&s) {
                    assert_eq!(set(knob, &knob.read(&s), &s), Ok(None), "{}: {knob:?}", preset.name);
                }
            }
        }
    }

    #[test]
    fn the_database_switch_starts_from_postgresqls_defaults_and_shows_its_fields_while_on() {
        let s = seed_incident();
        assert_eq!(Knob::Database.read(&s), "off", "unlimited capacity, as before");
        assert!(DATABASE_KNOBS.iter().all(|knob| !all_knobs(&s).contains(knob)), "no fields while off");
        let on = changed(Knob::Database, "on", &s);
        assert_eq!(on.scenario.database, Some(DatabaseConfig::default()));
        assert_eq!(on.live, None, "a new database needs a new run");
        let knobs = all_knobs(&on.scenario);
        let at = knobs.iter().position(|k| *k == Knob::Database).expect("the switch");
        assert_eq!(knobs[at + 1..=at + DATABASE_KNOBS.len()], DATABASE_KNOBS, "its fields follow it");
        let shown: Vec<String> = DATABASE_KNOBS.iter().map(|k| k.read(&on.scenario)).collect();
        assert_eq!(shown, ["4", "1", "0", "0", "100", "3", "0"]);

        // On again keeps what was set; off drops it, and a field of no database is refused.
        assert_eq!(set(Knob::Database, "on", &behind_a_database()), Ok(None));
        let off = changed(Knob::Database, "off", &behind_a_database());
        assert_eq!(off.scenario.database, None);
        let error = set(Knob::DbCores, "8", &off.scenario).expect_err("no database");
        assert_eq!(error, "Database cores: the database is not modelled: turn on “Model the database” first");
        assert!(set(Knob::Database, "yes", &s).is_err());
    }

    #[test]
    fn instances_make_a_fleet_and_its_balancer_can_be_chosen() {
        let s = seed_incident();
        assert_eq!(Knob::Instances.read(&s), "1", "one application");
        assert!(!all_knobs(&s).contains(&Knob::Balancer), "no balancer without a fleet");
        let five = changed(Knob::Instances, "5", &s);
        assert_eq!(five.scenario.fleet, Some(FleetConfig { instances: 5, balancer: Balancer::RoundRobin }));
        assert_eq!(five.live, None, "a fleet needs a new run");
        assert!(all_knobs(&five.scenario).contains(&Knob::Balancer));
        let lo = changed(Knob::Balancer, "least_outstanding", &five.scenario);
        assert_eq!(Knob::Balancer.read(&lo.scenario), "least_outstanding");
        // More instances keep the balancer; 1 is a single application again.
        let more = changed(Knob::Instances, "20", &lo.scenario);
        assert_eq!(
            more.scenario.fleet,
            Some(FleetConfig { instances: 20, balancer: Balancer::LeastOutstanding })
        );
        assert_eq!(changed(Knob::Instances, "1", &more.scenario).scenario.fleet, None);
        // Refused as the file is, naming the field.
        let zero = set(Knob::Instances, "0", &s).expect_err("no instance");
        assert!(zero.contains("between 1 and 1000"), "{zero}");
        assert!(set(Knob::Balancer, "sticky", &five.scenario).expect_err("unknown").contains("sticky"));
        assert!(set(Knob::Balancer, "random", &s).expect_err("no fleet").contains("more than one instance"));
    }

    #[test]
    fn the_callers_deadline_threads_and_health_checks_are_settings_of_the_panel() {
        let s = seed_incident();
        // A deadline applies to the running callers.
        let deadline = changed(Knob::Deadline, "2000", &s);
        assert_eq!(deadline.scenario.traffic.deadline_ms, 2000);
        assert_eq!(deadline.live, Some(Action::SetDeadline { deadline_ms: 2000 }));
        // Threads are off until a number is typed; then the accept queue shows.
        assert_eq!(Knob::Threads.read(&s), "");
        assert!(!all_knobs(&s).contains(&Knob::AcceptQueue));
        let threads = changed(Knob::Threads, "200", &s);
        assert_eq!(threads.scenario.app.as_ref().map(|a| (a.threads, a.accept_queue)), Some((200, 100)));
        assert!(all_knobs(&threads.scenario).contains(&Knob::AcceptQueue));
        let queue = changed(Knob::AcceptQueue, "10", &threads.scenario);
        assert_eq!(Knob::AcceptQueue.read(&queue.scenario), "10");
        assert_eq!(changed(Knob::Threads, "", &queue.scenario).scenario.app, None, "empty: not modelled");
        let zero = set(Knob::Threads, "0", &s).expect_err("no thread");
        assert!(zero.starts_with("Request threads: must be between 1 and"), "{zero}");
        assert!(set(Knob::AcceptQueue, "5", &s).expect_err("no threads").contains("set them first"));
        // Health checks belong to a fleet's balancer, and go with it.
        assert!(!all_knobs(&s).contains(&Knob::HealthCheck));
        let fleet = changed(Knob::Instances, "4", &s);
        assert_eq!(Knob::HealthCheck.read(&fleet.scenario), "off");
        let deep = changed(Knob::HealthCheck, "deep", &fleet.scenario);
        assert_eq!(deep.scenario.health_check.as_ref().map(|h| h.mode), Some(HealthMode::Deep));
        assert_eq!(Knob::HealthCheck.read(&deep.scenario), "deep");
        let shallow = changed(Knob::HealthCheck, "shallow", &deep.scenario);
        assert_eq!(shallow.scenario.health_check.as_ref().map(|h| h.mode), Some(HealthMode::Shallow));
        assert_eq!(changed(Knob::HealthCheck, "off", &deep.scenario).scenario.health_check, None);
        assert_eq!(changed(Knob::Instances, "1", &deep.scenario).scenario.health_check, None);
        assert!(set(Knob::HealthCheck, "ping", &fleet.scenario).expect_err("unknown").contains("ping"));
    }

    #[test]
    fn each_database_field_is_refused_naming_it_as_the_scenario_file_would() {
        let s = behind_a_database();
        let cases = [
            (Knob::DbCores, "0", "cores"),
            (Knob::DbCores, "1025", "cores"),
            (Knob::DbShare, "1.5", "db_share"),
            (Knob::DbShare, "-0.1", "db_share"),
            (Knob::DbContention, "1", "contention"),
            (Knob::DbCoherency, "2", "coherency"),
            (Knob::DbMaxConnections, "0", "max_connections"),
            (Knob::DbMaxConnections, "262144", "max_connections"),
            (Knob::DbReserved, "150", "reserved_connections"),
            (Knob::DbConnectCpu, "-1", "connect_cpu_ms"),
        ];
        for (knob, text, field) in cases {
            let error = set(knob, text, &s).expect_err(text);
            // The same value in a scenario file: the same reason, for the same field.
            let mut json: serde_json::Value =
                serde_json::from_str(&poolsim_content::export::scenario_json(&s))
                    .expect("the scenario as JSON");
            json["database"][field] = serde_json::from_str(text).expect("a JSON number");
            let file = Scenario::from_json(&json.to_string()).expect_err("the file is refused too");
            assert_eq!(file.path, format!("database.{field}"));
            let label = knob.spec(&s).label;
            assert_eq!(error, format!("{label}: {}", file.reason), "{knob:?} = {text}");
        }
        assert_eq!(
            set(Knob::DbCores, "0", &s).expect_err("0 cores"),
            "Database cores: must be between 1 and 1024 cores, got 0"
        );
        // Lowering max_connections to the reserved slots leaves the application none.
        let error = set(Knob::DbMaxConnections, "5", &s).expect_err("no slot left");
        assert!(
            error.contains("database.reserved_connections: must be below max_connections (5)"),
            "{error}"
        );
    }

    #[test]
    fn every_field_has_a_unique_hook_a_label_help_and_a_sane_range() {
        let s = behind_a_database();
        let mut ids = Vec::new();
        for knob in all_knobs(&s) {
            let spec = knob.spec(&s);
            assert!(!spec.label.is_empty() && !spec.help.is_empty(), "{knob:?}");
            assert!(spec.min <= spec.max, "{knob:?}");
            assert!(!ids.contains(&spec.id), "duplicate id {}", spec.id);
            ids.push(spec.id);
        }
        for (knob, setting) in [
            (Knob::MaxSize, "maximumPoolSize"),
            (Knob::MinIdle, "minimumIdle"),
            (Knob::ConnectionTimeout, "connectionTimeout"),
            (Knob::IdleTimeout, "idleTimeout"),
            (Knob::MaxLifetime, "maxLifetime"),
            (Knob::LeakDetection, "leakDetectionThreshold"),
            (Knob::Abandoned, "removeAbandonedTimeout"),
            (Knob::DbMaxConnections, "max_connections"),
            (Knob::DbReserved, "superuser_reserved_connections"),
        ] {
            assert_eq!(knob.spec(&s).setting.map(|(_, name)| name), Some(setting));
        }
        assert_eq!(Knob::MaxSize.spec(&s).id, "pool-size");
        assert_eq!(Knob::Rate.spec(&s).id, "rate");
        assert_eq!(Knob::LeakProbability.spec(&s).id, "leak");
    }

    #[test]
    fn an_unknown_distribution_is_refused() {
        let s = seed_incident();
        assert!(set(Knob::HoldDistribution, "uniform", &s).is_err());
        for (_, name, _) in DISTRIBUTIONS {
            assert!(set(Knob::HoldDistribution, name, &s).is_ok());
        }
    }

    #[test]
    fn an_alert_threshold_is_checked_against_its_metric() {
        let mut s = seed_incident();
        s.alerts = vec![default_rule(AlertMetric::Usage, &s)];
        let error = set(Knob::AlertAbove(0), "80", &s).expect_err("usage is a share");
        assert!(error.starts_with("Above: usage is a share between 0 and 1"), "{error}");
        assert!(set(Knob::AlertAbove(3), "1", &s).expect_err("no rule 3").contains("no longer exists"));
    }

    #[test]
    fn adding_a_rule_names_it_like_a_dashboard_would_and_starts_it_live() {
        let s = seed_incident();
        let Some(first) = apply(&Edit::AddAlert(AlertMetric::Usage), &s).expect("valid") else {
            panic!("a rule was added")
        };
        let rule = first.scenario.alerts.last().cloned().expect("a rule");
        assert_eq!(rule.name, "PoolUsageHigh");
        assert_eq!(
            first.live,
            Some(Action::AddAlert {
                name: "PoolUsageHigh".into(),
                metric: AlertMetric::Usage,
                above: 0.8,
                for_s: 120
            })
        );
        let Some(second) = apply(&Edit::AddAlert(AlertMetric::Usage), &first.scenario).expect("valid") else {
            panic!("a second rule was added")
        };
        assert_eq!(second.scenario.alerts.last().map(|r| r.name.as_str()), Some("PoolUsageHigh2"));
        assert_eq!(default_rule(AlertMetric::Active, &s).above, 80.0, "80 % of a pool of 100");
    }

    #[test]
    fn removing_a_rule_applies_on_restart() {
        let s = seed_incident();
        assert_eq!(s.alerts.len(), 1);
        let change = apply(&Edit::RemoveAlert(0), &s).expect("valid").expect("a change");
        assert!(change.scenario.alerts.is_empty());
        assert_eq!(change.live, None);
        assert_eq!(apply(&Edit::RemoveAlert(5), &s), Ok(None), "a stale index changes nothing");
    }

    #[test]
    fn the_running_value_is_shown_for_knobs_the_timeline_changes() {
        let mut sim =
            poolsim_engine::Simulation::new(&poolsim_content::presets::load("june-15-2024").expect("preset"))
                .expect("runs");
        sim.advance_to(poolsim_engine::SimTime::from_secs(1_801)).expect("past the 12:30 deploy");
        let now = sim.current();
        assert_eq!(
            Knob::LeakProbability.read_now(&now).as_deref(),
            Some("0.000124"),
            "the leaky deploy is live"
        );
        assert_eq!(Knob::MaxSize.read_now(&now).as_deref(), Some("100"));
        assert_eq!(Knob::Seed.read_now(&now), None, "a restart-only knob has no running value");
    }
}
