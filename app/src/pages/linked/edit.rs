//! The pages around the linked content form: a new one, and an existing one loaded for editing.

use leptos::prelude::*;

use crate::sync_hydrated::IntoSyncAny;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use super::form::LinkedContentForm;
use crate::api::linked::get_linked;
use crate::components::error_banner::load_failed;
use crate::model::{ApiError, LinkedId};

#[component]
pub fn NewLinkedPage() -> impl IntoView {
    view! {
        <Title text="New linked content"/>
        <Breadcrumbs here="New"/>
        <h1>"New linked content"</h1>
        <LinkedContentForm initial=None/>
    }
}

#[component]
pub fn EditLinkedPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|id| id.parse().ok()).map(LinkedId));
    let item = Resource::new(id, |id| async move {
        match id {
            Some(id) => get_linked(id).await,
            None => Err(ApiError::not_found(
                "There is no linked content at this address.",
            )),
        }
    });
    view! {
        <Title text="Edit linked content"/>
        <Breadcrumbs here="Edit"/>
        <h1>"Edit linked content"</h1>
        <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match item.await {
                    Ok(l) => view! { <LinkedContentForm initial=Some(l)/> }.into_sync_any(),
                    Err(e) => load_failed(e)
                }
            })}
        </Transition>
    }
}

#[component]
fn Breadcrumbs(here: &'static str) -> impl IntoView {
    view! {
        <nav class="breadcrumbs" aria-label="Breadcrumb">
            <a href="/settings">"Settings"</a>" / "<a href="/settings/linked">"Linked content"</a>" / "{here}
        </nav>
    }
}
