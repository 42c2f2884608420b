//! Exports a postmortem author pastes or opens elsewhere: the CSV reads in any CSV reader
//! with one row per simulated second, the Markdown table shows the run's figures in the
//! scenario's clock, and no name or note can break the table or inject HTML.

mod arbitrary;

use poolsim_content::export::{self, CALLER_COLUMNS, DATABASE_COLUMNS, SAMPLE_COLUMNS};
use poolsim_content::presets;
use poolsim_engine::time::ClockTime;
use poolsim_engine::{DatabaseConfig, Jitter, RetryBudget, Scenario, Simulation, Summary};
use proptest::prelude::*;
use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

fn run(scenario: &Scenario) -> (Simulation, Summary) {
    let mut sim = Simulation::new(scenario).unwrap_or_else(|e| panic!("scenario refused: {e}"));
    let summary = sim.run_to_end();
    (sim, summary)
}

fn fast_leak() -> Scenario {
    presets::load("fast-leak").expect("preset")
}

/// The Markdown as a reader sees it: each table row's cells as plain text, plus whether
/// anything other than plain text, emphasis-free code and the table itself appeared.
struct Rendered {
    rows: Vec<Vec<String>>,
    headings: Vec<String>,
    /// HTML, links, images, emphasis, code: anything user text must never become.
    markup: Vec<String>,
}

fn render(markdown: &str) -> Rendered {
    let mut rendered = Rendered { rows: Vec::new(), headings: Vec::new(), markup: Vec::new() };
    let mut cell: Option<String> = None;
    let mut heading: Option<String> = None;
    for event in Parser::new_ext(markdown, Options::ENABLE_TABLES) {
        match event {
            Event::Start(Tag::TableHead | Tag::TableRow) => rendered.rows.push(Vec::new()),
            Event::Start(Tag::TableCell) => cell = Some(String::new()),
            Event::End(TagEnd::TableCell) => {
                if let (Some(row), Some(text)) = (rendered.rows.last_mut(), cell.take()) {
                    row.push(text);
                }
            }
            Event::Start(Tag::Heading { .. }) => heading = Some(String::new()),
            Event::End(TagEnd::Heading(_)) => rendered.headings.extend(heading.take()),
            Event::Text(t) => {
                if let Some(c) = cell.as_mut().or(heading.as_mut()) {
                    c.push_str(&t);
                }
            }
            Event::Html(h) | Event::InlineHtml(h) => rendered.markup.push(format!("html {h}")),
            Event::Code(c) => rendered.markup.push(format!("code {c}")),
            Event::Start(
                t @ (Tag::Link { .. } | Tag::Image { .. } | Tag::Emphasis | Tag::Strong | Tag::Strikethrough),
            ) => rendered.markup.push(format!("{t:?}")),
            _ => {}
        }
    }
    rendered
}

/// The value in the row labelled `label`.
fn cell<'a>(r: &'a Rendered, label: &str) -> &'a str {
    let row = r.rows.iter().find(|row| row.first().is_some_and(|l| l == label));
    row.and_then(|row| row.get(1)).unwrap_or_else(|| panic!("no row {label:?} in {:?}", r.rows))
}

