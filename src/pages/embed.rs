//! The embed page (`embed.html`): a compact view for an iframe in a postmortem or a course
//! page — the pool, the connections chart, play/pause, the outcome in one line and "Open
//! in poolsim", and the visualizer's polite live region. The link in its address says what to run and how: the start time, the
//! speed, autoplay, and whether to hide the playback controls. It fills its frame without
//! scrollbars at 640×360 and 800×450.

use poolsim_charts::{ChartKind, ConnectionsOnly};
use poolsim_engine::Summary;
use poolsim_engine::time::format_clock;
use yew::prelude::*;

use crate::components::PoolView;
use crate::components::charts_panel::ChartCanvas;
use crate::components::exhaustion::announcement;
use crate::components::pool_view::{PoolScope, WholeFleet};
use crate::hooks::{LinkStatus, LiveRun, link_in_address, use_live_run, use_open_link, use_window_resize};
use crate::pages::query_param;
use crate::state::UiState;
use poolsim_content::words::count;

/// The embed page.
#[component]
pub fn EmbedPage() -> Html {
    let state = use_reducer(|| UiState::opening(query_param("preset").as_deref()));
    let (status, view) = use_open_link(state.dispatcher());
    let LiveRun { live, pool_canvas, dark, reduced_motion, .. } =
        use_live_run(&state, Some(<WholeFleet as PoolScope>::draw));
    let resized = use_window_resize();
    let clock_start_s = state.scenario.clock_start.seconds_of_day();
    let run = live.status();
    let (tick, now_s) = (run.tick, run.now_s());
    let (clock, outcome, said) = match (run.error, &live.read().player) {
        (None, Ok(player)) => {
            let summary = player.sim().summary();
            (
                format_clock(f64::from(clock_start_s) + now_s, true),
                outcome_line(&summary, clock_start_s),
                announcement(&live.read(), player.sim(), &summary, clock_start_s),
            )
        }
        (error, _) => (String::new(), error.unwrap_or_default(), html! {}),
    };
    // The full page, on the same run: the address without the embed page's own name.
    let open_href = match link_in_address() {
        Some(hash) => format!("./{hash}"),
        None => format!("./?preset={}", state.preset),
    };
    let on_toggle = {
        let (live, dispatch) = (live.clone(), state.dispatcher());
        Callback::from(move |_: MouseEvent| dispatch.dispatch(live.toggle_play()))
    };
    html! {
        <div class="embed">
            <header class="embed-bar">
                <h1 class="embed-title" title={state.scenario.name.clone()}>{&state.scenario.name}</h1>
                <time class="embed-clock" data-testid="clock">{clock}</time>
                <a class="embed-open" href={open_href} target="_blank" rel="noopener" data-testid="open-in-poolsim">
                    {"Open in poolsim ↗"}
                </a>
            </header>
            if let LinkStatus::Failed(why) = &status {
                <p class="status error embed-error" role="alert" data-testid="link-error">
                    {format!("This link could not be opened: {why}.")}
                </p>
            }
            <main class="embed-main">
                <PoolView<WholeFleet> live={live.clone()} {tick} canvas_ref={pool_canvas} {dark} {reduced_motion} />
                <ChartCanvas<ConnectionsOnly> kind={ChartKind::Connections} live={live.clone()} {tick} {clock_start_s} {dark} {resized} />
            </main>
            <footer class="embed-foot">
                if !view.hide_controls {
                    <button type="button" class="button primary" data-testid="play" aria-pressed={state.playing.to_string()}
                        disabled={state.loading.is_some()} onclick={on_toggle}>
                        { if state.playing { "⏸ Pause" } else { "▶ Play" } }
                    </button>
                }
                <p class="embed-outcome" data-testid="embed-outcome">{outcome}</p>
            </footer>
            { said }
        </div>
    }
}

/// The outcome so far in one line: requests, failures, when the pool ran out.
fn outcome_line(s: &Summary, clock_start_s: u32) -> String {
    let clock = |t: f64| format_clock(f64::from(clock_start_s) + t, true);
    let ran_out = match s.milestones.first_exhaustion_s {
        Some(t) => format!("pool ran out at {}", clock(t)),
        None => "the pool never ran out".to_owned(),
    };
    format!(
        "{} requests, {} failed ({:.1} %); {ran_out}",
        count(s.requests),
        count(s.counts.failed),
        s.counts.failed_share * 100.0
    )
}
