//! Adding a webhook template.

use leptos::prelude::*;
use leptos_meta::Title;

use super::form::WebhookForm;

#[component]
pub fn NewWebhookPage() -> impl IntoView {
    view! {
        <Title text="Add webhook"/>
        <nav class="breadcrumbs" aria-label="Breadcrumb"><a href="/webhooks">"Webhooks"</a>" / Add webhook"</nav>
        <h1>"Add webhook"</h1>
        <WebhookForm initial=None/>
    }
}
