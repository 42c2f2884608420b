//! "Copy link": a link that holds the whole run, put on the clipboard, and shown in a
//! read-only field to copy by hand where the clipboard is refused (an http page, a policy).
//! One component for the visualizer's header (the page's own address, shown once copied)
//! and the share page's panel (a link with its view options, shown in a labelled field at
//! once); [`CopyLayout`] says which, with each one's test ids.

use std::rc::Rc;

use poolsim_content::link::{SharedState, ViewOptions};
use poolsim_engine::Scenario;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::hooks::address_of;
use crate::share::clipboard::copy_text;
use crate::share::codec;
use crate::share::url::{current_site, js_text, share_url};

/// Which link to copy.
#[derive(Clone, Debug, PartialEq)]
pub enum LinkTo {
    /// The page's own address (see [`crate::hooks::use_address`]): `?preset=<name>` while
    /// the scenario is `preset` as shipped, else `#v1.…`, as a whole URL.
    Address {
        /// The preset the scenario began as.
        preset: AttrValue,
        /// That preset's scenario as shipped, when the page has it.
        shipped: Option<Rc<Scenario>>,
    },
    /// The visualizer on this scenario, opening as `view` says (start time, speed, preset …).
    Run {
        /// How the link opens.
        view: ViewOptions,
    },
}

/// Where the component sits, which decides its markup, its words and its test ids.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CopyLayout {
    /// A button in the page header. The link is made when clicked and then shown in a field
    /// beside what the copy did. Test ids: `copy-link` (the button), `copy-link-url` (the
    /// field), `copy-link-status`.
    Header,
    /// A labelled field with the link, made as soon as the scenario is known (and again when
    /// it changes), its button, and what the copy did; where the clipboard is refused the
    /// link is selected in its field. Test ids: `share-url` (the field, also its `id`),
    /// `copy-link` (the button), `copy-status`.
    Panel,
}

/// Properties of [`CopyLink`].
#[derive(Debug, Properties, PartialEq)]
pub struct CopyLinkProps {
    /// The scenario the link holds.
    pub scenario: Rc<Scenario>,
    /// Which link.
    pub link: LinkTo,
    /// Where it sits.
    pub layout: CopyLayout,
}

/// The "Copy link" button, the link, and what the copy did.
#[component]
pub fn CopyLink(props: &CopyLinkProps) -> Html {
    // The link as last made (`None` until then), and what the last copy did.
    let made = use_state_eq(|| None::<Result<String, String>>);
    let copied = use_state_eq(|| None::<Result<(), String>>);
    let field = use_node_ref();
    let layout = props.layout;
    {
        // The panel shows its link at once: make it for each scenario; a new link has not
        // been copied yet. The header makes its link when clicked.
        let (made, copied) = (made.clone(), copied.clone());
        use_effect_with(
            (props.scenario.clone(), props.link.clone(), layout),
            move |(scenario, link, layout)| {
                if *layout == CopyLayout::Panel {
                    copied.set(None);
                    let (scenario, link) = (scenario.clone(), link.clone());
                    wasm_bindgen_futures::spawn_local(
                        async move { made.set(Some(make(&scenario, &link).await)) },
                    );
                }
            },
        );
    }
    let onclick = {
        let (made, copied, field) = (made.clone(), copied.clone(), field.clone());
        let (scenario, link) = (props.scenario.clone(), props.link.clone());
        Callback::from(move |_: MouseEvent| {
            let ready = match layout {
                CopyLayout::Header => None,
                CopyLayout::Panel => match &*made {
                    Some(Ok(url)) => Some(url.clone()),
                    _ => return,
                },
            };
            let (made, copied, field, scenario, link) =
                (made.clone(), copied.clone(), field.clone(), scenario.clone(), link.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let (url, fresh) = match ready {
                    Some(url) => (url, false),
                    None => match make(&scenario, &link).await {
                        Ok(url) => (url, true),
                        Err(why) => {
                            made.set(Some(Err(why.clone())));
                            return copied.set(Some(Err(why)));
                        }
                    },
                };
                let outcome = copy_text(&url).await;
                if outcome.is_err() && layout == CopyLayout::Panel {
                    select_all(&field);
                }
                // The link made for this click shows with what the copy did, at once.
                if fresh {
                    made.set(Some(Ok(url)));
                }
                copied.set(Some(outcome));
            });
        })
    };
    let onfocus = {
        let field = field.clone();
        Callback::from(move |_: FocusEvent| select_all(&field))
    };
    let view = View { made: &made, copied: &copied, field, onclick, onfocus };
    match layout {
        CopyLayout::Header => header(view),
        CopyLayout::Panel => panel(view),
    }
}

