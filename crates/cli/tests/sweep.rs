//! `poolsim sweep`, `poolsim smallest-pool` and `poolsim merge` of a sweep's shards, as a
//! user runs them: a cell's numbers are `poolsim replicate`'s on the scenario with the
//! cell's settings; the output never depends on the threads or the shards; the heatmap
//! is a real SVG; the smallest pool is the one the cells say; bad ranges name their part.

mod common;

use std::path::PathBuf;

use common::{assert_fails_with, poolsim, scratch, stderr, stdout};
use poolsim_content::presets;
use poolsim_engine::Scenario;
use serde_json::Value;

/// `poolsim` with `args`: its stdout, or a panic with its stderr.
fn ok(args: &[&str]) -> String {
    let o = poolsim(args);
    assert!(o.status.success(), "poolsim {}: {}", args.join(" "), stderr(&o));
    stdout(&o)
}

/// `poolsim sweep --preset fast-leak` with `args`.
fn sweep(args: &[&str]) -> String {
    ok(&[&["sweep", "--preset", "fast-leak"], args].concat())
}

/// The fast leak over three pool sizes and two leaks, 5 runs a cell.
const GRID: [&str; 6] =
    ["--x", "pool.max_size=10..20:3", "--y", "leak.probability=0.001..0.002:2", "--runs", "5"];

fn json(text: &str) -> Value {
    serde_json::from_str(text).expect("JSON")
}

/// `scenario` as a file.
fn file(name: &str, scenario: &Scenario) -> PathBuf {
    let path = scratch(name);
    std::fs::write(&path, serde_json::to_string(scenario).expect("serialises")).expect("write");
    path
}

#[test]
fn a_cell_prints_what_replicate_prints_for_the_scenario_with_its_knobs_set() {
    let v = json(&sweep(&[&GRID[..], &["--format", "json"]].concat()));
    assert_eq!((v["runs"].as_u64(), v["x"]["knob"].as_str()), (Some(5), Some("pool.max_size")));
    assert_eq!(v["x"]["values"], serde_json::json!([10.0, 15.0, 20.0]));
    assert_eq!(v["y"]["scenario_value"], 0.002, "the preset's own leak");
    let cells = v["cells"].as_array().expect("cells");
    assert_eq!(cells.len(), 6);
    for (x, y) in [(15.0, 0.001), (10.0, 0.002)] {
        let cell = cells.iter().find(|c| c["x"] == x && c["y"] == y).expect("the cell");
        let mut edited = presets::load("fast-leak").expect("preset");
        edited.pool.max_size = x as u32;
        edited.leak.probability = y;
        let path = file(&format!("cell-{x}-{y}.json"), &edited);
        let replicated =
            json(&ok(&["replicate", path.to_str().expect("UTF-8"), "--runs", "5", "--format", "json"]));
        let report = &replicated["variants"][0];
        for key in ["runs", "ran_out", "first_exhaustion_s", "first_timeout_s", "failed_share", "p99_wait_ms"]
        {
            assert_eq!(cell[key], report[key], "cell ({x}, {y}): {key}");
        }
    }
    // The scenario's own cell (10 connections, 0.002) is the preset replicated.
    let own = json(&ok(&["replicate", "--preset", "fast-leak", "--runs", "5", "--format", "json"]));
    let cell = cells.iter().find(|c| c["x"] == 10.0 && c["y"] == 0.002).expect("own cell");
    assert_eq!(cell["mean_wait_ms"], own["variants"][0]["mean_wait_ms"]);
}

#[test]
fn the_output_never_depends_on_the_thread_count() {
    for format in ["json", "runs"] {
        let args = [&GRID[..], &["--format", format]].concat();
        let one = sweep(&[&args[..], &["--threads", "1"]].concat());
        assert_eq!(sweep(&[&args[..], &["--threads", "3"]].concat()), one, "{format}");
        assert_eq!(sweep(&args), one, "{format}, one thread per core");
    }
}

