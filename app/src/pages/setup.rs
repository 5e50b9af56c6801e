//! First-run setup: create the admin account (only while no account exists).

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::auth::{SetupAdmin, setup_info};
use crate::components::error_banner::{ErrorBanner, field_error};
use crate::components::field::TextField;
use crate::model::ApiError;
use crate::model::session::{LoginIn, MIN_PASSWORD_LEN};

#[component]
pub fn SetupPage() -> impl IntoView {
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let confirm = RwSignal::new(String::new());
    let setup_code = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let create = ServerAction::<SetupAdmin>::new();
    // Whether the server asks for the code it printed in its log (it does when other computers can
    // reach it); asked once, when the page is rendered.
    let info = Resource::new(|| (), |_| setup_info());
    let code_required = Signal::derive(move || {
        info.get()
            .and_then(Result::ok)
            .is_some_and(|i| i.code_required)
    });
    Effect::new(move |_| match create.value().get() {
        Some(Ok(_)) => {
            let _ = window().location().set_href("/webhooks");
        }
        Some(Err(e)) => error.set(Some(e)),
        None => {}
    });
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let account = LoginIn {
            email: email.get(),
            password: password.get(),
        };
        let mut problems = account.validate_new_account().err().unwrap_or_default();
        if problems.get("password").is_none() && confirm.get() != account.password {
            problems.add("confirm", "The passwords do not match.");
        }
        if !problems.is_empty() {
            error.set(Some(ApiError::from(problems)));
            return;
        }
        error.set(None);
        let code = setup_code.get();
        create.dispatch(SetupAdmin {
            email: account.email,
            password: account.password,
            setup_code: (!code.trim().is_empty()).then_some(code),
        });
    };
    view! {
        <Title text="Set up Hookline"/>
        <main class="auth-page">
            <form class="card auth-card" method="post" on:submit=submit novalidate>
                <p class="brand auth-brand"><span class="brand-mark" aria-hidden="true">"⚡"</span>"Hookline"</p>
                <h1>"Create the admin account"</h1>
                <p class="lead">"No account exists yet. The account you create here administers this Hookline."</p>
                <ErrorBanner error=error/>
                <Transition fallback=|| ()>
                    <Show when=move || code_required.get()>
                        <TextField id="setup-code" label="Setup code" value=setup_code autocomplete="off"
                            hint="This server can be reached from other computers, so setup asks for the code it printed in its log when it started."
                            error=field_error(error, "setup_code")/>
                    </Show>
                </Transition>
                <TextField id="email" label="E-mail" value=email input_type="email" autocomplete="username"
                    error=field_error(error, "email")/>
                <TextField id="password" label="Password" value=password input_type="password"
                    autocomplete="new-password" hint=format!("At least {MIN_PASSWORD_LEN} characters.")
                    error=field_error(error, "password")/>
                <TextField id="confirm" label="Repeat the password" value=confirm input_type="password"
                    autocomplete="new-password" error=field_error(error, "confirm")/>
                <button type="submit" class="btn-primary" disabled=move || create.pending().get()>
                    {move || if create.pending().get() { "Creating…" } else { "Create account" }}
                </button>
            </form>
        </main>
    }
}
