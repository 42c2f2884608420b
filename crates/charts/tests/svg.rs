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

#[test]
fn connections_chart_is_valid_svg_with_clock_axis_legend_and_markers() {
    let samples = decimate(&leak_ramp(), 400);
    let markers = [
        Marker { t_s: 600.0, label: "deploy".into(), kind: MarkerKind::Action },
        Marker { t_s: 3240.0, label: "exhausted 12:54".into(), kind: MarkerKind::Exhaustion },
    ];
    let input = ChartInput {
        samples: &samples,
        database: None,
        callers: &[],
        server: None,
        clock_start_s: 12 * 3600,
        end_s: 3600,
        markers: &markers,
    };
    let svg = connections_svg(&input, 800, 300, false).expect("the chart draws");

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
