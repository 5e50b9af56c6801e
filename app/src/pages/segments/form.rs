//! Creating or editing a saved segment: its name, the builder, the live reach; Save checks it with the
//! model's rules first and keeps everything typed on an error.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use crate::api::segments::{create_segment, update_segment};
use crate::components::error_banner::{ErrorBanner, field_error, redirect_if_signed_out};
use crate::components::field::TextField;
use crate::components::flash::use_flash;
use crate::components::reach_estimate::ReachEstimate;
use crate::components::segment_builder::{SegmentBuilder, SegmentForm};
use crate::model::saved_segment::{SavedSegmentIn, SavedSegmentOut};
use crate::model::{ApiError, SegmentId};

#[component]
pub fn SavedSegmentForm(initial: Option<SavedSegmentOut>) -> impl IntoView {
    let id: Option<SegmentId> = initial.as_ref().map(|s| s.id);
    let name = RwSignal::new(initial.as_ref().map(|s| s.name.clone()).unwrap_or_default());
    let form = SegmentForm::new(&initial.map(|s| s.segment).unwrap_or_default());
    let error = RwSignal::new(None::<ApiError>);
    let flash = use_flash();
    let navigate = use_navigate();
    let save = Action::new(move |input: &SavedSegmentIn| {
        let input = input.clone();
        async move {
            match id {
                Some(id) => update_segment(id, input.name, input.segment).await,
                None => create_segment(input.name, input.segment).await,
            }
        }
    });
    Effect::new(move |_| match save.value().get() {
        Some(Ok(saved)) => {
            flash.set(
                "/segments",
                format!("Saved \u{201c}{}\u{201d}.", saved.name),
            );
            navigate("/segments", Default::default());
        }
        Some(Err(e)) => {
            redirect_if_signed_out(&e);
            error.set(Some(e));
        }
        None => {}
    });
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let input = SavedSegmentIn {
            name: name.get_untracked(),
            segment: untrack(|| form.segment()),
        };
        if let Err(fields) = input.check() {
            error.set(Some(fields.into()));
            return;
        }
        error.set(None);
        save.dispatch(input);
    };
    let pending = save.pending();
    view! {
        <form class="card form" method="post" on:submit=submit novalidate>
            <ErrorBanner error=error/>
            <TextField id="segment-name" label="Name" value=name error=field_error(error, "name")
                placeholder="Abandoned carts"/>
            <SegmentBuilder form prefix="segment" error/>
            <ReachEstimate segment=Signal::derive(move || form.segment()) cap=Signal::derive(|| None)/>
            <div class="form-actions">
                <button type="submit" class="btn-primary" disabled=move || pending.get()>
                    {move || if pending.get() { "Saving…" } else { "Save segment" }}
                </button>
                <a class="btn-secondary" href="/segments">"Cancel"</a>
            </div>
        </form>
    }
}
