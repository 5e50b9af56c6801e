//! `did_not_within`: inaction within time. The user's latest `after` event (in the window) is at least
//! `within` old, and no `event` came after it (strictly later) within that time. "Did not launch the app
//! in three days" is `after` = `event` = App Launched: nothing after the latest launch.

use serde::{Deserialize, Serialize};

use super::super::FieldErrors;
use super::describe::{quoted, window_words};
use super::event::{EventMatch, check_event, describe_filters};
use super::filter::Filter;
use super::window::TimeWindow;

pub const MAX_WITHIN_DAYS: u64 = 3650;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DidNotWithin {
    pub after: EventMatch,
    pub event: String,
    #[serde(default)]
    pub filters: Vec<Filter>,
    pub within: Within,
    #[serde(default)]
    pub window: TimeWindow,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Within {
    pub value: u32,
    pub unit: TimeUnit,
}

impl Default for Within {
    fn default() -> Self {
        Self {
            value: 1,
            unit: TimeUnit::Days,
        }
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TimeUnit {
    Seconds,
    Minutes,
    Hours,
    #[default]
    Days,
}

impl TimeUnit {
    pub const ALL: [TimeUnit; 4] = [Self::Seconds, Self::Minutes, Self::Hours, Self::Days];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Seconds => "seconds",
            Self::Minutes => "minutes",
            Self::Hours => "hours",
            Self::Days => "days",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|u| u.as_str() == s)
    }

    pub fn millis(self) -> u64 {
        match self {
            Self::Seconds => 1_000,
            Self::Minutes => 60_000,
            Self::Hours => 3_600_000,
            Self::Days => 86_400_000,
        }
    }
}

impl Within {
    pub fn millis(self) -> i64 {
        i64::try_from(u64::from(self.value) * self.unit.millis()).unwrap_or(i64::MAX)
    }

    /// "2 hours", "1 day".
    pub fn words(self) -> String {
        let unit = self.unit.as_str();
        if self.value == 1 {
            format!("1 {}", unit.trim_end_matches('s'))
        } else {
            format!("{} {unit}", self.value)
        }
    }
}

impl DidNotWithin {
    pub fn check(&self, prefix: &str, errors: &mut FieldErrors) {
        self.after.check(&format!("{prefix}.after"), errors);
        check_event(&self.event, &self.filters, prefix, errors);
        let max = MAX_WITHIN_DAYS * TimeUnit::Days.millis() / self.within.unit.millis();
        if self.within.value == 0 || u64::from(self.within.value) > max {
            errors.add(
                format!("{prefix}.within.value"),
                format!(
                    "Enter a time from 1 to {max} {}.",
                    self.within.unit.as_str()
                ),
            );
        }
        self.window.check(&format!("{prefix}.window"), errors);
    }

    pub fn describe(&self) -> String {
        format!(
            "did {}{}{} and did not do {}{} within {} after it",
            quoted(&self.after.event),
            describe_filters(&self.after.filters),
            window_words(&self.window),
            quoted(&self.event),
            describe_filters(&self.filters),
            self.within.words()
        )
    }
}
