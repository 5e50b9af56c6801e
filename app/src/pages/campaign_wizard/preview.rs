//! The What step's preview pane: the exact request one delivery would make (method, URL with its
//! query, headers with secrets masked, body) rendered for a user you choose — by default the first who
//! qualifies — and a button that sends it to the destination as a test.

use leptos::prelude::*;

use crate::sync_hydrated::IntoSyncAny;

use super::form::WizardForm;
use crate::api::campaigns::{preview_campaign, send_test_webhook};
use crate::components::action_errors::follow_errors;
use crate::components::error_banner::ErrorBanner;
use crate::components::format::format_count;
use crate::components::user_chooser::UserChooser;
use crate::model::campaign::CampaignDraft;
use crate::model::campaign_report::PreviewOut;
use crate::model::webhook::TestResultOut;
use crate::model::{ApiError, CampaignId};

#[component]
pub fn RequestPreview(
    id: CampaignId,
    form: WizardForm,
    error: RwSignal<Option<ApiError>>,
    batch_size: u32,
) -> impl IntoView {
    let user: RwSignal<Option<i64>> = RwSignal::new(None);
    let preview = Action::new(move |(draft, user): &(CampaignDraft, Option<i64>)| {
        preview_campaign(id, draft.clone(), *user)
    });
    let test = Action::new(move |(draft, user): &(CampaignDraft, Option<i64>)| {
        send_test_webhook(id, draft.clone(), *user)
    });
    let refresh = move || {
        preview.dispatch((form.draft(), user.get_untracked()));
    };
    // First render: load the preview once, in the browser.
    Effect::new(move |_| untrack(refresh));
    let (preview_error, test_error) = (RwSignal::new(None), RwSignal::new(None));
    follow_errors(preview, error, preview_error);
    follow_errors(test, error, test_error);
    let shown = move || match preview.value().get() {
        Some(Ok(p)) => Some(view! { <PreviewPane preview=p batch_size/> }),
        _ => None,
    };
    view! {
        <section class="preview" aria-labelledby="preview-heading">
            <div class="section-head">
                <h3 id="preview-heading">"Preview"</h3>
                <button type="button" class="btn-secondary" disabled=move || preview.pending().get()
                    on:click=move |_| refresh()>
                    "Refresh preview"
                </button>
            </div>
            <UserChooser user default_label="The first user who qualifies" on_choose=Callback::new(move |_| refresh())/>
            {move || (preview.pending().get() && preview.value().with(Option::is_none))
                .then(|| view! { <p class="muted">"Rendering the preview\u{2026}"</p> })}
            <ErrorBanner error=preview_error/>
            {shown}
            <div class="test-send">
                <button type="button" class="btn-secondary" disabled=move || test.pending().get()
                    on:click=move |_| {
                        test.dispatch((form.draft(), user.get_untracked()));
                    }>
                    {move || if test.pending().get() { "Sending test webhook\u{2026}" } else { "Send test webhook" }}
                </button>
                <p class="hint">
                    "Sends the request shown to the destination (a Profile variables payload says "
                    <code>"\"is_test\": true"</code> ")."
                </p>
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
fn PreviewPane(preview: PreviewOut, batch_size: u32) -> impl IntoView {
    let headers = preview
        .headers
        .into_iter()
        .map(|h| view! { <li><code>{format!("{}: {}", h.name, h.value)}</code></li> })
        .collect_view();
    let validity = preview.json_valid.map(|valid| {
        if valid {
            view! { <span class="badge badge-ok">"Valid JSON"</span> }.into_sync_any()
        } else {
            view! { <span class="badge badge-error">"Invalid JSON"</span> }.into_sync_any()
        }
    });
    let body = if preview.body.is_empty() && preview.problem.is_none() {
        view! { <p class="muted">{format!("No body: {} requests carry none.", preview.method)}</p> }
            .into_sync_any()
    } else {
        view! { <pre class="code" aria-label="Request body">{preview.body}</pre> }.into_sync_any()
    };
    let problem = preview.problem.map(|p| {
        view! {
            <div class="notice notice-error" role="alert">
                <p>"This user would not be sent anything: " {p}</p>
            </div>
        }
    });
    let whom = match &preview.user {
        Some(u) => format!("Rendered for {}", u.label()),
        None => "Nobody qualifies yet: rendered without a user".to_owned(),
    };
    let mode = if preview.personal {
        "one request per user".to_owned()
    } else {
        format!("requests carry up to {batch_size} users each")
    };
    let summary = format!(
        "{whom}; {} qualify now; {mode}.",
        format_count(preview.reach.qualifying)
    );
    view! {
        <div class="preview-pane">
            <p class="hint">{summary}</p>
            <p class="request-line"><span class="method">{preview.method}</span>" "<code class="url">{preview.url}</code></p>
            <h4>"Headers"</h4>
            <ul class="headers">{headers}</ul>
            <h4>"Body " {validity}</h4>
            {problem}
            {body}
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
