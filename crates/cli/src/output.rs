//! Writing to stdout without panicking when the reader goes away (`poolsim presets | head -1`).

use std::io::{ErrorKind, Write};

use crate::error::CliError;

/// Print `text` and a newline on stdout; a closed pipe is not an error.
pub fn print_line(text: &str) -> Result<(), CliError> {
    let mut out = std::io::stdout().lock();
    match writeln!(out, "{text}").and_then(|()| out.flush()) {
        Err(e) if e.kind() != ErrorKind::BrokenPipe => {
            Err(CliError::new(format!("cannot write to stdout: {e}")))
        }
        _ => Ok(()),
    }
}
