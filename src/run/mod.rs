//! The run in progress: the simulation and its playback ([`player`]: real time to
//! simulated time at a speed, bounded work per frame), what the page derives from it
//! ([`live`]: the run shared by the animation loop and the panels, seeks and runs to the
//! end), the event log as displayed ([`log_feed`]), and what the page shows of a fleet
//! ([`fleet`]).

pub mod fleet;
pub mod live;
pub mod log_feed;
pub mod player;
