//! The command line as a user (or a docs pipeline) runs it: real processes, real files.

mod common;

use std::path::PathBuf;
use std::process::Output;

use common::{assert_fails_with, poolsim, scratch, stderr, stdout};
use poolsim_content::presets;
use poolsim_engine::Scenario;
use serde_json::Value;

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
fn per_instance_columns_add_up_to_the_fleets_in_every_row() {
    // A rolling deploy of a leak: the instances leak, run dry and time out one after another.
    let (plain, per_instance) = (scratch("fleet.csv"), scratch("fleet-per-instance.csv"));
    let path = |p: &PathBuf| p.to_str().expect("utf-8 path").to_owned();
    let preset = "rolling-deploy-of-a-leak";
    let o = poolsim(&["run", "--preset", preset, "--csv", &path(&plain)]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = poolsim(&["run", "--preset", preset, "--csv", &path(&per_instance), "--per-instance"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let (plain, text) = (
        std::fs::read_to_string(&plain).expect("the CSV was written"),
        std::fs::read_to_string(&per_instance).expect("the CSV was written"),
    );
    let instances = presets::load(preset).expect("preset").fleet.expect("a fleet").instances as usize;
    let header: Vec<&str> = text.lines().next().unwrap_or_default().split(',').collect();
    let fleet_width = plain.lines().next().unwrap_or_default().split(',').count();
    assert_eq!(header.len(), fleet_width + 5 * instances, "{header:?}");
    assert_eq!(header[fleet_width..fleet_width + 2], ["app-1 active", "app-1 idle"]);
    let mut seen = [0u64; 5];
    for (row, fleet_row) in text.lines().zip(plain.lines()).skip(1) {
        // The fleet's columns are the CSV without the flag, byte for byte.
        assert!(row.starts_with(&format!("{fleet_row},")), "{row}");
        let values: Vec<&str> = row.split(',').collect();
        for (c, column) in ["active", "idle", "pending", "leaked", "timeouts"].into_iter().enumerate() {
            let fleet = header.iter().position(|h| *h == column).map(|i| values[i]);
            let sum: u64 = (1..=instances)
                .map(|j| {
                    let i = header.iter().position(|h| *h == format!("app-{j} {column}")).unwrap_or(0);
                    values[i].parse::<u64>().unwrap_or(u64::MAX / 1_000)
                })
                .sum();
            assert_eq!(fleet, Some(sum.to_string().as_str()), "{column} at {}", values[0]);
            seen[c] += sum;
        }
    }
    assert!(seen.iter().all(|&n| n > 0), "every column is at work somewhere: {seen:?}");
    assert_eq!(poolsim(&["run", "--preset", preset, "--per-instance"]).status.code(), Some(2), "needs --csv");
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
fn svg_of_a_scenario_with_a_database_adds_the_databases_three_charts() {
    let database_titles = [
        "Database connections — pg_stat_database_numbackends / pg_settings_max_connections",
        "Database CPU — 1 - rate(node_cpu_seconds_total{mode=\"idle\"})",
        "Query stretch — pg_stat_statements mean_exec_time ÷ time alone",
    ];
    let titles_in = |svg: &std::path::Path| -> Vec<String> {
        let svg = std::fs::read_to_string(svg).expect("the SVG was written");
        let doc = roxmltree::Document::parse(&svg).expect("the SVG parses as XML");
        doc.descendants()
            .filter(|n| n.is_text())
            .filter_map(|n| n.text())
            .map(|t| t.trim().to_owned())
            .collect()
    };
    // The fast leak behind a database that lets the application hold 7 connections.
    let mut scenario = presets::load("fast-leak").expect("preset");
    scenario.database = Some(poolsim_engine::DatabaseConfig {
        cores: 2,
        max_connections: 10,
        reserved_connections: 3,
        ..Default::default()
    });
    let file = scratch("database.json");
    std::fs::write(&file, poolsim_content::export::scenario_json(&scenario)).expect("write");
    let svg = scratch("database.svg");
    let o = poolsim(&["run", file.to_str().expect("utf-8"), "--svg", svg.to_str().expect("utf-8")]);
    let summary = summary_of(&o);
    assert_eq!(summary["database"]["peak_connections"], 7, "{summary}");
    let texts = titles_in(&svg);
    for title in database_titles.iter().chain(&["Connections — hikaricp_connections_active / _idle / _max"])
    {
        assert!(texts.iter().any(|t| t == title), "{title:?} missing from the dashboard: {texts:?}");
    }
    assert!(texts.iter().any(|t| t == "peak 7 of 7 usable"), "{texts:?}");
    assert_eq!(texts.iter().filter(|t| *t == "08:10").count(), 8, "eight charts, each on the clock");

    // Without a database, the pool's five charts only.
    let plain = scratch("plain.svg");
    summary_of(&poolsim(&["run", "--preset", "fast-leak", "--svg", plain.to_str().expect("utf-8")]));
    let texts = titles_in(&plain);
    assert!(database_titles.iter().all(|title| !texts.iter().any(|t| t == title)), "{texts:?}");
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
    let names: Vec<&str> = rows.iter().filter_map(|r| r["scenario"].as_str()).collect();
    assert_eq!(names, ["healthy-200rps-pool100", "june-15-2024", "fleet-20x50-db64"]);
    for row in rows {
        assert!(row["requests_per_s"].as_f64().is_some_and(|r| r > 0.0), "{row}");
    }
    assert!(out.lines().next().is_some_and(|h| h.contains("requests/s")), "{out}");
    let replications = &v["replications"];
    for key in ["runs_per_s_one_thread", "runs_per_s_all_threads", "speedup"] {
        assert!(replications[key].as_f64().is_some_and(|r| r > 0.0), "{replications}");
    }
    assert!(out.contains("runs/s on 1 thread"), "{out}");
}

/// `08:00:00` + `t_s`, as the Markdown summary shows times of the fast-leak preset.
fn fast_leak_clock(t_s: f64) -> String {
    let t = 8 * 3600 + t_s.floor() as u64;
    format!("{:02}:{:02}:{:02}", t / 3600, t / 60 % 60, t % 60)
}

/// `1234567` → `1,234,567`.
fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[test]
fn md_writes_a_postmortem_table_with_the_summary_figures() {
    let file = scratch("outcome.md");
    let summary =
        summary_of(&poolsim(&["run", "--preset", "fast-leak", "--md", file.to_str().expect("utf-8 path")]));
    let md = std::fs::read_to_string(&file).expect("the Markdown was written");
    assert!(md.starts_with("### Outcome: Fast leak\n"), "{md}");
    let figure = |key: &str| grouped(summary[key].as_u64().expect("a count"));
    let clock = |key: &str| fast_leak_clock(summary[key].as_f64().expect("a time"));
    for row in [
        "| Measure | Value |".to_owned(),
        "| Scenario | Fast leak |".to_owned(),
        format!("| Requests | {} |", figure("requests")),
        format!("| Served | {} |", figure("served")),
        format!("| Leaked connections | {} |", figure("leaked")),
        format!("| First exhaustion | {} |", clock("first_exhaustion_s")),
        format!("| First timeout | {} |", clock("first_timeout_s")),
        "| Recovered | never |".to_owned(),
        format!("| Wait p99 | {:.1} ms |", summary["p99_wait_ms"].as_f64().expect("a wait")),
    ] {
        assert!(md.lines().any(|l| l == row), "missing {row:?} in:\n{md}");
    }
    let share = summary["failed_share"].as_f64().expect("a share") * 100.0;
    assert!(md.contains(&format!("| Failed | {} ({share:.1} %) |", figure("failed"))), "{md}");
}

#[test]
fn a_link_runs_headless_with_the_same_summary_as_its_source() {
    let o = poolsim(&["link", "--preset", "fast-leak"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let url = stdout(&o).trim().to_owned();
    assert!(url.starts_with("http://127.0.0.1:8080/#v1."), "{url}");
    assert_eq!(url.lines().count(), 1);
    let by_preset = poolsim(&["run", "--preset", "fast-leak"]);
    let by_link = poolsim(&["run", "--link", &url]);
    assert!(by_link.status.success(), "{}", stderr(&by_link));
    assert_eq!(stdout(&by_link), stdout(&by_preset), "same link, same run");

    // A file, another page, and only the fragment given back.
    let file = scratch("shared.json");
    std::fs::write(
        &file,
        r#"{"name": "shared | <b>", "duration_s": 120, "seed": 5, "leak": {"probability": 0.01}}"#,
    )
    .expect("write");
    let path = file.to_str().expect("utf-8 path");
    let o = poolsim(&["link", path, "--base", "https://docs.example/poolsim/#old"]);
    let url = stdout(&o).trim().to_owned();
    let (base, fragment) = url.split_once('#').expect("a fragment");
    assert_eq!(base, "https://docs.example/poolsim/");
    assert_eq!(stdout(&poolsim(&["run", "--link", fragment])), stdout(&poolsim(&["run", path])));
    // --seed still overrides a link's seed, as for a file.
    assert_eq!(
        stdout(&poolsim(&["run", "--link", fragment, "--seed", "6"])),
        stdout(&poolsim(&["run", path, "--seed", "6"]))
    );
}

#[test]
fn a_damaged_link_exits_2_with_a_clear_message() {
    let url = stdout(&poolsim(&["link", "--preset", "fast-leak"])).trim().to_owned();
    let cut = url.len() - (url.len() - url.find("v1.").expect("a v1 link") - 3) % 4 - 40;
    assert_fails_with(&poolsim(&["run", "--link", &url[..cut]]), &["--link", "damaged", "cut short"]);
    assert_fails_with(&poolsim(&["run", "--link", &url[..cut + 1]]), &["--link", "not valid base64"]);
    assert_fails_with(&poolsim(&["run", "--link", "#v9.AAAA"]), &["newer poolsim (v9)"]);
    assert_fails_with(&poolsim(&["run", "--link", "http://127.0.0.1:8080/"]), &["not a poolsim link"]);
    assert_fails_with(
        &poolsim(&["link", "/no/such/scenario.json"]),
        &["cannot read", "/no/such/scenario.json"],
    );
    assert_eq!(poolsim(&["link"]).status.code(), Some(2), "needs a file or a preset");
    assert_eq!(
        poolsim(&["run", "--preset", "fast-leak", "--link", "#v1.AAAA"]).status.code(),
        Some(2),
        "not both"
    );
}

/// `poolsim compare ARGS` as parsed JSON.
fn compare_table(args: &[&str]) -> Value {
    let o = poolsim(&[&["compare"], args].concat());
    assert!(o.status.success(), "stderr: {}", stderr(&o));
    serde_json::from_slice(&o.stdout).expect("compare prints the table as JSON")
}

#[test]
fn each_compare_row_equals_poolsim_run_on_the_scenario_it_shows() {
    let table = compare_table(&["--preset", "fast-leak"]);
    let rows = table["rows"].as_array().expect("rows");
    let labels: Vec<&str> = rows.iter().map(|r| r["label"].as_str().unwrap_or("")).collect();
    assert_eq!(
        labels,
        [
            "As it happened",
            "No fix",
            "Bigger pool only (20)",
            "Rollback at 08:05",
            "Abandoned reclaim (60 s)"
        ],
        "the suggested what-ifs for a leak"
    );
    // The rollback restarts the app; abandoned reclaim is run in counted steps: both must
    // still match a plain `poolsim run` of the scenario `--show-variant` prints.
    for n in [0usize, 2, 3, 4] {
        let shown = poolsim(&["compare", "--preset", "fast-leak", "--show-variant", &n.to_string()]);
        assert!(shown.status.success(), "stderr: {}", stderr(&shown));
        let file = scratch(&format!("variant-{n}.json"));
        std::fs::write(&file, &shown.stdout).expect("write");
        let summary = summary_of(&poolsim(&["run", &file.to_string_lossy()]));
        let row = &rows[n];
        for key in [
            "requests",
            "served",
            "timed_out",
            "failed",
            "failed_share",
            "leaked",
            "reclaimed",
            "first_exhaustion_s",
            "first_timeout_s",
            "recovered_s",
            "alerts",
        ] {
            assert_eq!(row[key], summary[key], "row {n} ({}): `{key}` differs from poolsim run", labels[n]);
        }
        assert!(row["lesson"].as_str().is_some_and(|l| l.ends_with('.')), "row {n} has a lesson: {row}");
    }
    assert_eq!(table["best"]["failed"], serde_json::json!([4]), "reclaim fails fewest: {}", table["best"]);
}

#[test]
fn compare_takes_what_ifs_as_json_and_prints_markdown() {
    let o = poolsim(&[
        "compare",
        "--preset",
        "fast-leak",
        "--variant",
        r#"{"kind":"restart_at","at_s":300}"#,
        "--variant",
        r#"{"kind":"usage_alert","above":0.5,"for_s":10}"#,
        "--md",
    ]);
    assert!(o.status.success(), "stderr: {}", stderr(&o));
    let md = stdout(&o);
    assert!(md.contains("| # | Variant | Pool ran out |"), "{md}");
    for row in [
        "| 0 | As it happened |",
        "| 1 | Restart at 08:05 (no rollback) |",
        "| 2 | Usage alert (> 50 % for 10 s) |",
    ] {
        assert!(md.contains(row), "{row} in {md}");
    }
    assert!(md.contains("- Restarting at 08:05:00 without a rollback"), "a lesson per row: {md}");
    assert!(md.contains("- A 50 % usage alert would have fired at"), "{md}");
    assert!(!md.contains("| 3 |"), "only the rows asked for");
}

#[test]
fn compare_offers_the_june_15_what_ifs_for_the_seed_incident() {
    // Row 3: the 15:45 fixes without the rollback, run until 21:00 so the leak catches up.
    let shown = poolsim(&["compare", "--preset", "june-15-2024", "--show-variant", "3"]);
    assert!(shown.status.success(), "stderr: {}", stderr(&shown));
    let scenario = Scenario::from_json(&stdout(&shown)).expect("a valid scenario");
    assert_eq!(scenario.duration_s, 9 * 3600);
    assert!(scenario.name.contains("no rollback"), "{}", scenario.name);
    assert!(!scenario.events.iter().any(|e| e.action == poolsim_engine::Action::Rollback));
    assert_eq!(scenario.seed, presets::load("june-15-2024").expect("preset").seed, "same seed");
}

#[test]
fn compare_errors_are_one_line_naming_what_is_wrong() {
    assert_fails_with(
        &poolsim(&["compare", "--preset", "fast-leak", "--variant", "{\"kind\":\"magic\"}"]),
        &["--variant #1", "magic"],
    );
    assert_fails_with(
        &poolsim(&["compare", "--preset", "fast-leak", "--variant", r#"{"kind":"rollback_at","at_s":9999}"#]),
        &["variants[1].at_s", "between 0 and the end of the run (600 s)"],
    );
    assert_fails_with(
        &poolsim(&["compare", "--preset", "fast-leak", "--show-variant", "9"]),
        &["--show-variant 9", "numbered 0 to 4"],
    );
    assert_fails_with(&poolsim(&["compare", "--preset", "nope"]), &["unknown preset `nope`"]);
    assert_eq!(poolsim(&["compare"]).status.code(), Some(2), "needs a file or a preset");
}

/// `poolsim replicate` with `args` after the fast-leak preset: its stdout.
fn replicate(args: &[&str]) -> String {
    let o = poolsim(&[&["replicate", "--preset", "fast-leak"], args].concat());
    assert!(o.status.success(), "{}", stderr(&o));
    stdout(&o)
}

/// The bigger pool what-if of the fast-leak preset (20 connections instead of 10).
const BIGGER_POOL: &str = r#"{"kind":"bigger_pool_only","max_size":20}"#;

#[test]
fn replicate_writes_one_csv_row_per_run_that_poolsim_run_reproduces_with_its_seed() {
    let csv = replicate(&["--runs", "4", "--format", "csv"]);
    let rows: Vec<Vec<&str>> = csv.lines().map(|l| l.split(',').collect()).collect();
    assert_eq!(rows.len(), 5, "header + one row per run: {csv}");
    assert_eq!(rows[0][..5], ["scenario", "base_seed", "variant", "run", "seed"]);
    let column = |name: &str| rows[0].iter().position(|c| *c == name).expect(name);
    let base = summary_of(&poolsim(&["run", "--preset", "fast-leak"]));
    // Run 0 is the scenario as it is.
    assert_eq!(rows[1][column("seed")], presets::load("fast-leak").expect("preset").seed.to_string());
    for row in &rows[1..] {
        let run = summary_of(&poolsim(&["run", "--preset", "fast-leak", "--seed", row[column("seed")]]));
        for key in ["first_exhaustion_s", "first_timeout_s", "failed_share", "p99_wait_ms", "mean_wait_ms"] {
            let cell: f64 = row[column(key)].parse().expect("a number");
            assert_eq!(run[key].as_f64(), Some(cell), "run {}: {key}", row[column("run")]);
        }
    }
    assert_ne!(rows[2][column("first_exhaustion_s")], rows[1][column("first_exhaustion_s")], "another seed");
    assert_eq!(base["first_exhaustion_s"].as_f64(), rows[1][column("first_exhaustion_s")].parse().ok());
}

#[test]
fn replicate_prints_statistics_and_a_fix_against_the_base_run_by_run() {
    let v: Value =
        serde_json::from_str(&replicate(&["--runs", "20", "--variant", BIGGER_POOL, "--format", "json"]))
            .expect("JSON");
    assert_eq!((v["runs"].as_u64(), v["confidence"].as_f64()), (Some(20), Some(0.95)));
    let base = &v["variants"][0];
    assert_eq!(base["variant"], "As it happened");
    assert_eq!(base["ran_out"]["count"], 20, "a fast leak runs out in every run: {base}");
    let exhaustion = &base["first_exhaustion_s"];
    let (mean, ci) = (exhaustion["mean"].as_f64().expect("mean"), &exhaustion["ci95"]);
    assert!(ci["low"].as_f64() < Some(mean) && Some(mean) < ci["high"].as_f64(), "{exhaustion}");
    assert!(exhaustion["p5"].as_f64() <= exhaustion["median"].as_f64(), "{exhaustion}");
    assert!(base["time_to_recover_s"]["mean"].is_null(), "it never recovers");
    let fix = &v["differences"][0];
    assert_eq!(
        (fix["variant"].as_str(), fix["against"].as_str()),
        (Some("Bigger pool only (20)"), Some("As it happened"))
    );
    let later = &fix["first_exhaustion_s"];
    assert!(later["significant"] == true && later["mean"].as_f64().is_some_and(|d| d > 0.0), "{later}");

    let table = replicate(&["--runs", "20", "--variant", BIGGER_POOL]);
    assert!(table.starts_with("Fast leak: 20 runs from seed"), "{table}");
    assert!(table.contains("As it happened: the pool ran out in 20 of 20 runs"), "{table}");
    assert!(table.contains("Bigger pool only (20) − As it happened, run by run (20 pairs"), "{table}");
    let md = replicate(&["--runs", "20", "--variant", BIGGER_POOL, "--format", "md"]);
    assert!(md.contains("| outcome | runs | mean | 95 % CI of the mean | median | p5 | p95 |"), "{md}");
    assert!(md.contains("| first exhaustion [s] | 20 | +"), "the difference is signed: {md}");
}

#[test]
fn replicate_gives_the_same_output_whatever_the_thread_count() {
    for format in ["json", "csv"] {
        let args = ["--runs", "12", "--variant", BIGGER_POOL, "--format", format];
        let one = replicate(&[&args[..], &["--threads", "1"]].concat());
        assert_eq!(replicate(&[&args[..], &["--threads", "3"]].concat()), one, "{format}");
        assert_eq!(replicate(&args), one, "{format}, one thread per core");
    }
}

#[test]
fn shards_merged_print_what_one_unsharded_run_prints_byte_for_byte() {
    let args = ["--runs", "11", "--variant", BIGGER_POOL];
    let files: Vec<PathBuf> = (0..3)
        .map(|i| {
            let file = scratch(&format!("shard-{i}.csv"));
            let shard = format!("{i}/3");
            std::fs::write(&file, replicate(&[&args[..], &["--shard", &shard, "--format", "csv"]].concat()))
                .expect("write");
            file
        })
        .collect();
    let paths: Vec<&str> = [2, 0, 1].iter().map(|&i| files[i].to_str().expect("utf-8 path")).collect();
    for format in ["table", "json", "csv", "md"] {
        let o = poolsim(&[&["merge"], &paths[..], &["--format", format]].concat());
        assert!(o.status.success(), "{}", stderr(&o));
        assert_eq!(stdout(&o), replicate(&[&args[..], &["--format", format]].concat()), "{format}");
    }
    // A shard left out (shard 1/3: runs 1, 4, 7, 10), or given twice, is refused.
    assert_fails_with(&poolsim(&["merge", paths[0], paths[1]]), &["run 1 is missing", "every shard"]);
    assert_fails_with(&poolsim(&["merge", paths[0], paths[1], paths[2], paths[1]]), &["twice", paths[1]]);
    let other = scratch("other-seed.csv");
    std::fs::write(&other, replicate(&["--runs", "2", "--seed", "99", "--format", "csv"])).expect("write");
    assert_fails_with(&poolsim(&["merge", paths[1], other.to_str().expect("utf-8 path")]), &["from seed 99"]);
    assert_fails_with(&poolsim(&["merge", "Cargo.toml"]), &["Cargo.toml", "header"]);
}

#[test]
fn replicate_refuses_bad_counts_and_shards_naming_the_flag() {
    let fails = |args: &[&str], words: &[&str]| {
        assert_fails_with(&poolsim(&[&["replicate", "--preset", "fast-leak"], args].concat()), words);
    };
    fails(&["--runs", "0"], &["--runs 0", "1 to 10,000"]);
    fails(&["--runs", "10001"], &["--runs 10001", "1 to 10,000"]);
    fails(&["--runs", "many"], &["--runs many"]);
    fails(&["--runs", "4", "--shard", "3/2"], &["--shard 3/2", "0 to 1"]);
    fails(&["--runs", "4", "--shard", "2"], &["--shard 2", "I/N"]);
    fails(&["--runs", "4", "--shard", "1/0"], &["--shard 1/0", "at least 1"]);
    fails(&["--runs", "2", "--shard", "3/4"], &["--shard 3/4", "no run"]);
    fails(&["--runs", "4", "--threads", "0"], &["--threads 0"]);
    fails(&["--runs", "4", "--variant", r#"{"kind":"rollback_at"}"#], &["--variant #1"]);
}

#[test]
fn run_reports_what_the_callers_saw_only_when_it_models_them() {
    let plain = summary_of(&poolsim(&["run", "--preset", "fast-leak"]));
    assert!(plain.get("callers").is_none(), "a run without callers' settings prints as before: {plain}");
    // The fast leak seen by callers who give up after 2 s and retry once.
    let mut scenario = presets::load("fast-leak").expect("preset");
    scenario.traffic.deadline_ms = 2000;
    scenario.traffic.retry.attempts = 1;
    let file = scratch("callers.json");
    std::fs::write(&file, serde_json::to_string(&scenario).expect("serialises")).expect("written");
    let (csv, md) = (scratch("callers.csv"), scratch("callers.md"));
    let path = |p: &PathBuf| p.to_str().expect("utf-8 path").to_owned();
    let summary = summary_of(&poolsim(&["run", &path(&file), "--csv", &path(&csv), "--md", &path(&md)]));
    let callers = &summary["callers"];
    for key in
        ["first_tries", "retries", "goodput", "goodput_share", "gave_up", "served_late", "retries_denied"]
    {
        assert!(callers[key].is_number(), "callers lack `{key}`: {summary}");
    }
    let count = |v: &Value| v.as_u64().expect("a count");
    assert_eq!(count(&callers["first_tries"]) + count(&callers["retries"]), count(&summary["attempts"]));
    assert!(count(&callers["gave_up"]) > 0, "{summary}");
    let header = std::fs::read_to_string(&csv).expect("the CSV was written");
    assert!(header.lines().next().is_some_and(|h| h.ends_with(
        ",first_tries,retries,goodput,gave_up,served_late,retries_denied,breaker_rejected,breaker"
    )));
    let md = std::fs::read_to_string(&md).expect("the Markdown was written");
    let goodput = format!("| Answered in time (goodput) | {} (", grouped(count(&callers["goodput"])));
    assert!(md.contains(&goodput), "{md}");
    assert!(md.contains("| Served after the caller gave up (wasted work) |"), "{md}");
}

#[test]
fn run_reports_the_request_threads_only_when_it_models_them() {
    let plain = summary_of(&poolsim(&["run", "--preset", "fast-leak"]));
    assert!(plain.get("app").is_none(), "a run without threads prints as before: {plain}");
    // The fast leak behind Tomcat's 200 threads and 100 queued, a tenth of the requests
    // needing no database.
    let mut scenario = presets::load("fast-leak").expect("preset");
    scenario.app = Some(poolsim_engine::AppConfig { no_db_share: 0.1, ..Default::default() });
    let file = scratch("threads.json");
    std::fs::write(&file, serde_json::to_string(&scenario).expect("serialises")).expect("written");
    let (csv, md) = (scratch("threads.csv"), scratch("threads.md"));
    let path = |p: &PathBuf| p.to_str().expect("utf-8 path").to_owned();
    let summary = summary_of(&poolsim(&["run", &path(&file), "--csv", &path(&csv), "--md", &path(&md)]));
    let app = &summary["app"];
    let count = |v: &Value| v.as_u64().expect("a count");
    assert_eq!(count(&app["threads"]), 200, "{summary}");
    assert_eq!(count(&app["peak_threads_busy"]), 200, "an exhausted pool blocks every thread: {summary}");
    assert!(count(&app["rejected"]) > 0 && count(&app["no_db_requests"]) > 0, "{summary}");
    let text = std::fs::read_to_string(&csv).expect("the CSV was written");
    assert!(
        text.lines().next().is_some_and(|h| h.ends_with(",threads_busy,accept_queue,rejected")),
        "{text:.300}"
    );
    let md = std::fs::read_to_string(&md).expect("the Markdown was written");
    assert!(md.contains("| Request threads busy at most | 200 of 200 |"), "{md}");
    let refused = format!(
        "| Refused by the server (threads and accept queue full) | {} |",
        grouped(count(&app["rejected"]))
    );
    assert!(md.contains(&refused), "{md}");
}
