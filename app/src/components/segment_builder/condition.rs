//! A property condition (an event filter, or a user property rule): the property, the operator, and
//! the value fields the operator needs. `field` is where its errors are reported within the rule
//! (`filters.0`, or empty for a user-property rule).

use leptos::prelude::*;

use crate::sync_hydrated::IntoSyncAny;

use super::context::Builder;
use super::state::FilterFields;
use crate::components::field::TextField;
use crate::components::select_field::SelectField;
use crate::model::segment::{Op, Operand};

#[component]
pub fn ConditionFields(
    builder: Builder,
    rule: usize,
    fields: FilterFields,
    /// The error key's part within the rule (`filters.{i}`; empty for a user-property rule).
    field: Signal<String>,
    /// Ids of the inputs start with this.
    #[prop(into)]
    id: String,
    #[prop(into)] property_label: String,
    /// The datalist of property names to suggest.
    list: Signal<Option<String>>,
) -> impl IntoView {
    let key = move |part: &'static str| {
        let prefix = field.get();
        if prefix.is_empty() {
            part.to_owned()
        } else {
            format!("{prefix}.{part}")
        }
    };
    let error = move |part: &'static str| {
        let builder = builder;
        Signal::derive(move || builder.rule_error(rule, key(part)).get())
    };
    let op = fields.op;
    let ops: Vec<(Op, String)> = Op::ALL.iter().map(|o| (*o, o.label().to_owned())).collect();
    let value_id = format!("{id}-value");
    let high_id = format!("{id}-high");
    view! {
        <div class="field-row filter-row">
            <TextField id=format!("{id}-property") label=property_label value=fields.property
                list=list error=error("property")/>
            <SelectField id=format!("{id}-op") label="Condition" value=op choices=ops narrow=true/>
            {move || match op.get().operand() {
                Operand::None => None,
                Operand::Range => Some(view! {
                    <TextField id=value_id.clone() label="From" value=fields.value input_type="number"
                        error=error("value")/>
                    <TextField id=high_id.clone() label="To" value=fields.high input_type="number"/>
                }.into_sync_any()),
                Operand::List => Some(view! {
                    <TextField id=value_id.clone() label="Values" value=fields.value
                        hint="Separated by commas." error=error("value")/>
                }.into_sync_any()),
                Operand::Number => Some(view! {
                    <TextField id=value_id.clone() label="Value" value=fields.value input_type="number"
                        error=error("value")/>
                }.into_sync_any()),
                Operand::Scalar => Some(view! {
                    <TextField id=value_id.clone() label="Value" value=fields.value error=error("value")/>
                }.into_sync_any()),
            }}
        </div>
    }
}
