//! Where the router is going. The address bar changes only once the next page's code has loaded, so
//! when that load fails (`frontend`'s `chunk_failure`), this is the page to open instead of the one
//! still in the address bar.

use std::cell::RefCell;

use leptos::prelude::*;
use leptos_router::hooks::use_url;

thread_local! {
    static TARGET: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Inside `<Router>`: remembers the path, query and fragment the router is going to.
#[component]
pub fn TrackNavigationTarget() -> impl IntoView {
    let url = use_url();
    Effect::new(move |_| {
        let target = url.with(|url| {
            let mut target = url.path().to_owned();
            if !url.search().is_empty() {
                target.push('?');
                target.push_str(url.search());
            }
            if !url.hash().is_empty() {
                if !url.hash().starts_with('#') {
                    target.push('#');
                }
                target.push_str(url.hash());
            }
            target
        });
        TARGET.with(|t| *t.borrow_mut() = Some(target));
    });
}

/// The page the router was last asked to open (`None` before the app has run).
pub fn navigation_target() -> Option<String> {
    TARGET.with(|t| t.borrow().clone())
}
