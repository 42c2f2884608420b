//! Every time-series chart, drawn to SVG from a real engine run (the `fast-leak` preset: a
//! pool of 10 leaking dry within two minutes, from 08:00 to 08:10; for the database's
//! charts, the same behind a database that lets the application hold 7 connections),
//! through the same functions the browser draws on canvas.

use poolsim_charts::kind::Needs;
use poolsim_charts::svg::{chart_svg, dashboard_height, dashboard_svg};
use poolsim_charts::{ChartInput, ChartKind, Models, markers_for};
use poolsim_content::presets;
use poolsim_engine::{DatabaseConfig, Sample, Simulation};

const WIDTH: u32 = 800;
const HEIGHT: u32 = 260;

/// `preset` run to its end without its database (if it has one).
fn run(preset: &str) -> Simulation {
    run_with(preset, None)
}

/// `preset` run to its end as it is.
fn run_as_is(preset: &str) -> Simulation {
    let mut sim = Simulation::new(&presets::load(preset).expect("preset")).expect("the preset runs");
    sim.run_to_end();
    sim
}

fn run_with(preset: &str, database: Option<DatabaseConfig>) -> Simulation {
    let scenario = presets::load(preset).expect("preset");
    let mut sim =
        Simulation::new(&poolsim_engine::Scenario { database, ..scenario }).expect("the preset runs");
    sim.run_to_end();
    sim
}

/// `fast-leak` behind 2 cores and `max_connections` 10, 3 of them reserved: 7 usable of
/// the pool's 10.
fn run_with_database() -> Simulation {
    let database =
        DatabaseConfig { cores: 2, max_connections: 10, reserved_connections: 3, ..Default::default() };
    run_with("fast-leak", Some(database))
}

fn clock_start_s(sim: &Simulation) -> u32 {
    sim.scenario().clock_start.seconds_of_day()
}

/// `kind` drawn for `sim`, as the page does: decimated for the width, with the run's
/// markers; and the pool's samples drawn.
fn render(kind: ChartKind, sim: &Simulation) -> (String, Vec<Sample>) {
    let markers = markers_for(sim);
    let decimated = kind.decimated(&ChartInput::for_run(sim, clock_start_s(sim), &markers), WIDTH);
    let input = decimated.input();
    let svg = chart_svg(kind, &input, WIDTH, HEIGHT, false).expect("the chart draws");
    (svg, input.samples.to_vec())
}

fn texts(svg: &str) -> Vec<String> {
    let doc = roxmltree::Document::parse(svg).expect("the SVG parses as XML");
    assert_eq!(doc.root_element().tag_name().name(), "svg");
    doc.descendants()
        .filter(|n| n.is_text())
        .filter_map(|n| n.text())
        .map(|t| t.trim().to_owned())
        .filter(|t| !t.is_empty())
        .collect()
}

/// Points of every polyline stroked in `color` (`#RRGGBB`) below the legend row [px].
fn lines(svg: &str, color: &str, legend_px: i32) -> Vec<Vec<(i32, i32)>> {
    let doc = roxmltree::Document::parse(svg).expect("the SVG parses as XML");
    doc.descendants()
        .filter(|n| n.has_tag_name("polyline") && n.attribute("stroke") == Some(color))
        .map(|n| {
            n.attribute("points")
                .unwrap_or_default()
                .split_whitespace()
                .filter_map(|p| p.split_once(','))
                .filter_map(|(x, y)| Some((x.parse().ok()?, y.parse().ok()?)))
                .collect::<Vec<(i32, i32)>>()
        })
        .filter(|points| points.iter().all(|(_, y)| *y > legend_px))
        .collect()
}

