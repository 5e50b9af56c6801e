//! Creating or editing linked content: name, method, URL, headers and body (Liquid of `Profile.*`),
//! cache time and timeout, and a test fetch for a chosen user. Save checks it with the model's rules
//! first and keeps everything typed on an error.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use crate::api::linked::{create_linked, test_linked, update_linked};
use crate::api::segments::segment_builder_names;
use crate::components::error_banner::{ErrorBanner, field_error, redirect_if_signed_out};
use crate::components::field::TextField;
use crate::components::flash::use_flash;
use crate::components::key_value_editor::{KeyValueEditor, KeyValueRows};
use crate::components::liquid_editor::LiquidEditor;
use crate::components::select_field::SelectField;
use crate::components::user_chooser::UserChooser;
use crate::model::linked::{LinkedContentIn, LinkedContentOut, LinkedMethod, LinkedTestOut};
use crate::model::webhook::Header;
use crate::model::{ApiError, FieldErrors, LinkedId};

/// What the form's inputs hold.
#[derive(Clone, Copy)]
struct LinkedForm {
    name: RwSignal<String>,
    method: RwSignal<LinkedMethod>,
    url: RwSignal<String>,
    headers: KeyValueRows,
    body: RwSignal<String>,
    cache_secs: RwSignal<String>,
    timeout_ms: RwSignal<String>,
}

impl LinkedForm {
    fn new(content: &LinkedContentIn) -> Self {
        Self {
            name: RwSignal::new(content.name.clone()),
            method: RwSignal::new(content.method),
            url: RwSignal::new(content.url.clone()),
            headers: KeyValueRows::new(
                content
                    .headers
                    .iter()
                    .map(|h| (h.name.clone(), h.value.clone())),
            ),
            body: RwSignal::new(content.body.clone()),
            cache_secs: RwSignal::new(content.cache_secs.to_string()),
            timeout_ms: RwSignal::new(content.timeout_ms.to_string()),
        }
    }

    /// The content as typed, or the fields whose numbers do not read as numbers.
    fn content(&self) -> Result<LinkedContentIn, FieldErrors> {
        let mut errors = FieldErrors::default();
        let mut number = |field: &str, text: String, unit: &str| {
            text.trim().parse::<u32>().unwrap_or_else(|_| {
                errors.add(field, format!("Enter a whole number of {unit}."));
                0
            })
        };
        let cache_secs = number("cache_secs", self.cache_secs.get(), "seconds");
        let timeout_ms = number("timeout_ms", self.timeout_ms.get(), "milliseconds");
        let content = LinkedContentIn {
            name: self.name.get(),
            url: self.url.get(),
            method: self.method.get(),
            headers: self
                .headers
                .take_pairs()
                .into_iter()
                .map(|(name, value)| Header { name, value })
                .collect(),
            body: self.body.get(),
            cache_secs,
            timeout_ms,
        };
        if let Err(more) = content.validate() {
            for (field, messages) in more.0 {
                for m in messages {
                    errors.add(field.clone(), m);
                }
            }
        }
        errors.into_result().map(|()| content)
    }
}