#[test]
fn csv_has_a_header_and_one_row_of_numbers_per_second() {
    let scenario = fast_leak();
    let (sim, _) = run(&scenario);
    let text = export::run_csv(&sim, scenario.clock_start);

    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = reader.headers().expect("a header").iter().map(str::to_owned).collect();
    assert_eq!(header, SAMPLE_COLUMNS);
    let rows: Vec<csv::StringRecord> = reader.records().collect::<Result<_, _>>().expect("every row parses");
    assert_eq!(rows.len() as u64, scenario.duration_s, "one row per simulated second");
    for (i, row) in rows.iter().enumerate() {
        assert_eq!(row.len(), SAMPLE_COLUMNS.len());
        assert_eq!(row[0], (i + 1).to_string(), "t_s counts the seconds");
        for (column, field) in SAMPLE_COLUMNS.iter().zip(row.iter()) {
            if *column != "clock" {
                assert!(field.parse::<f64>().is_ok_and(f64::is_finite), "{column} = {field:?} in row {i}");
            }
        }
    }
    // fast-leak starts at 08:00 and lasts 10 minutes.
    assert_eq!(&rows[0][1], "08:00:01");
    assert_eq!(&rows[rows.len() - 1][1], "08:10:00");
    // The figures are the samples', usage included.
    let last = sim.samples().last().expect("samples");
    let at =
        |name: &str| &rows[rows.len() - 1][SAMPLE_COLUMNS.iter().position(|c| *c == name).expect("column")];
    assert_eq!(at("leaked"), last.gauges.leaked.to_string());
    assert_eq!(at("usage").parse::<f64>().ok(), Some(last.usage()));
    assert_eq!(at("acquire_p99_ms").parse::<f64>().ok(), Some(last.acquire_p99_ms));
    assert!(text.ends_with('\n') && !text.contains('\r') && !text.contains('"'));
}

#[test]
fn csv_of_a_run_with_a_database_adds_its_columns_to_every_row() {
    let mut scenario = fast_leak();
    scenario.database = Some(DatabaseConfig { cores: 2, max_connections: 8, ..DatabaseConfig::default() });
    let (sim, _) = run(&scenario);
    let text = export::run_csv(&sim, scenario.clock_start);
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = reader.headers().expect("a header").iter().map(str::to_owned).collect();
    let wanted: Vec<&str> = SAMPLE_COLUMNS.iter().chain(&DATABASE_COLUMNS).copied().collect();
    assert_eq!(header, wanted);
    let rows: Vec<csv::StringRecord> = reader.records().collect::<Result<_, _>>().expect("every row parses");
    assert_eq!(rows.len() as u64, scenario.duration_s);
    let last = sim.database_samples().last().expect("database samples");
    let row = &rows[rows.len() - 1];
    let at = |name: &str| &row[wanted.iter().position(|c| *c == name).expect("column")];
    assert_eq!(at("db_connections"), last.connections.to_string());
    assert_eq!(at("db_utilisation").parse::<f64>().ok(), Some(last.utilisation));
    assert!(rows.iter().all(|r| r.len() == wanted.len()));
}

/// The fast leak seen by callers who give up after 2 s and retry with jitter within a budget.
fn fast_leak_with_callers() -> Scenario {
    let mut scenario = fast_leak();
    scenario.traffic.deadline_ms = 2000;
    scenario.traffic.retry.attempts = 2;
    scenario.traffic.retry.jitter = Jitter::Full;
    scenario.traffic.retry.budget = Some(RetryBudget { ratio: 0.1, ..RetryBudget::default() });
    scenario
}

#[test]
fn csv_of_a_run_that_models_its_callers_adds_theirs() {
    let scenario = fast_leak_with_callers();
    let (sim, summary) = run(&scenario);
    let text = export::run_csv(&sim, scenario.clock_start);
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = reader.headers().expect("a header").iter().map(str::to_owned).collect();
    let wanted: Vec<&str> = SAMPLE_COLUMNS.iter().chain(&CALLER_COLUMNS).copied().collect();
    assert_eq!(header, wanted);
    let rows: Vec<csv::StringRecord> = reader.records().collect::<Result<_, _>>().expect("every row parses");
    let column = |name: &str| wanted.iter().position(|c| *c == name).expect("column");
    let total =
        |name: &str| rows.iter().map(|r| r[column(name)].parse::<u64>().expect("a count")).sum::<u64>();
    let c = summary.callers.as_ref().expect("callers");
    assert_eq!(total("goodput"), c.goodput, "the goodput column adds up to the summary's");
    assert_eq!(total("served_late"), c.served_late);
    assert_eq!(total("retries"), c.retries);
    assert_eq!(
        total("first_tries") + total("retries"),
        total("arrivals"),
        "arrivals split by first try and retry"
    );
    assert_eq!(total("gave_up"), c.gave_up);
    assert!(c.gave_up > 0 && c.retries > 0, "{c:?}");
}

