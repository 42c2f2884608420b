//! One animation loop, owned as a handle: requestAnimationFrame re-armed each frame,
//! cancelled when the caller stops it or unmounts.

use std::cell::RefCell;
use std::rc::Rc;

use gloo::render::{AnimationFrame, request_animation_frame};
use yew::prelude::*;

/// Called each frame with the real time since the previous frame [ms] (0 on the first).
pub type FrameFn = Rc<dyn Fn(f64)>;

/// While `active`, call `on_frame` once per animation frame — always the closure of the
/// latest render, without restarting the loop when it changes.
#[hook]
pub fn use_animation_frame(active: bool, on_frame: FrameFn) {
    let latest = use_mut_ref(|| on_frame.clone());
    *latest.borrow_mut() = on_frame;
    use_effect_with(active, move |active| {
        let handle: Rc<RefCell<Option<AnimationFrame>>> = Rc::default();
        if *active {
            arm(handle.clone(), latest, None);
        }
        // Dropping the handle cancels the pending frame.
        move || drop(handle.borrow_mut().take())
    });
}

fn arm(handle: Rc<RefCell<Option<AnimationFrame>>>, latest: Rc<RefCell<FrameFn>>, last_ms: Option<f64>) {
    let next = handle.clone();
    let frame = request_animation_frame(move |now_ms| {
        let on_frame = latest.borrow().clone();
        on_frame(last_ms.map_or(0.0, |last| now_ms - last));
        // Re-arm unless the loop was stopped during this frame (its handle taken).
        if next.borrow().is_some() {
            arm(next, latest, Some(now_ms));
        }
    });
    *handle.borrow_mut() = Some(frame);
}
