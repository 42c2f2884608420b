//! "Copy link": the link that holds the whole run, in a read-only field and on the
//! clipboard. Without a clipboard (an http page, a refused permission) the link is
//! selected in its field for the user to copy.

use std::rc::Rc;

use poolsim_content::link::{SharedState, ViewOptions};
use poolsim_engine::Scenario;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::share::clipboard::copy_text;
use crate::share::codec;
use crate::share::url::{current_site, share_url};

/// Properties of [`CopyLink`].
#[derive(Debug, Properties, PartialEq)]
pub struct CopyLinkProps {
    /// The scenario the link holds.
    pub scenario: Rc<Scenario>,
    /// How the link opens.
    pub view: ViewOptions,
}

/// What the last "Copy link" did.
#[derive(Clone, Debug, PartialEq)]
enum Copied {
    /// The link is on the clipboard.
    Yes,
    /// No clipboard: the link is selected in its field instead; why.
    Selected(String),
}

/// The share URL, its "Copy link" button and what the copy did.
#[component]
pub fn CopyLink(props: &CopyLinkProps) -> Html {
    // Built after render (it reads the page's address): `None` until then.
    let url = use_state_eq(|| None::<Result<String, String>>);
    let copied = use_state_eq(|| None::<Copied>);
    let field = use_node_ref();
    {
        let (url, copied) = (url.clone(), copied.clone());
        use_effect_with((props.scenario.clone(), props.view.clone()), move |(scenario, view)| {
            let state = SharedState { scenario: (**scenario).clone(), view: view.clone() };
            // A new link has not been copied yet.
            copied.set(None);
            wasm_bindgen_futures::spawn_local(async move {
                let fragment = codec::pack(&state).await;
                url.set(Some(fragment.map(|f| share_url(&current_site().unwrap_or_default(), &f))));
            });
        });
    }
    let onclick = {
        let (url, copied, field) = (url.clone(), copied.clone(), field.clone());
        Callback::from(move |_: MouseEvent| {
            let Some(Ok(text)) = (*url).clone() else { return };
            let (copied, field) = (copied.clone(), field.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match copy_text(&text).await {
                    Ok(()) => copied.set(Some(Copied::Yes)),
                    Err(why) => {
                        select_all(&field);
                        copied.set(Some(Copied::Selected(why)));
                    }
                }
            });
        })
    };
    let onfocus = {
        let field = field.clone();
        Callback::from(move |_: FocusEvent| select_all(&field))
    };
    let (value, error) = match &*url {
        Some(Ok(url)) => (url.clone(), None),
        Some(Err(e)) => (String::new(), Some(e.clone())),
        None => (String::new(), None),
    };
    let status = match &*copied {
        Some(Copied::Yes) => "Copied".to_owned(),
        Some(Copied::Selected(why)) => {
            format!("The link is selected: press Ctrl+C (⌘C on a Mac) to copy it. ({why})")
        }
        None => String::new(),
    };
    html! {
        <div class="share-link">
            <label class="share-label" for="share-url">{"Link to this exact run"}</label>
            <div class="share-row">
                <input id="share-url" ref={field} data-testid="share-url" type="text" readonly=true
                    {value} {onfocus} aria-describedby="share-url-help" spellcheck="false" />
                <button type="button" class="button primary" data-testid="copy-link" {onclick}
                    disabled={error.is_some() || url.is_none()}>
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

/// Focus the field and select its whole text.
fn select_all(field: &NodeRef) {
    if let Some(input) = field.cast::<HtmlInputElement>() {
        let _ = input.focus();
        input.select();
    }
}
