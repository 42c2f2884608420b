//! The embed dialog's output: the `<iframe>` snippet for pages that can run one, and a
//! Markdown snippet (the dashboard image linking to the live run) for documents that
//! cannot. The scenario's name is user text, so it is escaped for where it goes.

use poolsim_content::export::escape_markdown;
use poolsim_content::link::ViewOptions;
use poolsim_engine::time::{ClockTime, format_clock};

/// The iframe sizes offered [CSS px]: width, height (16:9). The embed layout fits both.
pub const SIZES: [(u32, u32); 2] = [(640, 360), (800, 450)];

/// The speeds offered for an embed, as the link writes them.
pub const SPEEDS: [&str; 6] = ["10x", "60x", "300x", "600x", "3600x", "max"];

/// What the embed dialog asks.
#[derive(Clone, Debug, PartialEq)]
pub struct EmbedOptions {
    /// The iframe's size [CSS px]: width, height.
    pub size: (u32, u32),
    /// Start playing when the embed opens.
    pub autoplay: bool,
    /// Where playback starts, as a clock time of the scenario (`14:00`); empty = at the start.
    pub start: String,
    /// Playback speed (`60x`, `max`); `None` = the page's default.
    pub speed: Option<String>,
    /// Hide the playback controls too.
    pub hide_controls: bool,
}

impl Default for EmbedOptions {
    fn default() -> Self {
        Self { size: SIZES[1], autoplay: false, start: String::new(), speed: None, hide_controls: false }
    }
}

/// The start time typed in the dialog as seconds from the scenario's start: `"14:00"` with
/// a 12:00 clock start is 7200. Empty is `None` (the start). A time outside the run, or
/// text that is not a clock time, is refused with a message.
pub fn parse_start(text: &str, clock_start_s: u32, duration_s: u64) -> Result<Option<f64>, String> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    let clock = ClockTime::parse_typed(text)
        .ok_or_else(|| format!("“{text}” is not a clock time such as 14:00"))?
        .seconds_of_day();
    // The run may cross midnight: count forward from the clock start.
    let at_s = (u64::from(clock) + 86_400 - u64::from(clock_start_s)) % 86_400;
    if at_s > duration_s {
        let end = format_clock(f64::from(clock_start_s) + duration_s as f64, true);
        let start = format_clock(f64::from(clock_start_s), true);
        return Err(format!("{text} is outside the run ({start} to {end})"));
    }
    Ok(Some(at_s as f64))
}

/// The view an embed opens with: `base` (the page's view: the preset name) plus the
/// dialog's options. `Err` when the start time is refused.
pub fn embed_view(
    options: &EmbedOptions,
    base: &ViewOptions,
    clock_start_s: u32,
    duration_s: u64,
) -> Result<ViewOptions, String> {
    Ok(ViewOptions {
        at_s: parse_start(&options.start, clock_start_s, duration_s)?,
        speed: options.speed.clone(),
        autoplay: options.autoplay,
        embed: true,
        hide_controls: options.hide_controls,
        preset: base.preset.clone(),
    })
}

/// Text made safe inside a double-quoted HTML attribute.
pub fn escape_attribute(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// The `<iframe>` to paste into a page: titled (for screen readers), lazily loaded,
/// borderless, of the chosen size.
pub fn iframe_snippet(src: &str, scenario_name: &str, (width, height): (u32, u32)) -> String {
    format!(
        "<iframe src=\"{}\" title=\"{}\" width=\"{width}\" height=\"{height}\" loading=\"lazy\" \
         style=\"border:0\"></iframe>",
        escape_attribute(src),
        escape_attribute(&format!("poolsim: {scenario_name}")),
    )
}

/// A URL made safe as a Markdown link destination: spaces, parentheses and angle
/// brackets percent-encoded.
fn markdown_url(url: &str) -> String {
    let mut out = String::with_capacity(url.len());
    for c in url.chars() {
        match c {
            ' ' => out.push_str("%20"),
            '(' => out.push_str("%28"),
            ')' => out.push_str("%29"),
            '<' => out.push_str("%3C"),
            '>' => out.push_str("%3E"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// A Markdown image of the exported dashboard (`image_file`, put beside the document)
/// that links to the live run: `[![Name — poolsim](name-dashboard.png)](https://…#v1.…)`.
pub fn markdown_snippet(scenario_name: &str, image_file: &str, link: &str) -> String {
    format!(
        "[![{} — poolsim]({})]({})",
        escape_markdown(scenario_name),
        markdown_url(image_file),
        markdown_url(link)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_start_time_is_a_clock_time_within_the_run() {
        let noon = 12 * 3600;
        assert_eq!(parse_start("", noon, 18_000), Ok(None));
        assert_eq!(parse_start(" 14:00 ", noon, 18_000), Ok(Some(7_200.0)));
        assert_eq!(parse_start("14:00:30", noon, 18_000), Ok(Some(7_230.0)));
        assert_eq!(parse_start("00:30", 23 * 3600, 7_200), Ok(Some(5_400.0)), "past midnight");
        let late = parse_start("18:00", noon, 18_000).expect_err("after the end");
        assert_eq!(late, "18:00 is outside the run (12:00:00 to 17:00:00)");
        assert!(parse_start("2 pm", noon, 18_000).expect_err("not a time").contains("not a clock time"));
    }

    #[test]
    fn the_embed_view_carries_the_dialog_options() {
        let options = EmbedOptions {
            autoplay: true,
            start: "13:00".into(),
            speed: Some("300x".into()),
            hide_controls: true,
            ..EmbedOptions::default()
        };
        let base = ViewOptions { preset: Some("june-15-2024".into()), ..ViewOptions::default() };
        let view = embed_view(&options, &base, 12 * 3600, 18_000).expect("valid");
        assert_eq!(
            view,
            ViewOptions {
                at_s: Some(3_600.0),
                speed: Some("300x".into()),
                autoplay: true,
                embed: true,
                hide_controls: true,
                preset: Some("june-15-2024".into()),
            }
        );
        assert_eq!(view.clone().sanitized(18_000), view, "every option survives the link's own checks");
    }

    #[test]
    fn the_iframe_snippet_is_titled_lazy_sized_and_escaped() {
        let snippet =
            iframe_snippet("https://x.org/?embed#v1.abc", "A \"quoted\" <b>name</b> & co", (640, 360));
        assert_eq!(
            snippet,
            "<iframe src=\"https://x.org/?embed#v1.abc\" \
             title=\"poolsim: A &quot;quoted&quot; &lt;b&gt;name&lt;/b&gt; &amp; co\" \
             width=\"640\" height=\"360\" loading=\"lazy\" style=\"border:0\"></iframe>"
        );
    }

    #[test]
    fn the_markdown_snippet_links_the_image_to_the_run_and_escapes_the_name() {
        let snippet = markdown_snippet(
            "Outage [draft](x)",
            "outage-draft-x-dashboard.png",
            "https://x.org/a b/#v1.q(1)",
        );
        assert_eq!(
            snippet,
            "[![Outage \\[draft\\](x) — poolsim](outage-draft-x-dashboard.png)](https://x.org/a%20b/#v1.q%281%29)"
        );
    }
}
