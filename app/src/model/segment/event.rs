//! What event rules share: the event's name and the filters every counted event must pass.

use serde::{Deserialize, Serialize};

use super::super::FieldErrors;
use super::filter::Filter;

pub const MAX_EVENT_NAME_LEN: usize = 512;
pub const MAX_FILTERS: usize = 10;

/// An event named `event` whose properties pass every filter.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventMatch {
    pub event: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub filters: Vec<Filter>,
}

/// Messages are keyed `{prefix}.event`, `{prefix}.filters.{i}.property`...
pub fn check_event(event: &str, filters: &[Filter], prefix: &str, errors: &mut FieldErrors) {
    let name = event.trim();
    if name.is_empty() {
        errors.add(format!("{prefix}.event"), "Choose the event.");
    } else if name.len() > MAX_EVENT_NAME_LEN {
        errors.add(
            format!("{prefix}.event"),
            format!("Use at most {MAX_EVENT_NAME_LEN} characters."),
        );
    }
    if filters.len() > MAX_FILTERS {
        errors.add(
            format!("{prefix}.filters"),
            format!("Use at most {MAX_FILTERS} filters."),
        );
    }
    for (i, filter) in filters.iter().enumerate() {
        filter.check(&format!("{prefix}.filters.{i}"), errors);
    }
}

/// " with amount is greater than 10 and coupon exists", or nothing without filters.
pub fn describe_filters(filters: &[Filter]) -> String {
    let mut out = String::new();
    for (i, f) in filters.iter().enumerate() {
        out.push_str(if i == 0 { " with " } else { " and " });
        out.push_str(&super::describe::condition(f));
    }
    out
}

impl EventMatch {
    pub fn check(&self, prefix: &str, errors: &mut FieldErrors) {
        check_event(&self.event, &self.filters, prefix, errors);
    }
}
