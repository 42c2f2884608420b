//! The command line as a user (or a docs pipeline) runs it: real processes, real files.

use std::path::PathBuf;
use std::process::{Command, Output};

use poolsim_engine::{Scenario, presets};
use serde_json::Value;

fn poolsim(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_poolsim")).args(args).output().expect("the poolsim binary starts")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A fresh path in Cargo's scratch folder for integration tests.
fn scratch(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("poolsim-cli-{}-{name}", std::process::id()))
}

/// Exit code 2, exactly one line on stderr mentioning every word, and no panic trace.
#[track_caller]
fn assert_fails_with(o: &Output, words: &[&str]) {
    let err = stderr(o);
    assert_eq!(o.status.code(), Some(2), "stderr: {err}");
    assert_eq!(err.trim_end().lines().count(), 1, "one line expected: {err}");
    assert!(!err.contains("panicked"), "{err}");
    for w in words {
        assert!(err.contains(w), "stderr should mention {w:?}: {err}");
    }
}

fn summary_of(o: &Output) -> Value {
    assert!(o.status.success(), "stderr: {}", stderr(o));
    serde_json::from_slice(&o.stdout).expect("run prints the summary as JSON")
}

#[test]
fn run_prints_the_summary_with_the_documented_keys() {
    let summary = summary_of(&poolsim(&["run", "--preset", "fast-leak"]));
    for key in [
        "requests",
        "served",
        "timed_out",
        "failed",
        "leaked",
        "first_exhaustion_s",
        "first_timeout_s",
        "mean_wait_ms",
        "p99_wait_ms",
        "alerts",
        "events_processed",
    ] {
        assert!(summary.get(key).is_some(), "summary lacks `{key}`: {summary}");
    }
    assert!(summary["requests"].as_u64().is_some_and(|n| n > 10_000), "{summary}");
    assert!(summary["first_timeout_s"].is_number(), "the fast leak times out: {summary}");
    assert!(summary["alerts"].is_object());

    let healthy = summary_of(&poolsim(&["run", "--preset", "healthy-pool"]));
    assert!(healthy["first_timeout_s"].is_null(), "a healthy pool never times out: {healthy}");
}

#[test]
fn the_seed_decides_the_run() {
    let a = poolsim(&["run", "--preset", "fast-leak", "--seed", "11"]);
    let again = poolsim(&["run", "--preset", "fast-leak", "--seed", "11"]);
    let b = poolsim(&["run", "--preset", "fast-leak", "--seed", "12"]);
    assert!(a.status.success() && b.status.success());
    assert_eq!(stdout(&a), stdout(&again), "same scenario and seed, same output");
    assert_ne!(stdout(&a), stdout(&b), "another seed, another run");
}

