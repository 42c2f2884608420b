//! "Copy link": the page's address holds the whole run (see [`crate::hooks::use_address`]);
//! this puts it on the clipboard, and shows it in a field to copy by hand where the
//! clipboard is refused (an http page, a policy).

use std::rc::Rc;

use poolsim_engine::Scenario;
use yew::prelude::*;

use crate::hooks::address_of;
use crate::share::clipboard::copy_text;

/// Properties of [`CopyAddress`].
#[derive(Debug, Properties, PartialEq)]
pub struct CopyAddressProps {
    /// The scenario the link holds.
    pub scenario: Rc<Scenario>,
    /// The preset it began as.
    pub preset: AttrValue,
}

/// What the last copy did: the link, and whether it is on the clipboard (or why not).
#[derive(Clone, Debug, PartialEq)]
struct Copied {
    url: String,
    outcome: Result<(), String>,
}

/// The "Copy link" button and what it did.
#[component]
pub fn CopyAddress(props: &CopyAddressProps) -> Html {
    let copied = use_state_eq(|| None::<Copied>);
    let onclick = {
        let (copied, scenario, preset) = (copied.clone(), props.scenario.clone(), props.preset.clone());
        Callback::from(move |_: MouseEvent| {
            let (copied, scenario, preset) = (copied.clone(), scenario.clone(), preset.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let url = match absolute(address_of(&scenario, &preset).await) {
                    Ok(url) => url,
                    Err(why) => return copied.set(Some(Copied { url: String::new(), outcome: Err(why) })),
                };
                let outcome = copy_text(&url).await;
                copied.set(Some(Copied { url, outcome }));
            });
        })
    };
    let status = match &*copied {
        None => html! {},
        Some(Copied { url, outcome }) => {
            let message = match outcome {
                Ok(()) => "Link copied: it opens this very run.".to_owned(),
                Err(why) if url.is_empty() => format!("No link: {why}."),
                Err(why) => format!("Copy the link by hand ({why}):"),
            };
            html! {
                <>
                    <span class="copy-status" role="status" data-testid="copy-link-status">{message}</span>
                    if !url.is_empty() {
                        <input class="copy-url" type="text" readonly=true value={url.clone()}
                            aria-label="Link to this run" data-testid="copy-link-url"
                            onfocus={Callback::from(|e: FocusEvent| {
                                if let Some(input) = e.target_dyn_into::<web_sys::HtmlInputElement>() {
                                    input.select();
                                }
                            })} />
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

/// `address` (relative to the page) as a whole URL.
fn absolute(address: Result<String, String>) -> Result<String, String> {
    let address = address?;
    let href = web_sys::window().and_then(|w| w.location().href().ok()).ok_or("no browser window")?;
    web_sys::Url::new_with_base(&address, &href).map(|u| u.href()).map_err(crate::share::url::js_text)
}
