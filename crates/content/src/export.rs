//! Exports as text, for the CLI's files and the page's downloads alike: the per-second
//! samples as CSV, the outcome as a Markdown table ready to paste into a postmortem,
//! and the scenario as JSON.
//!
//! Every function is pure and returns a `String`; writing it somewhere is the caller's job.
//! Names, notes and alert names are user text (possibly from a stranger's link), so the
//! Markdown escapes everything that could break a table, start a link or inject HTML.

use std::fmt::Write as _;

use poolsim_engine::Simulation;
use poolsim_engine::analytic::usable_connections;
use poolsim_engine::metrics::{AppSample, CallerSample, DatabaseSample, InstanceSample, Sample, Summary};
use poolsim_engine::scenario::Scenario;
use poolsim_engine::time::ClockTime;

/// The CSV columns, in order: the [`Sample`] fields as on a Grafana dashboard, plus the
/// time of day (`clock`, `HH:MM:SS`) and `usage` (active / max, 0..=1).
pub const SAMPLE_COLUMNS: [&str; 19] = [
    "t_s",
    "clock",
    "total",
    "active",
    "idle",
    "pending",
    "opening",
    "leaked",
    "suspected",
    "max",
    "usage",
    "arrivals",
    "served",
    "timeouts",
    "failed",
    "acquire_p50_ms",
    "acquire_p95_ms",
    "acquire_p99_ms",
    "acquire_max_ms",
];

/// The columns a run with a database adds after [`SAMPLE_COLUMNS`]: the
/// [`DatabaseSample`] fields.
pub const DATABASE_COLUMNS: [&str; 7] = [
    "db_running",
    "db_connections",
    "db_queries",
    "db_query_ms",
    "db_stretch",
    "db_utilisation",
    "db_refused_opens",
];

/// The columns a run that models its callers adds after the others: the [`CallerSample`]
/// fields (`breaker`: 0 closed or no breaker, 1 open, 2 half open).
pub const CALLER_COLUMNS: [&str; 8] = [
    "first_tries",
    "retries",
    "goodput",
    "gave_up",
    "served_late",
    "retries_denied",
    "breaker_rejected",
    "breaker",
];

/// The columns a run that models its request threads adds after the others: the
/// [`AppSample`] threads' fields, summed over a fleet.
pub const THREAD_COLUMNS: [&str; 3] = ["threads_busy", "accept_queue", "rejected"];

/// The column a run with health checks adds after the others: the instances in the load balancer.
pub const HEALTH_COLUMNS: [&str; 1] = ["in_balancer"];

/// The columns each instance adds last when the run recorded them
/// ([`Simulation::record_instance_samples`], `poolsim run --per-instance`), named
/// `app-1 active`, `app-1 idle` … the [`InstanceSample`] fields.
pub const INSTANCE_COLUMNS: [&str; 5] = ["active", "idle", "pending", "leaked", "timeouts"];

/// A run's samples as CSV, as `poolsim run --csv` and the share page write them: its
/// database's beside them if it has one, its callers' if it models them
/// ([`samples_csv`]), its threads' ([`THREAD_COLUMNS`]) if it models them and the
/// instances in its balancer ([`HEALTH_COLUMNS`]) if it has health checks, and each
/// instance's pool ([`INSTANCE_COLUMNS`]) if it recorded them.
pub fn run_csv(sim: &Simulation, clock_start: ClockTime) -> String {
    let callers = if sim.models_callers() { sim.caller_samples() } else { &[] };
    let server = Server {
        samples: sim.app_samples(),
        threads: sim.models_threads(),
        health: sim.models_health(),
        instances: sim.instance_samples(0).is_some().then_some(sim),
    };
    write_csv(sim.samples(), sim.database_samples(), callers, server, clock_start)
}

