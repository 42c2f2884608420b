//! The statistics of a [`Batch`] as JSON, a plain-text table or Markdown tables: the
//! words are [`poolsim_content::replications::report`]'s, which the compare page shares.

use poolsim_content::replications::Batch;
pub(crate) use poolsim_content::replications::report::{BatchJson, aligned, capitalised, markdown_table};
pub use poolsim_content::replications::report::{markdown, table};

use crate::error::CliError;

/// The statistics as pretty JSON.
pub fn json(batch: &Batch) -> Result<String, CliError> {
    poolsim_content::replications::report::json(batch)
        .map_err(|e| CliError::new(format!("cannot format the statistics as JSON: {e}")))
}
