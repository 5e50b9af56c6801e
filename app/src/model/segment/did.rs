//! `did`: users who did an event (every filter true on the same event) a number of times in a window.

use serde::{Deserialize, Serialize};

use super::super::FieldErrors;
use super::describe::{quoted, window_words};
use super::event::{check_event, describe_filters};
use super::filter::Filter;
use super::window::TimeWindow;

pub const MAX_COUNT: u32 = 1_000_000;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Did {
    pub event: String,
    #[serde(default)]
    pub filters: Vec<Filter>,
    #[serde(default)]
    pub count: Count,
    #[serde(default)]
    pub window: TimeWindow,
}

/// How many matching events a user must have; a `did` rule always needs at least one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Count {
    pub op: CountOp,
    pub value: u32,
}

impl Default for Count {
    fn default() -> Self {
        Self {
            op: CountOp::AtLeast,
            value: 1,
        }
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CountOp {
    #[default]
    AtLeast,
    AtMost,
    Exactly,
}

impl CountOp {
    pub const ALL: [CountOp; 3] = [Self::AtLeast, Self::AtMost, Self::Exactly];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::AtLeast => "at_least",
            Self::AtMost => "at_most",
            Self::Exactly => "exactly",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|op| op.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::AtLeast => "at least",
            Self::AtMost => "at most",
            Self::Exactly => "exactly",
        }
    }
}

impl Did {
    pub fn check(&self, prefix: &str, errors: &mut FieldErrors) {
        check_event(&self.event, &self.filters, prefix, errors);
        if !(1..=MAX_COUNT).contains(&self.count.value) {
            errors.add(
                format!("{prefix}.count.value"),
                format!("Enter a count from 1 to {MAX_COUNT}."),
            );
        }
        self.window.check(&format!("{prefix}.window"), errors);
    }

    pub fn describe(&self) -> String {
        let times = match self.count {
            Count {
                op: CountOp::AtLeast,
                value: 1,
            } => String::new(),
            Count { op, value } => {
                let unit = if value == 1 { "time" } else { "times" };
                format!(" {} {value} {unit}", op.label())
            }
        };
        format!(
            "did {}{}{times}{}",
            quoted(&self.event),
            describe_filters(&self.filters),
            window_words(&self.window)
        )
    }
}
