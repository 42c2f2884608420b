//! Mount poolsim's embed page (Trunk builds this binary to wasm for `embed.html`).

fn main() {
    poolsim_web::run_embed();
}
