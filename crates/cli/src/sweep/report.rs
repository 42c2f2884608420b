//! A [`SweepBatch`] as every format prints it: the cells as a plain-text or Markdown grid
//! of the chosen outcome, JSON with every cell's full statistics, one CSV row per cell,
//! and the heatmap.

use std::fmt::Write as _;

use poolsim_charts::{Heatmap, heatmap_svg};
use poolsim_content::export::escape_markdown;
use poolsim_content::replications::sweep;
use poolsim_content::words::replicate::{outcome_title, outcome_value};
use poolsim_content::words::{count, percent, short_number};
use poolsim_engine::replicate::sweep::{Axis, Scale};
use poolsim_engine::replicate::{Report, Share};
use serde::Serialize;

use super::{SweepBatch, View};
use crate::error::CliError;
use crate::replicate::report::{BatchJson, aligned, capitalised, markdown_table};

/// Width of the `--svg` heatmap [px].
const SVG_WIDTH_PX: u32 = 960;

/// The first line: what was run.
fn title(batch: &SweepBatch) -> String {
    let shape = match batch.sweep.y {
        Some(_) => format!("{} × {} cells", batch.sweep.columns(), batch.sweep.rows()),
        None => format!("{} cells", batch.sweep.columns()),
    };
    format!(
        "{}: {shape}, {} runs each from seed {} (run i of every cell has the same seed; run 0 is the scenario's own)",
        batch.scenario,
        count(batch.runs() as u64),
        batch.seed
    )
}

/// What the cells show and what the marks mean.
fn key(batch: &SweepBatch, view: &View) -> Vec<String> {
    let clock = batch.clock();
    let survival = &view.survival;
    let when = match survival.until_s {
        Some(t) => format!("did not run out until {}", clock.at(t)),
        None => "never ran out".to_owned(),
    };
    let mut lines = vec![
        format!("cells: {}", outcome_title(view.outcome, survival, &clock)),
        format!("✓: the pool {when} in at least {} of the cell's runs", percent(survival.share)),
    ];
    lines.push(match batch.own_cell() {
        Some(_) => "[ ]: the scenario's own settings".to_owned(),
        None => format!(
            "the scenario's own settings ({}) are not a cell of the grid",
            super::cell_words(&batch.sweep, batch.own.0, batch.own.1)
        ),
    });
    for axis in [Some(batch.sweep.x), batch.sweep.y].into_iter().flatten() {
        if axis.scale == Scale::Log {
            lines.push(format!("{}: steps of equal ratio", axis.knob.path()));
        }
    }
    lines
}

/// The grid: a header of the `x` values, then a row per `y` value (the first row the
/// first value), each cell its outcome, ✓ where it survives, `[…]` at the scenario's own.
fn grid(batch: &SweepBatch, view: &View) -> (Vec<String>, Vec<Vec<String>>) {
    let clock = batch.clock();
    let sweep = &batch.sweep;
    let corner = match sweep.y {
        Some(y) => format!("{} \\ {}", y.knob.path(), sweep.x.knob.path()),
        None => sweep.x.knob.path().to_owned(),
    };
    let header: Vec<String> =
        std::iter::once(corner).chain(sweep.x.values().into_iter().map(short_number)).collect();
    let own = batch.own_cell();
    let row_labels: Vec<String> = match sweep.y {
        Some(y) => y.values().into_iter().map(short_number).collect(),
        None => vec![String::new()],
    };
    let rows = row_labels
        .into_iter()
        .enumerate()
        .map(|(r, label)| {
            let cells = (0..sweep.columns()).map(|c| {
                let index = r * sweep.columns() + c;
                let runs = &batch.cells[index];
                let text = outcome_value(view.outcome, view.outcome.value(runs, &view.survival), &clock);
                let mark = if view.survival.holds(&view.survival.count(runs)) { " ✓" } else { "" };
                let text = format!("{text}{mark}");
                if own == Some(index) { format!("[{text}]") } else { text }
            });
            std::iter::once(label).chain(cells).collect()
        })
        .collect();
    (header, rows)
}

/// The cells as a plain-text grid, columns aligned.
pub fn table(batch: &SweepBatch, view: &View) -> String {
    let (header, rows) = grid(batch, view);
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    format!("{}\n{}\n\n{}", title(batch), key(batch, view).join("\n"), aligned(&header, &rows))
}