#[test]
fn run_reads_a_scenario_file() {
    let file = scratch("scenario.json");
    std::fs::write(&file, r#"{"name": "tiny", "duration_s": 60, "traffic": {"rate_per_s": 50}}"#)
        .expect("write");
    let summary = summary_of(&poolsim(&["run", file.to_str().expect("utf-8 path")]));
    assert!(summary["requests"].as_u64().is_some_and(|n| (2000..4000).contains(&n)), "{summary}");
}

#[test]
fn csv_has_a_header_and_one_row_per_simulated_second() {
    let file = scratch("samples.csv");
    let o = poolsim(&["run", "--preset", "fast-leak", "--csv", file.to_str().expect("utf-8 path")]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = std::fs::read_to_string(&file).expect("the CSV was written");
    let lines: Vec<&str> = text.lines().collect();
    let duration_s = presets::load("fast-leak").expect("preset").duration_s as usize;
    assert_eq!(lines.len(), duration_s + 1, "header + one row per second");
    let header: Vec<&str> = lines[0].split(',').collect();
    for column in ["t_s", "clock", "total", "active", "idle", "pending", "leaked", "max", "usage", "timeouts"]
    {
        assert!(header.contains(&column), "missing column {column}: {}", lines[0]);
    }
    let last: Vec<&str> = lines[duration_s].split(',').collect();
    assert_eq!(last.len(), header.len());
    assert_eq!(last[0], duration_s.to_string(), "the last row is the end of the run");
    assert_eq!(last[1], "08:10:00", "clock column counts from clock_start 08:00");
}

#[test]
fn validate_accepts_a_good_file_and_names_the_wrong_field_of_a_bad_one() {
    let good = scratch("good.json");
    std::fs::write(&good, presets::PRESETS[0].json).expect("write");
    let o = poolsim(&["validate", good.to_str().expect("utf-8 path")]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stdout(&o).trim(), format!("ok: {}", presets::PRESETS[0].title));

    let bad = scratch("bad.json");
    std::fs::write(&bad, r#"{"pool": {"max_size": 0}}"#).expect("write");
    assert_fails_with(
        &poolsim(&["validate", bad.to_str().expect("utf-8 path")]),
        &["pool.max_size", "between 1"],
    );

    std::fs::write(&bad, r#"{"events": [{"at_s": 1, "action": "explode"}]}"#).expect("write");
    assert_fails_with(
        &poolsim(&["validate", bad.to_str().expect("utf-8 path")]),
        &["events[0].action", "explode"],
    );

    assert_fails_with(
        &poolsim(&["validate", "/no/such/scenario.json"]),
        &["cannot read", "/no/such/scenario.json"],
    );
}

#[test]
fn presets_list_and_show_round_trip() {
    let o = poolsim(&["presets"]);
    assert!(o.status.success());
    let names: Vec<String> = stdout(&o).lines().map(str::to_owned).collect();
    assert_eq!(names, presets::names().collect::<Vec<_>>());
    assert_eq!(names[0], "june-15-2024", "the seed incident comes first");
    for name in &names {
        let shown = poolsim(&["presets", "--show", name]);
        assert!(shown.status.success());
        let scenario = Scenario::from_json(&stdout(&shown)).expect("shown JSON is a valid scenario");
        assert_eq!(Ok(scenario), presets::load(name));
    }
}

#[test]
fn unknown_presets_list_the_known_ones() {
    assert_fails_with(&poolsim(&["presets", "--show", "nope"]), &["nope", "june-15-2024", "fast-leak"]);
    assert_fails_with(&poolsim(&["run", "--preset", "nope"]), &["nope", "healthy-pool"]);
}

#[test]
fn svg_writes_a_dashboard_with_every_chart_under_its_title() {
    let file = scratch("dashboard.svg");
    let o = poolsim(&["run", "--preset", "fast-leak", "--svg", file.to_str().expect("utf-8 path")]);
    let summary = summary_of(&o);
    assert!(summary["first_timeout_s"].is_number(), "the summary is still printed: {summary}");
    let svg = std::fs::read_to_string(&file).expect("the SVG was written");
    let doc = roxmltree::Document::parse(&svg).expect("the SVG parses as XML");
    assert_eq!(doc.root_element().tag_name().name(), "svg");
    let texts: Vec<&str> = doc.descendants().filter_map(|n| n.text()).map(str::trim).collect();
    for title in [
        "Fast leak",
        "Connections — hikaricp_connections_active / _idle / _max",
        "Requests waiting — hikaricp_connections_pending",
        "Acquire time — hikaricp_connections_acquire_seconds",
        "Timeouts per second — rate(hikaricp_connections_timeout_total)",
        "Throughput — rate(hikaricp_connections_acquire_seconds_count)",
    ] {
        assert!(texts.contains(&title), "{title:?} missing from the dashboard: {texts:?}");
    }
    // The clock axis counts from the scenario's clock_start (08:00) to its end (08:10).
    assert!(texts.contains(&"08:00") && texts.contains(&"08:10"), "clock labels missing: {texts:?}");
}

#[test]
fn svg_to_an_unwritable_path_fails_in_one_line() {
    assert_fails_with(
        &poolsim(&["run", "--preset", "fast-leak", "--svg", "/no/such/folder/chart.svg"]),
        &["cannot write SVG file", "/no/such/folder/chart.svg"],
    );
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(poolsim(&["run"]).status.code(), Some(2), "needs a file or a preset");
    assert_eq!(poolsim(&["run", "x.json", "--preset", "fast-leak"]).status.code(), Some(2), "not both");
    assert_eq!(poolsim(&["run", "--preset", "fast-leak", "--seed", "-1"]).status.code(), Some(2));
    assert_eq!(poolsim(&["frobnicate"]).status.code(), Some(2));
}

#[test]
fn bench_prints_a_table_and_a_json_line() {
    let o = poolsim(&["bench"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    let json_line = out.lines().last().expect("output");
    let v: Value = serde_json::from_str(json_line).expect("the last line is JSON");
    let rows = v["bench"].as_array().expect("a list of measurements");
    assert_eq!(rows.len(), 2);
    for row in rows {
        assert!(row["requests_per_s"].as_f64().is_some_and(|r| r > 0.0), "{row}");
    }
    assert!(out.lines().next().is_some_and(|h| h.contains("requests/s")), "{out}");
}
