//! The browser entry point: hydrate the server-rendered page, once the chunks of its lazily loaded
//! route (`app::lazy_routes`) have arrived.
#![forbid(unsafe_code)]
// Leptos view types nest deeply; computing their layout needs more than the default depth.
#![recursion_limit = "256"]

mod chunk_failure;

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        chunk_failure::reopen_if_a_page_failed_to_load(info);
    }));
    leptos::mount::hydrate_lazy(app::App);
}
