//! A Copy button: puts a text on the clipboard and says, beside the button, whether that worked
//! (the clipboard is unavailable on pages served over plain http from another machine).

use leptos::prelude::*;

#[component]
pub fn CopyButton(
    /// What is copied.
    #[prop(into)]
    text: Signal<String>,
    /// The button's accessible name ("Copy public key"); its visible text is "Copy".
    label: &'static str,
) -> impl IntoView {
    let copied = RwSignal::new(None::<bool>);
    view! {
        <span class="copy">
            <button type="button" class="btn-secondary" aria-label=label
                on:click=move |_| copy(text.get_untracked(), copied)>
                "Copy"
            </button>
            <span class="copy-status" aria-live="polite">
                {move || match copied.get() {
                    Some(true) => "Copied.",
                    Some(false) => "Could not copy here: select the text and copy it by hand.",
                    None => "",
                }}
            </span>
        </span>
    }
}

#[cfg(feature = "hydrate")]
fn copy(text: String, copied: RwSignal<Option<bool>>) {
    leptos::task::spawn_local(async move {
        let clipboard = window().navigator().clipboard();
        // Missing outside secure contexts; calling into `undefined` would throw.
        let done = !clipboard.is_undefined()
            && wasm_bindgen_futures::JsFuture::from(clipboard.write_text(&text))
                .await
                .is_ok();
        copied.set(Some(done));
    });
}

/// Clicks happen only in the browser.
#[cfg(not(feature = "hydrate"))]
fn copy(_text: String, _copied: RwSignal<Option<bool>>) {}