#[test]
fn every_chart_is_valid_svg_with_clock_labels_legend_and_markers() {
    let sim = run("fast-leak");
    let legends: [(ChartKind, &[&str]); 5] = [
        (
            ChartKind::Connections,
            &["idle", "active", "leaked (only the simulator knows)", "max (maximumPoolSize)"],
        ),
        (ChartKind::Pending, &["requests waiting for a connection"]),
        (ChartKind::Acquire, &["p99", "p50", "max"]),
        (ChartKind::Timeouts, &["timeouts/s", "other failures/s (restart, reclaim)"]),
        (ChartKind::Throughput, &["served/s", "arrivals/s (only the simulator knows)"]),
    ];
    for (kind, legend) in legends {
        let (svg, _) = render(kind, &sim);
        let texts = texts(&svg);
        let expected = ["08:00", "08:05", "08:10", "pool exhausted", "alert AcquireTimeouts"];
        for text in expected.iter().chain(legend) {
            assert!(texts.iter().any(|t| t == text), "{kind:?}: {text:?} missing from {texts:?}");
        }
    }
}

#[test]
fn pending_headline_reports_the_runs_peak() {
    let sim = run("fast-leak");
    let peak = sim.samples().iter().map(|s| s.gauges.pending).max().expect("samples");
    assert!(peak > 100, "the dry pool queues requests: {peak}");
    let (svg, drawn) = render(ChartKind::Pending, &sim);
    assert!(drawn.len() < sim.samples().len(), "the run is decimated for 800 px");
    assert!(texts(&svg).contains(&format!("peak {peak} waiting")), "{:?}", texts(&svg));

    // A healthy pool barely queues (a request may wait while a connection opens).
    let healthy = run("healthy-pool");
    let healthy_peak = healthy.samples().iter().map(|s| s.gauges.pending).max().expect("samples");
    assert!(healthy_peak < 5, "{healthy_peak}");
    let (svg, _) = render(ChartKind::Pending, &healthy);
    let headline = if healthy_peak == 0 {
        "no request waited".to_owned()
    } else {
        format!("peak {healthy_peak} waiting")
    };
    assert!(texts(&svg).contains(&headline), "{:?}", texts(&svg));
}

#[test]
fn acquire_chart_draws_no_point_for_seconds_with_nothing_served() {
    let sim = run("fast-leak");
    let (svg, drawn) = render(ChartKind::Acquire, &sim);
    let p99 = lines(&svg, "#E69F00", 22);
    let served: Vec<&Sample> = drawn.iter().filter(|s| s.served > 0).collect();
    let starved = drawn.iter().filter(|s| s.served == 0).count();
    assert!(starved > 100, "once every connection leaked, nothing is served: {starved} starved samples");
    let points: usize = p99.iter().map(Vec::len).sum();
    assert_eq!(points, served.len(), "one p99 point per served sample, none for starved ones");
    // The last point is the last second anything was served, not the end of the run at 0 ms.
    let last_x = p99.iter().flatten().map(|(x, _)| *x).max().expect("p99 drawn");
    let right_edge = WIDTH as i32 - 16 - 8;
    assert!(last_x < right_edge / 2, "the p99 line stops when serving stops (x = {last_x})");
    assert!(texts(&svg).iter().any(|t| t.starts_with("worst p99 ")), "{:?}", texts(&svg));
}

#[test]
fn timeouts_chart_peaks_at_the_arrival_rate_once_the_pool_is_dry() {
    let sim = run("fast-leak");
    let peak = sim.samples().iter().map(|s| s.timeouts).max().expect("samples");
    let rate = sim.scenario().traffic.rate_per_s;
    assert!(f64::from(peak) >= rate, "every arrival times out: peak {peak}/s at {rate}/s");
    let (svg, _) = render(ChartKind::Timeouts, &sim);
    assert!(texts(&svg).contains(&format!("peak {peak} timeouts/s")), "{:?}", texts(&svg));
    assert!(svg.contains("fill=\"#D55E00\""), "timeouts are filled in vermillion");

    let (healthy, _) = render(ChartKind::Timeouts, &run("healthy-pool"));
    assert!(texts(&healthy).iter().any(|t| t == "no failures"));
}

#[test]
fn throughput_lines_part_when_the_pool_runs_dry() {
    let sim = run("fast-leak");
    let (svg, _) = render(ChartKind::Throughput, &sim);
    let served = lines(&svg, "#009E73", 22);
    let served_end = served.iter().flatten().max_by_key(|(x, _)| *x).expect("served drawn").1;
    let served_start = served.iter().flatten().min_by_key(|(x, _)| *x).expect("served drawn").1;
    let arrivals_end =
        lines(&svg, "#0072B2", 22).iter().flatten().max_by_key(|(x, _)| *x).expect("arrivals drawn").1;
    assert!(served_end > served_start + 100, "served falls to the floor (y {served_start} → {served_end})");
    assert!(
        served_end > arrivals_end + 100,
        "arrivals keep coming (y {arrivals_end}) above served ({served_end})"
    );
}