#[test]
fn shards_merged_print_what_one_unsharded_sweep_prints_byte_for_byte() {
    let view = ["--until", "08:04", "--outcome", "first_exhaustion_s"];
    let files: Vec<PathBuf> = (0..3)
        .map(|i| {
            let file = scratch(&format!("sweep-shard-{i}.csv"));
            let shard = format!("{i}/3");
            std::fs::write(&file, sweep(&[&GRID[..], &["--shard", &shard, "--format", "runs"]].concat()))
                .expect("write");
            file
        })
        .collect();
    let paths: Vec<&str> = [2, 0, 1].iter().map(|&i| files[i].to_str().expect("UTF-8 path")).collect();
    for format in ["table", "json", "csv", "md", "runs"] {
        let merged = ok(&[&["merge"], &paths[..], &["--format", format], &view[..]].concat());
        assert_eq!(merged, sweep(&[&GRID[..], &["--format", format], &view[..]].concat()), "{format}");
    }
    let (whole_svg, merged_svg) = (scratch("sweep-whole.svg"), scratch("sweep-merged.svg"));
    sweep(&[&GRID[..], &["--svg", whole_svg.to_str().expect("UTF-8")]].concat());
    ok(&[&["merge"], &paths[..], &["--svg", merged_svg.to_str().expect("UTF-8")]].concat());
    assert_eq!(std::fs::read(&merged_svg).expect("svg"), std::fs::read(&whole_svg).expect("svg"));

    // A shard left out or given twice, or a shard of another sweep, is refused.
    assert_fails_with(&poolsim(&["merge", paths[0], paths[1]]), &["is missing", "every shard"]);
    assert_fails_with(&poolsim(&["merge", paths[0], paths[1], paths[2], paths[1]]), &["twice", paths[1]]);
    let other = scratch("sweep-other.csv");
    std::fs::write(&other, sweep(&["--x", "pool.max_size=10..20:2", "--runs", "2", "--format", "runs"]))
        .expect("write");
    assert_fails_with(&poolsim(&["merge", paths[0], other.to_str().expect("UTF-8")]), &["swept over"]);
    // A replicate batch takes no sweep options.
    let replicated = scratch("replicated.csv");
    std::fs::write(
        &replicated,
        ok(&["replicate", "--preset", "fast-leak", "--runs", "2", "--format", "csv"]),
    )
    .expect("write");
    assert_fails_with(
        &poolsim(&["merge", replicated.to_str().expect("UTF-8"), "--svg", "x.svg"]),
        &["--svg", "poolsim sweep"],
    );
}

#[test]
fn the_table_marks_the_cells_that_survive_and_the_scenarios_own() {
    let table = sweep(&["--x", "pool.max_size=10..130:4", "--runs", "10"]);
    let lines: Vec<&str> = table.lines().collect();
    assert!(lines[0].starts_with("Fast leak: 4 cells, 10 runs each from seed"), "{table}");
    assert!(table.contains("✓: the pool never ran out in at least 95 % of the cell's runs"), "{table}");
    let grid = lines.last().expect("a row");
    assert!(grid.contains("[0 %]"), "a pool of 10 always runs dry, and it is the preset's own: {table}");
    assert!(
        grid.trim_end().ends_with("100 % ✓"),
        "a pool of 130 outlasts 10 minutes of this leak (60 leaked): {table}"
    );
}

#[test]
fn the_heatmap_is_an_svg_with_every_cell_its_axes_and_its_legend() {
    let svg_path = scratch("heatmap.svg");
    sweep(&[&GRID[..], &["--svg", svg_path.to_str().expect("UTF-8"), "--until", "08:04"]].concat());
    let svg = std::fs::read_to_string(&svg_path).expect("the heatmap was written");
    let doc = roxmltree::Document::parse(&svg).expect("the SVG parses as XML");
    let texts: Vec<&str> = doc.descendants().filter_map(|n| n.text()).map(str::trim).collect();
    for expected in [
        "pool.max_size [connections]",
        "↑ leak.probability",
        "10",
        "15",
        "20",
        "0.001",
        "0.002",
        "did not run out until 08:04:00 in at least 95 % of runs",
        "the scenario's own settings (pool.max_size = 10, leak.probability = 0.002)",
    ] {
        assert!(texts.contains(&expected), "{expected:?} missing from {texts:?}");
    }
}

