//! The sign-in screen.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::auth::Login;
use crate::components::error_banner::{ErrorBanner, field_error};
use crate::components::field::TextField;
use crate::model::ApiError;
use crate::model::session::safe_next;

#[component]
pub fn LoginPage() -> impl IntoView {
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let query = use_query_map();
    let sign_in = ServerAction::<Login>::new();
    Effect::new(move |_| match sign_in.value().get() {
        Some(Ok(_)) => {
            let next = query.with_untracked(|q| safe_next(q.get("next").as_deref()).to_owned());
            // A full page load, so every part of the app starts from the new session.
            let _ = window().location().set_href(&next);
        }
        Some(Err(e)) => error.set(Some(e)),
        None => {}
    });
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        error.set(None);
        sign_in.dispatch(Login {
            email: email.get(),
            password: password.get(),
        });
    };
    view! {
        <Title text="Sign in"/>
        <main class="auth-page">
            <form class="card auth-card" method="post" on:submit=submit novalidate>
                <p class="brand auth-brand"><span class="brand-mark" aria-hidden="true">"⚡"</span>"Hookline"</p>
                <h1>"Sign in"</h1>
                <ErrorBanner error=error/>
                <TextField id="email" label="E-mail" value=email input_type="email" autocomplete="username"
                    error=field_error(error, "email")/>
                <TextField id="password" label="Password" value=password input_type="password"
                    autocomplete="current-password" error=field_error(error, "password")/>
                <button type="submit" class="btn-primary" disabled=move || sign_in.pending().get()>
                    {move || if sign_in.pending().get() { "Signing in…" } else { "Sign in" }}
                </button>
            </form>
        </main>
    }
}