#[test]
fn before_the_first_second_every_chart_draws_an_empty_frame() {
    for kind in ChartKind::ALL {
        let input = ChartInput {
            samples: &[],
            database: None,
            callers: &[],
            server: None,
            clock_start_s: 8 * 3600,
            end_s: 0,
            markers: &[],
        };
        let svg = chart_svg(kind, &input, 300, 150, true).expect("an empty chart draws");
        assert!(texts(&svg).iter().any(|t| t == "08:00"), "{kind:?}: {:?}", texts(&svg));
    }
}

#[test]
fn the_dashboard_stacks_every_chart_under_its_title() {
    let sim = run("fast-leak");
    let markers = markers_for(&sim);
    let input = ChartInput::for_run(&sim, clock_start_s(&sim), &markers);
    let svg = dashboard_svg("Fast leak", &input, 1000, true).expect("the dashboard draws");
    let doc = roxmltree::Document::parse(&svg).expect("the SVG parses as XML");
    assert_eq!(doc.root_element().attribute("height"), Some(dashboard_height(&input).to_string().as_str()));
    let texts = texts(&svg);
    assert!(texts.iter().any(|t| t == "Fast leak"));
    for kind in ChartKind::ALL {
        let shown = texts.contains(&kind.caption());
        assert_eq!(shown, kind.needs() == Needs::Pool, "{}: {texts:?}", kind.caption());
    }
    assert_eq!(texts.iter().filter(|t| *t == "08:10").count(), 5, "each chart has its clock axis");
    assert!(svg.to_ascii_uppercase().contains("#161B22"), "dark background");
}

#[test]
fn with_a_database_the_dashboard_adds_its_three_charts() {
    let sim = run_with_database();
    let markers = markers_for(&sim);
    let input = ChartInput::for_run(&sim, clock_start_s(&sim), &markers);
    let svg = dashboard_svg("Fast leak", &input, 1000, false).expect("the dashboard draws");
    let doc = roxmltree::Document::parse(&svg).expect("the SVG parses as XML");
    assert_eq!(doc.root_element().attribute("height"), Some(dashboard_height(&input).to_string().as_str()));
    assert!(dashboard_height(&input) > dashboard_height(&ChartInput { database: None, ..input }));
    let texts = texts(&svg);
    for kind in ChartKind::ALL {
        let shown = texts.contains(&kind.caption());
        let expected = matches!(kind.needs(), Needs::Pool | Needs::Database);
        assert_eq!(shown, expected, "{}: {texts:?}", kind.caption());
    }
    assert_eq!(texts.iter().filter(|t| *t == "08:10").count(), 8, "each chart has its clock axis");
}

#[test]
fn with_callers_the_dashboard_adds_goodput_and_attempts_and_shows_the_retry_storm() {
    let sim = run("github-2023-05-10-retry-storm");
    let markers = markers_for(&sim);
    let input = ChartInput::for_run(&sim, clock_start_s(&sim), &markers);
    let svg = dashboard_svg("Retry storm", &input, 1000, false).expect("the dashboard draws");
    let texts = texts(&svg);
    for kind in ChartKind::ALL {
        let shown = texts.contains(&kind.caption());
        let expected = matches!(kind.needs(), Needs::Pool | Needs::Callers);
        assert_eq!(shown, expected, "{}: {texts:?}", kind.caption());
    }
    // The storm: callers that retry at once on their 1 s deadline send several attempts
    // per request, and much of what the pool serves reaches callers already gone.
    let headline = |start: &str| texts.iter().find(|t| t.starts_with(start)).cloned();
    let attempts = headline("up to ").expect("the attempts chart's headline");
    let ratio: f64 = attempts.split(' ').nth(2).and_then(|n| n.parse().ok()).expect("a ratio");
    assert!(ratio >= 2.0, "{attempts}");
    let wasted = texts.iter().find(|t| t.ends_with("of work wasted")).expect("the goodput chart's headline");
    let share: f64 = wasted.split(' ').next().and_then(|n| n.parse().ok()).expect("a share");
    assert!(share > 5.0, "{wasted}");
}

