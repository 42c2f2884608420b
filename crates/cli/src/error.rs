//! The CLI's one error type: a single line for stderr, exit code 2.

use std::fmt;
use std::path::Path;

use poolsim_engine::ScenarioError;

/// Everything that stops a command, worded for the person who typed it.
#[derive(Debug)]
pub struct CliError(String);

impl CliError {
    /// An error with this message.
    pub fn new(message: impl Into<String>) -> Self {
        Self(message.into())
    }

    /// A scenario refused while loading `source` (a file name or `preset NAME`).
    pub fn scenario(source: &str, e: &ScenarioError) -> Self {
        Self(format!("{source}: {e}"))
    }

    /// `path` could not be read or written.
    pub fn io(verb: &str, what: &str, path: &Path, e: &std::io::Error) -> Self {
        Self(format!("cannot {verb} {what} `{}`: {e}", path.display()))
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // One line, whatever the source said.
        f.write_str(&self.0.replace('\n', " "))
    }
}

impl std::error::Error for CliError {}

/// A bug must still end in one readable line and exit code 2, not a backtrace.
pub fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        let what = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".to_owned());
        let place = info.location().map(|l| format!(" at {}:{}", l.file(), l.line())).unwrap_or_default();
        eprintln!("error: internal error in poolsim (please report it): {what}{place}");
        std::process::exit(2);
    }));
}