/// The cells as Markdown: a heading, what they show, and the grid.
pub fn markdown(batch: &SweepBatch, view: &View) -> String {
    let (header, rows) = grid(batch, view);
    let header: Vec<String> = header.iter().map(|h| escape_markdown(h)).collect();
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    let rows: Vec<Vec<String>> =
        rows.iter().map(|row| row.iter().map(|c| escape_markdown(c)).collect()).collect();
    let mut out = format!("## {}\n\n", escape_markdown(&title(batch)));
    for line in key(batch, view) {
        let _ = writeln!(out, "- {}", escape_markdown(&capitalised(&line)));
    }
    out.push('\n');
    out.push_str(&markdown_table(&header, &rows));
    out
}

/// The JSON `poolsim sweep --format json` prints.
#[derive(Debug, Serialize)]
struct Json<'a> {
    #[serde(flatten)]
    batch: BatchJson<'a>,
    x: AxisJson,
    y: Option<AxisJson>,
    /// What "survives" means: until when [s from the start, and as a clock time], and
    /// the share of runs.
    survival: SurvivalJson,
    /// What `value` is in each cell.
    outcome: &'static str,
    /// The cells row by row (`y` the slower).
    cells: Vec<CellJson>,
}

#[derive(Debug, Serialize)]
struct AxisJson {
    knob: &'static str,
    unit: &'static str,
    /// `KNOB=FROM..TO:STEPS[:log]`.
    axis: String,
    scale: &'static str,
    values: Vec<f64>,
    /// The scenario's own value.
    scenario_value: f64,
}

impl AxisJson {
    fn of(axis: &Axis, own: f64) -> Self {
        AxisJson {
            knob: axis.knob.path(),
            unit: axis.knob.unit(),
            axis: axis.to_string(),
            scale: match axis.scale {
                Scale::Linear => "linear",
                Scale::Log => "log",
            },
            values: axis.values(),
            scenario_value: own,
        }
    }
}

#[derive(Debug, Serialize)]
struct SurvivalJson {
    until_s: Option<f64>,
    until: Option<String>,
    share: f64,
}

#[derive(Debug, Serialize)]
struct CellJson {
    x: f64,
    y: Option<f64>,
    /// The runs that survived.
    survived: Share,
    /// At least the share asked for.
    survives: bool,
    /// The outcome shown.
    value: Option<f64>,
    #[serde(flatten)]
    report: Report,
}

/// Every cell's statistics, survival and shown value as pretty JSON.
pub fn json(batch: &SweepBatch, view: &View) -> Result<String, CliError> {
    let clock = batch.clock();
    let doc = Json {
        batch: BatchJson::new(&batch.scenario, batch.seed, batch.runs()),
        x: AxisJson::of(&batch.sweep.x, batch.own.0),
        y: batch.sweep.y.zip(batch.own.1).map(|(axis, own)| AxisJson::of(&axis, own)),
        survival: SurvivalJson {
            until_s: view.survival.until_s,
            until: view.survival.until_s.map(|t| clock.at(t)),
            share: view.survival.share,
        },
        outcome: view.outcome.key(),
        cells: batch
            .sweep
            .cells()
            .iter()
            .zip(&batch.cells)
            .map(|(cell, runs)| {
                let survived = view.survival.count(runs);
                CellJson {
                    x: cell.x,
                    y: cell.y,
                    survived,
                    survives: view.survival.holds(&survived),
                    value: view.outcome.value(runs, &view.survival),
                    report: runs.report(),
                }
            })
            .collect(),
    };
    serde_json::to_string_pretty(&doc)
        .map_err(|e| CliError::new(format!("cannot format the sweep as JSON: {e}")))
}

/// One CSV row per cell ([`poolsim_content::replications::sweep::cells_csv`], which the
/// compare page's download writes too).
pub fn cells_csv(batch: &SweepBatch, view: &View) -> String {
    sweep::cells_csv(&batch.sweep, &batch.cells, &view.survival)
}

/// The heatmap as an SVG document.
pub fn heatmap(batch: &SweepBatch, view: &View) -> Result<String, CliError> {
    let map = Heatmap::for_sweep(
        &batch.scenario,
        &batch.sweep,
        &batch.cells,
        batch.own,
        view.outcome,
        &view.survival,
        &batch.clock(),
    );
    heatmap_svg(&map, SVG_WIDTH_PX, false)
        .map_err(|e| CliError::new(format!("--svg: cannot draw the heatmap: {e}")))
}