#[test]
fn with_request_threads_the_dashboard_shows_every_thread_blocked_on_the_exhausted_pool() {
    // fast-leak with Tomcat's threads in front of its pool: once the pool has leaked dry,
    // every thread waits on getConnection() and the accept queue fills.
    let mut scenario = presets::load("fast-leak").expect("preset");
    scenario.app = Some(poolsim_engine::AppConfig { threads: 40, accept_queue: 20, ..Default::default() });
    let mut sim = Simulation::new(&scenario).expect("runs");
    sim.run_to_end();
    let markers = markers_for(&sim);
    let input = ChartInput::for_run(&sim, clock_start_s(&sim), &markers);
    let svg = dashboard_svg("Fast leak", &input, 1000, false).expect("the dashboard draws");
    let texts = texts(&svg);
    for kind in ChartKind::ALL {
        let expected = matches!(kind.needs(), Needs::Pool | Needs::Threads);
        assert_eq!(texts.contains(&kind.caption()), expected, "{}: {texts:?}", kind.caption());
    }
    assert!(texts.iter().any(|t| t == "all 40 threads busy"), "{texts:?}");
    let words = ChartKind::Threads.describe(&input);
    assert!(words.starts_with("Request threads over time: 40 of 40 busy now, 20 waiting"), "{words}");
}

#[test]
fn with_deep_health_checks_the_balancer_chart_shows_every_instance_taken_out() {
    let sim = run_as_is("buildkite-2016-health-checks");
    let (svg, _) = render(ChartKind::Balancer, &sim);
    let texts = texts(&svg);
    assert!(texts.iter().any(|t| t == "every instance out at least once"), "{texts:?}");
    let input = ChartInput::for_run(&sim, clock_start_s(&sim), &[]);
    assert!(
        input.shown().any(|k| k == ChartKind::Balancer) && !input.shown().any(|k| k == ChartKind::Threads)
    );
    // Checks that never touch the database keep every instance in.
    let (svg, _) = render(ChartKind::Balancer, &run_as_is("buildkite-2016-health-checks-remedy"));
    let texts = self::texts(&svg);
    assert!(texts.iter().any(|t| t == "every instance in throughout"), "{texts:?}");
}

#[test]
fn the_database_connections_chart_draws_the_usable_limit_and_max_connections() {
    let sim = run_with_database();
    let peak = sim.database_samples().iter().map(|s| s.connections).max().expect("samples");
    assert_eq!(peak, 7, "the pool of 10 gets the 7 usable connections and no more");
    let (svg, _) = render(ChartKind::DatabaseConnections, &sim);
    let texts = texts(&svg);
    for text in ["open", "usable (max_connections − reserved)", "max_connections", "peak 7 of 7 usable"] {
        assert!(texts.iter().any(|t| t == text), "{text:?} missing from {texts:?}");
    }
    // The usable limit: orange dashes across the plot, all at one height; max_connections
    // a line in the text colour above it.
    let usable = lines(&svg, "#E69F00", 22);
    assert!(usable.len() > 10, "a dashed line: {usable:?}");
    let usable_y: Vec<i32> = usable.iter().flatten().map(|(_, y)| *y).collect();
    assert!(usable_y.windows(2).all(|w| w[0] == w[1]), "level: {usable_y:?}");
    let xs: Vec<i32> = usable.iter().flatten().map(|(x, _)| *x).collect();
    let span = xs.iter().max().expect("x") - xs.iter().min().expect("x");
    assert!(span > WIDTH as i32 * 3 / 4, "it spans the run: {span} px");
    let max_line = lines(&svg, "#1F2328", 22);
    let max_y = max_line.iter().flatten().map(|(_, y)| *y).find(|y| *y < usable_y[0]);
    assert!(max_y.is_some(), "max_connections (10) is drawn above the usable limit (7): {max_line:?}");
}

