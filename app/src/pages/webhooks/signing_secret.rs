//! The template page's signing secret: hidden until a person reveals it (with a Copy button), and
//! rotated after a confirmation, the old secret still signing for 24 hours.

use leptos::prelude::*;

use crate::sync_hydrated::IntoSyncAny;

use crate::api::webhooks::{rotate_secret, signing_secret};
use crate::components::copy_button::CopyButton;
use crate::components::error_banner::{ErrorBanner, redirect_if_signed_out};
use crate::model::{ApiError, TemplateId};

#[component]
pub fn SigningSecret(id: TemplateId) -> impl IntoView {
    let secret = RwSignal::new(None::<String>);
    let confirming = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    let reveal = Action::new(move |_: &()| signing_secret(id));
    let rotate = Action::new(move |_: &()| rotate_secret(id));
    let rotated = RwSignal::new(false);
    for (action, after_rotate) in [(reveal, false), (rotate, true)] {
        Effect::new(move |_| match action.value().get() {
            Some(Ok(out)) => {
                error.set(None);
                secret.set(Some(out.secret));
                confirming.set(false);
                if after_rotate {
                    rotated.set(true);
                }
            }
            Some(Err(e)) => {
                redirect_if_signed_out(&e);
                error.set(Some(e));
            }
            None => {}
        });
    }
    let busy = move || reveal.pending().get() || rotate.pending().get();
    let text = Signal::derive(move || secret.get().unwrap_or_default());
    view! {
        <section class="card form" aria-labelledby="signing-heading">
            <h2 id="signing-heading">"Signing secret"</h2>
            <p class="hint">
                "Every request of this template carries " <code>"webhook-id"</code> ", "
                <code>"webhook-timestamp"</code> " and " <code>"webhook-signature"</code>
                " (Standard Webhooks): receivers verify them with this secret."
            </p>
            <ErrorBanner error/>
            {move || match secret.get() {
                Some(value) => view! {
                    <div class="secret-row">
                        <code class="secret" aria-label="Signing secret">{value}</code>
                        <CopyButton text label="Copy signing secret"/>
                    </div>
                }.into_sync_any(),
                None => view! {
                    <button type="button" class="btn-secondary" disabled=busy
                        on:click=move |_| { reveal.dispatch(()); }>"Reveal secret"</button>
                }.into_sync_any(),
            }}
            <Show when=move || rotated.get()>
                <p class="notice notice-info" role="status">
                    "New secret made. Requests are signed with the old one too for 24 hours."
                </p>
            </Show>
            {move || if confirming.get() {
                view! {
                    <span class="confirm" role="group" aria-label="Confirm rotation">
                        "Make a new secret? The old one keeps working for 24 hours."
                        <button type="button" class="btn-danger" disabled=busy
                            on:click=move |_| { rotate.dispatch(()); }>"Yes, rotate"</button>
                        <button type="button" class="btn-secondary" on:click=move |_| confirming.set(false)>"Cancel"</button>
                    </span>
                }.into_sync_any()
            } else {
                view! {
                    <button type="button" class="btn-secondary" on:click=move |_| confirming.set(true)>"Rotate secret"</button>
                }.into_sync_any()
            }}
        </section>
    }
}
