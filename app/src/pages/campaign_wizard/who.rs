//! Step 2, Who: a saved segment, or one built here (kind, rules, the sentence); the cap; the live reach.

use leptos::prelude::*;

use crate::sync_hydrated::IntoSyncAny;

use super::form::WizardForm;
use crate::api::segments::list_segments;
use crate::components::error_banner::field_error;
use crate::components::field::TextField;
use crate::components::reach_estimate::ReachEstimate;
use crate::components::segment_builder::SegmentBuilder;
use crate::model::live::DeliveryType;
use crate::model::saved_segment::SavedSegmentOut;
use crate::model::segment::Segment;
use crate::model::{ApiError, SegmentId};

#[component]
pub fn WhoStep(form: WizardForm, error: RwSignal<Option<ApiError>>) -> impl IntoView {
    let saved = RwSignal::new(Vec::<SavedSegmentOut>::new());
    Effect::new(move |_| {
        leptos::task::spawn_local(async move {
            if let Ok(list) = list_segments().await {
                saved.set(list);
            }
        });
    });
    let chosen = move || {
        let id = form.segment_id.get()?;
        saved.with(|list| list.iter().find(|s| s.id == id).cloned())
    };
    let segment = Signal::derive(move || -> Segment {
        match chosen() {
            Some(s) => s.segment,
            None => form.segment.segment(),
        }
    });
    let live = form.live.delivery.get_untracked() == DeliveryType::SpecificEvent;
    let segment_on = form.live.segment_on;
    // A live campaign sends to everyone who does its trigger, or only to those in a segment then.
    let shows_segment = move || !live || segment_on.get();
    view! {
        {if live {
            view! {
                <p class="hint">"Who the campaign sends to: users who do the trigger event (chosen on When)."</p>
                <div class="check-field">
                    <input id="who-segment-on" type="checkbox" bind:checked=segment_on/>
                    <label for="who-segment-on">"Only users in a segment when they do it"</label>
                </div>
            }.into_sync_any()
        } else {
            view! { <p class="hint">"Who the campaign sends to: the users who qualify when it runs."</p> }.into_sync_any()
        }}
        <Show when=shows_segment>
        <div class="field">
            <label for="who-saved-segment">"Segment"</label>
            <select id="who-saved-segment"
                on:change=move |ev| {
                    let id = event_target_value(&ev).parse::<i64>().ok().map(SegmentId);
                    // The draft carries the saved segment's definition (the server refreshes it on
                    // save), so the checks and the Overview see the segment chosen.
                    if let Some(picked) = saved.with_untracked(|list| list.iter().find(|s| Some(s.id) == id).cloned()) {
                        form.segment.replace(&picked.segment);
                    }
                    form.segment_id.set(id);
                }
            >
                <option value="" selected=move || form.segment_id.get().is_none()>"Build a segment here"</option>
                {move || saved.get().into_iter().map(|s| {
                    let id = s.id;
                    view! {
                        <option value=id.0.to_string() selected=move || form.segment_id.get() == Some(id)>
                            {format!("Saved: {}", s.name)}
                        </option>
                    }
                }).collect_view()}
            </select>
            {move || field_error(error, "who.segment_id").get().map(|m| view! { <p class="field-error">{m}</p> })}
        </div>
        {move || match form.segment_id.get() {
            Some(_) => view! {
                <p class="segment-sentence">
                    <strong>"In words: "</strong>
                    {chosen().map(|s| s.description).unwrap_or_default()}
                </p>
            }.into_sync_any(),
            None => view! { <SegmentBuilder form=form.segment prefix="who.segment" error/> }.into_sync_any(),
        }}
        </Show>
        <Show when=move || !live>
        <div class="check-field">
            <input id="who-cap-on" type="checkbox" bind:checked=form.cap_on/>
            <label for="who-cap-on">"Limit the number of users targeted"</label>
        </div>
        </Show>
        <Show when=move || !live && form.cap_on.get()>
            <div class="field-row reveal">
                <div class="field-narrow">
                    <TextField id="who-cap" label="Maximum users" value=form.cap input_type="number" min="1"
                        hint="Chosen at random among those who qualify." error=field_error(error, "who.cap")/>
                </div>
            </div>
        </Show>
        <div class="field-row">
            <div class="field-narrow">
                <TextField id="who-control" label="Control group (%)" value=form.control_percent input_type="number" min="0"
                    hint="Held out at random, recorded and sent nothing, to compare conversions. Empty for none."
                    error=field_error(error, "who.control_group_percent")/>
            </div>
        </div>
        <Show when=shows_segment>
            <ReachEstimate segment cap=Signal::derive(move || form.cap_value())
                control_percent=Signal::derive(move || form.control_value())/>
        </Show>
    }
}
