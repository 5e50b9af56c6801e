//! `did_not`: users with no such event in the window (users who never did anything included).

use serde::{Deserialize, Serialize};

use super::super::FieldErrors;
use super::describe::{quoted, window_words};
use super::event::{check_event, describe_filters};
use super::filter::Filter;
use super::window::TimeWindow;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DidNot {
    pub event: String,
    #[serde(default)]
    pub filters: Vec<Filter>,
    #[serde(default)]
    pub window: TimeWindow,
}

impl DidNot {
    pub fn check(&self, prefix: &str, errors: &mut FieldErrors) {
        check_event(&self.event, &self.filters, prefix, errors);
        self.window.check(&format!("{prefix}.window"), errors);
    }

    pub fn describe(&self) -> String {
        format!(
            "did not do {}{}{}",
            quoted(&self.event),
            describe_filters(&self.filters),
            window_words(&self.window)
        )
    }
}
