//! The compare charts drawn to SVG from real what-if runs (the `fast-leak` preset's
//! suggested variants, 08:00 to 08:10), through the same function the page draws on canvas.

use poolsim_charts::{CompareInput, CompareMetric, CompareRun, compare_svg};
use poolsim_content::{presets, variants};
use poolsim_engine::Sample;

const WIDTH: u32 = 800;
const HEIGHT: u32 = 300;

/// Each suggested variant of `preset` run to the end: its label and full samples.
fn runs(preset: &str) -> (Vec<(String, Vec<Sample>)>, u32, u32) {
    let base = presets::load(preset).expect("preset");
    let runs: Vec<(String, Vec<Sample>)> = variants::suggested(&base)
        .iter()
        .map(|kind| {
            let label = kind.label(base.clock_start);
            let scenario = variants::build(&base, kind).expect("the variant builds");
            let (sim, _) = variants::run_built(kind, label.clone(), &scenario).expect("the variant runs");
            (label, sim.samples().to_vec())
        })
        .collect();
    let end_s = runs.iter().filter_map(|(_, s)| s.last()).map(|s| s.t_s).max().unwrap_or(0);
    (runs, base.clock_start.seconds_of_day(), end_s)
}

/// The chart of `metric` over `runs`, decimated for the width as the page does.
fn render(runs: &[(String, Vec<Sample>)], clock_start_s: u32, end_s: u32, metric: CompareMetric) -> String {
    let decimated: Vec<Vec<Sample>> = runs.iter().map(|(_, s)| metric.samples_for(s, WIDTH)).collect();
    let compare: Vec<CompareRun<'_>> =
        runs.iter().zip(&decimated).map(|((label, _), samples)| CompareRun { label, samples }).collect();
    let input = CompareInput { runs: &compare, clock_start_s, end_s };
    compare_svg(&input, metric, WIDTH, HEIGHT, false).expect("the chart draws")
}

fn texts(svg: &str) -> Vec<String> {
    let doc = roxmltree::Document::parse(svg).expect("the SVG parses as XML");
    assert_eq!(doc.root_element().tag_name().name(), "svg");
    doc.descendants()
        .filter_map(|n| n.text())
        .map(|t| t.trim().to_owned())
        .filter(|t| !t.is_empty())
        .collect()
}

/// Polylines stroked in `color` (`#RRGGBB`).
fn strokes(svg: &str, color: &str) -> usize {
    let doc = roxmltree::Document::parse(svg).expect("the SVG parses as XML");
    doc.descendants().filter(|n| n.has_tag_name("polyline") && n.attribute("stroke") == Some(color)).count()
}

#[test]
fn both_charts_are_valid_svg_with_every_run_in_the_legend_on_a_clock_axis() {
    let (runs, clock_start_s, end_s) = runs("fast-leak");
    assert_eq!(runs.len(), 5, "as it happened, no fix, bigger pool, rollback, abandoned reclaim");
    for metric in CompareMetric::ALL {
        let texts = texts(&render(&runs, clock_start_s, end_s, metric));
        for (i, (label, _)) in runs.iter().enumerate() {
            let entry = format!("{i} {label}");
            assert!(texts.contains(&entry), "{metric:?}: legend entry {entry:?} missing from {texts:?}");
            // The row number on the line itself, so lines are told apart without colour.
            assert!(texts.contains(&i.to_string()), "{metric:?}: run number {i} missing from the lines");
        }
        for clock in ["08:00", "08:05", "08:10"] {
            assert!(texts.iter().any(|t| t == clock), "{metric:?}: {clock} missing from {texts:?}");
        }
    }
}

#[test]
fn variant_lines_are_dashed_in_okabe_ito_colours() {
    let (runs, clock_start_s, end_s) = runs("fast-leak");
    let svg = render(&runs, clock_start_s, end_s, CompareMetric::InUse);
    // Row 1 (no fix) is orange and dashed: drawn as many short strokes, not one line.
    assert!(strokes(&svg, "#E69F00") > 20, "row 1 is dashed: {} strokes", strokes(&svg, "#E69F00"));
    // Row 2 (a bigger pool) is sky blue.
    assert!(strokes(&svg, "#56B4E9") > 0, "row 2 is drawn in sky blue");
}

#[test]
fn the_timeouts_chart_says_when_no_run_timed_out() {
    let headline = |preset: &str| {
        let (runs, clock_start_s, end_s) = runs(preset);
        let texts = texts(&render(&runs, clock_start_s, end_s, CompareMetric::TimeoutsPerSecond));
        texts.iter().any(|t| t == "no timeouts in any run")
    };
    assert!(headline("healthy-pool"), "a healthy pool never times out, whatever the fix");
    assert!(!headline("fast-leak"), "a fast leak times out without a fix");
}
