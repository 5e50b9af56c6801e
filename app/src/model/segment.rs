//! The Who of a campaign: a single-action segment ("users who did E, optionally with a property
//! filter, at least N times, in a time window") with its validation. The server compiles it to SQL.

use serde::{Deserialize, Serialize};

use super::FieldErrors;
use super::local_time::parse_date;

pub const MAX_EVENT_NAME_LEN: usize = 512;
pub const MAX_PROPERTY_LEN: usize = 256;
pub const MAX_FILTER_VALUE_LEN: usize = 1024;
pub const MAX_WINDOW_DAYS: u32 = 3650;

/// Users who did `event` at least `min_count` times within `window`, counting only the events that pass
/// `filter`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SingleAction {
    pub event: String,
    #[serde(default)]
    pub filter: Option<PropertyFilter>,
    #[serde(default = "one")]
    pub min_count: u32,
    #[serde(default)]
    pub window: TimeWindow,
}

fn one() -> u32 {
    1
}

impl Default for SingleAction {
    fn default() -> Self {
        Self {
            event: String::new(),
            filter: None,
            min_count: 1,
            window: TimeWindow::default(),
        }
    }
}

/// A condition on one property of the event (`evtData`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PropertyFilter {
    pub property: String,
    pub op: FilterOp,
    /// Compared as a number when both sides are numbers, else as text. Unused by `exists`.
    #[serde(default)]
    pub value: String,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FilterOp {
    #[default]
    Equals,
    NotEquals,
    Contains,
    GreaterThan,
    LessThan,
    Exists,
}

impl FilterOp {
    pub const ALL: [FilterOp; 6] = [
        Self::Equals,
        Self::NotEquals,
        Self::Contains,
        Self::GreaterThan,
        Self::LessThan,
        Self::Exists,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Equals => "equals",
            Self::NotEquals => "not_equals",
            Self::Contains => "contains",
            Self::GreaterThan => "greater_than",
            Self::LessThan => "less_than",
            Self::Exists => "exists",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|op| op.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Equals => "equals",
            Self::NotEquals => "does not equal",
            Self::Contains => "contains",
            Self::GreaterThan => "is greater than",
            Self::LessThan => "is less than",
            Self::Exists => "exists",
        }
    }

    pub fn needs_value(self) -> bool {
        self != Self::Exists
    }

    pub fn is_numeric(self) -> bool {
        matches!(self, Self::GreaterThan | Self::LessThan)
    }
}

/// When the events must have happened. Dates are inclusive, `YYYY-MM-DD` in the project time zone.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum TimeWindow {
    LastDays {
        days: u32,
    },
    Between {
        from: String,
        to: String,
    },
    #[default]
    Ever,
}

impl SingleAction {
    /// Checks every field; messages are keyed `{prefix}.event`, `{prefix}.filter.value`, ...
    pub fn check(&self, prefix: &str, errors: &mut FieldErrors) {
        let key = |field: &str| format!("{prefix}.{field}");
        let event = self.event.trim();
        if event.is_empty() {
            errors.add(key("event"), "Choose the event users must have done.");
        } else if event.len() > MAX_EVENT_NAME_LEN {
            errors.add(
                key("event"),
                format!("Use at most {MAX_EVENT_NAME_LEN} characters."),
            );
        }
        if self.min_count == 0 {
            errors.add(key("min_count"), "Enter a count of 1 or more.");
        }
        if let Some(filter) = &self.filter {
            filter.check(&key("filter"), errors);
        }
        match &self.window {
            TimeWindow::Ever => {}
            TimeWindow::LastDays { days } => {
                if !(1..=MAX_WINDOW_DAYS).contains(days) {
                    errors.add(
                        key("window.days"),
                        format!("Enter a number of days from 1 to {MAX_WINDOW_DAYS}."),
                    );
                }
            }
            TimeWindow::Between { from, to } => {
                let start = parse_date(from);
                let end = parse_date(to);
                if start.is_none() {
                    errors.add(key("window.from"), "Enter a start date (YYYY-MM-DD).");
                }
                if end.is_none() {
                    errors.add(key("window.to"), "Enter an end date (YYYY-MM-DD).");
                }
                if let (Some(start), Some(end)) = (start, end)
                    && start > end
                {
                    errors.add(key("window.to"), "The end date is before the start date.");
                }
            }
        }
    }
}

impl PropertyFilter {
    fn check(&self, prefix: &str, errors: &mut FieldErrors) {
        let property = self.property.trim();
        if property.is_empty() {
            errors.add(format!("{prefix}.property"), "Enter the property name.");
        } else if property.len() > MAX_PROPERTY_LEN {
            errors.add(
                format!("{prefix}.property"),
                format!("Use at most {MAX_PROPERTY_LEN} characters."),
            );
        } else if property.contains('"') {
            errors.add(
                format!("{prefix}.property"),
                "Property names cannot contain double quotes.",
            );
        }
        if !self.op.needs_value() {
            return;
        }
        let value = self.value.trim();
        if value.is_empty() {
            errors.add(
                format!("{prefix}.value"),
                "Enter the value to compare with.",
            );
        } else if value.len() > MAX_FILTER_VALUE_LEN {
            errors.add(
                format!("{prefix}.value"),
                format!("Use at most {MAX_FILTER_VALUE_LEN} characters."),
            );
        } else if self.op.is_numeric() && value.parse::<f64>().map_or(true, |v| !v.is_finite()) {
            errors.add(format!("{prefix}.value"), "Enter a number to compare with.");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn errors(segment: &SingleAction) -> FieldErrors {
        let mut errors = FieldErrors::default();
        segment.check("who", &mut errors);
        errors
    }

    #[test]
    fn a_named_event_is_enough() {
        let segment = SingleAction {
            event: "App Launched".into(),
            ..Default::default()
        };
        assert!(errors(&segment).is_empty());
    }

    #[test]
    fn reports_each_bad_field() {
        let segment = SingleAction {
            event: " ".into(),
            min_count: 0,
            filter: Some(PropertyFilter {
                property: "amount".into(),
                op: FilterOp::GreaterThan,
                value: "lots".into(),
            }),
            window: TimeWindow::Between {
                from: "2026-11-20".into(),
                to: "2026-11-02".into(),
            },
        };
        let e = errors(&segment);
        assert!(e.get("who.event").is_some());
        assert!(e.get("who.min_count").is_some());
        assert_eq!(
            e.get("who.filter.value"),
            Some("Enter a number to compare with.")
        );
        assert_eq!(
            e.get("who.window.to"),
            Some("The end date is before the start date.")
        );
    }

    #[test]
    fn exists_needs_no_value_and_days_are_bounded() {
        let mut segment = SingleAction {
            event: "Charged".into(),
            filter: Some(PropertyFilter {
                property: "coupon".into(),
                op: FilterOp::Exists,
                value: String::new(),
            }),
            window: TimeWindow::LastDays { days: 0 },
            ..Default::default()
        };
        assert_eq!(
            errors(&segment).0.keys().collect::<Vec<_>>(),
            ["who.window.days"]
        );
        segment.window = TimeWindow::LastDays { days: 30 };
        assert!(errors(&segment).is_empty());
    }

    #[test]
    fn json_shape_is_readable() {
        let segment: SingleAction = serde_json::from_str(
            r#"{"event":"Charged","filter":{"property":"amount","op":"greater_than","value":"10"},
                "window":{"type":"last_days","days":7}}"#,
        )
        .unwrap();
        assert_eq!(segment.min_count, 1);
        assert_eq!(segment.window, TimeWindow::LastDays { days: 7 });
    }
}
