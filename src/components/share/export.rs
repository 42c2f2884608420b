//! "Export": the charts (SVG, PNG), the samples (CSV), the scenario (JSON) and the outcome
//! (Markdown), as files named after the scenario. The contents come from
//! [`crate::share::files`]; nothing leaves the browser.

use std::rc::Rc;

use poolsim_engine::time::format_clock;
use poolsim_engine::{Scenario, SimTime};
use yew::prelude::*;

use crate::run::live::{Live, LiveHandle};
use crate::share::download::{download_blob, download_text, svg_to_png};
use crate::share::files::{ExportKind, dashboard_size, dashboard_svg_text, text_export};

/// The PNG is drawn this many times the dashboard's size: sharp in print and on HiDPI screens.
const PNG_SCALE: f64 = 2.0;

/// Properties of [`ExportButtons`].
#[derive(Debug, Properties, PartialEq)]
pub struct ExportButtonsProps {
    /// The scenario as edited (the JSON export, the file names, the Markdown heading).
    pub scenario: Rc<Scenario>,
    /// The live run (charts, samples, outcome so far).
    pub live: LiveHandle,
    /// Re-render trigger: the note says how much of the run the files hold.
    pub tick: u64,
    /// Time of day at simulated time 0 [s since midnight].
    pub clock_start_s: u32,
}

/// The export buttons and what the last export did.
#[component]
pub fn ExportButtons(props: &ExportButtonsProps) -> Html {
    let status = use_state_eq(|| None::<Result<String, String>>);
    let drawing_png = use_state_eq(|| false);
    let export = {
        let (status, drawing_png) = (status.clone(), drawing_png.clone());
        let (scenario, live, clock_start_s) =
            (props.scenario.clone(), props.live.clone(), props.clock_start_s);
        move |kind: ExportKind| {
            let (status, drawing_png, scenario, live) =
                (status.clone(), drawing_png.clone(), scenario.clone(), live.clone());
            Callback::from(move |_: MouseEvent| {
                let name = kind.file_name(&scenario.name);
                let ready = move |name: &str| format!("“{name}” is in your downloads.");
                if kind == ExportKind::DashboardPng {
                    let drawn = {
                        let run = live.read();
                        match &run.player {
                            Ok(player) => dashboard_svg_text(&scenario, player.sim(), clock_start_s)
                                .map(|svg| (svg, dashboard_size(player.sim()))),
                            Err(_) => {
                                Err("this scenario cannot run, so there is no run to export".to_owned())
                            }
                        }
                    };
                    let (svg, size) = match drawn {
                        Ok(drawn) => drawn,
                        Err(e) => return status.set(Some(Err(format!("No PNG: {e}")))),
                    };
                    drawing_png.set(true);
                    status.set(Some(Ok("Drawing the PNG…".to_owned())));
                    let (status, drawing_png) = (status.clone(), drawing_png.clone());
                    wasm_bindgen_futures::spawn_local(async move {
                        let done = match svg_to_png(&svg, size, PNG_SCALE).await {
                            Ok(blob) => download_blob(&name, &blob),
                            Err(e) => Err(e),
                        };
                        drawing_png.set(false);
                        status.set(Some(done.map(|()| ready(&name)).map_err(|e| format!("No PNG: {e}"))));
                    });
                    return;
                }
                let text = {
                    let run = live.read();
                    text_export(kind, &scenario, run.player.as_ref().ok().map(|p| p.sim()), clock_start_s)
                };
                let done = text.and_then(|text| download_text(&name, kind.mime(), &text));
                status
                    .set(Some(done.map(|()| ready(&name)).map_err(|e| format!("No {}: {e}", kind.label()))));
            })
        }
    };
    let buttons = ExportKind::ALL.into_iter().map(|kind| {
        let busy = kind == ExportKind::DashboardPng && *drawing_png;
        html! {
            <button type="button" class="button" data-testid={kind.test_id()} onclick={export(kind)}
                disabled={busy}>
                {kind.label()}
            </button>
        }
    });
    let (done, error) = match &*status {
        Some(Ok(text)) => (text.clone(), None),
        Some(Err(e)) => (String::new(), Some(e.clone())),
        None => (String::new(), None),
    };
    html! {
        <div class="share-export">
            <p class="share-note" data-testid="export-note">{run_so_far(&props.live.read(), props.clock_start_s)}</p>
            <div class="share-buttons">{ for buttons }</div>
            <p class="share-status" role="status" data-testid="export-status">{done}</p>
            if let Some(error) = error {
                <p class="share-error" role="alert" data-testid="export-error">{error}</p>
            }
        </div>
    }
}

/// How much of the run the chart, sample and outcome files hold, in the scenario's clock.
fn run_so_far(live: &Live, clock_start_s: u32) -> String {
    let Ok(player) = &live.player else {
        return "This scenario cannot run: only the scenario (JSON) can be exported.".to_owned();
    };
    let sim = player.sim();
    let (now_s, end_s) = (sim.now().as_secs_f64(), sim.end().as_secs_f64());
    if sim.now() == SimTime::ZERO {
        return "The run has not started: play it (or run it to the end) to export its charts, samples and outcome."
            .to_owned();
    }
    let clock = |t: f64| format_clock(f64::from(clock_start_s) + t, true);
    if sim.is_finished() {
        format!("Files hold the whole run, {} to {}.", clock(0.0), clock(end_s))
    } else {
        format!(
            "Files hold the run so far, {} to {} (it ends at {}).",
            clock(0.0),
            clock(now_s),
            clock(end_s)
        )
    }
}
