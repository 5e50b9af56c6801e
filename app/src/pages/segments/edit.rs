//! The pages around the segment form: a new segment, and an existing one loaded for editing.

use leptos::prelude::*;

use crate::sync_hydrated::IntoSyncAny;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use super::form::SavedSegmentForm;
use crate::api::segments::get_segment;
use crate::components::error_banner::load_failed;
use crate::model::{ApiError, SegmentId};

#[component]
pub fn NewSegmentPage() -> impl IntoView {
    view! {
        <Title text="New segment"/>
        <nav class="breadcrumbs" aria-label="Breadcrumb"><a href="/segments">"Segments"</a>" / New segment"</nav>
        <h1>"New segment"</h1>
        <SavedSegmentForm initial=None/>
    }
}

#[component]
pub fn EditSegmentPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || {
        params.with(|p| {
            p.get("id")
                .and_then(|id| id.parse::<i64>().ok())
                .map(SegmentId)
        })
    };
    let segment = Resource::new(id, |id| async move {
        match id {
            Some(id) => get_segment(id).await,
            None => Err(ApiError::not_found("There is no segment at this address.")),
        }
    });
    view! {
        <Title text="Edit segment"/>
        <nav class="breadcrumbs" aria-label="Breadcrumb"><a href="/segments">"Segments"</a>" / Edit segment"</nav>
        <h1>"Edit segment"</h1>
        <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match segment.await {
                    Ok(s) => view! { <SavedSegmentForm initial=Some(s)/> }.into_sync_any(),
                    Err(e) => load_failed(e)
                }
            })}
        </Transition>
    }
}
