//! The browser entry point: hydrate the server-rendered page, once the chunks of its lazily loaded
//! route (`app::lazy_routes`) have arrived.
#![forbid(unsafe_code)]
// Leptos view types nest deeply; computing their layout needs more than the default depth.
#![recursion_limit = "256"]

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_lazy(app::App);
}
