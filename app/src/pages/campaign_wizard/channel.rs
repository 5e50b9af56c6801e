//! `/campaigns/new`: the first choice of a new campaign, its channel. Webhooks is the one channel.

use leptos::prelude::*;

use crate::components::page_header::PageHeader;

#[component]
pub fn ChooseChannelPage() -> impl IntoView {
    view! {
        <nav class="breadcrumbs" aria-label="Breadcrumb"><a href="/campaigns">"Campaigns"</a>" / New campaign"</nav>
        <PageHeader title="Choose a channel" lead="How the campaign reaches its users."/>
        <ul class="channel-list">
            <li class="card channel">
                <a class="channel-name" href="/campaigns/new/setup" aria-describedby="channel-webhooks-hint">"Webhooks"</a>
                <p class="hint" id="channel-webhooks-hint">
                    "Send an HTTP request to your own servers and tools (CRM, call centre, Slack, Zendesk\u{2026}) for the users of a segment."
                </p>
            </li>
        </ul>
    }
}
