//! Mount poolsim's learn page (Trunk builds this binary to wasm for `learn.html`).

fn main() {
    poolsim_web::run_learn();
}
