//! What each export holds and what it is called: the file names come from the scenario's
//! name (slugified), the contents from the engine's exports and the charts' SVG dashboard.
//!
//! Everything here is pure, so the content of a download is tested without downloading.

use poolsim_charts::svg::{dashboard_height, dashboard_svg};
use poolsim_charts::{ChartInput, markers_for};
use poolsim_content::export;
use poolsim_engine::{Scenario, Simulation};

/// Width of the exported dashboard [px] (SVG user units; the PNG doubles it).
pub const DASHBOARD_WIDTH_PX: u32 = 1200;
/// Longest file-name stem taken from a scenario name [characters].
pub const MAX_SLUG_CHARS: usize = 60;
/// The stem used when a name has no letters or digits at all.
pub const FALLBACK_SLUG: &str = "poolsim";

/// One of the files the Export buttons produce.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExportKind {
    /// Every chart stacked under the scenario's name, as SVG.
    DashboardSvg,
    /// The same dashboard as a PNG image (drawn by the browser from the SVG).
    DashboardPng,
    /// The per-second samples as CSV.
    SamplesCsv,
    /// The scenario file (JSON), to import again or run with the command line.
    ScenarioJson,
    /// The outcome as a Markdown table for a postmortem.
    SummaryMarkdown,
}

impl ExportKind {
    /// Every export, in the order of the buttons.
    pub const ALL: [ExportKind; 5] = [
        ExportKind::DashboardSvg,
        ExportKind::DashboardPng,
        ExportKind::SamplesCsv,
        ExportKind::ScenarioJson,
        ExportKind::SummaryMarkdown,
    ];

    /// The button's text.
    pub fn label(self) -> &'static str {
        match self {
            ExportKind::DashboardSvg => "Charts (SVG)",
            ExportKind::DashboardPng => "Charts (PNG)",
            ExportKind::SamplesCsv => "Samples (CSV)",
            ExportKind::ScenarioJson => "Scenario (JSON)",
            ExportKind::SummaryMarkdown => "Outcome (Markdown)",
        }
    }

    /// The button's test hook: `export-svg`, `export-png`, `export-csv`, `export-json`, `export-markdown`.
    pub fn test_id(self) -> &'static str {
        match self {
            ExportKind::DashboardSvg => "export-svg",
            ExportKind::DashboardPng => "export-png",
            ExportKind::SamplesCsv => "export-csv",
            ExportKind::ScenarioJson => "export-json",
            ExportKind::SummaryMarkdown => "export-markdown",
        }
    }

    /// What follows the slug in the file name.
    fn suffix(self) -> &'static str {
        match self {
            ExportKind::DashboardSvg => "-dashboard.svg",
            ExportKind::DashboardPng => "-dashboard.png",
            ExportKind::SamplesCsv => "-samples.csv",
            ExportKind::ScenarioJson => ".json",
            ExportKind::SummaryMarkdown => "-outcome.md",
        }
    }

    /// The file's media type.
    pub fn mime(self) -> &'static str {
        match self {
            ExportKind::DashboardSvg => "image/svg+xml",
            ExportKind::DashboardPng => "image/png",
            ExportKind::SamplesCsv => "text/csv;charset=utf-8",
            ExportKind::ScenarioJson => "application/json",
            ExportKind::SummaryMarkdown => "text/markdown;charset=utf-8",
        }
    }

    /// The file name for a scenario called `scenario_name`:
    /// `june-15-2024-connection-pool-exhaustion-samples.csv`.
    pub fn file_name(self, scenario_name: &str) -> String {
        format!("{}{}", slug(scenario_name), self.suffix())
    }
}

/// A scenario name as a file-name stem: ASCII letters and digits in lower case, every
/// other run of characters one `-`, at most [`MAX_SLUG_CHARS`], and [`FALLBACK_SLUG`]
/// when nothing is left. Safe on every file system (no `/`, `..`, spaces or quotes).
pub fn slug(name: &str) -> String {
    let mut out = String::with_capacity(name.len().min(MAX_SLUG_CHARS));
    let mut gap = false;
    for c in name.chars() {
        if !c.is_ascii_alphanumeric() {
            gap = true;
            continue;
        }
        let dash = gap && !out.is_empty();
        if out.len() + usize::from(dash) + 1 > MAX_SLUG_CHARS {
            break;
        }
        if dash {
            out.push('-');
        }
        gap = false;
        out.push(c.to_ascii_lowercase());
    }
    if out.is_empty() { FALLBACK_SLUG.to_owned() } else { out }
}

/// The text of a text export: `scenario` is the scenario as edited (what a restart
/// runs), `sim` the run so far (`None` when the scenario cannot run: only the scenario
/// itself can be exported then). Charts use the light theme, the usual look on paper.
///
/// `Err` for [`ExportKind::DashboardPng`] (a browser draws it from [`dashboard_svg_text`]),
/// without a run, and when the charts cannot be drawn.
pub fn text_export(
    kind: ExportKind,
    scenario: &Scenario,
    sim: Option<&Simulation>,
    clock_start_s: u32,
) -> Result<String, String> {
    let run = || sim.ok_or_else(|| "this scenario cannot run, so there is no run to export".to_owned());
    match kind {
        ExportKind::DashboardSvg => dashboard_svg_text(scenario, run()?, clock_start_s),
        ExportKind::DashboardPng => Err("a PNG is drawn by the browser, not as text".to_owned()),
        ExportKind::SamplesCsv => Ok(export::run_csv(run()?, scenario.clock_start)),
        ExportKind::ScenarioJson => Ok(export::scenario_json(scenario)),
        ExportKind::SummaryMarkdown => Ok(export::summary_markdown(scenario, &run()?.summary())),
    }
}

