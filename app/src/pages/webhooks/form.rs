//! The webhook template form (add and edit). Saving sends a test request to the destination; the
//! template is saved only if it answers 2xx. On any error everything typed stays in the form.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use super::auth_fields::{AuthFields, AuthState};
use super::limit_fields::{LimitFields, LimitsState};
use super::oauth_actions::OAuthActions;
use crate::api::webhooks::{create_template, update_template};
use crate::components::error_banner::{ErrorBanner, field_error, redirect_if_signed_out};
use crate::components::field::TextField;
use crate::components::flash::use_flash;
use crate::components::focus::{FIRST_INVALID, focus_soon};
use crate::components::key_value_editor::{KeyValueEditor, KeyValueRows};
use crate::model::webhook::{Header, HttpMethod, WebhookTemplateIn, WebhookTemplateOut};
use crate::model::{ApiError, TemplateId};

/// What the form holds; kept across failed saves.
#[derive(Clone, Copy)]
struct FormState {
    name: RwSignal<String>,
    url: RwSignal<String>,
    method: RwSignal<HttpMethod>,
    headers: KeyValueRows,
    auth: AuthState,
    limits: LimitsState,
}

impl FormState {
    fn new(initial: Option<&WebhookTemplateOut>) -> Self {
        Self {
            name: RwSignal::new(initial.map(|t| t.name.clone()).unwrap_or_default()),
            url: RwSignal::new(initial.map(|t| t.url.clone()).unwrap_or_default()),
            method: RwSignal::new(initial.map(|t| t.method).unwrap_or_default()),
            headers: KeyValueRows::new(
                initial
                    .into_iter()
                    .flat_map(|t| t.headers.iter().map(|h| (h.name.clone(), h.value.clone()))),
            ),
            auth: AuthState::new(initial.map(|t| &t.auth)),
            limits: LimitsState::new(initial.map(|t| t.limits)),
        }
    }

    fn to_input(self) -> WebhookTemplateIn {
        let headers = self
            .headers
            .take_pairs()
            .into_iter()
            .map(|(name, value)| Header { name, value })
            .collect();
        WebhookTemplateIn {
            name: self.name.get(),
            url: self.url.get(),
            method: self.method.get(),
            headers,
            auth: self.auth.to_input(),
            limits: self.limits.to_input(),
        }
    }
}

#[component]
pub fn WebhookForm(initial: Option<WebhookTemplateOut>) -> impl IntoView {
    let id: Option<TemplateId> = initial.as_ref().map(|t| t.id);
    let form = FormState::new(initial.as_ref());
    let error = RwSignal::new(None::<ApiError>);
    let oauth_actions = OAuthActions::new(id, form.auth.oauth, error);
    let flash = use_flash();
    let navigate = use_navigate();
    let save = Action::new(move |input: &WebhookTemplateIn| {
        let input = input.clone();
        async move {
            match id {
                Some(id) => update_template(id, input).await,
                None => create_template(input).await,
            }
        }
    });
    Effect::new(move |_| match save.value().get() {
        Some(Ok(saved)) => {
            flash.set(
                "/webhooks",
                format!(
                    "Saved \u{201c}{}\u{201d}: the test request was answered {} in {} ms.",
                    saved.template.name, saved.test.status, saved.test.latency_ms
                ),
            );
            navigate("/webhooks", Default::default());
        }
        Some(Err(e)) => {
            redirect_if_signed_out(&e);
            error.set(Some(e));
        }
        None => {}
    });
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let input = form.to_input();
        // Same rules as the server: answer at once instead of after a round trip.
        if let Err(fields) = input.validate() {
            error.set(Some(fields.into()));
            focus_soon(FIRST_INVALID);
            return;
        }
        error.set(None);
        save.dispatch(input);
    };
    let pending = save.pending();
    let submit_label = if id.is_some() { "Save" } else { "Create" };
    view! {
        <form class="card form" method="post" on:submit=submit novalidate>
            <ErrorBanner error=error/>
            <TextField id="name" label="Name" value=form.name error=field_error(error, "name")
                placeholder="CRM call centre"/>
            <div class="field-row">
                <MethodSelect method=form.method/>
                <TextField id="url" label="Destination URL" value=form.url error=field_error(error, "url")
                    input_type="url" placeholder="https://hooks.example.com/hookline"/>
            </div>
            <fieldset>
                <legend>"Headers"</legend>
                <p class="hint">"Sent with every request of this template, e.g. an API key when the destination needs no other authentication."</p>
                <KeyValueEditor rows=form.headers item="Header" field_prefix="headers" error/>
            </fieldset>
            <fieldset>
                <legend>"Authentication"</legend>
                <AuthFields auth=form.auth oauth_actions error/>
            </fieldset>
            <LimitFields limits=form.limits error/>
            <p class="hint">
                {submit_label} " sends a test request (" <code>"\"is_test\": true"</code>
                ", sample profiles) to the destination and saves the template only if it answers with a 2xx status."
            </p>
            <div class="form-actions">
                <button type="submit" class="btn-primary" disabled=move || pending.get()>
                    {move || if pending.get() { "Sending test request…" } else { submit_label }}
                </button>
                <a class="btn-secondary" href="/webhooks">"Cancel"</a>
            </div>
        </form>
    }
}

#[component]
fn MethodSelect(method: RwSignal<HttpMethod>) -> impl IntoView {
    view! {
        <div class="field field-narrow">
            <label for="method">"HTTP method"</label>
            <select
                id="method"
                prop:value=move || method.get().as_str()
                on:change=move |ev| {
                    if let Some(m) = HttpMethod::parse(&event_target_value(&ev)) {
                        method.set(m);
                    }
                }
            >
                {HttpMethod::ALL
                    .map(|m| view! { <option value=m.as_str() selected=move || method.get() == m>{m.as_str()}</option> })
                    .collect_view()}
            </select>
        </div>
    }
}