#[test]
fn the_timeline_changing_a_swept_knob_is_noted_on_stderr() {
    let o = poolsim(&[
        "sweep",
        "--preset",
        "june-15-2024",
        "--x",
        "leak.probability=0.0001..0.0002:2",
        "--runs",
        "1",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("note: the timeline's deploy_leak at 12:30 changes leak.probability"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn bad_ranges_and_options_are_refused_naming_the_flag_and_the_part() {
    let fails = |args: &[&str], words: &[&str]| {
        assert_fails_with(
            &poolsim(&[&["sweep", "--preset", "fast-leak", "--runs", "2"], args].concat()),
            words,
        );
    };
    fails(&["--x", "pool.max_size=50..400:8x"], &["--x pool.max_size=50..400:8x", "STEPS", "`8x`"]);
    fails(&["--x", "pool.size=50..400:8"], &["--x", "KNOB", "`pool.size`", "pool.max_size"]);
    fails(&["--x", "pool.max_size=fifty..400:8"], &["FROM", "`fifty`"]);
    fails(&["--x", "pool.max_size=400..50:8"], &["TO", "above FROM"]);
    fails(&["--x", "pool.max_size=50..400"], &["STEPS", "missing"]);
    fails(&["--x", "leak.probability=0..0.01:3:log"], &["FROM", "above 0"]);
    fails(
        &["--x", "pool.max_size=0..10:3"],
        &["--x pool.max_size=0..10:3", "pool.max_size", "between 1 and"],
    );
    fails(
        &["--x", "pool.max_size=10..20:2", "--y", "leak.probability=0.5..2:2"],
        &["--y", "leak.probability", "probability"],
    );
    fails(&["--x", "pool.max_size=10..20:2", "--y", "pool.max_size=1..5:2"], &["on both axes"]);
    let huge = ["--x", "pool.max_size=1..100:100", "--y", "work.hold_ms=1..100:100", "--runs", "101"];
    assert_fails_with(
        &poolsim(&[&["sweep", "--preset", "fast-leak"], &huge[..]].concat()),
        &["1010000 runs"],
    );
    fails(
        &["--x", "pool.max_size=10..20:2", "--outcome", "luck"],
        &["--outcome luck", "survived", "p99_wait_ms"],
    );
    fails(
        &["--x", "pool.max_size=10..20:2", "--until", "09:00"],
        &["--until 09:00", "from 08:00:00 to 08:10:00"],
    );
    fails(&["--x", "pool.max_size=10..20:2", "--until", "noon"], &["--until noon", "HH:MM"]);
    fails(&["--x", "pool.max_size=10..20:2", "--survival", "120%"], &["--survival 120%"]);
    fails(&["--x", "pool.max_size=10..20:2", "--shard", "5/4"], &["--shard 5/4"]);
}

/// Every served request leaks at 0.1 request/s from midnight: a pool of `c` runs out when
/// request `c + 1` arrives, so it survives until 00:00:25 when at most `c` arrived by
/// then, a Poisson count of mean 2.5 (95th percentile 5).
fn all_leak() -> Scenario {
    let mut s = presets::load("fast-leak").expect("preset");
    s.clock_start = poolsim_engine::time::ClockTime::parse("00:00").expect("a clock time");
    s.duration_s = 100;
    s.traffic.rate_per_s = 0.1;
    s.leak.probability = 1.0;
    s.pool.leak_detection_threshold_ms = 0;
    s.alerts.clear();
    s.events.clear();
    s
}

#[test]
fn the_smallest_pool_is_the_cell_where_survival_crosses_95_percent() {
    let path = file("all-leak.json", &all_leak());
    let path = path.to_str().expect("UTF-8");
    let search =
        json(&ok(&["smallest-pool", path, "--until", "00:00:25", "--runs", "400", "--format", "json"]));
    let answer = search["answer"].as_u64().expect("a pool survives");
    assert!((5..=6).contains(&answer), "the Poisson quantile is 5: {search}");
    let words = search["answer_words"].as_str().expect("words");
    assert!(words.starts_with(&format!("A pool of {answer} survives until 00:00:25 in ")), "{words}");
    assert!(words.contains(&format!("; {} survives in ", answer - 1)), "{words}");

    // The same runs as a sweep: the cells on either side of the answer agree with the search.
    let x = format!("pool.max_size={}..{answer}:2", answer - 1);
    let cells =
        json(&ok(&["sweep", path, "--x", &x, "--until", "00:00:25", "--runs", "400", "--format", "json"]));
    let probes = search["probes"].as_array().expect("probes");
    for cell in cells["cells"].as_array().expect("cells") {
        let size = cell["x"].as_f64().expect("a size");
        let probe = probes.iter().find(|p| p["max_size"].as_f64() == Some(size)).expect("tried");
        assert_eq!(probe["survived"], cell["survived"], "{cell}");
        assert_eq!(probe["survives"], cell["survives"], "{cell}");
    }

    let table = ok(&["smallest-pool", path, "--until", "00:00:25", "--runs", "400", "--threads", "1"]);
    assert!(table.contains(words), "the table says it in words too: {table}");
    assert!(table.contains("the smallest that survives"), "{table}");
    assert_fails_with(
        &poolsim(&["smallest-pool", path, "--runs", "10", "--until", "00:05"]),
        &["--until 00:05", "00:01:40"],
    );
}
