//! Errors that belong to another step than the one on screen (a publish that fails on Who, a save the
//! server refused for an earlier step): each with the field it concerns and a link to its step, where
//! the message is shown again beside the field.

use leptos::prelude::*;

use crate::sync_hydrated::IntoSyncAny;

use super::flow::step_path;
use crate::model::campaign::WizardStep;
use crate::model::{ApiError, CampaignId};

/// The step whose screen shows the field with this error key (`who.segment.rules.0.event` → Who).
pub fn field_step(key: &str) -> Option<WizardStep> {
    match key.split('.').next()? {
        "name" | "template_id" | "goal_event" => Some(WizardStep::Setup),
        "who" => Some(WizardStep::Who),
        "what" => Some(WizardStep::What),
        "when" => Some(WizardStep::When),
        _ => None,
    }
}

/// The visible label of the field with this error key (`what.query.0.name` → `Query parameter 1 name`).
pub fn field_label(key: &str) -> String {
    let fixed = match key {
        "name" => "Campaign name",
        "template_id" => "Webhook template",
        "goal_event" => "Goal event",
        "who.segment.rules" => "Rules",
        "who.segment_id" => "Segment",
        "who.cap" => "Maximum users",
        "what.query" => "URL query parameters",
        "what.profile_fields" => "Profile variables",
        "what.key_values" => "key_values",
        "when.at" => "Send at",
        _ => "",
    };
    if !fixed.is_empty() {
        return fixed.to_owned();
    }
    let row = |rest: &str, item: &str| {
        let (index, part) = rest.split_once('.')?;
        let n = index.parse::<usize>().ok()? + 1;
        Some(format!("{item} {n} {part}"))
    };
    key.strip_prefix("who.segment.rules.")
        .and_then(rule_field)
        .or_else(|| {
            key.strip_prefix("what.query.")
                .and_then(|rest| row(rest, "Query parameter"))
        })
        .or_else(|| {
            key.strip_prefix("what.key_values.")
                .and_then(|rest| row(rest, "Key-value"))
        })
        .unwrap_or_else(|| key.to_owned())
}

/// `0.after.filters.1.value` → `Rule 1: first event's filter 2 value`.
fn rule_field(rest: &str) -> Option<String> {
    let (index, field) = rest.split_once('.')?;
    let n = index.parse::<usize>().ok()? + 1;
    let (event, field) = match field.strip_prefix("after.") {
        Some(field) => ("first event's ", field),
        None => ("", field),
    };
    let field = match field.split_once('.') {
        Some(("filters", rest)) => {
            let (i, part) = rest.split_once('.')?;
            format!("filter {} {part}", i.parse::<usize>().ok()? + 1)
        }
        Some(("window", part)) => format!("window {part}"),
        Some(("count", _)) => "times".to_owned(),
        Some(("within", _)) => "within".to_owned(),
        _ => field.to_owned(),
    };
    Some(format!("Rule {n}: {event}{field}"))
}

#[component]
pub fn StepIssues(
    id: Option<CampaignId>,
    #[prop(into)] step: Signal<WizardStep>,
    error: RwSignal<Option<ApiError>>,
) -> impl IntoView {
    let elsewhere = move || {
        let current = step.get();
        error.with(|e| {
            e.as_ref()
                .and_then(ApiError::fields)
                .map(|fields| {
                    fields
                        .0
                        .iter()
                        .filter_map(|(key, messages)| {
                            let at = field_step(key).filter(|s| *s != current)?;
                            Some((at, field_label(key), messages.join(" ")))
                        })
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    };
    move || {
        let issues = elsewhere();
        (!issues.is_empty()).then(|| {
            let items = issues
                .into_iter()
                .map(|(at, label, message)| {
                    let place = match id {
                        Some(id) => {
                            view! { <a href=step_path(id, at)>{at.label()}</a> }.into_sync_any()
                        }
                        None => view! { <span>{at.label()}</span> }.into_sync_any(),
                    };
                    view! { <li>{place}" \u{b7} "<strong>{label}</strong>": "{message}</li> }
                })
                .collect_view();
            view! {
                <div class="notice notice-error issue-list">
                    <p>"To fix on other steps:"</p>
                    <ul>{items}</ul>
                </div>
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_keys_name_their_step_and_field() {
        assert_eq!(field_step("template_id"), Some(WizardStep::Setup));
        assert_eq!(
            field_step("who.segment.rules.0.filters.0.value"),
            Some(WizardStep::Who)
        );
        assert_eq!(field_step("what.key_values.2.name"), Some(WizardStep::What));
        assert_eq!(field_step("when.at"), Some(WizardStep::When));
        assert_eq!(field_step("status"), None);
        assert_eq!(field_label("who.cap"), "Maximum users");
        assert_eq!(field_label("what.query.0.name"), "Query parameter 1 name");
        assert_eq!(field_label("what.key_values.4.value"), "Key-value 5 value");
        assert_eq!(field_label("what.query.x.name"), "what.query.x.name");
        assert_eq!(field_label("who.segment.rules.0.event"), "Rule 1: event");
        assert_eq!(
            field_label("who.segment.rules.1.after.filters.0.value"),
            "Rule 2: first event's filter 1 value"
        );
        assert_eq!(
            field_label("who.segment.rules.2.count.value"),
            "Rule 3: times"
        );
    }
}
