//! Mount poolsim's compare page (Trunk builds this binary to wasm for `compare.html`).

fn main() {
    poolsim_web::run_compare();
}