/// The application servers' columns a CSV writes, and their samples.
#[derive(Clone, Copy, Default)]
struct Server<'a> {
    samples: &'a [AppSample],
    threads: bool,
    health: bool,
    /// The run whose instances' samples to write, if they were recorded.
    instances: Option<&'a Simulation>,
}

/// The samples as CSV: a header row ([`SAMPLE_COLUMNS`], then [`DATABASE_COLUMNS`] when the
/// run has a database — `database` holds one sample beside each, or none — and
/// [`CALLER_COLUMNS`] when `callers` holds one beside each) and one row per sampled
/// second, lines ending in `\n`. Every field is a number or an `HH:MM:SS` clock time
/// counted from `clock_start`, so nothing needs quoting.
pub fn samples_csv(
    samples: &[Sample],
    database: &[DatabaseSample],
    callers: &[CallerSample],
    clock_start: ClockTime,
) -> String {
    write_csv(samples, database, callers, Server::default(), clock_start)
}

fn write_csv(
    samples: &[Sample],
    database: &[DatabaseSample],
    callers: &[CallerSample],
    server: Server<'_>,
    clock_start: ClockTime,
) -> String {
    // ~100 bytes per row.
    let mut out = String::with_capacity(128 * (samples.len() + 1));
    out.push_str(&SAMPLE_COLUMNS.join(","));
    if !database.is_empty() {
        out.push(',');
        out.push_str(&DATABASE_COLUMNS.join(","));
    }
    if !callers.is_empty() {
        out.push(',');
        out.push_str(&CALLER_COLUMNS.join(","));
    }
    let threads = if server.threads { server.samples } else { &[] };
    let health = if server.health { server.samples } else { &[] };
    for (columns, shown) in [(&THREAD_COLUMNS[..], threads), (&HEALTH_COLUMNS[..], health)] {
        if !shown.is_empty() {
            out.push(',');
            out.push_str(&columns.join(","));
        }
    }
    let instances = server.instances.map_or(0, Simulation::instance_count);
    for j in 1..=instances {
        for column in INSTANCE_COLUMNS {
            let _ = write!(out, ",app-{j} {column}");
        }
    }
    out.push('\n');
    for (i, s) in samples.iter().enumerate() {
        // Writing to a String cannot fail.
        let _ = write!(out, "{},{}", s.t_s, clock_start.after(f64::from(s.t_s)).format(true));
        for v in s.gauge_values() {
            let _ = write!(out, ",{v}");
        }
        let _ = write!(out, ",{}", s.usage());
        for v in s.counter_values() {
            let _ = write!(out, ",{v}");
        }
        for v in s.acquire_values_ms() {
            let _ = write!(out, ",{v}");
        }
        if let Some(d) = database.get(i) {
            let (counts, values, refused) = d.values();
            for v in counts {
                let _ = write!(out, ",{v}");
            }
            for v in values {
                let _ = write!(out, ",{v}");
            }
            let _ = write!(out, ",{refused}");
        }
        if let Some(c) = callers.get(i) {
            for v in c.values() {
                let _ = write!(out, ",{v}");
            }
        }
        if let Some(a) = threads.get(i) {
            for v in a.thread_values() {
                let _ = write!(out, ",{v}");
            }
        }
        if let Some(a) = health.get(i) {
            let _ = write!(out, ",{}", a.in_balancer);
        }
        match server.instances.and_then(|sim| sim.instance_samples(i)) {
            Some(pools) => {
                for v in pools.iter().flat_map(InstanceSample::values) {
                    let _ = write!(out, ",{v}");
                }
            }
            // A second before the recording started: empty fields.
            None => (0..instances as usize * INSTANCE_COLUMNS.len()).for_each(|_| out.push(',')),
        }
        out.push('\n');
    }
    out
}

