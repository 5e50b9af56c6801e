//! Step 2, Who: the segment (users who did an event), an optional cap on the users targeted, and the
//! live reach estimate of both.

use leptos::prelude::*;

use super::form::WizardForm;
use crate::components::error_banner::field_error;
use crate::components::field::TextField;
use crate::components::reach_estimate::ReachEstimate;
use crate::components::segment_builder::SegmentBuilder;
use crate::model::ApiError;

#[component]
pub fn WhoStep(
    form: WizardForm,
    event_names: Vec<String>,
    error: RwSignal<Option<ApiError>>,
) -> impl IntoView {
    let segment = form.segment;
    view! {
        <p class="hint">"The users who did an event; the campaign sends to those who qualify when it runs."</p>
        <SegmentBuilder fields=segment event_names error/>
        <div class="check-field">
            <input id="who-cap-on" type="checkbox" bind:checked=form.cap_on/>
            <label for="who-cap-on">"Limit the number of users targeted"</label>
        </div>
        <Show when=move || form.cap_on.get()>
            <div class="field-row reveal">
                <div class="field-narrow">
                    <TextField id="who-cap" label="Maximum users" value=form.cap input_type="number" min="1"
                        hint="Chosen at random among those who qualify." error=field_error(error, "who.cap")/>
                </div>
            </div>
        </Show>
        <ReachEstimate segment=Signal::derive(move || segment.segment())
            cap=Signal::derive(move || form.cap_value())/>
    }
}
