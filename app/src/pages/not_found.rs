//! The page for an address that matches no screen.

use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn NotFoundPage() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::NOT_FOUND);
    }
    view! {
        <Title text="Page not found"/>
        <main class="auth-page">
            <div class="card auth-card">
                <h1>"Page not found"</h1>
                <p>"There is no page at this address."</p>
                <a class="btn-primary" href="/campaigns">"Go to Campaigns"</a>
            </div>
        </main>
    }
}
