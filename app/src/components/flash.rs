//! A one-time message carried across a navigation ("Saved …"), shown by the next page and then cleared.

use leptos::prelude::*;

#[derive(Clone, Copy, Default)]
pub struct Flash(RwSignal<Option<String>>);

impl Flash {
    pub fn set(&self, message: impl Into<String>) {
        self.0.set(Some(message.into()));
    }
}

pub fn use_flash() -> Flash {
    use_context::<Flash>().unwrap_or_default()
}

/// Shows the pending message, if any, as a dismissable status line.
#[component]
pub fn FlashMessage() -> impl IntoView {
    let flash = use_flash();
    move || {
        flash.0.get().map(|message| {
            view! {
                <div class="notice notice-success" role="status">
                    <span>{message}</span>
                    <button type="button" class="btn-link" on:click=move |_| flash.0.set(None)>"Dismiss"</button>
                </div>
            }
        })
    }
}
