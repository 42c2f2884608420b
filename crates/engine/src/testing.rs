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