#[test]
fn the_database_cpu_and_stretch_charts_read_in_percent_and_times() {
    let sim = run_with_database();
    let (cpu, _) = render(ChartKind::DatabaseCpu, &sim);
    let texts_cpu = texts(&cpu);
    for text in ["cores busy (of 2)", "0 %", "100 %"] {
        assert!(texts_cpu.iter().any(|t| t == text), "{text:?} missing from {texts_cpu:?}");
    }
    assert!(texts_cpu.iter().any(|t| t.starts_with("peak ") && t.ends_with(" busy")), "{texts_cpu:?}");
    let (stretch, _) = render(ChartKind::QueryStretch, &sim);
    let texts_stretch = texts(&stretch);
    assert!(texts_stretch.iter().any(|t| t == "query time ÷ time alone"), "{texts_stretch:?}");
    assert!(texts_stretch.iter().any(|t| t == "1×"), "{texts_stretch:?}");
    assert!(texts_stretch.iter().any(|t| t.starts_with("worst ") && t.ends_with('×')), "{texts_stretch:?}");
    // Without a database, the same charts draw an empty frame.
    let (empty, _) = render(ChartKind::QueryStretch, &run("fast-leak"));
    assert!(texts(&empty).iter().any(|t| t == "08:10"));
}

#[test]
fn on_a_phone_the_legend_wraps_instead_of_dropping_entries() {
    let sim = run("fast-leak");
    let drawn = ChartKind::Connections.decimated(&ChartInput::for_run(&sim, clock_start_s(&sim), &[]), 330);
    let svg = chart_svg(ChartKind::Connections, &drawn.input(), 330, 240, false).expect("the chart draws");
    let texts = texts(&svg);
    for entry in ["idle", "active", "leaked (only the simulator knows)", "max (maximumPoolSize)"] {
        assert!(texts.iter().any(|t| t == entry), "{entry:?} missing at phone width: {texts:?}");
    }
}

#[test]
fn on_a_phone_a_long_legend_entry_moves_below_the_headline() {
    let sim = run("fast-leak");
    let drawn = ChartKind::Pending.decimated(&ChartInput::for_run(&sim, clock_start_s(&sim), &[]), 330);
    let svg = chart_svg(ChartKind::Pending, &drawn.input(), 330, 240, false).expect("the chart draws");
    let doc = roxmltree::Document::parse(&svg).expect("the SVG parses as XML");
    let y_of = |text: &str| {
        doc.descendants()
            .find(|n| n.has_tag_name("text") && n.text().is_some_and(|t| t.trim() == text))
            .and_then(|n| n.attribute("y")?.parse::<i32>().ok())
            .unwrap_or_else(|| panic!("{text:?} not drawn"))
    };
    let peak = sim.samples().iter().map(|s| s.gauges.pending).max().expect("samples");
    let headline_y = y_of(&format!("peak {peak} waiting"));
    assert!(y_of("requests waiting for a connection") > headline_y, "the entry wraps to the second row");
}

#[test]
fn every_chart_is_found_by_its_short_name() {
    for kind in ChartKind::ALL {
        assert_eq!(ChartKind::from_slug(kind.slug()), Some(kind));
    }
    assert_eq!(ChartKind::from_slug("conections"), None);
}

/// A lesson step's figure shows the chart the step names (lessons/*.json, `chart`): one
/// that exists, and one its run draws (a database's or the callers' charts only where the
/// run models them).
#[test]
fn every_lesson_step_names_a_chart_its_run_shows() {
    for lesson in poolsim_content::lessons::all() {
        for (i, step) in lesson.steps.iter().enumerate() {
            let name = step.chart_name();
            let kind = ChartKind::from_slug(name)
                .unwrap_or_else(|| panic!("{} step {i}: no chart is called {name:?}", lesson.id));
            let sim = Simulation::new(&step.scenario(&lesson).expect("valid")).expect("runs");
            assert!(
                ChartKind::shown(Models::of(&sim)).any(|k| k == kind),
                "{} step {i}: its run has no {name} chart",
                lesson.id
            );
        }
    }
}
