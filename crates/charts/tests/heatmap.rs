//! The sweep heatmap drawn to SVG, from a real sweep of the `fast-leak` preset and from
//! cells built by hand: one rectangle per cell in the sequential palette, the outline
//! around exactly the cells that survive, the scenario's own settings marked, the axes
//! titled with the knobs and their units, and the legend saying what all of it means.

use poolsim_charts::theme::SEQUENTIAL;
use poolsim_charts::{HeatAxis, HeatCell, Heatmap, heatmap_height, heatmap_svg};
use poolsim_content::presets;
use poolsim_content::words::Clock;
use poolsim_engine::replicate::Replications;
use poolsim_engine::replicate::sweep::{Axis, Survival, Sweep, SweepOutcome};

const WIDTH: u32 = 900;

fn parse(svg: &str) -> roxmltree::Document<'_> {
    let doc = roxmltree::Document::parse(svg).expect("the SVG parses as XML");
    assert_eq!(doc.root_element().tag_name().name(), "svg");
    doc
}

fn texts(svg: &str) -> Vec<String> {
    parse(svg)
        .descendants()
        .filter_map(|n| n.text())
        .map(|t| t.trim().to_owned())
        .filter(|t| !t.is_empty())
        .collect()
}

/// Elements `tag` whose `attribute` is `value`.
fn count(svg: &str, tag: &str, attribute: &str, value: &str) -> usize {
    parse(svg).descendants().filter(|n| n.has_tag_name(tag) && n.attribute(attribute) == Some(value)).count()
}

fn hex(c: plotters::style::RGBColor) -> String {
    format!("#{:02X}{:02X}{:02X}", c.0, c.1, c.2)
}

/// The fast leak over pools of 10 to 50 and two leaks, 4 runs a cell, until 08:04.
fn real_sweep() -> Heatmap {
    let base = presets::load("fast-leak").expect("preset");
    let sweep = Sweep::new(
        Axis::parse("pool.max_size=10..50:5").expect("axis"),
        Some(Axis::parse("leak.probability=0.0005..0.002:3:log").expect("axis")),
    )
    .expect("two knobs");
    let cells: Vec<Replications> = sweep
        .cells()
        .iter()
        .map(|cell| {
            let mut runs = Replications::new();
            for i in 0..4 {
                runs.push(i, sweep.run(&base, cell, i).expect("runs")).expect("new run");
            }
            runs
        })
        .collect();
    let survival = Survival { until_s: Some(240.0), share: 0.95 };
    let clock = Clock::new(base.clock_start, base.duration_s);
    Heatmap::for_sweep(
        &base.name,
        &sweep,
        &cells,
        sweep.own(&base),
        SweepOutcome::Survived,
        &survival,
        &clock,
    )
}

#[test]
fn a_real_sweep_draws_its_cells_axes_legend_and_the_scenarios_own_settings() {
    let map = real_sweep();
    assert_eq!((map.columns(), map.rows(), map.cells.len()), (5, 3, 15));
    let survivors = map.cells.iter().filter(|c| c.survives).count();
    assert!(survivors > 0 && survivors < 15, "some cells survive until 08:04, not all: {map:?}");
    assert_eq!(map.y.as_ref().and_then(|y| y.own), Some(2.0), "the preset's leak, 0.002, is the top row");
    assert_eq!(map.x.own, Some(0.0), "its pool of 10 is the first column");

    let svg = heatmap_svg(&map, WIDTH, false).expect("the heatmap draws");
    let texts = texts(&svg);
    for expected in [
        "Fast leak: runs that did not run out until 08:04:00, 4 runs a cell",
        "pool.max_size [connections]",
        "↑ leak.probability (log steps)",
        "10",
        "50",
        "0.0005",
        "0.002",
        "0 %",
        "100 %",
        "did not run out until 08:04:00 in at least 95 % of runs",
        "the scenario's own settings (pool.max_size = 10, leak.probability = 0.002)",
    ] {
        assert!(texts.iter().any(|t| t == expected), "{expected:?} missing from {texts:?}");
    }
    // The marker: a ring in the legend and one on the grid.
    assert_eq!(count(&svg, "circle", "stroke", "#1F2328"), 2);
    assert!(
        map.describe().contains(&format!("{survivors} of 15 cells did not run out until 08:04:00")),
        "{}",
        map.describe()
    );
}

/// A 3 × 2 grid, values 0 to 1 along each row, where only the right column survives.
fn by_hand() -> Heatmap {
    let cells = (0..6)
        .map(|i| {
            let value = f64::from(i % 3) / 2.0;
            HeatCell { value: Some(value), text: format!("{value}"), survives: i % 3 == 2 }
        })
        .collect();
    let axis = |title: &str, ticks: &[&str], own| HeatAxis {
        title: title.to_owned(),
        ticks: ticks.iter().map(|t| (*t).to_owned()).collect(),
        own,
    };
    Heatmap {
        title: "By hand".to_owned(),
        x: axis("pool.max_size [connections]", &["10", "20", "30"], Some(0.5)),
        y: Some(axis("work.hold_ms [ms]", &["40", "80"], None)),
        cells,
        range: (0.0, 1.0),
        range_labels: ("0 %".to_owned(), "100 %".to_owned()),
        value_title: "runs that never ran out".to_owned(),
        survives_label: "never ran out in at least 95 % of runs".to_owned(),
        own_label: "the scenario's own settings (…) are outside the grid".to_owned(),
    }
}

#[test]
fn each_cell_is_coloured_by_its_value_and_the_outline_encloses_exactly_the_survivors() {
    let svg = heatmap_svg(&by_hand(), WIDTH, false).expect("the heatmap draws");
    let (low, middle, high) = (hex(SEQUENTIAL[0]), hex(SEQUENTIAL[4]), hex(SEQUENTIAL[8]));
    assert_eq!(count(&svg, "rect", "fill", &low), 2, "the two cells of value 0 are the scale's low end");
    assert_eq!(count(&svg, "rect", "fill", &middle), 2, "0.5 is the middle of the scale");
    assert_eq!(count(&svg, "rect", "fill", &high), 2, "the two cells of value 1 are the high end");
    // The right column alone: its left side (2 edges), right side (2), top and bottom:
    // 6 edges, each a halo and a line.
    assert_eq!(count(&svg, "polyline", "stroke", "#1F2328"), 6);
    assert_eq!(count(&svg, "polyline", "stroke", "#FFFFFF"), 6);
    // The scenario's own settings are outside the grid: only the legend's ring.
    assert_eq!(count(&svg, "circle", "stroke", "#1F2328"), 1);
    assert!(texts(&svg).iter().any(|t| t == "the scenario's own settings (…) are outside the grid"));
    // Dark text on the light end, white on the dark end: every value reads.
    assert_eq!(count(&svg, "text", "fill", "#FFFFFF"), 2, "{svg}");
}

#[test]
fn one_knob_draws_one_row_and_the_dark_theme_its_own_background() {
    let mut map = by_hand();
    map.y = None;
    map.cells.truncate(3);
    assert_eq!(map.rows(), 1);
    let svg = heatmap_svg(&map, WIDTH, true).expect("the heatmap draws");
    assert!(svg.contains(&format!("height=\"{}\"", heatmap_height(1))));
    assert!(svg.to_ascii_uppercase().contains("#161B22"), "the dark background");
    assert!(!texts(&svg).iter().any(|t| t.starts_with('↑')), "no y axis without a second knob");
    // One row: the own marker sits on it.
    assert_eq!(count(&svg, "circle", "stroke", "#E6E9ED"), 2);
}
