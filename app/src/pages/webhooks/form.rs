//! The webhook template form (add and edit). Saving sends a test request to the destination; the
//! template is saved only if it answers 2xx. On any error everything typed stays in the form.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use crate::api::webhooks::{create_template, update_template};
use crate::components::error_banner::{ErrorBanner, field_error, redirect_if_signed_out};
use crate::components::field::TextField;
use crate::components::flash::use_flash;
use crate::components::key_value_editor::{KeyValueEditor, KeyValueRows};
use crate::model::webhook::{
    AuthIn, AuthOut, Header, HttpMethod, WebhookTemplateIn, WebhookTemplateOut,
};
use crate::model::{ApiError, TemplateId};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum AuthKind {
    None,
    Basic,
}

impl AuthKind {
    const ALL: [(AuthKind, &'static str, &'static str); 2] = [
        (AuthKind::None, "none", "No authentication"),
        (AuthKind::Basic, "basic", "Basic"),
    ];
}

/// What the form holds; kept across failed saves.
#[derive(Clone, Copy)]
struct FormState {
    name: RwSignal<String>,
    url: RwSignal<String>,
    method: RwSignal<HttpMethod>,
    headers: KeyValueRows,
    auth: RwSignal<AuthKind>,
    username: RwSignal<String>,
    password: RwSignal<String>,
    /// Editing a template whose password is stored: an empty password field keeps it.
    password_saved: bool,
}

impl FormState {
    fn new(initial: Option<&WebhookTemplateOut>) -> Self {
        let (auth, username, password_saved) = match initial.map(|t| &t.auth) {
            Some(AuthOut::Basic {
                username,
                password_set,
            }) => (AuthKind::Basic, username.clone(), *password_set),
            _ => (AuthKind::None, String::new(), false),
        };
        Self {
            name: RwSignal::new(initial.map(|t| t.name.clone()).unwrap_or_default()),
            url: RwSignal::new(initial.map(|t| t.url.clone()).unwrap_or_default()),
            method: RwSignal::new(initial.map(|t| t.method).unwrap_or_default()),
            headers: KeyValueRows::new(
                initial
                    .into_iter()
                    .flat_map(|t| t.headers.iter().map(|h| (h.name.clone(), h.value.clone()))),
            ),
            auth: RwSignal::new(auth),
            username: RwSignal::new(username),
            password: RwSignal::new(String::new()),
            password_saved,
        }
    }

    fn to_input(self) -> WebhookTemplateIn {
        let headers = self
            .headers
            .take_pairs()
            .into_iter()
            .map(|(name, value)| Header { name, value })
            .collect();
        let password = self.password.get();
        let auth = match self.auth.get() {
            AuthKind::None => AuthIn::None,
            AuthKind::Basic => AuthIn::Basic {
                username: self.username.get(),
                password: (!(password.is_empty() && self.password_saved)).then_some(password),
            },
        };
        WebhookTemplateIn {
            name: self.name.get(),
            url: self.url.get(),
            method: self.method.get(),
            headers,
            auth,
        }
    }
}

#[component]
pub fn WebhookForm(initial: Option<WebhookTemplateOut>) -> impl IntoView {
    let id: Option<TemplateId> = initial.as_ref().map(|t| t.id);
    let form = FormState::new(initial.as_ref());
    let error = RwSignal::new(None::<ApiError>);
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
                <AuthFields form error/>
            </fieldset>
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

#[component]
fn AuthFields(form: FormState, error: RwSignal<Option<ApiError>>) -> impl IntoView {
    let auth = form.auth;
    let password_hint = form.password_saved.then(|| {
        "A password is saved (••••). Leave this empty to keep it, or type a new one.".to_owned()
    });
    view! {
        <div class="field field-narrow">
            <label for="auth-type">"Authentication type"</label>
            <select
                id="auth-type"
                on:change=move |ev| {
                    let value = event_target_value(&ev);
                    if let Some((kind, _, _)) = AuthKind::ALL.iter().find(|(_, v, _)| *v == value) {
                        auth.set(*kind);
                    }
                }
            >
                {AuthKind::ALL
                    .map(|(kind, value, label)| view! { <option value=value selected=move || auth.get() == kind>{label}</option> })
                    .collect_view()}
            </select>
        </div>
        {move || match auth.get() {
            AuthKind::None => view! {
                <p class="hint">"No credentials are added; put any the destination needs in a header."</p>
            }.into_any(),
            AuthKind::Basic => view! {
                <p class="hint">"Every request carries "<code>"Authorization: Basic base64(user:password)"</code>"."</p>
                <div class="field-row">
                    <TextField id="auth-username" label="Username" value=form.username autocomplete="off"
                        error=field_error(error, "auth.username")/>
                    <TextField id="auth-password" label="Password" value=form.password input_type="password"
                        autocomplete="new-password" placeholder=form.password_saved.then(|| "••••".to_owned())
                        hint=password_hint.clone() error=field_error(error, "auth.password")/>
                </div>
            }.into_any(),
        }}
    }
}
