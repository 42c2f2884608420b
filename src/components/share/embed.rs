//! "Embed…": a modal `<dialog>` (focus moves in, Escape closes it, focus returns to the
//! button) that builds the `<iframe>` snippet for a page and a Markdown snippet for
//! documents that cannot run iframes, with the embed's size, autoplay, start time, speed
//! and whether to hide the playback controls.

use std::rc::Rc;

use poolsim_content::link::{SharedState, ViewOptions};
use poolsim_engine::Scenario;
use web_sys::{HtmlDialogElement, HtmlElement, HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

use crate::share::clipboard::copy_text;
use crate::share::codec;
use crate::share::embed::{EmbedOptions, SIZES, SPEEDS, embed_view, iframe_snippet, markdown_snippet};
use crate::share::files::ExportKind;
use crate::share::url::{current_site, embed_url, share_url};

/// Properties of [`EmbedDialog`].
#[derive(Debug, Properties, PartialEq)]
pub struct EmbedDialogProps {
    /// The scenario the embed shows.
    pub scenario: Rc<Scenario>,
    /// The page's view options (the preset name is kept).
    pub view: ViewOptions,
    /// Time of day at simulated time 0 [s since midnight], for the start time.
    pub clock_start_s: u32,
}

/// The two snippets, or why there are none.
#[derive(Clone, Debug, PartialEq)]
struct Snippets {
    iframe: String,
    markdown: String,
}

/// The "Embed…" button and its dialog.
#[component]
pub fn EmbedDialog(props: &EmbedDialogProps) -> Html {
    let dialog = use_node_ref();
    let opener = use_node_ref();
    // The page's address while the dialog is open (read when it opens, never in render).
    let base = use_state_eq(|| None::<String>);
    let options = use_state_eq(EmbedOptions::default);
    let copied = use_state_eq(String::new);
    // Packed by the browser after each change (`None` until then).
    let packed = use_state_eq(|| None::<Result<Snippets, String>>);
    {
        let packed = packed.clone();
        let key = ((*base).clone(), (*options).clone(), props.scenario.clone(), props.view.clone());
        let clock_start_s = props.clock_start_s;
        use_effect_with(key, move |(base, options, scenario, view)| {
            let Some(base) = base.clone() else { return };
            match embed_view(options, view, clock_start_s, scenario.duration_s) {
                Err(e) => packed.set(Some(Err(e))),
                Ok(view) => {
                    let (scenario, size) = (scenario.clone(), options.size);
                    wasm_bindgen_futures::spawn_local(async move {
                        packed.set(Some(snippets(&base, &scenario, view, size).await));
                    });
                }
            }
        });
    }
    {
        let dialog = dialog.clone();
        use_effect_with(base.is_some(), move |open| {
            if let Some(dialog) = dialog.cast::<HtmlDialogElement>()
                && *open
                && !dialog.open()
            {
                // Modal: the rest of the page is inert, focus moves in, Escape closes.
                let _ = dialog.show_modal();
            }
        });
    }
    let on_open = {
        let (base, copied) = (base.clone(), copied.clone());
        Callback::from(move |_: MouseEvent| {
            copied.set(String::new());
            base.set(Some(current_site().unwrap_or_default()));
        })
    };
    let on_close_button = {
        let dialog = dialog.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(dialog) = dialog.cast::<HtmlDialogElement>() {
                dialog.close();
            }
        })
    };
    // Escape, the Close button, or a form with method=dialog: back to the opener.
    let onclose = {
        let (base, opener) = (base.clone(), opener.clone());
        Callback::from(move |_: Event| {
            base.set(None);
            if let Some(button) = opener.cast::<HtmlElement>() {
                let _ = button.focus();
            }
        })
    };

    let body = base.as_ref().map(|_| {
        let start_error =
            embed_view(&options, &props.view, props.clock_start_s, props.scenario.duration_s).err();
        let snippets = (*packed).clone().unwrap_or_else(|| Err("preparing the link…".to_owned()));
        dialog_body(&options, start_error, snippets, &copied, on_close_button.clone())
    });

    html! {
        <>
            <button type="button" class="button" ref={opener} data-testid="embed-open" onclick={on_open}
                aria-haspopup="dialog">
                {"Embed…"}
            </button>
            <dialog ref={dialog} class="embed-dialog" aria-labelledby="embed-title" {onclose}>
                { body.unwrap_or_default() }
            </dialog>
        </>
    }
}

