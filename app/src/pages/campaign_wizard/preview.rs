//! The What step's preview pane: the exact request one delivery would make (method, URL, headers, body)
//! rendered for sample users who qualify, and a button that sends it to the destination as a test.

use leptos::prelude::*;

use super::form::WizardForm;
use crate::api::campaigns::{preview_campaign, send_test_webhook};
use crate::components::action_errors::follow_errors;
use crate::components::error_banner::ErrorBanner;
use crate::components::format::{count_of, format_count};
use crate::model::campaign::CampaignDraft;
use crate::model::campaign_report::PreviewOut;
use crate::model::webhook::TestResultOut;
use crate::model::{ApiError, CampaignId};

#[component]
pub fn RequestPreview(
    id: CampaignId,
    form: WizardForm,
    error: RwSignal<Option<ApiError>>,
) -> impl IntoView {
    let preview = Action::new(move |draft: &CampaignDraft| preview_campaign(id, draft.clone()));
    let test = Action::new(move |draft: &CampaignDraft| send_test_webhook(id, draft.clone()));
    // First render: load the preview once, in the browser.
    Effect::new(move |_| {
        untrack(|| preview.dispatch(form.draft()));
    });
    let (preview_error, test_error) = (RwSignal::new(None), RwSignal::new(None));
    follow_errors(preview, error, preview_error);
    follow_errors(test, error, test_error);
    let shown = move || match preview.value().get() {
        Some(Ok(p)) => Some(view! { <PreviewPane preview=p/> }),
        _ => None,
    };
    view! {
        <section class="preview" aria-labelledby="preview-heading">
            <div class="section-head">
                <h3 id="preview-heading">"Preview"</h3>
                <button type="button" class="btn-secondary" disabled=move || preview.pending().get()
                    on:click=move |_| {
                        preview.dispatch(form.draft());
                    }>
                    "Refresh preview"
                </button>
            </div>
            {move || (preview.pending().get() && preview.value().with(Option::is_none))
                .then(|| view! { <p class="muted">"Rendering the preview\u{2026}"</p> })}
            <ErrorBanner error=preview_error/>
            {shown}
            <div class="test-send">
                <button type="button" class="btn-secondary" disabled=move || test.pending().get()
                    on:click=move |_| {
                        test.dispatch(form.draft());
                    }>
                    {move || if test.pending().get() { "Sending test webhook\u{2026}" } else { "Send test webhook" }}
                </button>
                <p class="hint">"Sends this request to the destination with " <code>"\"is_test\": true"</code> "."</p>
                {move || match test.value().get() {
                    Some(Ok(result)) => Some(view! { <TestResult result/> }),
                    _ => None,
                }}
                <ErrorBanner error=test_error/>
            </div>
        </section>
    }
}

#[component]
fn PreviewPane(preview: PreviewOut) -> impl IntoView {
    let headers = preview
        .headers
        .into_iter()
        .map(|h| view! { <li><code>{format!("{}: {}", h.name, h.value)}</code></li> })
        .collect_view();
    let body = if preview.body.is_empty() {
        view! { <p class="muted">{format!("No body: {} requests carry none.", preview.method)}</p> }
            .into_any()
    } else {
        view! { <pre class="code">{preview.body}</pre> }.into_any()
    };
    let sample = format!(
        "Rendered for {} of {} who qualify.",
        count_of(u64::from(preview.sample_users), "sample user"),
        format_count(preview.reach.qualifying)
    );
    view! {
        <div class="preview-pane">
            <p class="request-line"><span class="method">{preview.method}</span>" "<code class="url">{preview.url}</code></p>
            <h4>"Headers"</h4>
            <ul class="headers">{headers}</ul>
            <h4>"Body"</h4>
            {body}
            <p class="hint">{sample}</p>
        </div>
    }
}

#[component]
fn TestResult(result: TestResultOut) -> impl IntoView {
    view! {
        <div class="notice notice-ok" role="status">
            <p>{format!("The destination answered {} in {} ms.", result.status, result.latency_ms)}</p>
            {(!result.body_excerpt.is_empty()).then(|| view! { <pre>{result.body_excerpt}</pre> })}
        </div>
    }
}
