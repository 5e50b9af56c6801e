//! A page whose code fails to load. Leptos 0.8 panics when a lazily loaded page's chunk cannot be
//! fetched or instantiated — a tab opened before a deploy asking for chunks of the previous build, or
//! the network dropping mid-navigation — and the panic stops the app. The browser then opens the page
//! the user asked for afresh, so they get the current build of it instead of a dead one. Once per
//! minute at most: after a second failure the page stays as the server rendered it (its links and
//! forms work without the app).

use std::panic::PanicHookInfo;

use app::components::navigation_target::navigation_target;

/// The message of the panic in `wasm_split_macros`' generated loader.
const FAILED_LOAD: &str = "load callback should succeed";
/// Session storage key: when this tab last reloaded for a failed load (unix ms).
const RELOADED_AT: &str = "hookline.reloaded-for-failed-load-at";
const RELOAD_AGAIN_AFTER_MS: u64 = 60_000;

/// Called by the panic hook after the panic is logged.
pub fn reopen_if_a_page_failed_to_load(info: &PanicHookInfo) {
    if !info.to_string().contains(FAILED_LOAD) {
        return;
    }
    let Some(window) = web_sys::window() else {
        return;
    };
    // Without session storage a reload could repeat forever; stay on the server-rendered page.
    let Some(storage) = window.session_storage().ok().flatten() else {
        return;
    };
    // Whole milliseconds: parsing a float would add its machinery to every page's code.
    let now = js_sys::Date::now() as u64;
    let last = storage
        .get_item(RELOADED_AT)
        .ok()
        .flatten()
        .and_then(|at| at.parse::<u64>().ok());
    if last.is_some_and(|at| now.saturating_sub(at) < RELOAD_AGAIN_AFTER_MS) {
        return;
    }
    if storage.set_item(RELOADED_AT, &now.to_string()).is_err() {
        return;
    }
    // The address bar still shows the page being left: the router updates it once the next page loaded.
    let _ = match navigation_target() {
        Some(target) => window.location().assign(&target),
        None => window.location().reload(),
    };
}
