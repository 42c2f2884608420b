//! Helpers shared by the command line's tests: run `poolsim` as a process, read what it
//! printed, scratch files, and the shape every error must have.
#![allow(dead_code)] // each test file uses a different subset

use std::path::PathBuf;
use std::process::{Command, Output};

/// Run `poolsim` with `args`.
pub fn poolsim(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_poolsim")).args(args).output().expect("the poolsim binary starts")
}

/// What it printed on stdout.
pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// What it printed on stderr.
pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A fresh path in Cargo's scratch folder for integration tests.
pub fn scratch(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("poolsim-cli-{}-{name}", std::process::id()))
}

/// Exit code 2, exactly one line on stderr mentioning every word, and no panic trace.
#[track_caller]
pub fn assert_fails_with(o: &Output, words: &[&str]) {
    let err = stderr(o);
    assert_eq!(o.status.code(), Some(2), "stderr: {err}");
    assert_eq!(err.trim_end().lines().count(), 1, "one line expected: {err}");
    assert!(!err.contains("panicked"), "{err}");
    for w in words {
        assert!(err.contains(w), "stderr should mention {w:?}: {err}");
    }
}
