//! A one-time message carried across a navigation ("Saved …"): shown on the page it was meant for, and
//! gone once the user leaves that page.

use leptos::prelude::*;
use leptos_router::hooks::use_location;

#[derive(Debug, Clone, PartialEq, Eq)]
struct Message {
    /// The path of the page that shows it.
    path: String,
    text: String,
}

#[derive(Clone, Copy, Default)]
pub struct Flash(RwSignal<Option<Message>>);

impl Flash {
    /// Shows `text` on the page at `path` (the current one, or the one about to be navigated to).
    pub fn set(&self, path: &str, text: impl Into<String>) {
        self.0.set(Some(Message {
            path: path.to_owned(),
            text: text.into(),
        }));
    }
}

pub fn use_flash() -> Flash {
    use_context::<Flash>().unwrap_or_default()
}

/// Shows the message meant for the current page as a dismissable status line.
#[component]
pub fn FlashMessage() -> impl IntoView {
    let flash = use_flash();
    let pathname = use_location().pathname;
    // Leaving the page a message was shown on clears it.
    Effect::new(move |previous: Option<String>| {
        let current = pathname.get();
        if let Some(previous) = previous.filter(|p| *p != current)
            && flash
                .0
                .with_untracked(|m| m.as_ref().is_some_and(|m| m.path == previous))
        {
            flash.0.set(None);
        }
        current
    });
    move || {
        let message = flash.0.get().filter(|m| m.path == pathname.get())?;
        Some(view! {
            <div class="notice notice-success" role="status">
                <span>{message.text}</span>
                <button type="button" class="btn-link" on:click=move |_| flash.0.set(None)>"Dismiss"</button>
            </div>
        })
    }
}
