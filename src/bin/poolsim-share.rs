//! Mount poolsim's share page (Trunk builds this binary to wasm for `share.html`).

fn main() {
    poolsim_web::run_share();
}
