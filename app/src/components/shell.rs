//! The frame of every signed-in page: brand, main navigation, the signed-in user, and sign-out.

use leptos::prelude::*;
use leptos_router::components::{A, Outlet};

use super::flash::FlashMessage;
use crate::api::auth::{current_user, logout};

#[component]
pub fn AppShell() -> impl IntoView {
    let user = Resource::new(|| (), |_| current_user());
    let sign_out = Action::new(|_: &()| logout());
    Effect::new(move |_| {
        if sign_out.value().get().is_some() {
            // Whatever the answer, the session is over for this page: start clean at the login screen.
            let _ = window().location().set_href("/login");
        }
    });
    view! {
        <a class="skip-link" href="#main">"Skip to content"</a>
        <header class="topbar">
            <a class="brand" href="/campaigns">
                <span class="brand-mark" aria-hidden="true">"⚡"</span>
                "Hookline"
            </a>
            <nav class="main-nav" aria-label="Main">
                <A href="/campaigns">"Campaigns"</A>
                <A href="/segments">"Segments"</A>
                <A href="/webhooks">"Webhooks"</A>
                <A href="/settings">"Settings"</A>
            </nav>
            <div class="account">
                <Transition fallback=|| ()>
                    {move || Suspend::new(async move {
                        user.await.ok().map(|u| view! { <span class="who" title="Signed in">{u.email}</span> })
                    })}
                </Transition>
                <button
                    type="button"
                    class="btn-secondary"
                    disabled=move || sign_out.pending().get()
                    on:click=move |_| {
                        sign_out.dispatch(());
                    }
                >
                    "Sign out"
                </button>
            </div>
        </header>
        <main id="main" class="content" tabindex="-1">
            <FlashMessage/>
            <Outlet/>
        </main>
    }
}