#[component]
pub fn LinkedContentForm(initial: Option<LinkedContentOut>) -> impl IntoView {
    let id: Option<LinkedId> = initial.as_ref().map(|l| l.id);
    let form = LinkedForm::new(&initial.map(|l| l.content).unwrap_or_default());
    let error = RwSignal::new(None::<ApiError>);
    let flash = use_flash();
    let navigate = use_navigate();
    let save = Action::new(move |content: &LinkedContentIn| {
        let content = content.clone();
        async move {
            match id {
                Some(id) => update_linked(id, content).await,
                None => create_linked(content).await,
            }
        }
    });
    Effect::new(move |_| match save.value().get() {
        Some(Ok(saved)) => {
            flash.set(
                "/settings/linked",
                format!("Saved Linked.{}.", saved.content.name),
            );
            navigate("/settings/linked", Default::default());
        }
        Some(Err(e)) => {
            redirect_if_signed_out(&e);
            error.set(Some(e));
        }
        None => {}
    });
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        match untrack(|| form.content()) {
            Ok(content) => {
                error.set(None);
                save.dispatch(content);
            }
            Err(fields) => error.set(Some(fields.into())),
        }
    };
    let pending = save.pending();
    let methods = vec![
        (LinkedMethod::Get, "GET".to_owned()),
        (LinkedMethod::Post, "POST".to_owned()),
    ];
    let names = Action::new(|_: &()| segment_builder_names());
    Effect::new(move |_| {
        names.dispatch(());
    });
    let profile_variables = Signal::derive(move || {
        let mut out: Vec<String> = ["Identity", "Email", "ObjectId"]
            .iter()
            .map(|k| format!("Profile.{k}"))
            .collect();
        if let Some(Ok(s)) = names.value().get() {
            for p in s.profile_properties {
                let name = format!("Profile.{p}");
                if !out.contains(&name) {
                    out.push(name);
                }
            }
        }
        out
    });
    view! {
        <form class="card form" method="post" on:submit=submit novalidate>
            <ErrorBanner error=error/>
            <TextField id="linked-name" label="Name" value=form.name error=field_error(error, "name")
                placeholder="weather" hint="Used in templates as Linked.<name>: letters, digits and _."/>
            <SelectField id="linked-method" label="Method" value=form.method choices=methods narrow=true/>
            <TextField id="linked-url" label="URL" value=form.url error=field_error(error, "url")
                placeholder="https://api.example.com/weather?city={{ Profile.City | url_encode }}"
                hint="May use Liquid of the user's profile, such as {{ Profile.City | url_encode }}."/>
            <fieldset>
                <legend>"Headers"</legend>
                <p class="hint">"Values may use Liquid too."</p>
                <KeyValueEditor rows=form.headers item="Header" field_prefix="headers" error add_label="Add header"/>
            </fieldset>
            // Shown for POST, and for GET while it still holds text (so its error can be seen and fixed).
            {move || (form.method.get() == LinkedMethod::Post || !form.body.with(|b| b.trim().is_empty())).then(|| view! {
                <LiquidEditor id="linked-body" label="Body" value=form.body variables=profile_variables
                    error=field_error(error, "body") rows=6/>
            })}
            <div class="field-row">
                <TextField id="linked-cache" label="Cache time (seconds)" value=form.cache_secs input_type="number" min="0"
                    error=field_error(error, "cache_secs") hint="Users whose request is the same share one answer for this long; 0 fetches for every user."/>
                <TextField id="linked-timeout" label="Timeout (ms)" value=form.timeout_ms input_type="number" min="100"
                    error=field_error(error, "timeout_ms")/>
            </div>
            <TestFetch form error/>
            <div class="form-actions">
                <button type="submit" class="btn-primary" disabled=move || pending.get()>
                    {move || if pending.get() { "Saving…" } else { "Save linked content" }}
                </button>
                <a class="btn-secondary" href="/settings/linked">"Cancel"</a>
            </div>
        </form>
    }
}

/// Fetches the content as typed for a chosen user and shows the request and the answer.
#[component]
fn TestFetch(form: LinkedForm, error: RwSignal<Option<ApiError>>) -> impl IntoView {
    let user: RwSignal<Option<i64>> = RwSignal::new(None);
    let test = Action::new(|(content, user): &(LinkedContentIn, Option<i64>)| {
        test_linked(content.clone(), *user)
    });
    let run = move || match untrack(|| form.content()) {
        Ok(content) => {
            error.set(None);
            test.dispatch((content, user.get_untracked()));
        }
        Err(fields) => error.set(Some(fields.into())),
    };
    Effect::new(move |_| {
        if let Some(Err(e)) = test.value().get() {
            redirect_if_signed_out(&e);
            error.set(Some(e));
        }
    });
    let problem = field_error(error, "test");
    let user_problem = field_error(error, "user");
    view! {
        <section class="test-fetch" aria-labelledby="test-fetch-heading">
            <h3 id="test-fetch-heading">"Test fetch"</h3>
            <UserChooser user default_label="The first user" on_choose=Callback::new(|_| ())/>
            <button type="button" class="btn-secondary" disabled=move || test.pending().get() on:click=move |_| run()>
                {move || if test.pending().get() { "Fetching…" } else { "Test fetch" }}
            </button>
            {move || problem.get().or(user_problem.get()).map(|m| view! {
                <div class="notice notice-error" role="alert"><p>{m}</p></div>
            })}
            {move || match test.value().get() {
                Some(Ok(result)) => Some(view! { <TestAnswer result name=form.name.get_untracked()/> }),
                _ => None,
            }}
        </section>
    }
}

#[component]
fn TestAnswer(result: LinkedTestOut, name: String) -> impl IntoView {
    let kind = if result.is_json { "JSON" } else { "text" };
    let kind = format!("Linked.{} is this {kind}", name.trim());
    view! {
        <div class="notice notice-ok" role="status">
            <p>{format!("For {}: {} {} answered {} in {} ms. {kind}:", result.user, result.method, result.url, result.status, result.latency_ms)}</p>
            <pre class="code" aria-label="Answer">{result.value}</pre>
        </div>
    }
}