/// The run's dashboard as SVG, [`DASHBOARD_WIDTH_PX`] wide and
/// [`dashboard_height`] tall, headed by the scenario's name.
pub fn dashboard_svg_text(
    scenario: &Scenario,
    sim: &Simulation,
    clock_start_s: u32,
) -> Result<String, String> {
    let markers = markers_for(sim);
    let input = ChartInput::for_run(sim, clock_start_s, &markers);
    dashboard_svg(&scenario.name, &input, DASHBOARD_WIDTH_PX, false)
}

/// Size of `sim`'s dashboard image [px]: width, height (taller with the database's charts).
pub fn dashboard_size(sim: &Simulation) -> (u32, u32) {
    (DASHBOARD_WIDTH_PX, dashboard_height(&ChartInput::for_run(sim, 0, &[])))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_come_from_the_scenario_name() {
        let name = "June 15, 2024 — connection pool exhaustion";
        assert_eq!(slug(name), "june-15-2024-connection-pool-exhaustion");
        assert_eq!(
            ExportKind::SamplesCsv.file_name(name),
            "june-15-2024-connection-pool-exhaustion-samples.csv"
        );
        assert_eq!(ExportKind::ScenarioJson.file_name(name), "june-15-2024-connection-pool-exhaustion.json");
        assert_eq!(ExportKind::DashboardPng.file_name("x"), "x-dashboard.png");
        assert_eq!(ExportKind::SummaryMarkdown.file_name("x"), "x-outcome.md");
    }

    #[test]
    fn slugs_are_safe_file_names_whatever_the_name() {
        assert_eq!(slug("../../etc/passwd"), "etc-passwd");
        assert_eq!(slug("<script>alert(1)</script>"), "script-alert-1-script");
        assert_eq!(slug("  Crème brûlée  "), "cr-me-br-l-e");
        assert_eq!(slug(""), "poolsim");
        assert_eq!(slug("—  ★ —"), "poolsim");
        let long = slug(&"ab ".repeat(100));
        assert!(long.len() <= MAX_SLUG_CHARS && !long.ends_with('-'), "{long}");
        let every_export_is_distinct: std::collections::BTreeSet<String> =
            ExportKind::ALL.iter().map(|k| k.file_name("run")).collect();
        assert_eq!(every_export_is_distinct.len(), ExportKind::ALL.len());
    }

    fn short_run() -> (Scenario, Simulation) {
        let scenario = Scenario::from_json(
            r#"{ "name": "Short | run <b>", "duration_s": 60, "clock_start": "13:59:30",
                 "traffic": { "rate_per_s": 50 } }"#,
        )
        .expect("valid");
        let mut sim = Simulation::new(&scenario).expect("runs");
        sim.run_to_end();
        (scenario, sim)
    }

    #[test]
    fn the_csv_has_a_header_and_one_row_per_sampled_second() {
        let (scenario, sim) = short_run();
        let csv = text_export(ExportKind::SamplesCsv, &scenario, Some(&sim), 0).expect("csv");
        let lines: Vec<&str> = csv.lines().collect();
        assert!(lines[0].starts_with("t_s,clock,total,active"), "{}", lines[0]);
        assert_eq!(lines.len(), 1 + 60, "a header and one row per simulated second");
        assert!(lines[1].starts_with("1,13:59:31,"), "{}", lines[1]);
        assert!(lines[60].starts_with("60,14:00:30,"), "{}", lines[60]);
    }

    #[test]
    fn the_json_reads_back_as_the_same_scenario_and_the_markdown_escapes_the_name() {
        let (scenario, sim) = short_run();
        let json = text_export(ExportKind::ScenarioJson, &scenario, Some(&sim), 0).expect("json");
        assert_eq!(Scenario::from_json(&json), Ok(scenario.clone()));
        let md = text_export(ExportKind::SummaryMarkdown, &scenario, Some(&sim), 0).expect("markdown");
        assert!(md.contains("Short \\| run &lt;b&gt;"), "{md}");
        assert!(text_export(ExportKind::DashboardPng, &scenario, Some(&sim), 0).is_err());
        assert_eq!(text_export(ExportKind::ScenarioJson, &scenario, None, 0), Ok(json), "no run needed");
        let csv = text_export(ExportKind::SamplesCsv, &scenario, None, 0).expect_err("no run");
        assert!(csv.contains("cannot run"), "{csv}");
    }

    #[test]
    fn the_svg_dashboard_is_headed_by_the_escaped_name() {
        let (scenario, sim) = short_run();
        let svg = text_export(ExportKind::DashboardSvg, &scenario, Some(&sim), 50_370).expect("svg");
        assert!(svg.starts_with("<svg"), "{}", &svg[..svg.len().min(80)]);
        assert!(svg.contains("Short | run &lt;b&gt;"), "the name is text, never markup");
        assert!(svg.contains(&format!("width=\"{DASHBOARD_WIDTH_PX}\"")));
        assert_eq!(dashboard_size(&sim).1, dashboard_height(&ChartInput::for_run(&sim, 0, &[])));
    }
}
