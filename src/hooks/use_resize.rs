//! Redraw on window resize.

use gloo::events::EventListener;
use yew::prelude::*;

/// A counter that increases each time the window is resized (or zoomed, which changes
/// `devicePixelRatio`): pass it to an effect's dependencies to redraw.
#[hook]
pub fn use_window_resize() -> u32 {
    let count = use_mut_ref(|| 0u32);
    let update = use_force_update();
    {
        let count = count.clone();
        use_effect_with((), move |()| {
            let listener = web_sys::window().map(|window| {
                EventListener::new(&window, "resize", move |_| {
                    *count.borrow_mut() += 1;
                    update.force_update();
                })
            });
            move || drop(listener)
        });
    }
    *count.borrow()
}
