//! Step 4, When: send as soon as it is published, later at a date and time, or on a recurring
//! schedule (`when_recurring`), in the project time zone; a live campaign's trigger instead
//! (`when_live`).

use leptos::prelude::*;

use crate::sync_hydrated::IntoSyncAny;

use super::form::{SendChoice, WizardForm};
use super::when_live::LiveWhen;
use super::when_recurring::RecurringWhen;
use crate::components::error_banner::field_error;
use crate::components::field::TextField;
use crate::model::ApiError;
use crate::model::campaign_report::WizardOptionsOut;
use crate::model::live::DeliveryType;

#[component]
pub fn WhenStep(
    form: WizardForm,
    options: WizardOptionsOut,
    error: RwSignal<Option<ApiError>>,
) -> impl IntoView {
    let time_zone = options.time_zone.clone();
    if form.live.delivery.get_untracked() == DeliveryType::SpecificEvent {
        return view! { <LiveWhen live=form.live time_zone error/> }.into_sync_any();
    }
    let send = form.send;
    let choices = [
        (SendChoice::Now, "when-now", "Now"),
        (SendChoice::Later, "when-later", "Later"),
        (SendChoice::Recurring, "when-recurring", "Recurring"),
    ]
    .map(|(value, id, label)| {
        view! {
            <div class="radio-option">
                <input type="radio" id=id name="when-send" value=id
                    prop:checked=move || send.get() == value
                    on:change=move |_| send.set(value)/>
                <label for=id>{label}</label>
            </div>
        }
    })
    .collect_view();
    let zone_hint = format!("Time zone: {time_zone} (the project time zone)");
    view! {
        <fieldset class="radio-group">
            <legend>"Send"</legend>
            {choices}
            <Show when=move || send.get() == SendChoice::Later>
                <div class="radio-detail field-row">
                    <div class="field-medium">
                        <TextField id="when-at" label="Send at" value=form.send_at input_type="datetime-local"
                            hint=zone_hint.clone() error=field_error(error, "when.at")/>
                    </div>
                </div>
            </Show>
        </fieldset>
        <Show when=move || send.get() == SendChoice::Recurring>
            <RecurringWhen form=form.recurring clock=options.clock.clone()
                local_now=options.local_now.clone() error/>
        </Show>
    }
    .into_sync_any()
}
