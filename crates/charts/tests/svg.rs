//! The connections chart renders to SVG through the same function the browser draws on
//! canvas: a parseable document with the clock-time axis, the legend and the markers.

use poolsim_charts::{ChartInput, Marker, MarkerKind, decimate, svg::connections_svg};
use poolsim_engine::{Gauges, Sample};

/// A leak filling a pool of 100 over an hour, clock starting at 12:00.
fn leak_ramp() -> Vec<Sample> {
    (1..=3600)
        .map(|t| {
            let leaked = (t / 36).min(100);
            let active = (leaked + 6).min(100);
            let gauges =
                Gauges { total: 100, active, idle: 100 - active, leaked, max: 100, ..Gauges::default() };
            Sample { t_s: t, gauges, ..Sample::default() }
        })
        .collect()
}

/// The connections chart's input for an hour of `samples` from 12:00, with `markers`.
fn hour_from_noon<'a>(samples: &'a [Sample], markers: &'a [Marker]) -> ChartInput<'a> {
    ChartInput {
        samples,
        database: None,
        callers: &[],
        server: None,
        clock_start_s: 12 * 3600,
        end_s: 3600,
        markers,
    }
}

#[test]
fn connections_chart_is_valid_svg_with_clock_axis_legend_and_markers() {
    let samples = decimate(&leak_ramp(), 400);
    let markers = [
        Marker { t_s: 600.0, label: "deploy".into(), kind: MarkerKind::Action, until_s: None },
        Marker { t_s: 3240.0, label: "exhausted 12:54".into(), kind: MarkerKind::Exhaustion, until_s: None },
    ];
    let svg = connections_svg(&hour_from_noon(&samples, &markers), 800, 300, false).expect("the chart draws");

    let doc = roxmltree::Document::parse(&svg).expect("the SVG parses as XML");
    assert_eq!(doc.root_element().tag_name().name(), "svg");
    let texts: Vec<&str> = doc.descendants().filter_map(|n| n.text()).map(str::trim).collect();
    for expected in
        ["12:00", "13:00", "leaked (only the simulator knows)", "max (maximumPoolSize)", "exhausted 12:54"]
    {
        assert!(texts.contains(&expected), "{expected:?} missing from the chart's text: {texts:?}");
    }
    // The leaked band is drawn in vermillion (Okabe–Ito), the colour-blind-safe failure hue.
    assert!(svg.to_ascii_uppercase().contains("#D55E00"), "leaked band colour missing");
}

#[test]
fn dark_theme_changes_the_background() {
    let samples = leak_ramp();
    let input = ChartInput {
        samples: &samples[..60],
        database: None,
        callers: &[],
        server: None,
        clock_start_s: 0,
        end_s: 60,
        markers: &[],
    };
    let light = connections_svg(&input, 400, 200, false).expect("light draws");
    let dark = connections_svg(&input, 400, 200, true).expect("dark draws");
    assert!(light.to_ascii_uppercase().contains("#FFFFFF"));
    assert!(dark.to_ascii_uppercase().contains("#161B22"));
}

#[test]
fn a_range_of_runs_is_a_shaded_band_from_its_start_to_its_end_with_its_label() {
    let samples = decimate(&leak_ramp(), 400);
    let band = |until_s| {
        [Marker { t_s: 1800.0, label: "90 % of runs ran out here".into(), kind: MarkerKind::Range, until_s }]
    };
    let input = |markers| hour_from_noon(&samples, markers);
    let (with, line) = (band(Some(2700.0)), band(None));
    let svg = connections_svg(&input(&with), 800, 300, false).expect("the chart draws");
    let doc = roxmltree::Document::parse(&svg).expect("the SVG parses as XML");
    assert!(
        doc.descendants().any(|n| n.text().map(str::trim) == Some("90 % of runs ran out here")),
        "the band's label: {svg}"
    );
    // A translucent rectangle a quarter of the plot wide (12:30 to 12:45 of 12:00–13:00).
    let shaded = |svg: &str| -> Vec<f64> {
        let doc = roxmltree::Document::parse(svg).expect("the SVG parses as XML");
        doc.descendants()
            .filter(|n| {
                n.tag_name().name() == "rect" && n.attribute("opacity").is_some_and(|o| o.starts_with("0.1"))
            })
            .filter_map(|n| n.attribute("width")?.parse().ok())
            .collect()
    };
    let plot_w = 800.0 * 0.25;
    let near = |w: &f64| (w - plot_w).abs() < plot_w * 0.25;
    assert!(shaded(&svg).iter().any(near), "a band ~{plot_w} px wide: {:?}", shaded(&svg));
    let plain = connections_svg(&input(&line), 800, 300, false).expect("the chart draws");
    assert!(!shaded(&plain).iter().any(near), "without an end it is a line, no band");
}