/// The outcome as a Markdown section for a postmortem: a heading with the scenario's name
/// and a two-column table (requests, served, failed and its share, timeouts, leaked, first
/// exhaustion, first timeout, recovery, each alert's first firing, waits; with a database,
/// where the time went in it and its connections; when the run models its callers, the
/// answers in time, the wasted work and the retries; with request threads, the most busy
/// and queued and the refusals; with health checks, the checks failed, the instances
/// taken out and the requests refused for want of one). Times are the scenario's clock
/// (`HH:MM:SS`); an event that did not happen reads "never".
pub fn summary_markdown(scenario: &Scenario, summary: &Summary) -> String {
    let clock = |t: f64| scenario.clock_start.after(t).format(true);
    let at = |t: Option<f64>| t.map_or_else(|| "never".to_owned(), clock);
    let nothing_failed = summary.counts.failed == 0 && summary.counts.timed_out == 0;
    let recovered = match summary.milestones.recovered_s {
        None if nothing_failed => "not needed (nothing failed)".to_owned(),
        None => "never".to_owned(),
        Some(t) => at(Some(t)),
    };

    let mut rows: Vec<[String; 2]> = vec![
        ["Scenario".to_owned(), escape_markdown(&scenario.name)],
        [
            "Simulated".to_owned(),
            format!(
                "{} to {} ({}), seed {}",
                clock(0.0),
                clock(summary.simulated_s),
                crate::words::duration_text(summary.simulated_s),
                scenario.seed
            ),
        ],
        ["Requests".to_owned(), crate::words::count(summary.requests)],
        ["Served".to_owned(), crate::words::count(summary.counts.served)],
        [
            "Failed".to_owned(),
            format!(
                "{} ({:.1} %)",
                crate::words::count(summary.counts.failed),
                summary.counts.failed_share * 100.0
            ),
        ],
        ["Timed out (attempts)".to_owned(), crate::words::count(summary.counts.timed_out)],
        ["Leaked connections".to_owned(), crate::words::count(summary.counts.leaked)],
        ["First exhaustion".to_owned(), at(summary.milestones.first_exhaustion_s)],
        ["First timeout".to_owned(), at(summary.milestones.first_timeout_s)],
        ["Recovered".to_owned(), recovered],
    ];
    for (name, fired) in &summary.alerts {
        rows.push([format!("Alert {} fired", escape_markdown(name)), at(*fired)]);
    }
    rows.extend([
        ["Mean wait".to_owned(), format!("{:.1} ms", summary.mean_wait_ms)],
        ["Wait p50".to_owned(), format!("{:.1} ms", summary.p50_wait_ms)],
        ["Wait p99".to_owned(), format!("{:.1} ms", summary.p99_wait_ms)],
        ["Longest wait".to_owned(), format!("{:.1} ms", summary.max_wait_ms)],
    ]);
    if let (Some(db), Some(config)) = (&summary.database, &scenario.database) {
        let usable = usable_connections(config.max_connections, config.reserved_connections);
        rows.extend([
            ["Mean query time (in the database)".to_owned(), format!("{:.1} ms", db.mean_query_ms)],
            [
                "Queries slowed by the crowd".to_owned(),
                format!("{:.2}× on average, {:.2}× at worst", db.mean_stretch, db.max_stretch),
            ],
            [
                "Database cores busy".to_owned(),
                format!("{} of {} cores", crate::words::percent(db.utilisation), config.cores),
            ],
            [
                "Database connections".to_owned(),
                format!(
                    "at most {} open of {usable} usable ({} max_connections − {} reserved)",
                    db.peak_connections, config.max_connections, config.reserved_connections
                ),
            ],
            ["Connections refused by the database".to_owned(), crate::words::count(db.refused_opens)],
        ]);
    }
    if let Some(c) = &summary.callers {
        let count = crate::words::count;
        rows.extend([
            [
                "Answered in time (goodput)".to_owned(),
                format!("{} ({})", count(c.goodput), crate::words::percent(c.goodput_share)),
            ],
            ["Callers gave up (deadline)".to_owned(), count(c.gave_up)],
            ["Served after the caller gave up (wasted work)".to_owned(), count(c.served_late)],
            [
                "Retries sent".to_owned(),
                format!("{} (beside {} first tries)", count(c.retries), count(c.first_tries)),
            ],
        ]);
        if scenario.traffic.retry.budget.is_some() || c.retries_denied > 0 {
            rows.push(["Retries refused by the budget".to_owned(), count(c.retries_denied)]);
        }
        if scenario.traffic.breaker.is_some() || c.breaker_opened > 0 {
            rows.push([
                "Calls failed by the circuit breaker".to_owned(),
                format!("{} (opened {} times)", count(c.breaker_rejected), count(c.breaker_opened)),
            ]);
        }
    }
    if let Some(a) = &summary.app {
        let count = crate::words::count;
        rows.extend([
            [
                "Request threads busy at most".to_owned(),
                format!("{} of {}", count(u64::from(a.peak_threads_busy)), count(u64::from(a.threads))),
            ],
            ["Waiting for a thread at most".to_owned(), count(u64::from(a.peak_accept_queue))],
            ["Refused by the server (threads and accept queue full)".to_owned(), count(a.rejected)],
        ]);
        if a.no_db_requests > 0 {
            rows.push([
                "Requests without the database answered".to_owned(),
                format!("{} of {}", count(a.no_db_answered), count(a.no_db_requests)),
            ]);
        }
    }
    if let Some(h) = &summary.health {
        let count = crate::words::count;
        rows.extend([
            ["Health checks failed".to_owned(), format!("{} of {}", count(h.failed_checks), count(h.checks))],
            [
                "Instances taken out of the load balancer".to_owned(),
                format!(
                    "{} (returned {}; fewest in at once {})",
                    count(h.left_balancer),
                    count(h.returned),
                    count(u64::from(h.min_in_balancer))
                ),
            ],
            ["Refused: no healthy upstream".to_owned(), count(h.no_healthy_upstream)],
        ]);
        if h.restarts > 0 {
            rows.push([
                "Restarts of unhealthy instances".to_owned(),
                format!("{} ({} failed to start)", count(h.restarts), count(h.failed_starts)),
            ]);
        }
    }

    let mut out = format!("### Outcome: {}\n\n", escape_markdown(&scenario.name));
    out.push_str("| Measure | Value |\n| --- | --- |\n");
    for [label, value] in &rows {
        // Labels and values are escaped above or are numbers and clock times.
        let _ = writeln!(out, "| {label} | {value} |");
    }
    out.push_str("\nSimulated with poolsim; times are the scenario's clock.\n");
    out
}

