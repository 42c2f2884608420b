//! The engine in wasm gives the same run, bit for bit, as natively: the trace digest of a
//! fixed scenario equals the constant the native tests check.
#![cfg(target_arch = "wasm32")]

use poolsim_engine::{Scenario, Simulation, testing};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn wasm_run_matches_the_native_digest() {
    let scenario = Scenario::from_json(testing::DIGEST_SCENARIO_JSON).expect("the digest scenario is valid");
    let mut sim = Simulation::new(&scenario).expect("it builds");
    sim.run_to_end();
    assert_eq!(sim.trace_digest(), testing::DIGEST_EXPECTED);
}
