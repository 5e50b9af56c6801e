//! Editing a saved webhook template, its destination's health and its signing secret.

use leptos::prelude::*;

use crate::sync_hydrated::IntoSyncAny;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use super::circuit::DestinationHealth;
use super::form::WebhookForm;
use super::signing_secret::SigningSecret;
use crate::api::webhooks::get_template;
use crate::components::error_banner::load_failed;
use crate::model::{ApiError, TemplateId};

#[component]
pub fn EditWebhookPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || {
        params.with(|p| {
            p.get("id")
                .and_then(|id| id.parse::<i64>().ok())
                .map(TemplateId)
        })
    };
    let template = Resource::new(id, |id| async move {
        match id {
            Some(id) => get_template(id).await,
            None => Err(ApiError::not_found(
                "There is no webhook template at this address.",
            )),
        }
    });
    view! {
        <Title text="Edit webhook"/>
        <nav class="breadcrumbs" aria-label="Breadcrumb"><a href="/webhooks">"Webhooks"</a>" / Edit webhook"</nav>
        <h1>"Edit webhook"</h1>
        <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match template.await {
                    Ok(t) => {
                        let id = t.id;
                        view! {
                            <WebhookForm initial=Some(t)/>
                            <DestinationHealth id/>
                            <SigningSecret id/>
                        }.into_sync_any()
                    }
                    Err(e) => load_failed(e)
                }
            })}
        </Transition>
    }
}