/// What either layout shows: the link made (or why not), what the copy did, the link's
/// field and the handlers.
struct View<'a> {
    made: &'a Option<Result<String, String>>,
    copied: &'a Option<Result<(), String>>,
    field: NodeRef,
    onclick: Callback<MouseEvent>,
    onfocus: Callback<FocusEvent>,
}

/// The header's button; once clicked, what it did and the link.
fn header(View { made, copied, field, onclick, onfocus }: View<'_>) -> Html {
    let status = match (copied, made) {
        (None, _) => html! {},
        (Some(outcome), made) => {
            let url = made.as_ref().and_then(|m| m.as_ref().ok());
            let message = match (outcome, url) {
                (Ok(()), _) => "Link copied: it opens this very run.".to_owned(),
                (Err(why), None) => format!("No link: {why}."),
                (Err(why), Some(_)) => format!("Copy the link by hand ({why}):"),
            };
            html! {
                <>
                    <span class="copy-status" role="status" data-testid="copy-link-status">{message}</span>
                    if let Some(url) = url {
                        <input class="copy-url" type="text" readonly=true value={url.clone()} ref={field}
                            aria-label="Link to this run" data-testid="copy-link-url" {onfocus} />
                    }
                </>
            }
        }
    };
    html! {
        <div class="copy-address">
            <button type="button" class="button" data-testid="copy-link" {onclick}>{"Copy link"}</button>
            { status }
        </div>
    }
}

/// The panel's labelled field, its button, and what the copy did.
fn panel(View { made, copied, field, onclick, onfocus }: View<'_>) -> Html {
    let (value, error) = match made {
        Some(Ok(url)) => (url.clone(), None),
        Some(Err(e)) => (String::new(), Some(e.clone())),
        None => (String::new(), None),
    };
    let status = match copied {
        Some(Ok(())) => "Copied".to_owned(),
        Some(Err(why)) => format!("The link is selected: press Ctrl+C (⌘C on a Mac) to copy it. ({why})"),
        None => String::new(),
    };
    html! {
        <div class="share-link">
            <label class="share-label" for="share-url">{"Link to this exact run"}</label>
            <div class="share-row">
                <input id="share-url" ref={field} data-testid="share-url" type="text" readonly=true
                    {value} {onfocus} aria-describedby="share-url-help" spellcheck="false" />
                <button type="button" class="button primary" data-testid="copy-link" {onclick}
                    disabled={error.is_some() || made.is_none()}>
                    {"Copy link"}
                </button>
            </div>
            <p id="share-url-help" class="share-note">
                {"The link holds the whole scenario (timeline and seed): whoever opens it sees the same run."}
            </p>
            <p class="share-status" role="status" data-testid="copy-status">{status}</p>
            if let Some(error) = error {
                <p class="share-error" role="alert">{format!("No link for this scenario: {error}")}</p>
            }
        </div>
    }
}

/// The link, as a whole URL.
async fn make(scenario: &Scenario, link: &LinkTo) -> Result<String, String> {
    match link {
        LinkTo::Address { preset, shipped } => {
            absolute(address_of(scenario, preset, shipped.as_deref()).await)
        }
        LinkTo::Run { view } => {
            let state = SharedState { scenario: scenario.clone(), view: view.clone() };
            let fragment = codec::pack(&state).await?;
            Ok(share_url(&current_site().unwrap_or_default(), &fragment))
        }
    }
}

/// `address` (relative to the page) as a whole URL.
fn absolute(address: Result<String, String>) -> Result<String, String> {
    let address = address?;
    let href = web_sys::window().and_then(|w| w.location().href().ok()).ok_or("no browser window")?;
    web_sys::Url::new_with_base(&address, &href).map(|u| u.href()).map_err(js_text)
}

/// Focus the field and select its whole text.
fn select_all(field: &NodeRef) {
    if let Some(input) = field.cast::<HtmlInputElement>() {
        let _ = input.focus();
        input.select();
    }
}
