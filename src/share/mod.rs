//! The page side of sharing: the run in the address bar ([`url`]), saved scenarios in the
//! browser's storage ([`storage`]), files to download ([`files`], [`download`]), embed
//! snippets ([`embed`]), imported text ([`import`]) and the clipboard ([`clipboard`]).
//!
//! The pure parts (file names and contents, snippets, URL parsing, the storage format
//! behind [`storage::KeyValueStore`]) are plain Rust and tested natively; the browser
//! calls are thin and return errors as text a user can read, never a panic.

pub mod clipboard;
pub mod codec;
pub mod download;
pub mod embed;
pub mod files;
pub mod import;
pub mod storage;
pub mod url;
