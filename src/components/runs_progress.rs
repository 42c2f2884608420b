//! Where a batch of runs in the workers is, in one line: the compare page's "How sure?"
//! and "Sweep", the visualizer's "How sure?" and a lesson's replicated step all show it.

use poolsim_content::words::{approx_duration, count};
use yew::prelude::*;

use crate::replicate::Progress;

/// "37 of 100 runs on 2 workers · about 12 s left" after `lead`, with a progress bar;
/// `hook` is its test id.
pub fn runs_progress(p: &Progress, hook: impl Into<AttrValue>, lead: &str) -> Html {
    let hook = hook.into();
    let mut text = format!(
        "{lead}{} of {} runs on {} worker{}",
        count(u64::from(p.done)),
        count(u64::from(p.runs)),
        p.workers,
        if p.workers == 1 { "" } else { "s" }
    );
    match p.left_ms() {
        Some(ms) => text.push_str(&format!(" · about {} left", approx_duration((ms / 1000.0).ceil()))),
        None if p.cancelled => text.push_str(" · cancelled: the runs done are kept"),
        None if p.finished() && p.failed.is_none() => {
            text.push_str(&format!(" · done in {:.1} s", p.elapsed_ms / 1000.0));
        }
        None => {}
    }
    html! {
        <div class="compare-progress" data-testid={hook} data-done={p.done.to_string()}
            data-finished={p.finished().then_some("true")} data-cancelled={p.cancelled.then_some("true")}
            data-elapsed-ms={p.finished().then(|| format!("{:.0}", p.elapsed_ms))}>
            <progress max={p.runs.to_string()} value={p.done.to_string()} aria-label="Runs done"></progress>
            <span role="status">{text}</span>
        </div>
    }
}
