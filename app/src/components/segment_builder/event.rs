//! An event and its filters: the event's name (with suggestions and a note when it was never seen),
//! then a row per filter, each removable, and a button to add one.

use leptos::prelude::*;

use super::condition::ConditionFields;
use super::context::Builder;
use super::state::{EventFields, FilterFields};
use crate::components::field::TextField;
use crate::model::segment::{Filter, Op};

#[component]
pub fn EventEditor(
    builder: Builder,
    rule: usize,
    fields: EventFields,
    #[prop(into)] label: String,
    /// The error key's part for this event within the rule (`""`, or `after.` for the first event
    /// of an inaction within time).
    #[prop(into)]
    keys: String,
    /// Distinguishes the ids of two events in one rule.
    #[prop(into)]
    part: String,
) -> impl IntoView {
    let filters = fields.filters;
    let list = builder.event_properties_list(fields.event);
    let keys = StoredValue::new(keys);
    let add = move |_| {
        let id = builder.form.ids.next();
        let filter = Filter {
            property: String::new(),
            op: Op::Equals,
            value: serde_json::Value::Null,
        };
        let fields = builder.form.create(|| FilterFields::new(id, &filter));
        filters.update(|f| f.push(fields));
    };
    let label_text = label.clone();
    let add_label = format!("Add a filter on “{label}”");
    view! {
        <TextField id=format!("rule-{rule}-{part}event") label=label value=fields.event
            list="segment-events" placeholder="App Launched"
            hint=builder.unknown_event_hint(fields.event)
            error=builder.rule_error(rule, format!("{}event", keys.get_value()))/>
        <For each=move || filters.get() key=|f| f.id let:filter>
            {
                let position = Signal::derive(move || {
                    filters.with(|f| f.iter().position(|x| x.id == filter.id)).unwrap_or_default()
                });
                let field = Signal::derive(move || format!("{}filters.{}", keys.get_value(), position.get()));
                let remove = move |_| filters.update(|f| f.retain(|x| x.id != filter.id));
                let remove_label = {
                    let label = label_text.clone();
                    move || format!("Remove filter {} on “{label}”", position.get() + 1)
                };
                view! {
                    <div class="filter">
                        <ConditionFields builder rule fields=filter field
                            id=format!("rule-{rule}-{part}filter-{}", filter.id)
                            property_label="Event property" list/>
                        <button type="button" class="btn-link" aria-label=remove_label on:click=remove>
                            "Remove filter"
                        </button>
                    </div>
                }
            }
        </For>
        <button type="button" class="btn-secondary" on:click=add>
            {add_label}
        </button>
    }
}
