//! Sharing from the command line: `poolsim link` prints a share URL, `poolsim run --link`
//! runs one headless, and `poolsim run --md` writes the outcome as a Markdown table.
//!
//! The link is read and written by [`poolsim_content::link`], the same code the page uses,
//! so a link run here gives the same summary as the page shows for it.

use std::path::Path;

use poolsim_content::export;
use poolsim_content::link::{self, SharedState, ViewOptions};
use poolsim_engine::{Scenario, Summary};

use crate::LinkArgs;
use crate::commands::{load_file, load_preset};
use crate::error::CliError;
use crate::output::print_line;

/// Where `poolsim link` points by default: the page as `make serve` serves it.
pub const DEFAULT_BASE_URL: &str = "http://127.0.0.1:8080/";

/// `poolsim link`: print `<base>#v1.…` for a scenario file or a preset.
pub fn link(args: &LinkArgs) -> Result<(), CliError> {
    let (scenario, preset) = match (&args.scenario, &args.preset) {
        (_, Some(name)) => (load_preset(name)?, Some(name.clone())),
        (Some(file), None) => (load_file(file)?, None),
        // clap requires one of the two; say so anyway rather than panic.
        (None, None) => return Err(CliError::new("give a scenario file or --preset NAME")),
    };
    let state = SharedState { scenario, view: ViewOptions { preset, ..ViewOptions::default() } };
    let fragment = link::try_encode(&state)
        .map_err(|e| CliError::new(format!("cannot make a link: {e}; share the scenario file instead")))?;
    let base = args.base.split('#').next().unwrap_or_default();
    print_line(&format!("{base}#{fragment}"))
}

/// `poolsim run --link`: the scenario a share link (a URL or its fragment) holds.
pub fn load_link(text: &str) -> Result<Scenario, CliError> {
    link::decode(text).map(|state| state.scenario).map_err(|e| CliError::new(format!("--link: {e}")))
}

/// `poolsim run --md FILE`: the outcome as a Markdown table for a postmortem.
pub fn write_markdown(path: &Path, scenario: &Scenario, summary: &Summary) -> Result<(), CliError> {
    std::fs::write(path, export::summary_markdown(scenario, summary))
        .map_err(|e| CliError::io("write", "Markdown file", path, &e))
}
