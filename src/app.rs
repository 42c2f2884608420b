//! The page: header, scenario controls, pool, outcome, charts, log and the playback bar.

use poolsim_charts::format_clock;
use poolsim_engine::presets;
use yew::prelude::*;

use crate::components::{ConnectionsChart, Outcome, PresetPicker, RunStats};
use crate::run::FinishedRun;

/// The preset the page opens with: the incident poolsim was built to replay.
pub const DEFAULT_PRESET: &str = "june-15-2024";

/// A finished run and how long the browser took to simulate it [ms].
type Timed = (FinishedRun, f64);

/// The whole app.
#[component]
pub fn App() -> Html {
    let preset = use_state(|| DEFAULT_PRESET.to_owned());
    let result = use_state(|| None::<Result<Timed, String>>);
    let generation = use_state(|| 0u32);
    {
        let result = result.clone();
        use_effect_with(((*preset).clone(), *generation), move |(name, _)| {
            let started = now_ms();
            let run = presets::load(name).and_then(|s| FinishedRun::simulate(&s)).map_err(|e| e.to_string());
            result.set(Some(run.map(|run| (run, now_ms() - started))));
        });
    }
    let on_preset = {
        let preset = preset.clone();
        Callback::from(move |name: String| preset.set(name))
    };
    let on_run = {
        let generation = generation.clone();
        Callback::from(move |_: MouseEvent| generation.set(generation.wrapping_add(1)))
    };

    let body = match &*result {
        None => html! { <p class="status" role="status">{"Simulating…"}</p> },
        Some(Err(error)) => html! { <p class="status error" role="alert">{error}</p> },
        Some(Ok((run, _))) => view_run(run),
    };
    let description = match &*result {
        Some(Ok((run, _))) => run.scenario.description.clone(),
        _ => String::new(),
    };
    html! {
        <div class="app">
            <header class="app-header">
                <h1 class="brand">{"poolsim"}</h1>
                <p class="tagline">{"Watch a database connection pool run out — and see what each fix changes."}</p>
            </header>
            <main class="layout">
                <aside class="region region-controls" aria-labelledby="h-controls">
                    <h2 id="h-controls">{"Scenario"}</h2>
                    <PresetPicker selected={(*preset).clone()} on_change={on_preset} />
                    <p class="scenario-description">{description}</p>
                </aside>
                { body }
            </main>
            <footer class="playback" aria-label="Playback">
                <button type="button" class="button primary" data-testid="run-to-end" onclick={on_run}>
                    {"Run to end"}
                </button>
                if let Some(Ok((run, wall_ms))) = &*result {
                    <RunStats run={run.clone()} wall_ms={*wall_ms} />
                }
            </footer>
        </div>
    }
}

fn view_run(run: &FinishedRun) -> Html {
    let s = &run.scenario;
    let settings = [
        ("Pool size", format!("{}", s.pool.max_size), "maximumPoolSize"),
        ("Min idle", format!("{}", s.pool.effective_min_idle()), "minimumIdle"),
        ("Acquire timeout", format!("{} ms", s.pool.connection_timeout_ms), "connectionTimeout"),
        ("Traffic", format!("{} req/s", s.traffic.rate_per_s), "arrival rate"),
        ("Hold time", format!("{} ms", s.work.hold_ms), "mean query + round trip"),
    ];
    html! {
        <>
            <section class="region region-pool" aria-labelledby="h-pool">
                <h2 id="h-pool">{"Pool"}</h2>
                <dl class="settings">
                    { for settings.into_iter().map(|(label, value, real)| html! {
                        <div class="setting"><dt>{label}</dt><dd>{value}</dd><dd class="real-name">{real}</dd></div>
                    }) }
                </dl>
            </section>
            <section class="region region-readouts" aria-labelledby="h-outcome">
                <h2 id="h-outcome">{"Outcome"}</h2>
                <Outcome run={run.clone()} />
            </section>
            <section class="region region-charts" aria-labelledby="h-charts">
                <h2 id="h-charts">{"Charts"}</h2>
                <ConnectionsChart run={run.clone()} />
            </section>
            <section class="region region-log" aria-labelledby="h-log">
                <h2 id="h-log">{"Event log"}</h2>
                <ol class="log" data-testid="log">
                    { for run.log_tail.iter().rev().take(12).map(|line| html! {
                        <li class={classes!("log-line", format!("level-{:?}", line.level).to_lowercase())}>
                            <time>{format_clock(f64::from(run.clock_start_s) + line.t_us as f64 / 1e6, true)}</time>
                            <span class="log-message">{&line.message}</span>
                        </li>
                    }) }
                </ol>
            </section>
        </>
    }
}

/// Milliseconds from the page's time origin (0 where there is no `performance`).
fn now_ms() -> f64 {
    web_sys::window().and_then(|w| w.performance()).map_or(0.0, |p| p.now())
}
