//! `run`, `validate` and `presets`: load a scenario, simulate it, report.

use std::path::Path;

use poolsim_charts::{ChartInput, markers_for, svg::dashboard_svg};
use poolsim_content::presets;
use poolsim_engine::{Scenario, Simulation};

use crate::RunArgs;
use crate::error::CliError;
use crate::output::print_line;
use crate::progress;
use crate::samples_csv;
use crate::share;

/// `poolsim run`: simulate to the end, print the summary as pretty JSON, write the extras.
pub fn run(args: &RunArgs) -> Result<(), CliError> {
    let (mut scenario, source) = match (&args.scenario, &args.preset, &args.link) {
        (_, Some(name), _) => (load_preset(name)?, format!("preset {name}")),
        (Some(file), None, _) => (load_file(file)?, file.display().to_string()),
        (None, None, Some(url)) => (share::load_link(url)?, "link".to_owned()),
        // clap requires one of the three; say so anyway rather than panic.
        (None, None, None) => return Err(CliError::new("give a scenario file, --preset NAME or --link URL")),
    };
    if let Some(seed) = args.seed {
        scenario.seed = seed;
    }
    let mut sim = Simulation::new(&scenario).map_err(|e| CliError::scenario(&source, &e))?;
    if args.per_instance {
        sim.record_instance_samples();
    }
    let summary = progress::run_to_end(&mut sim);
    if let Some(path) = &args.csv {
        samples_csv::write(path, &sim, scenario.clock_start)?;
    }
    if let Some(path) = &args.svg {
        write_dashboard(path, &sim)?;
    }
    if let Some(path) = &args.md {
        share::write_markdown(path, &scenario, &summary)?;
    }
    let json = serde_json::to_string_pretty(&summary)
        .map_err(|e| CliError::new(format!("cannot format the summary as JSON: {e}")))?;
    print_line(&json)
}

/// Width of the `--svg` dashboard [px].
const SVG_WIDTH_PX: u32 = 1200;

/// The run's charts (the pool's five, the database's three when the scenario models one,
/// the callers' two when the run models them), stacked under the scenario's name, as one
/// SVG file.
fn write_dashboard(path: &Path, sim: &Simulation) -> Result<(), CliError> {
    let scenario = sim.scenario();
    let markers = markers_for(sim);
    let input = ChartInput::for_run(sim, scenario.clock_start.seconds_of_day(), &markers);
    let svg = dashboard_svg(&scenario.name, &input, SVG_WIDTH_PX, false)
        .map_err(|e| CliError::new(format!("--svg: cannot draw the charts: {e}")))?;
    std::fs::write(path, svg).map_err(|e| CliError::io("write", "SVG file", path, &e))
}

/// `poolsim validate FILE`: "ok: <name>" or the first wrong field.
pub fn validate(file: &Path) -> Result<(), CliError> {
    let scenario = load_file(file)?;
    print_line(&format!("ok: {}", scenario.name))
}

/// `poolsim presets [--show NAME]`.
pub fn presets(show: Option<&str>) -> Result<(), CliError> {
    match show {
        Some(name) => {
            let preset = presets::preset(name).ok_or_else(|| unknown_preset(name))?;
            print_line(preset.json.trim_end())
        }
        None => presets::names().try_for_each(print_line),
    }
}

/// The scenario a command was given, a file or `--preset NAME`, and how errors name it
/// (the file's path, or `preset NAME`).
pub fn load_source(file: Option<&Path>, preset: Option<&str>) -> Result<(Scenario, String), CliError> {
    match (file, preset) {
        (_, Some(name)) => Ok((load_preset(name)?, format!("preset {name}"))),
        (Some(file), None) => Ok((load_file(file)?, file.display().to_string())),
        (None, None) => Err(CliError::new("give a scenario file or --preset NAME")),
    }
}

/// Read, parse and validate a scenario file.
pub fn load_file(file: &Path) -> Result<Scenario, CliError> {
    let text = std::fs::read_to_string(file).map_err(|e| CliError::io("read", "scenario file", file, &e))?;
    Scenario::from_json(&text).map_err(|e| CliError::scenario(&file.display().to_string(), &e))
}

/// Parse a preset, or list the known ones.
pub fn load_preset(name: &str) -> Result<Scenario, CliError> {
    let preset = presets::preset(name).ok_or_else(|| unknown_preset(name))?;
    preset.scenario().map_err(|e| CliError::scenario(&format!("preset {name}"), &e))
}

fn unknown_preset(name: &str) -> CliError {
    CliError::new(format!(
        "unknown preset `{name}`; known presets: {}",
        presets::names().collect::<Vec<_>>().join(", ")
    ))
}
