//! Segments: saved groups of users defined by what they did (empty until the first one is saved).

use leptos::prelude::*;

use crate::components::page_header::PageHeader;

#[component]
pub fn SegmentsPage() -> impl IntoView {
    view! {
        <PageHeader title="Segments" lead="Groups of users defined by the events they did, or did not do, and their profile properties."/>
        <section class="card empty-state">
            <h2>"No segments yet"</h2>
            <p>"Segments are built from the events your apps send to "<code>"POST /1/upload"</code>". The credentials for it are under "<a href="/settings">"Settings"</a>"."</p>
        </section>
    }
}
