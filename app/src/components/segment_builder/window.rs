//! When a rule's events count: ever, in the last N days, or between two dates.

use leptos::prelude::*;

use crate::sync_hydrated::IntoSyncAny;

use super::context::Builder;
use super::state::{WindowFields, WindowKind};
use crate::components::field::TextField;

const KINDS: [(WindowKind, &str, &str); 3] = [
    (WindowKind::Ever, "ever", "Ever"),
    (
        WindowKind::LastDays,
        "last_days",
        "In the last \u{2026} days",
    ),
    (WindowKind::Between, "between", "Between dates"),
];

#[component]
pub fn WindowEditor(
    builder: Builder,
    rule: usize,
    fields: WindowFields,
    #[prop(into)] legend: String,
) -> impl IntoView {
    let kind = fields.kind;
    let name = format!("rule-{rule}-window");
    view! {
        <fieldset class="radio-group">
            <legend>{legend}</legend>
            {KINDS
                .map(|(k, value, label)| {
                    let id = format!("rule-{rule}-window-{value}");
                    view! {
                        <div class="radio-option">
                            <input type="radio" id=id.clone() name=name.clone() value=value
                                prop:checked=move || kind.get() == k
                                on:change=move |_| kind.set(k)/>
                            <label for=id>{label}</label>
                        </div>
                    }
                })
                .collect_view()}
            {move || match kind.get() {
                WindowKind::Ever => None,
                WindowKind::LastDays => Some(view! {
                    <div class="radio-detail field-row">
                        <div class="field-narrow">
                            <TextField id=format!("rule-{rule}-window-days") label="Days" value=fields.days
                                input_type="number" min="1" error=builder.rule_error(rule, "window.days")/>
                        </div>
                    </div>
                }.into_sync_any()),
                WindowKind::Between => Some(view! {
                    <div class="radio-detail field-row">
                        <TextField id=format!("rule-{rule}-window-from") label="From" value=fields.from
                            input_type="date" error=builder.rule_error(rule, "window.from")/>
                        <TextField id=format!("rule-{rule}-window-to") label="To" value=fields.to
                            input_type="date" error=builder.rule_error(rule, "window.to")/>
                    </div>
                }.into_sync_any()),
            }}
        </fieldset>
    }
}
