//! The replication worker (Trunk builds this binary to wasm as a Web Worker, with a loader
//! shim, for the compare page's "How sure?"): see `poolsim_web::replicate`.

use gloo_worker::Registrable;
use poolsim_web::replicate::worker::{ReplicationWorker, Wire};

fn main() {
    ReplicationWorker::registrar().encoding::<Wire>().register();
}
