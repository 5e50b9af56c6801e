//! The single-action form the API accepted before segments had rules:
//! `{"event", "filter", "min_count", "window"}`. Scripts written against it keep working: it is read
//! as a segment of one `did` rule.

use serde::Deserialize;
use serde_json::Value;

use super::did::{Count, CountOp, Did};
use super::filter::{Filter, Op};
use super::window::TimeWindow;
use super::{Match, Rule, Segment};

#[derive(Deserialize)]
pub(super) struct SingleAction {
    event: String,
    #[serde(default)]
    filter: Option<SingleFilter>,
    #[serde(default = "one")]
    min_count: u32,
    #[serde(default)]
    window: TimeWindow,
}

/// The value was always text then; it still compares as a number when it holds one.
#[derive(Deserialize)]
struct SingleFilter {
    property: String,
    op: Op,
    #[serde(default)]
    value: String,
}

fn one() -> u32 {
    1
}

impl From<SingleAction> for Segment {
    fn from(single: SingleAction) -> Self {
        let filters = single
            .filter
            .map(|f| Filter {
                property: f.property,
                value: if f.op.operand() == super::filter::Operand::None {
                    Value::Null
                } else {
                    Value::String(f.value)
                },
                op: f.op,
            })
            .into_iter()
            .collect();
        Segment {
            match_: Match::All,
            rules: vec![Rule::Did(Did {
                event: single.event,
                filters,
                count: Count {
                    op: CountOp::AtLeast,
                    value: single.min_count,
                },
                window: single.window,
            })],
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn a_single_action_reads_as_one_did_rule() {
        let segment: Segment = serde_json::from_value(json!({
            "event": "Charged",
            "filter": {"property": "amount", "op": "greater_than", "value": "10"},
            "min_count": 2,
            "window": {"type": "last_days", "days": 7}
        }))
        .unwrap();
        assert_eq!(
            serde_json::to_value(&segment).unwrap(),
            json!({"match": "all", "rules": [{
                "type": "did", "event": "Charged",
                "filters": [{"property": "amount", "op": "greater_than", "value": "10"}],
                "count": {"op": "at_least", "value": 2},
                "window": {"type": "last_days", "days": 7}
            }]})
        );
        let plain: Segment = serde_json::from_value(json!({"event": "App Launched"})).unwrap();
        assert_eq!(plain.rules.len(), 1);
    }
}
