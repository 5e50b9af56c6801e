//! One rule of the segment: a group titled with its number and kind, its fields, and a Remove button.

use leptos::prelude::*;

use crate::sync_hydrated::IntoSyncAny;

use super::context::Builder;
use super::rules;
use super::state::{RuleFields, RuleKind};

fn kind_label(kind: &RuleKind) -> &'static str {
    match kind {
        RuleKind::Did { .. } => "Did an event",
        RuleKind::DidNot { .. } => "Did not do an event",
        RuleKind::DidNotWithin { .. } => "Did not do an event within a time after another",
        RuleKind::DateProperty { .. } => "A date has come",
        RuleKind::Profile(_) => "User property",
    }
}

#[component]
pub fn RuleEditor(builder: Builder, fields: RuleFields) -> impl IntoView {
    let id = fields.id;
    let number = move || builder.form.position(id).map_or(0, |p| p + 1);
    let kind = kind_label(&fields.kind);
    let legend = move || format!("Rule {}: {kind}", number());
    let remove = move |_| builder.form.remove_rule(id);
    let editor = match fields.kind {
        RuleKind::Did {
            what,
            count_op,
            count,
            window,
        } => view! { <rules::did::DidEditor builder rule=id what count_op count window/> }.into_sync_any(),
        RuleKind::DidNot { what, window } => {
            view! { <rules::did_not::DidNotEditor builder rule=id what window/> }.into_sync_any()
        }
        RuleKind::DidNotWithin {
            after,
            what,
            within,
            unit,
            window,
        } => view! {
            <rules::did_not_within::DidNotWithinEditor builder rule=id after what within unit window/>
        }
        .into_sync_any(),
        RuleKind::DateProperty {
            property,
            event,
            op,
            days,
        } => view! {
            <rules::date_property::DatePropertyEditor builder rule=id property event op days/>
        }
        .into_sync_any(),
        RuleKind::Profile(filter) => {
            view! { <rules::profile::ProfileEditor builder rule=id filter/> }.into_sync_any()
        }
    };
    view! {
        <fieldset class="segment-rule">
            <legend>{legend}</legend>
            {editor}
            <button type="button" class="btn-link" on:click=remove
                aria-label=move || format!("Remove rule {}", number())>
                "Remove rule"
            </button>
        </fieldset>
    }
}
