//! Golden files: every output of the command line, for every preset, as it was when the
//! files were last blessed. They pin behaviour before code moves: a refactor that changes
//! one byte of a summary, a CSV row, a chart or a link fails here, naming the file.
//!
//! Small outputs (summary JSON, Markdown, the compare table, the link, the scenario as
//! poolsim writes it)
//! are kept whole under `tests/golden/<preset>/`, so a failure shows the difference;
//! the large ones (samples CSV, the SVG dashboard) by SHA-256 and length in
//! `tests/golden/<preset>/large.sha256`.
//!
//! One fleet preset's samples CSV with each instance's columns (`--per-instance`) is
//! pinned the same way, in `tests/golden/<preset>/per-instance.sha256`.
//!
//! After an intended change of output: `POOLSIM_BLESS=1 cargo test -p poolsim --test golden`
//! rewrites the files; review the diff before committing it.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

use sha2::{Digest, Sha256};

/// Run `poolsim` with `args`; its stdout, or a panic naming the command and its stderr.
fn poolsim(args: &[&str]) -> String {
    let out =
        Command::new(env!("CARGO_BIN_EXE_poolsim")).args(args).output().expect("the poolsim binary starts");
    assert!(out.status.success(), "poolsim {}: {}", args.join(" "), String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).expect("poolsim prints UTF-8")
}

fn golden_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden")
}

fn blessing() -> bool {
    std::env::var_os("POOLSIM_BLESS").is_some_and(|v| v != "0")
}

/// Compare `actual` with the golden file `dir/name`, or write it when blessing.
/// Returns a description of the difference, if any.
fn check(dir: &Path, name: &str, actual: &str) -> Option<String> {
    let path = dir.join(name);
    if blessing() {
        std::fs::create_dir_all(dir).expect("create the golden folder");
        std::fs::write(&path, actual).expect("write a golden file");
        return None;
    }
    let Ok(expected) = std::fs::read_to_string(&path) else {
        return Some(format!("{}: missing (bless with POOLSIM_BLESS=1)", path.display()));
    };
    if expected == actual {
        return None;
    }
    let line = expected.lines().zip(actual.lines()).position(|(e, a)| e != a);
    let detail = match line {
        Some(i) => format!(
            "first difference at line {}:\n  golden: {}\n  now:    {}",
            i + 1,
            expected.lines().nth(i).unwrap_or_default(),
            actual.lines().nth(i).unwrap_or_default()
        ),
        None => format!("{} lines golden, {} now", expected.lines().count(), actual.lines().count()),
    };
    Some(format!("{}: {detail}", path.display()))
}

fn sha256_line(name: &str, bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let hex: String = digest.iter().fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    });
    format!("{hex}  {:>9}  {name}\n", bytes.len())
}

/// Every output of one preset, against its golden files; the differences found.
fn check_preset(name: &str, scratch: &Path) -> Vec<String> {
    let dir = golden_dir().join(name);
    let csv = scratch.join(format!("{name}.csv"));
    let svg = scratch.join(format!("{name}.svg"));
    let md = scratch.join(format!("{name}.md"));
    let path = |p: &Path| p.to_str().expect("UTF-8 path").to_owned();
    let (csv_arg, svg_arg, md_arg) = (path(&csv), path(&svg), path(&md));
    let summary = poolsim(&["run", "--preset", name, "--csv", &csv_arg, "--svg", &svg_arg, "--md", &md_arg]);
    let read = |p: &Path| std::fs::read(p).expect("poolsim wrote the file");
    let outputs = [
        ("summary.json", summary),
        ("outcome.md", String::from_utf8(read(&md)).expect("UTF-8 Markdown")),
        ("compare.json", poolsim(&["compare", "--preset", name])),
        ("compare.md", poolsim(&["compare", "--preset", name, "--md"])),
        ("link.txt", poolsim(&["link", "--preset", name])),
        ("scenario.json", poolsim(&["compare", "--preset", name, "--show-variant", "0"])),
    ];
    let mut failures: Vec<String> =
        outputs.iter().filter_map(|(file, text)| check(&dir, file, text)).collect();
    let large = sha256_line("samples.csv", &read(&csv)) + &sha256_line("charts.svg", &read(&svg));
    failures.extend(check(&dir, "large.sha256", &large));
    failures
}

/// Every output of every preset, against its golden file (presets side by side, one
/// `poolsim` process per core).
#[test]
fn every_preset_gives_its_golden_outputs_byte_for_byte() {
    let presets = poolsim(&["presets"]);
    let names: Vec<&str> = presets.lines().filter_map(|l| l.split_whitespace().next()).collect();
    assert!(names.len() >= 16, "the preset list: {presets}");
    let scratch = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("golden-{}", std::process::id()));
    std::fs::create_dir_all(&scratch).expect("scratch folder");

    let next = AtomicUsize::new(0);
    let workers = std::thread::available_parallelism().map_or(2, usize::from).min(names.len());
    let failures: Vec<String> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                s.spawn(|| {
                    let mut found = Vec::new();
                    while let Some(name) = names.get(next.fetch_add(1, Ordering::Relaxed)) {
                        found.extend(check_preset(name, &scratch));
                    }
                    found
                })
            })
            .collect();
        handles.into_iter().flat_map(|h| h.join().expect("a golden worker finishes")).collect()
    });
    let _ = std::fs::remove_dir_all(&scratch);
    assert!(failures.is_empty(), "outputs differ from the golden files:\n{}", failures.join("\n"));
}

/// A fleet's samples CSV with each instance's columns, against its golden digest.
#[test]
fn a_fleets_per_instance_csv_is_its_golden_file() {
    let name = "rolling-deploy-of-a-leak";
    let scratch =
        PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("per-instance-{}.csv", std::process::id()));
    let csv = scratch.to_str().expect("UTF-8 path");
    poolsim(&["run", "--preset", name, "--csv", csv, "--per-instance"]);
    let bytes = std::fs::read(&scratch).expect("poolsim wrote the CSV");
    let _ = std::fs::remove_file(&scratch);
    let failure = check(&golden_dir().join(name), "per-instance.sha256", &sha256_line("samples.csv", &bytes));
    assert!(failure.is_none(), "{}", failure.unwrap_or_default());
}