#[test]
fn markdown_of_a_run_that_models_its_callers_says_goodput_and_wasted_work() {
    let scenario = fast_leak_with_callers();
    let (_, summary) = run(&scenario);
    let r = render(&export::summary_markdown(&scenario, &summary));
    let c = summary.callers.as_ref().expect("callers");
    assert!(cell(&r, "Answered in time (goodput)").starts_with(&poolsim_content::words::count(c.goodput)));
    assert_eq!(
        cell(&r, "Served after the caller gave up (wasted work)"),
        poolsim_content::words::count(c.served_late)
    );
    assert!(cell(&r, "Retries sent").contains("first tries"));
    assert_eq!(cell(&r, "Retries refused by the budget"), poolsim_content::words::count(c.retries_denied));
    assert!(r.rows.iter().all(|row| row[0] != "Calls failed by the circuit breaker"), "no breaker, no row");
    let plain = render(&export::summary_markdown(&fast_leak(), &run(&fast_leak()).1));
    assert!(
        plain.rows.iter().all(|row| !row[0].contains("goodput")),
        "a run without callers reads as before"
    );
}

#[test]
fn csv_of_no_samples_is_just_the_header() {
    assert_eq!(
        export::samples_csv(&[], &[], &[], ClockTime::from_seconds_of_day(12 * 3600)),
        format!("{}\n", SAMPLE_COLUMNS.join(","))
    );
}

#[test]
fn markdown_summary_shows_the_figures_in_the_scenario_clock() {
    let scenario = presets::load(presets::SEED_INCIDENT).expect("preset");
    let (_, summary) = run(&scenario);
    let markdown = export::summary_markdown(&scenario, &summary);
    let r = render(&markdown);
    assert!(r.markup.is_empty(), "{:?}", r.markup);
    assert_eq!(r.headings, [format!("Outcome: {}", scenario.name)]);
    assert_eq!(cell(&r, "Scenario"), scenario.name);
    assert!(cell(&r, "Simulated").starts_with("12:00:00 to 17:00:00 (5 h 00 m), seed 20240615"));
    assert_eq!(cell(&r, "Requests"), poolsim_content::words::count(summary.requests));
    assert_eq!(
        cell(&r, "Failed"),
        format!(
            "{} ({:.1} %)",
            poolsim_content::words::count(summary.counts.failed),
            summary.counts.failed_share * 100.0
        )
    );
    assert_eq!(cell(&r, "Leaked connections"), poolsim_content::words::count(summary.counts.leaked));
    let noon = ClockTime::from_seconds_of_day(12 * 3600);
    let clock = |t: Option<f64>| noon.after(t.expect("happened in the seed incident")).format(true);
    // The postmortem's story: exhaustion near 14:00, recovery after the 15:45 fixes.
    assert_eq!(cell(&r, "First exhaustion"), clock(summary.milestones.first_exhaustion_s));
    assert!(cell(&r, "First exhaustion").starts_with("13:5"), "{}", cell(&r, "First exhaustion"));
    assert_eq!(cell(&r, "First timeout"), clock(summary.milestones.first_timeout_s));
    assert_eq!(cell(&r, "Recovered"), clock(summary.milestones.recovered_s));
    assert_eq!(
        cell(&r, "Alert FailedLogins fired"),
        clock(*summary.alerts.get("FailedLogins").expect("a rule"))
    );
    assert_eq!(cell(&r, "Wait p99"), format!("{:.1} ms", summary.p99_wait_ms));
    assert!(r.rows.iter().all(|row| !row[0].contains("atabase")), "no database, no database rows");
}

#[test]
fn markdown_summary_says_where_the_time_went_in_the_database() {
    let mut scenario = fast_leak();
    scenario.database = Some(DatabaseConfig {
        cores: 2,
        max_connections: 8,
        reserved_connections: 2,
        ..DatabaseConfig::default()
    });
    let (_, summary) = run(&scenario);
    let db = summary.database.clone().expect("a database summary");
    let r = render(&export::summary_markdown(&scenario, &summary));
    assert!(r.markup.is_empty(), "{:?}", r.markup);
    assert_eq!(cell(&r, "Mean query time (in the database)"), format!("{:.1} ms", db.mean_query_ms));
    assert_eq!(
        cell(&r, "Database connections"),
        format!("at most {} open of 6 usable (8 max_connections − 2 reserved)", db.peak_connections)
    );
    assert!(cell(&r, "Database cores busy").ends_with("of 2 cores"));
    assert_eq!(
        cell(&r, "Connections refused by the database"),
        poolsim_content::words::count(db.refused_opens)
    );
}