/// The snippets for the options' view of `scenario`, the pages being at `site`.
async fn snippets(
    site: &str,
    scenario: &Scenario,
    view: ViewOptions,
    size: (u32, u32),
) -> Result<Snippets, String> {
    let page_view = ViewOptions { embed: false, hide_controls: false, ..view.clone() };
    let state = SharedState { scenario: scenario.clone(), view };
    let iframe = iframe_snippet(&embed_url(site, &codec::pack(&state).await?), &scenario.name, size);
    let link = share_url(site, &codec::pack(&SharedState { view: page_view, ..state }).await?);
    let image = ExportKind::DashboardPng.file_name(&scenario.name);
    Ok(Snippets { iframe, markdown: markdown_snippet(&scenario.name, &image, &link) })
}

/// Update one option.
fn set_option(options: &UseStateHandle<EmbedOptions>, change: impl Fn(&mut EmbedOptions)) {
    let mut next = (**options).clone();
    change(&mut next);
    options.set(next);
}

/// A checkbox bound to one boolean option.
fn checkbox(
    options: &UseStateHandle<EmbedOptions>,
    id: &'static str,
    label: &'static str,
    checked: bool,
    set: fn(&mut EmbedOptions, bool),
) -> Html {
    let onchange = {
        let options = options.clone();
        Callback::from(move |e: Event| {
            if let Some(input) = e.target_dyn_into::<HtmlInputElement>() {
                set_option(&options, |o| set(o, input.checked()));
            }
        })
    };
    html! {
        <label class="share-check" for={id}>
            <input type="checkbox" {id} data-testid={id} {checked} {onchange} />
            {label}
        </label>
    }
}

/// A read-only snippet with its copy button.
fn snippet_field(
    id: &'static str,
    label: &'static str,
    help: &'static str,
    text: Result<String, String>,
    copied: &UseStateHandle<String>,
) -> Html {
    let field = NodeRef::default();
    let (value, error) = match text {
        Ok(text) => (text, None),
        Err(e) => (String::new(), Some(e)),
    };
    let onclick = {
        let (copied, field, value) = (copied.clone(), field.clone(), value.clone());
        Callback::from(move |_: MouseEvent| {
            let (copied, field, value) = (copied.clone(), field.clone(), value.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match copy_text(&value).await {
                    Ok(()) => copied.set(format!("Copied the {label}.")),
                    Err(why) => {
                        if let Some(area) = field.cast::<HtmlTextAreaElement>() {
                            let _ = area.focus();
                            area.select();
                        }
                        copied.set(format!("The {label} is selected: press Ctrl+C (⌘C) to copy it. ({why})"));
                    }
                }
            });
        })
    };
    let help_id = format!("{id}-help");
    html! {
        <div class="share-snippet">
            <label class="share-label" for={id}>{label}</label>
            <textarea {id} ref={field} data-testid={id} readonly=true rows="4" spellcheck="false"
                aria-describedby={help_id.clone()} value={value} />
            <p id={help_id} class="share-note">{help}</p>
            if let Some(error) = error {
                <p class="share-error" role="alert">{error}</p>
            } else {
                <button type="button" class="button small" {onclick}>{format!("Copy {label}")}</button>
            }
        </div>
    }
}

