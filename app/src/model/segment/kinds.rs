//! The six kinds of segment the Who step offers (as the seeds name them): presets of the rule contract,
//! each with its one-line description, its example, and the rules it starts from.

use super::date_property::{DateOp, DateProperty};
use super::did::Did;
use super::did_not::DidNot;
use super::did_not_within::{DidNotWithin, TimeUnit, Within};
use super::event::EventMatch;
use super::filter::{Filter, Op};
use super::{Match, Rule, Segment};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    SingleAction,
    Actions,
    InactionWithinTime,
    Inaction,
    DateTimeProperty,
    ActionsWithUserProperties,
}

impl Kind {
    pub const ALL: [Kind; 6] = [
        Self::SingleAction,
        Self::Actions,
        Self::InactionWithinTime,
        Self::Inaction,
        Self::DateTimeProperty,
        Self::ActionsWithUserProperties,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Self::SingleAction => "Single action",
            Self::Actions => "Actions",
            Self::InactionWithinTime => "Inaction within time",
            Self::Inaction => "Inaction",
            Self::DateTimeProperty => "Date time property",
            Self::ActionsWithUserProperties => "Actions with user properties",
        }
    }

    pub fn description(self) -> &'static str {
        match self {
            Self::SingleAction => "User performed an action.",
            Self::Actions => "User performed multiple actions.",
            Self::InactionWithinTime => {
                "User performed an action, but does not perform another action within a certain time."
            }
            Self::Inaction => "Users performed an action, but did not perform another action.",
            Self::DateTimeProperty => "Period of time after a date time property on a user event.",
            Self::ActionsWithUserProperties => {
                "Performed an action or not, filtered by their demographic properties."
            }
        }
    }

    pub fn example(self) -> &'static str {
        match self {
            Self::SingleAction => "User launched the app.",
            Self::Actions => "User launched the app and viewed a notification.",
            Self::InactionWithinTime => "User has not launched the app in three days.",
            Self::Inaction => "User launched the app, but did not view a notification.",
            Self::DateTimeProperty => "User purchased an item and three days have passed.",
            Self::ActionsWithUserProperties => "User purchased an item and lives in Canada.",
        }
    }

    /// The rules a new segment of this kind starts with, names left for the user to fill in.
    pub fn starting_segment(self) -> Segment {
        let did = || Rule::Did(Did::default());
        let rules = match self {
            Self::SingleAction => vec![did()],
            Self::Actions => vec![did(), did()],
            Self::InactionWithinTime => vec![Rule::DidNotWithin(DidNotWithin {
                after: EventMatch::default(),
                within: Within {
                    value: 3,
                    unit: TimeUnit::Days,
                },
                ..Default::default()
            })],
            Self::Inaction => vec![did(), Rule::DidNot(DidNot::default())],
            Self::DateTimeProperty => vec![Rule::DateProperty(DateProperty {
                op: DateOp::DaysAfter,
                days: 3,
                ..Default::default()
            })],
            Self::ActionsWithUserProperties => vec![
                did(),
                Rule::Profile(Filter {
                    property: String::new(),
                    op: Op::Equals,
                    value: serde_json::Value::Null,
                }),
            ],
        };
        Segment {
            match_: Match::All,
            rules,
        }
    }

    /// The kind a segment reads as, for reopening it in the builder.
    pub fn of(segment: &Segment) -> Kind {
        let has = |f: fn(&Rule) -> bool| segment.rules.iter().any(f);
        if has(|r| matches!(r, Rule::Profile(_))) {
            Self::ActionsWithUserProperties
        } else if has(|r| matches!(r, Rule::DateProperty(_))) {
            Self::DateTimeProperty
        } else if has(|r| matches!(r, Rule::DidNotWithin(_))) {
            Self::InactionWithinTime
        } else if has(|r| matches!(r, Rule::DidNot(_))) {
            Self::Inaction
        } else if segment.rules.len() > 1 {
            Self::Actions
        } else {
            Self::SingleAction
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_kind_starts_with_rules_that_read_back_as_that_kind() {
        for kind in Kind::ALL {
            assert_eq!(Kind::of(&kind.starting_segment()), kind, "{}", kind.label());
        }
    }
}
