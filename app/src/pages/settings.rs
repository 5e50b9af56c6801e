//! Settings: the ingestion credentials, and the way to the webhook templates.

use leptos::prelude::*;

use crate::sync_hydrated::IntoSyncAny;

use crate::api::settings::ingestion_settings;
use crate::components::error_banner::load_failed;
use crate::components::page_header::PageHeader;
use crate::model::settings::{CredentialSource, IngestionSettingsOut};

#[component]
pub fn SettingsPage() -> impl IntoView {
    let settings = Resource::new(|| (), |_| ingestion_settings());
    view! {
        <PageHeader title="Settings" lead="How data reaches Hookline, and where its webhooks go."/>
        <section class="card">
            <h2>"Webhooks"</h2>
            <p>"Webhook templates hold the destination URL, method, headers and authentication of campaign requests."</p>
            <a class="btn-secondary" href="/webhooks">"Manage webhook templates"</a>
        </section>
        <section class="card">
            <h2>"Linked content"</h2>
            <p>"External sources fetched for each user when a campaign sends, usable in custom bodies as " <code>"Linked.<name>"</code> "."</p>
            <a class="btn-secondary" href="/settings/linked">"Manage linked content"</a>
        </section>
        <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match settings.await {
                    Ok(s) => view! { <IngestionCard settings=s/> }.into_sync_any(),
                    Err(e) => load_failed(e)
                }
            })}
        </Transition>
    }
}

#[component]
fn IngestionCard(settings: IngestionSettingsOut) -> impl IntoView {
    let reveal = RwSignal::new(false);
    // The page's own origin, known only in the browser; the server renders the path alone.
    let origin = RwSignal::new(String::new());
    Effect::new(move |_| origin.set(window().location().origin().unwrap_or_default()));
    let passcode = settings.passcode.clone();
    let shown_passcode = move || {
        if reveal.get() {
            passcode.clone()
        } else {
            "•".repeat(passcode.len().min(24))
        }
    };
    let source = match settings.source {
        CredentialSource::Config => {
            "Set by the server's configuration (HOOKLINE_ACCOUNT_ID, HOOKLINE_ACCOUNT_PASSCODE)."
        }
        CredentialSource::Generated => {
            "Generated on first run; set HOOKLINE_ACCOUNT_ID and HOOKLINE_ACCOUNT_PASSCODE to choose your own."
        }
    };
    let account_id = settings.account_id.clone();
    let example = move || {
        format!(
            "curl -X POST {}/1/upload \\\n  -H 'X-CleverTap-Account-Id: {}' \\\n  -H 'X-CleverTap-Passcode: <passcode>' \\\n  -H 'Content-Type: application/json' \\\n  -d '{{\"d\":[{{\"identity\":\"user-1\",\"ts\":1700000000,\"type\":\"event\",\"evtName\":\"App Launched\",\"evtData\":{{}}}}]}}'",
            origin.get(),
            account_id
        )
    };
    view! {
        <section class="card">
            <h2>"Ingestion API"</h2>
            <p>
                "Send profiles and events in CleverTap's format to "<code>{move || format!("{}/1/upload", origin.get())}</code>
                " (up to " {settings.max_records} " records a request). Existing CleverTap server-side clients only need this base URL."
            </p>
            <dl class="pairs">
                <dt>"Account ID"</dt>
                <dd><code>{settings.account_id.clone()}</code></dd>
                <dt>"Passcode"</dt>
                <dd>
                    <code>{shown_passcode}</code>
                    " "
                    <button type="button" class="btn-link" aria-pressed=move || reveal.get().to_string()
                        on:click=move |_| reveal.update(|r| *r = !*r)>
                        {move || if reveal.get() { "Hide passcode" } else { "Show passcode" }}
                    </button>
                </dd>
            </dl>
            <p class="hint">{source}</p>
            <h3>"Example"</h3>
            <pre class="code">{example}</pre>
        </section>
    }
}