/// `scenario` as pretty JSON, the public file format: it reads back with
/// [`Scenario::from_json`] as the same scenario.
pub fn scenario_json(scenario: &Scenario) -> String {
    // Serialising plain data with string keys cannot fail; an empty text would be refused
    // on import with a clear message rather than load a wrong scenario.
    let mut json = serde_json::to_string_pretty(scenario).unwrap_or_default();
    json.push('\n');
    json
}

/// `scenario` as compact JSON, with the serializer a link's JSON is written with
/// ([`crate::link::to_json`]): how a page hands a scenario to its workers, which read it
/// with [`Scenario::from_json`]. A page that packs links carries no other JSON writer.
pub fn scenario_json_compact(scenario: &Scenario) -> String {
    serde_json::to_string(scenario).unwrap_or_default()
}

/// User text made safe for one Markdown table cell: shown literally, on one line.
///
/// Backslash-escapes the ASCII punctuation that Markdown would act on (`\`, `` ` ``, `*`,
/// `_`, `[`, `]`, `|`, `#`, `!`, `~`), writes `&`, `<` and `>` as HTML entities so no
/// tag can be injected, and turns line breaks, tabs and other control characters into
/// spaces so the row cannot end early.
pub fn escape_markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for c in text.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '#' | '!' | '~' => {
                out.push('\\');
                out.push(c);
            }
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}
