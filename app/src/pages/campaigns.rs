//! Campaigns: the list of webhook campaigns (empty until the first one is created).

use leptos::prelude::*;

use crate::components::page_header::PageHeader;

#[component]
pub fn CampaignsPage() -> impl IntoView {
    view! {
        <PageHeader title="Campaigns" lead="Send webhooks to the users of a segment, now, later, or when they do something."/>
        <section class="card empty-state">
            <h2>"No campaigns yet"</h2>
            <p>"A campaign sends its requests through a webhook template. Start by adding the destination your campaigns will call."</p>
            <a class="btn-primary" href="/webhooks/new">"+ Add Webhook"</a>
        </section>
    }
}
