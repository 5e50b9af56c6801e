//! "Did not within": the first event, the one that must not follow it, and how long to wait.

use leptos::prelude::*;

use crate::components::field::TextField;
use crate::components::segment_builder::context::Builder;
use crate::components::segment_builder::event::EventEditor;
use crate::components::segment_builder::state::{EventFields, WindowFields};
use crate::components::segment_builder::window::WindowEditor;
use crate::components::select_field::SelectField;
use crate::model::segment::TimeUnit;

#[component]
pub fn DidNotWithinEditor(
    builder: Builder,
    rule: usize,
    after: EventFields,
    what: EventFields,
    within: RwSignal<String>,
    unit: RwSignal<TimeUnit>,
    window: WindowFields,
) -> impl IntoView {
    let units = crate::components::select_field::time_units();
    view! {
        <EventEditor builder rule fields=after label="First event" keys="after." part="after-"/>
        <EventEditor builder rule fields=what label="Then did not do" keys="" part=""/>
        <div class="field-row">
            <div class="field-narrow">
                <TextField id=format!("rule-{rule}-within") label="Within" value=within input_type="number"
                    min="1" error=builder.rule_error(rule, "within.value")/>
            </div>
            <SelectField id=format!("rule-{rule}-within-unit") label="Unit" value=unit choices=units
                narrow=true/>
        </div>
        <WindowEditor builder rule fields=window legend="When the first event happened"/>
    }
}
