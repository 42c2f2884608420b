//! A fixed scenario and the digest its run must produce, shared by the native tests
//! and the browser test so both prove the engine is bit-identical on native and wasm.
//!
//! ```
//! use poolsim_engine::{Scenario, Simulation, testing};
//! let scenario = Scenario::from_json(testing::DIGEST_SCENARIO_JSON).expect("valid");
//! let mut sim = Simulation::new(&scenario).expect("valid");
//! sim.run_to_end();
//! assert_eq!(sim.trace_digest(), testing::DIGEST_EXPECTED);
//! ```

/// A small scenario touching every part of the engine: leaks, slow queries, retries,
/// leak detection, abandoned reclaim, a resize, a restart and an alert.
pub const DIGEST_SCENARIO_JSON: &str = r#"{
  "name": "digest check",
  "duration_s": 600,
  "seed": 42,
  "pool": { "max_size": 20, "min_idle": 5, "connection_timeout_ms": 2000, "connect_ms": 8,
            "idle_timeout_ms": 60000, "max_lifetime_ms": 120000,
            "leak_detection_threshold_ms": 3000, "abandoned_timeout_ms": 0 },
  "traffic": { "rate_per_s": 200, "retry": { "attempts": 1, "backoff_ms": 500 } },
  "work": { "hold_ms": 40, "hold_distribution": "lognormal", "lognormal_sigma": 0.8,
            "slow_share": 0.002, "slow_hold_ms": 4000 },
  "leak": { "probability": 0.0 },
  "alerts": [ { "name": "PendingHigh", "metric": "pending", "above": 0, "for_s": 5 } ],
  "events": [
    { "at_s": 60, "action": "deploy_leak", "probability": 0.002 },
    { "at_s": 200, "action": "set_abandoned_timeout", "timeout_ms": 20000 },
    { "at_s": 300, "action": "resize_pool", "max_size": 30 },
    { "at_s": 400, "action": "restart_app", "downtime_s": 5 },
    { "at_s": 420, "action": "rollback" },
    { "at_s": 500, "action": "set_rate", "rate_per_s": 350 }
  ]
}"#;

/// [`Simulation::trace_digest`](crate::Simulation::trace_digest) of [`DIGEST_SCENARIO_JSON`]
/// run to its end. Changes only when the engine's semantics change on purpose.
pub const DIGEST_EXPECTED: u64 = 0x2f09_001c_b2c1_352d;

/// A second reference scenario for the callers in front of the pool (the first predates
/// them and keeps its digest): callers that give up after 400 ms and retry with jittered
/// exponential backoff within a budget, a circuit breaker that a restart opens, and a
/// change of the retry policy on the timeline.
pub const CALLERS_DIGEST_SCENARIO_JSON: &str = r#"{
  "name": "callers digest check",
  "duration_s": 300,
  "seed": 7,
  "pool": { "max_size": 8, "connection_timeout_ms": 1500 },
  "traffic": { "rate_per_s": 180, "deadline_ms": 400,
               "retry": { "attempts": 3, "backoff_ms": 50, "backoff": "exponential", "max_backoff_ms": 800,
                          "jitter": "full", "on": "timeout", "budget": { "ratio": 0.3, "window_s": 5, "min_per_s": 2 } },
               "breaker": { "failure_ratio": 0.6, "window_s": 5, "min_calls": 50, "open_s": 4, "half_open_calls": 5 } },
  "work": { "hold_ms": 40 },
  "events": [
    { "at_s": 60, "action": "set_hold", "hold_ms": 60 },
    { "at_s": 150, "action": "restart_app", "downtime_s": 20 },
    { "at_s": 200, "action": "set_retry", "attempts": 2, "backoff_ms": 0, "backoff": "immediate", "on": "both" },
    { "at_s": 240, "action": "set_hold", "hold_ms": 40 }
  ]
}"#;

/// [`Simulation::trace_digest`](crate::Simulation::trace_digest) of
/// [`CALLERS_DIGEST_SCENARIO_JSON`] run to its end.
pub const CALLERS_DIGEST_EXPECTED: u64 = 0x82f0_385c_b4f7_a266;

/// A third reference scenario for the application servers and the balancer's health
/// checks (the two before predate them and keep their digests): three instances behind
/// 30 request threads each, a tenth of the requests needing no database, deep health checks
/// that take the leaking instance out, a restart of the instance that stays out, a change
/// of threads and a switch to shallow checks on the timeline.
pub const SERVERS_DIGEST_SCENARIO_JSON: &str = r#"{
  "name": "servers digest check",
  "duration_s": 300,
  "seed": 12,
  "pool": { "max_size": 10, "connection_timeout_ms": 1500, "connect_ms": 20 },
  "traffic": { "rate_per_s": 240, "deadline_ms": 2500, "retry": { "attempts": 1, "backoff_ms": 100 } },
  "work": { "hold_ms": 40 },
  "fleet": { "instances": 3, "balancer": "round_robin" },
  "app": { "threads": 30, "accept_queue": 20, "no_db_share": 0.1, "no_db_ms": 5 },
  "health_check": { "interval_s": 5, "mode": "deep", "timeout_ms": 500, "unhealthy_after": 2,
                    "healthy_after": 2, "restart_unhealthy_after_s": 30, "startup_timeout_ms": 2000 },
  "events": [
    { "at_s": 40, "action": "deploy_leak", "probability": 0.02, "instances": [2] },
    { "at_s": 150, "action": "rollback" },
    { "at_s": 200, "action": "set_threads", "threads": 60 },
    { "at_s": 240, "action": "set_health_check", "mode": "shallow" }
  ]
}"#;

/// [`Simulation::trace_digest`](crate::Simulation::trace_digest) of
/// [`SERVERS_DIGEST_SCENARIO_JSON`] run to its end.
pub const SERVERS_DIGEST_EXPECTED: u64 = 0xfb04_1b67_e894_28dc;
