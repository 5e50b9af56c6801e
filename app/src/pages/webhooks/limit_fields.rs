//! The template form's delivery limits: requests per second and requests in flight, each empty for
//! no limit. What is typed is kept as text; text that is not a whole number becomes an invalid limit,
//! so the shared validation explains it at the field.

use leptos::prelude::*;

use crate::components::error_banner::field_error;
use crate::components::field::TextField;
use crate::model::ApiError;
use crate::model::webhook::DeliveryLimits;

#[derive(Clone, Copy)]
pub struct LimitsState {
    per_second: RwSignal<String>,
    in_flight: RwSignal<String>,
}

impl LimitsState {
    pub fn new(initial: Option<DeliveryLimits>) -> Self {
        let text = |v: Option<u32>| RwSignal::new(v.map(|v| v.to_string()).unwrap_or_default());
        let initial = initial.unwrap_or_default();
        Self {
            per_second: text(initial.max_per_second),
            in_flight: text(initial.max_in_flight),
        }
    }

    pub fn to_input(self) -> DeliveryLimits {
        let limit = |text: RwSignal<String>| {
            let text = text.get();
            let text = text.trim();
            // 0 is refused by validation with the field's message; so is anything that is not a number.
            (!text.is_empty()).then(|| text.parse::<u32>().unwrap_or(0))
        };
        DeliveryLimits {
            max_per_second: limit(self.per_second),
            max_in_flight: limit(self.in_flight),
        }
    }
}

#[component]
pub fn LimitFields(limits: LimitsState, error: RwSignal<Option<ApiError>>) -> impl IntoView {
    view! {
        <fieldset>
            <legend>"Delivery limits"</legend>
            <p class="hint">"Protect the destination: across every campaign using this template, requests are spaced to stay within the rate and never more are waiting for an answer at once. Leave empty for no limit."</p>
            <div class="field-row">
                <TextField id="max_per_second" label="Max requests per second" value=limits.per_second
                    error=field_error(error, "max_per_second") input_type="number" min="1"
                    placeholder="No limit"/>
                <TextField id="max_in_flight" label="Max requests in flight" value=limits.in_flight
                    error=field_error(error, "max_in_flight") input_type="number" min="1"
                    placeholder="No limit"/>
            </div>
        </fieldset>
    }
}
