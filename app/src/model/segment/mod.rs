//! The Who of a campaign: a segment is `{"match": "all" | "any", "rules": [Rule, ...]}`. Each kind of
//! rule is its own type in its own file, with its checks and its sentence; the server evaluates them.
//! The six kinds of the wizard are presets of these rules (see `kinds`).

pub mod date_property;
pub mod describe;
pub mod did;
pub mod did_not;
pub mod did_not_within;
pub mod event;
pub mod filter;
pub mod kinds;
mod legacy;
pub mod window;

use serde::{Deserialize, Serialize};
use serde_json::Value;

pub use date_property::{DateOp, DateProperty};
pub use did::{Count, CountOp, Did};
pub use did_not::DidNot;
pub use did_not_within::{DidNotWithin, TimeUnit, Within};
pub use event::{EventMatch, MAX_EVENT_NAME_LEN};
pub use filter::{Filter, Op, Operand};
pub use window::TimeWindow;

use super::FieldErrors;

pub const MAX_RULES: usize = 20;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "Value")]
pub struct Segment {
    #[serde(rename = "match")]
    pub match_: Match,
    pub rules: Vec<Rule>,
}

/// Whether a user must pass every rule or one of them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Match {
    #[default]
    All,
    Any,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Rule {
    Did(Did),
    DidNot(DidNot),
    DidNotWithin(DidNotWithin),
    DateProperty(DateProperty),
    /// A user property: a `profileData` key, or `Identity` / `Email`.
    Profile(Filter),
}

/// The contract's shape, read when the JSON has `rules`.
#[derive(Deserialize)]
struct Contract {
    #[serde(rename = "match", default)]
    match_: Match,
    rules: Vec<Rule>,
}

impl TryFrom<Value> for Segment {
    type Error = String;

    fn try_from(value: Value) -> Result<Self, String> {
        let has = |key: &str| value.get(key).is_some();
        if has("rules") {
            let c: Contract = serde_json::from_value(value).map_err(|e| e.to_string())?;
            Ok(Segment {
                match_: c.match_,
                rules: c.rules,
            })
        } else if has("event") {
            serde_json::from_value::<legacy::SingleAction>(value)
                .map(Segment::from)
                .map_err(|e| e.to_string())
        } else {
            Err("a segment is {\"match\": \"all\" | \"any\", \"rules\": [...]}".to_owned())
        }
    }
}

/// A new segment starts as one blank `did` rule, the Single action kind.
impl Default for Segment {
    fn default() -> Self {
        Self::of(Rule::Did(Did::default()))
    }
}

impl Segment {
    /// A segment of one rule.
    pub fn of(rule: Rule) -> Self {
        Self {
            match_: Match::All,
            rules: vec![rule],
        }
    }

    /// Messages are keyed `{prefix}.rules` and `{prefix}.rules.{i}.{field}`.
    pub fn check(&self, prefix: &str, errors: &mut FieldErrors) {
        if self.rules.is_empty() {
            errors.add(format!("{prefix}.rules"), "Add at least one rule.");
        } else if self.rules.len() > MAX_RULES {
            errors.add(
                format!("{prefix}.rules"),
                format!("Use at most {MAX_RULES} rules."),
            );
        }
        for (i, rule) in self.rules.iter().enumerate() {
            rule.check(&format!("{prefix}.rules.{i}"), errors);
        }
    }
}

impl Rule {
    pub fn check(&self, prefix: &str, errors: &mut FieldErrors) {
        match self {
            Rule::Did(rule) => rule.check(prefix, errors),
            Rule::DidNot(rule) => rule.check(prefix, errors),
            Rule::DidNotWithin(rule) => rule.check(prefix, errors),
            Rule::DateProperty(rule) => rule.check(prefix, errors),
            Rule::Profile(filter) => filter.check(prefix, errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn keys(segment: &Segment) -> Vec<String> {
        let mut errors = FieldErrors::default();
        segment.check("who.segment", &mut errors);
        errors.0.into_keys().collect()
    }

    #[test]
    fn every_rule_type_reads_and_writes_back_the_same_json() {
        let json = json!({"match": "any", "rules": [
            {"type": "did", "event": "Charged",
             "filters": [{"property": "amount", "op": "greater_than", "value": 10}],
             "count": {"op": "at_most", "value": 2}, "window": {"type": "last_days", "days": 7}},
            {"type": "did_not", "event": "App Launched", "filters": [], "window": {"type": "ever"}},
            {"type": "did_not_within", "after": {"event": "Searched"}, "event": "Booked",
             "filters": [], "within": {"value": 30, "unit": "minutes"}, "window": {"type": "ever"}},
            {"type": "date_property", "property": "Birthday", "op": "on", "days": 0},
            {"type": "profile", "property": "Country", "op": "in", "value": ["CA"]}
        ]});
        let segment: Segment = serde_json::from_value(json.clone()).unwrap();
        assert_eq!(serde_json::to_value(&segment).unwrap(), json);
        assert!(keys(&segment).is_empty(), "{:?}", keys(&segment));
    }

    #[test]
    fn left_out_parts_take_their_defaults() {
        let segment: Segment =
            serde_json::from_value(json!({"rules": [{"type": "did", "event": "A"}]})).unwrap();
        assert_eq!(segment.match_, Match::All);
        let Rule::Did(did) = &segment.rules[0] else {
            panic!("not a did rule")
        };
        assert_eq!(did.count, Count::default());
        assert!(did.window.is_ever() && did.filters.is_empty());
    }

    #[test]
    fn bad_input_is_reported_at_its_field() {
        let segment: Segment = serde_json::from_value(json!({"match": "all", "rules": [
            {"type": "did", "event": " ", "count": {"op": "exactly", "value": 0}},
            {"type": "profile", "property": "Age", "op": "greater_than", "value": "old"},
            {"type": "did_not_within", "after": {"event": "A"}, "event": "B",
             "within": {"value": 0, "unit": "hours"}}
        ]}))
        .unwrap();
        assert_eq!(
            keys(&segment),
            [
                "who.segment.rules.0.count.value",
                "who.segment.rules.0.event",
                "who.segment.rules.1.value",
                "who.segment.rules.2.within.value"
            ]
        );
        let empty = Segment {
            match_: Match::Any,
            rules: vec![],
        };
        assert_eq!(keys(&empty), ["who.segment.rules"]);
    }

    #[test]
    fn unreadable_segments_say_what_is_expected() {
        let e = serde_json::from_value::<Segment>(json!({"match": "all"})).unwrap_err();
        assert!(e.to_string().contains("\"rules\""), "{e}");
        let e = serde_json::from_value::<Segment>(json!({"rules": [{"type": "sometimes"}]}))
            .unwrap_err();
        assert!(e.to_string().contains("sometimes"), "{e}");
    }
}
