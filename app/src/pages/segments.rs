//! Segments: saved groups of users defined by what they did (empty until the first one is saved).

use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn SegmentsPage() -> impl IntoView {
    view! {
        <Title text="Segments"/>
        <div class="page-header">
            <div>
                <h1>"Segments"</h1>
                <p class="lead">"Groups of users defined by the events they did, or did not do, and their profile properties."</p>
            </div>
        </div>
        <section class="card empty-state">
            <h2>"No segments yet"</h2>
            <p>"Segments are built from the events your apps send to "<code>"POST /1/upload"</code>". The credentials for it are under "<a href="/settings">"Settings"</a>"."</p>
        </section>
    }
}