/// The dialog's content: options, then the two snippets.
fn dialog_body(
    options: &UseStateHandle<EmbedOptions>,
    start_error: Option<String>,
    snippets: Result<Snippets, String>,
    copied: &UseStateHandle<String>,
    on_close: Callback<MouseEvent>,
) -> Html {
    let sizes = SIZES.iter().map(|&(w, h)| {
        let onchange = {
            let options = options.clone();
            Callback::from(move |_: Event| set_option(&options, |o| o.size = (w, h)))
        };
        let id = format!("embed-size-{w}x{h}");
        html! {
            <label class="share-check" for={id.clone()}>
                <input type="radio" name="embed-size" id={id.clone()} data-testid={id}
                    checked={options.size == (w, h)} {onchange} />
                {format!("{w} × {h}")}
            </label>
        }
    });
    let on_start = {
        let options = options.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(input) = e.target_dyn_into::<HtmlInputElement>() {
                set_option(&options, |o| o.start = input.value());
            }
        })
    };
    let on_speed = {
        let options = options.clone();
        Callback::from(move |e: Event| {
            if let Some(select) = e.target_dyn_into::<HtmlSelectElement>() {
                let value = select.value();
                set_option(&options, |o| o.speed = (!value.is_empty()).then(|| value.clone()));
            }
        })
    };
    let speed = options.speed.clone().unwrap_or_default();
    let (iframe, markdown) = match snippets {
        Ok(s) => (Ok(s.iframe), Ok(s.markdown)),
        Err(e) => (Err(e.clone()), Err(e)),
    };
    let start_described =
        if start_error.is_some() { "embed-start-help embed-start-error" } else { "embed-start-help" };
    html! {
        <div class="embed-body">
            <h3 id="embed-title">{"Embed this run"}</h3>
            <fieldset class="share-options">
                <legend>{"Size"}</legend>
                { for sizes }
            </fieldset>
            <fieldset class="share-options">
                <legend>{"Playback"}</legend>
                { checkbox(options, "embed-autoplay", "Start playing when the page opens", options.autoplay,
                    |o, on| o.autoplay = on) }
                { checkbox(options, "embed-hide-controls", "Hide the playback controls", options.hide_controls,
                    |o, on| o.hide_controls = on) }
                <div class="share-field">
                    <label class="share-label" for="embed-start">{"Start at (scenario clock)"}</label>
                    <input id="embed-start" data-testid="embed-start" type="text" inputmode="numeric"
                        placeholder="14:00" value={options.start.clone()} oninput={on_start}
                        aria-invalid={start_error.is_some().then_some("true")}
                        aria-describedby={start_described} />
                    <p id="embed-start-help" class="share-note">{"HH:MM or HH:MM:SS; empty = from the start."}</p>
                    if let Some(error) = &start_error {
                        <p id="embed-start-error" class="share-error" role="alert">{error}</p>
                    }
                </div>
                <div class="share-field">
                    <label class="share-label" for="embed-speed">{"Speed"}</label>
                    <select id="embed-speed" data-testid="embed-speed" onchange={on_speed}>
                        <option value="" selected={speed.is_empty()}>{"The page's default"}</option>
                        { for SPEEDS.iter().map(|s| html! {
                            <option value={*s} selected={speed == *s}>{s.replace('x', "×")}</option>
                        }) }
                    </select>
                </div>
            </fieldset>
            { snippet_field("embed-iframe-snippet", "iframe snippet",
                "For a web page or a wiki that allows iframes: the live, playable run.", iframe, copied) }
            { snippet_field("embed-markdown-snippet", "Markdown snippet",
                "For documents that cannot run iframes: export Charts (PNG) next to the document; the image links to the live run.",
                markdown, copied) }
            <p class="share-status" role="status">{(**copied).clone()}</p>
            <div class="share-row end">
                <button type="button" class="button" data-testid="embed-close" onclick={on_close}>{"Close"}</button>
            </div>
        </div>
    }
}
