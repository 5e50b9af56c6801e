//! Replaying failed deliveries from the delivery log: one (its row's button), the ones selected, or all
//! the campaign's failed deliveries, each after a confirmation; they go back to the outbox under their
//! webhook-id with a fresh set of retries.

use leptos::prelude::*;

use crate::sync_hydrated::IntoSyncAny;

use crate::api::campaigns::replay_campaign;
use crate::components::error_banner::{ErrorBanner, redirect_if_signed_out};
use crate::model::campaign_report::ReplayOut;
use crate::model::{ApiError, CampaignId, DeliveryId};

/// What is about to be replayed: these deliveries, or (`None`) every failed one.
type Request = Option<Vec<DeliveryId>>;

#[derive(Clone, Copy)]
pub struct Replay {
    pub selected: RwSignal<Vec<DeliveryId>>,
    confirming: RwSignal<Option<Request>>,
    action: Action<Request, Result<ReplayOut, ApiError>>,
    message: RwSignal<Option<String>>,
    error: RwSignal<Option<ApiError>>,
}

impl Replay {
    pub fn new(campaign: CampaignId, on_replayed: impl Fn() + Send + Sync + 'static) -> Self {
        let action = Action::new(move |ids: &Request| replay_campaign(campaign, ids.clone()));
        let replay = Self {
            selected: RwSignal::new(Vec::new()),
            confirming: RwSignal::new(None),
            action,
            message: RwSignal::new(None),
            error: RwSignal::new(None),
        };
        Effect::new(move |_| match action.value().get() {
            Some(Ok(out)) => {
                replay.error.set(None);
                replay.confirming.set(None);
                replay.selected.set(Vec::new());
                let s = if out.replayed == 1 { "y" } else { "ies" };
                replay.message.set(Some(format!(
                    "Replayed {} failed deliver{s}: sent again under the same webhook-id, with a fresh set of retries.",
                    out.replayed
                )));
                on_replayed();
            }
            Some(Err(e)) => {
                redirect_if_signed_out(&e);
                replay.message.set(None);
                replay.error.set(Some(e));
            }
            None => {}
        });
        replay
    }

    pub fn toggle(&self, id: DeliveryId) {
        self.selected.update(|s| {
            if let Some(i) = s.iter().position(|x| *x == id) {
                s.remove(i);
            } else {
                s.push(id);
            }
        });
    }

    /// Asks to confirm replaying `ids` (`None`: every failed delivery).
    pub fn ask(&self, ids: Request) {
        self.message.set(None);
        self.confirming.set(Some(ids));
    }
}

#[component]
pub fn ReplayBar(replay: Replay) -> impl IntoView {
    let busy = move || replay.action.pending().get();
    let selected = move || replay.selected.with(Vec::len);
    view! {
        <ErrorBanner error=replay.error/>
        {move || replay.message.get().map(|m| view! { <p class="notice notice-info" role="status">{m}</p> })}
        {move || match replay.confirming.get() {
            Some(ids) => {
                let question = match &ids {
                    None => "Replay every failed delivery of this campaign?".to_owned(),
                    Some(ids) if ids.len() == 1 => "Replay this failed delivery?".to_owned(),
                    Some(ids) => format!("Replay these {} failed deliveries?", ids.len()),
                };
                view! {
                    <div class="confirm-box" role="group" aria-label="Confirm replay">
                        <p>{question}" Each is sent again under its webhook-id, with a fresh set of retries."</p>
                        <button type="button" class="btn-primary" disabled=busy
                            on:click=move |_| { replay.action.dispatch(ids.clone()); }>"Yes, replay"</button>
                        <button type="button" class="btn-secondary" on:click=move |_| replay.confirming.set(None)>"Cancel"</button>
                    </div>
                }.into_sync_any()
            }
            None => view! {
                <div class="replay-bar">
                    <button type="button" class="btn-secondary" disabled=move || selected() == 0
                        on:click=move |_| replay.ask(Some(replay.selected.get_untracked()))>
                        {move || format!("Replay selected ({})", selected())}
                    </button>
                    <button type="button" class="btn-secondary" on:click=move |_| replay.ask(None)>"Replay all failed"</button>
                </div>
            }.into_sync_any(),
        }}
    }
}
