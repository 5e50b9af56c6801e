//! "User property": a condition on a profile property (or `Identity`, `Email`).

use leptos::prelude::*;

use crate::components::segment_builder::condition::ConditionFields;
use crate::components::segment_builder::context::Builder;
use crate::components::segment_builder::state::FilterFields;

#[component]
pub fn ProfileEditor(builder: Builder, rule: usize, filter: FilterFields) -> impl IntoView {
    view! {
        <ConditionFields builder rule fields=filter field=Signal::derive(String::new)
            id=format!("rule-{rule}-profile") property_label="User property"
            list=Signal::derive(|| Some("segment-profile-properties".to_owned()))/>
    }
}
