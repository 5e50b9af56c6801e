//! The campaign page's notice while its destination's circuit is open, with the button that closes it.

use leptos::prelude::*;

use crate::api::webhooks::close_circuit;
use crate::components::error_banner::{ErrorBanner, redirect_if_signed_out};
use crate::model::circuit::CircuitOut;
use crate::model::time_fmt::ZoneClock;
use crate::model::{ApiError, TemplateId};
use crate::pages::webhooks::circuit::CircuitState;

#[component]
pub fn CampaignCircuit(
    circuit: CircuitOut,
    template: TemplateId,
    clock: ZoneClock,
    on_closed: impl Fn() + Send + Sync + 'static,
) -> impl IntoView {
    let error = RwSignal::new(None::<ApiError>);
    let close = Action::new(move |_: &()| close_circuit(template));
    Effect::new(move |_| match close.value().get() {
        Some(Ok(_)) => on_closed(),
        Some(Err(e)) => {
            redirect_if_signed_out(&e);
            error.set(Some(e));
        }
        None => {}
    });
    view! {
        <section class="card" aria-labelledby="circuit-heading">
            <h2 id="circuit-heading">"Destination failing"</h2>
            <ErrorBanner error/>
            <CircuitState circuit clock closing=close.pending() on_close=move || { close.dispatch(()); }/>
        </section>
    }
}
