//! Mount the poolsim app on the page (Trunk builds this binary to wasm).

fn main() {
    poolsim_web::run_visualizer();
}
