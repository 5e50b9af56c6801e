//! Moving keyboard focus after the page changed under it: to a new step's heading, or to the first field
//! an error points at. Called from event handlers and Effects, so only ever in the browser.

use leptos::prelude::*;
use leptos::wasm_bindgen::JsCast;
use leptos::web_sys::HtmlElement;

/// Focuses the first element matching `selector` once the pending changes are on screen.
pub fn focus_soon(selector: &'static str) {
    request_animation_frame(move || {
        if let Ok(Some(element)) = document().query_selector(selector)
            && let Ok(element) = element.dyn_into::<HtmlElement>()
        {
            let _ = element.focus();
        }
    });
}

/// The first input marked invalid by a field error.
pub const FIRST_INVALID: &str = "[aria-invalid='true']";
