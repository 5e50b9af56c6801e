//! "Did": the event with its filters, how many times, and when.

use leptos::prelude::*;

use crate::components::field::TextField;
use crate::components::segment_builder::context::Builder;
use crate::components::segment_builder::event::EventEditor;
use crate::components::segment_builder::state::{EventFields, WindowFields};
use crate::components::segment_builder::window::WindowEditor;
use crate::components::select_field::SelectField;
use crate::model::segment::CountOp;

#[component]
pub fn DidEditor(
    builder: Builder,
    rule: usize,
    what: EventFields,
    count_op: RwSignal<CountOp>,
    count: RwSignal<String>,
    window: WindowFields,
) -> impl IntoView {
    let ops: Vec<(CountOp, String)> = CountOp::ALL
        .iter()
        .map(|o| (*o, o.label().to_owned()))
        .collect();
    view! {
        <EventEditor builder rule fields=what label="Event" keys="" part=""/>
        <div class="field-row">
            <SelectField id=format!("rule-{rule}-count-op") label="How many times" value=count_op
                choices=ops narrow=true/>
            <div class="field-narrow">
                <TextField id=format!("rule-{rule}-count") label="Times" value=count input_type="number"
                    min="1" error=builder.rule_error(rule, "count.value")/>
            </div>
        </div>
        <WindowEditor builder rule fields=window legend="When"/>
    }
}
