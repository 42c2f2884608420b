//! poolsim-content: what poolsim shows and shares, built on the simulator
//! (`poolsim-engine`) and used alike by the pages and the command line.
//!
//! - [`presets`]: the scenarios shipped in `scenarios/`, embedded at compile time.
//! - [`variants`]: what-ifs of a scenario (how each fix changes the outcome), run with the
//!   same seed, their outcome table and the lesson of each row in words.
//! - [`lessons`]: the course (`lessons/*.json`), the diagnosis drills and the glossary.
//! - [`link`]: the whole scenario and the page's view options in a URL fragment.
//! - [`export`]: the samples as CSV, the outcome as Markdown, the scenario as JSON.
//! - [`remedies`]: the callers' remedies (jittered backoff, a retry budget, failing fast),
//!   shared by the page's fix buttons and the what-ifs.
//! - [`replications`]: a scenario and its what-ifs run over many seeds, and how sure each
//!   outcome is, in words, Markdown and CSV.
//! - [`words`]: numbers, spans and clock times in words, the one place they are worded.
//!
//! Nothing here changes how a run behaves: every number comes from the engine.

pub mod bench;
pub mod export;
pub mod lessons;
pub mod link;
pub mod presets;
pub mod remedies;
pub mod replications;
pub mod variants;
pub mod words;

pub use presets::Preset;
