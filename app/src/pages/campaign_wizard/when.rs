//! Step 4, When: send as soon as it is published, or later at a date and time in the project time zone;
//! a live campaign's trigger instead (`when_live`).

use leptos::prelude::*;

use super::form::WizardForm;
use super::when_live::LiveWhen;
use crate::components::error_banner::field_error;
use crate::components::field::TextField;
use crate::model::ApiError;
use crate::model::live::DeliveryType;

#[component]
pub fn WhenStep(
    form: WizardForm,
    time_zone: String,
    error: RwSignal<Option<ApiError>>,
) -> impl IntoView {
    if form.live.delivery.get_untracked() == DeliveryType::SpecificEvent {
        return view! { <LiveWhen live=form.live time_zone error/> }.into_any();
    }
    let later = form.send_later;
    let choices = [(false, "when-now", "Now"), (true, "when-later", "Later")]
        .map(|(value, id, label)| {
            view! {
                <div class="radio-option">
                    <input type="radio" id=id name="when-send" value=id
                        prop:checked=move || later.get() == value
                        on:change=move |_| later.set(value)/>
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
            <Show when=move || later.get()>
                <div class="radio-detail field-row">
                    <div class="field-medium">
                        <TextField id="when-at" label="Send at" value=form.send_at input_type="datetime-local"
                            hint=zone_hint.clone() error=field_error(error, "when.at")/>
                    </div>
                </div>
            </Show>
        </fieldset>
    }
    .into_any()
}
