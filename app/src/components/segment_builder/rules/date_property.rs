//! "A date has come": the date property (of the profile, or of an event), and the offset in days.

use leptos::prelude::*;

use crate::components::field::TextField;
use crate::components::segment_builder::context::Builder;
use crate::components::select_field::SelectField;
use crate::model::segment::DateOp;

fn op_label(op: DateOp) -> &'static str {
    match op {
        DateOp::DaysAfter => "days after the date",
        DateOp::DaysBefore => "days before the date",
        DateOp::On => "on the date",
    }
}

#[component]
pub fn DatePropertyEditor(
    builder: Builder,
    rule: usize,
    property: RwSignal<String>,
    event: RwSignal<String>,
    op: RwSignal<DateOp>,
    days: RwSignal<String>,
) -> impl IntoView {
    let ops: Vec<(DateOp, String)> = DateOp::ALL
        .iter()
        .map(|o| (*o, op_label(*o).to_owned()))
        .collect();
    let list = Signal::derive(move || {
        if event.get().trim().is_empty() {
            Some("segment-profile-properties".to_owned())
        } else {
            builder.event_properties_list(event).get()
        }
    });
    view! {
        <div class="field-row">
            <TextField id=format!("rule-{rule}-date-property") label="Date property" value=property
                list=list placeholder="Purchase Date" error=builder.rule_error(rule, "property")/>
            <TextField id=format!("rule-{rule}-date-event") label="Of the event" value=event
                list="segment-events" hint="Leave empty for a property of the user's profile."
                error=builder.rule_error(rule, "event")/>
        </div>
        <div class="field-row">
            <SelectField id=format!("rule-{rule}-date-op") label="Today is" value=op choices=ops narrow=true/>
            <Show when=move || op.get() != DateOp::On>
                <div class="field-narrow">
                    <TextField id=format!("rule-{rule}-date-days") label="Days" value=days
                        input_type="number" min="1" error=builder.rule_error(rule, "days")/>
                </div>
            </Show>
        </div>
    }
}