#[test]
fn markdown_says_never_for_what_did_not_happen() {
    // 10 requests/s × 40 ms on 100 connections: never close to running out.
    let mut scenario = Scenario { duration_s: 600, ..Scenario::default() };
    scenario.pool.max_size = 100;
    scenario.traffic.rate_per_s = 10.0;
    let (_, mut summary) = run(&scenario);
    summary.alerts.note("QuietAlert", None);
    let r = render(&export::summary_markdown(&scenario, &summary));
    assert_eq!(cell(&r, "First exhaustion"), "never");
    assert_eq!(cell(&r, "First timeout"), "never");
    assert_eq!(cell(&r, "Alert QuietAlert fired"), "never");
    assert_eq!(cell(&r, "Recovered"), "not needed (nothing failed)");

    // Failures that never stopped: recovery "never".
    let (_, leak) = run(&fast_leak());
    assert!(leak.counts.failed > 0 && leak.milestones.recovered_s.is_none(), "{leak:?}");
    assert_eq!(cell(&render(&export::summary_markdown(&fast_leak(), &leak)), "Recovered"), "never");
}

#[test]
fn a_hostile_name_cannot_break_the_table_or_inject_html() {
    let mut scenario = fast_leak();
    scenario.name =
        "Evil | name\n| Requests | 0 |\n<script>alert(1)</script> `code` [click](https://x.example) \
                     **bold** _em_ ~~del~~ ![img](i.png) &lt; back\\slash\\| # not a heading"
            .to_owned();
    let (_, mut summary) = run(&scenario);
    summary.alerts.note("<img src=x onerror=alert(1)>|", Some(60.0));
    let markdown = export::summary_markdown(&scenario, &summary);
    assert!(!markdown.contains('<'), "{markdown}");
    let r = render(&markdown);
    assert!(r.markup.is_empty(), "user text became markup: {:?}", r.markup);
    assert!(r.rows.iter().all(|row| row.len() == 2), "{:?}", r.rows);
    assert_eq!(r.rows.iter().filter(|row| row[0] == "Requests").count(), 1, "{:?}", r.rows);
    // The name reads exactly as typed, on one line.
    assert_eq!(cell(&r, "Scenario"), scenario.name.replace('\n', " "));
    assert_eq!(r.headings, [format!("Outcome: {}", scenario.name.replace('\n', " "))]);
    assert_eq!(cell(&r, "Alert <img src=x onerror=alert(1)>| fired"), "08:01:00");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() })]

    /// Whatever the names, the table keeps its shape and shows them as typed.
    #[test]
    fn any_name_reads_back_as_typed(name in arbitrary::text(120), alert in arbitrary::non_blank_text(40)) {
        let scenario = Scenario { name: name.clone(), ..Scenario::default() };
        let summary = Summary { alerts: [(alert.clone(), None)].into_iter().collect(), ..Summary::default() };
        let r = render(&export::summary_markdown(&scenario, &summary));
        prop_assert!(r.markup.is_empty(), "{:?}", r.markup);
        prop_assert!(r.rows.iter().all(|row| row.len() == 2), "{:?}", r.rows);
        // Markdown trims a cell and drops NUL; control characters read as spaces.
        let shown = |s: &str| s.chars().map(|c| if c.is_control() { ' ' } else { c }).collect::<String>();
        let expected = shown(&name);
        prop_assert_eq!(cell(&r, "Scenario").trim(), expected.trim());
        let label = format!("Alert {} fired", shown(&alert));
        prop_assert_eq!(cell(&r, label.trim_end()), "never");
    }
}
