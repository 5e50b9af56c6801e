//! Step 4 of a live campaign, When: the trigger event with its filters, an optional delay, an optional
//! "unless they do … within", a per-user frequency cap, and start and end times.

use leptos::prelude::*;

use super::live_form::{LiveForm, WaitFields};
use crate::components::error_banner::field_error;
use crate::components::field::TextField;
use crate::components::segment_builder::context::{Builder, ErrorScope};
use crate::components::segment_builder::event::EventEditor;
use crate::components::segment_builder::{Datalists, load_suggestions};
use crate::components::select_field::{SelectField, time_units};
use crate::model::ApiError;
use crate::model::live::CapPeriod;

#[component]
pub fn LiveWhen(
    live: LiveForm,
    time_zone: String,
    error: RwSignal<Option<ApiError>>,
) -> impl IntoView {
    let suggestions = load_suggestions();
    let builder = move |prefix: &str| Builder {
        form: live.filter_form,
        prefix: StoredValue::new(prefix.to_owned()),
        error,
        suggestions,
        scope: ErrorScope::Event,
    };
    let unless_builder = builder("unless");
    let zone_hint = format!("Time zone: {time_zone} (the project time zone). Empty for none.");
    let periods: Vec<(CapPeriod, String)> = CapPeriod::ALL
        .iter()
        .map(|p| (*p, p.label().to_owned()))
        .collect();
    view! {
        <Datalists suggestions/>
        <fieldset class="live-trigger">
            <legend>"Trigger"</legend>
            <p class="hint">"The campaign sends to a user as soon as they do this event."</p>
            <EventEditor builder=builder("trigger") rule=0 fields=live.trigger label="Trigger event"
                keys="" part="trigger-"/>
        </fieldset>
        <Optional id="live-delay-on" label="Wait before sending" on=live.delay_on>
            <Wait id="live-delay" label="Delay" fields=live.delay error=field_error(error, "delay.value")/>
        </Optional>
        <Optional id="live-unless-on" label="Only if the user does not do another event in time" on=live.unless_on>
            <fieldset class="live-unless reveal">
                <legend>"Unless the user does"</legend>
                <EventEditor builder=unless_builder rule=0 fields=live.unless label="Unless event"
                    keys="" part="unless-"/>
                <Wait id="live-unless-within" label="Within" fields=live.unless_within
                    error=field_error(error, "unless.within.value")/>
            </fieldset>
        </Optional>
        <Optional id="live-cap-on" label="Limit how often a user is sent this campaign" on=live.cap_on>
            <div class="field-row reveal">
                <div class="field-narrow">
                    <TextField id="live-cap-max" label="At most (requests)" value=live.cap_max input_type="number"
                        min="1" error=field_error(error, "frequency_cap.max")/>
                </div>
                <SelectField id="live-cap-per" label="Per" value=live.cap_per choices=periods.clone()/>
            </div>
        </Optional>
        <div class="field-row">
            <div class="field-medium">
                <TextField id="live-start" label="Start (optional)" value=live.start input_type="datetime-local"
                    hint=zone_hint.clone() error=field_error(error, "start")/>
            </div>
            <div class="field-medium">
                <TextField id="live-end" label="End (optional)" value=live.end input_type="datetime-local"
                    hint=zone_hint error=field_error(error, "end")/>
            </div>
        </div>
    }
}

/// A checkbox that shows its fields while ticked.
#[component]
fn Optional(
    id: &'static str,
    label: &'static str,
    on: RwSignal<bool>,
    children: ChildrenFn,
) -> impl IntoView {
    view! {
        <div class="check-field">
            <input id=id type="checkbox" bind:checked=on/>
            <label for=id>{label}</label>
        </div>
        <Show when=move || on.get()>{children()}</Show>
    }
}

/// A time: a number and its unit.
#[component]
fn Wait(
    id: &'static str,
    label: &'static str,
    fields: WaitFields,
    error: Signal<Option<String>>,
) -> impl IntoView {
    let units = time_units();
    view! {
        <div class="field-row reveal">
            <div class="field-narrow">
                <TextField id=id label=label value=fields.value input_type="number" min="1" error/>
            </div>
            <SelectField id=format!("{id}-unit") label=format!("{label} unit") value=fields.unit narrow=true
                choices=units/>
        </div>
    }
}
