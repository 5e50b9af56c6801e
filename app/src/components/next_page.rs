//! The code of the page a step leads to, fetched before the click. The route that knows which page
//! follows (`lazy_routes`) provides it, so a step deep inside a page asks for it without naming
//! routes (they name the pages).

use leptos::prelude::*;

/// Starts downloading the next page's code (a lazy route's `preload`, spawned).
#[derive(Clone, Copy)]
pub struct NextPage(fn());

impl NextPage {
    /// Makes `preload` the next page of every view below.
    pub fn provide(preload: fn()) {
        provide_context(Self(preload));
    }
}

/// Starts fetching the next page's code, if the route said which page that is. Call it in an
/// effect: only the browser has code to fetch.
pub fn preload_next_page() {
    if let Some(NextPage(preload)) = use_context::<NextPage>() {
        preload();
    }
}
