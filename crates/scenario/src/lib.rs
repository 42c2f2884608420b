//! poolsim-scenario: what a run is asked to be — the scenario format poolsim reads, checks
//! and writes, apart from the simulator that runs it (`poolsim-engine`, which re-exports
//! every module here under the same paths: `poolsim_engine::scenario::Scenario`).
//!
//! It is a crate of its own for the pages' download: the browser bundle is built for size,
//! but the engine's event loop for speed (`[profile.release.package.poolsim-engine]`), and
//! Cargo sets optimisation per crate. Reading, validating and describing a scenario run
//! once per file, link or edit, not once per simulated event: compiled for size here, they
//! weigh a third less in every page.
//!
//! - [`scenario`]: settings, timeline actions and their catalogue, reading (errors naming
//!   the field path), validation.
//! - [`flavour`]: each real pool's words and manners.
//! - [`time`]: simulated time ([`time::SimTime`], [`time::SimDuration`]) and the clock
//!   time of day it is shown in ([`time::ClockTime`]).
//! - [`alerts`]: the alert rules the pages suggest.
//! - [`sort`]: the one stable sort of short lists shared with the pages.

pub mod alerts;
pub mod flavour;
pub mod scenario;
pub mod sort;
pub mod time;
