//! `date_property`: a date held in a profile property (or in a property of any event E) that, moved by
//! `days`, falls on today in the project time zone. Dates are CleverTap's `$D_<epoch seconds>` or
//! ISO-8601 (`2026-11-28`, `2026-11-28T10:00:00Z`).

use serde::{Deserialize, Serialize};

use super::super::FieldErrors;
use super::describe::quoted;
use super::event::MAX_EVENT_NAME_LEN;
use super::filter::check_property;

pub const MAX_DAYS: u32 = 36_500;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DateProperty {
    pub property: String,
    /// The event whose property holds the date; a profile property when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event: Option<String>,
    pub op: DateOp,
    #[serde(default)]
    pub days: u32,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DateOp {
    /// The date plus `days` is today: "three days have passed since".
    #[default]
    DaysAfter,
    /// The date minus `days` is today: "three days before".
    DaysBefore,
    /// The date is today.
    On,
}

impl DateOp {
    pub const ALL: [DateOp; 3] = [Self::DaysAfter, Self::DaysBefore, Self::On];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::DaysAfter => "days_after",
            Self::DaysBefore => "days_before",
            Self::On => "on",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|op| op.as_str() == s)
    }

    /// The day offset from the stored date to today.
    pub fn offset_days(self, days: u32) -> i64 {
        match self {
            Self::DaysAfter => i64::from(days),
            Self::DaysBefore => -i64::from(days),
            Self::On => 0,
        }
    }
}

impl DateProperty {
    /// The event's name, if the date is an event property (a blank name means the profile).
    pub fn event_name(&self) -> Option<&str> {
        self.event
            .as_deref()
            .map(str::trim)
            .filter(|e| !e.is_empty())
    }

    pub fn check(&self, prefix: &str, errors: &mut FieldErrors) {
        check_property(&self.property, format!("{prefix}.property"), errors);
        if self
            .event_name()
            .is_some_and(|e| e.len() > MAX_EVENT_NAME_LEN)
        {
            errors.add(
                format!("{prefix}.event"),
                format!("Use at most {MAX_EVENT_NAME_LEN} characters."),
            );
        }
        if self.op != DateOp::On && !(1..=MAX_DAYS).contains(&self.days) {
            errors.add(
                format!("{prefix}.days"),
                format!("Enter a number of days from 1 to {MAX_DAYS}."),
            );
        }
    }

    pub fn describe(&self) -> String {
        let whose = match self.event_name() {
            Some(event) => format!(
                "the {} of their {} event",
                quoted(&self.property),
                quoted(event)
            ),
            None => format!("their {}", quoted(&self.property)),
        };
        let unit = if self.days == 1 { "day" } else { "days" };
        match self.op {
            DateOp::DaysAfter => format!("are {} {unit} past {whose}", self.days),
            DateOp::DaysBefore => format!("are {} {unit} before {whose}", self.days),
            DateOp::On => format!("have {whose} today"),
        }
    }
}
