//! The template page's destination health: whether the circuit breaker of its host is open (its
//! deliveries wait instead of spending their retries), when the next probe goes, and a button to
//! close it by hand.

use leptos::prelude::*;

use crate::sync_hydrated::IntoSyncAny;

use crate::api::settings::project_clock;
use crate::api::webhooks::{circuit, close_circuit};
use crate::components::error_banner::{ErrorBanner, load_failed, redirect_if_signed_out};
use crate::model::circuit::CircuitOut;
use crate::model::time_fmt::ZoneClock;
use crate::model::{ApiError, TemplateId};

#[component]
pub fn DestinationHealth(id: TemplateId) -> impl IntoView {
    let error = RwSignal::new(None::<ApiError>);
    let close = Action::new(move |_: &()| close_circuit(id));
    let loaded = Resource::new(
        move || close.version().get(),
        move |_| async move { Ok::<_, ApiError>((circuit(id).await?, project_clock().await?)) },
    );
    Effect::new(move |_| {
        if let Some(Err(e)) = close.value().get() {
            redirect_if_signed_out(&e);
            error.set(Some(e));
        }
    });
    view! {
        <section class="card form" aria-labelledby="health-heading">
            <h2 id="health-heading">"Destination health"</h2>
            <ErrorBanner error/>
            <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match loaded.await {
                        Ok((circuit, clock)) => view! {
                            <CircuitState circuit clock closing=close.pending()
                                on_close=move || { close.dispatch(()); }/>
                        }.into_sync_any(),
                        Err(e) => load_failed(e),
                    }
                })}
            </Transition>
        </section>
    }
}

/// An open or closed circuit in words, with the button that closes an open one.
#[component]
pub fn CircuitState(
    circuit: CircuitOut,
    clock: ZoneClock,
    closing: Memo<bool>,
    on_close: impl Fn() + Clone + Send + Sync + 'static,
) -> impl IntoView {
    let host = circuit.host.clone();
    match circuit.open {
        None => view! {
            <p role="status">
                "Healthy: requests to " <code>{host}</code> " go out as usual. After "
                {circuit.failures_to_open} " failed attempts in a row they wait, without spending their retries, until the host answers again."
            </p>
        }
        .into_sync_any(),
        Some(open) => view! {
            <p class="notice notice-error" role="status">
                "Paused: destination failing since " {clock.format_minutes(open.since)} " ("
                {open.failures} " failed attempts in a row). Deliveries to " <code>{host}</code>
                " wait without spending their retries; one probe request goes at "
                {clock.format_minutes(open.probe_at)} " and closes the circuit if it succeeds."
            </p>
            <button type="button" class="btn-secondary" disabled=move || closing.get()
                on:click=move |_| on_close()>"Close circuit"</button>
        }
        .into_sync_any(),
    }
}
