//! Segments in plain words, for the sentence under the builder and the Segments list:
//! "Users who did “Added To Cart” and did not do “Charged” within 2 hours after it".

use serde_json::Value;

use super::filter::{Filter, Operand};
use super::window::TimeWindow;
use super::{Match, Rule, Segment};

/// “name”, with typographic quotes so names with spaces read well.
pub fn quoted(name: &str) -> String {
    format!("“{}”", name.trim())
}

/// " in the last 7 days", " between 2026-11-01 and 2026-11-07", or nothing for ever.
pub fn window_words(window: &TimeWindow) -> String {
    match window {
        TimeWindow::Ever => String::new(),
        TimeWindow::LastDays { days: 1 } => " in the last day".to_owned(),
        TimeWindow::LastDays { days } => format!(" in the last {days} days"),
        TimeWindow::Between { from, to } => format!(" between {from} and {to}"),
    }
}

fn value_words(value: &Value) -> String {
    match value {
        Value::String(s) => quoted(s),
        Value::Array(items) => items.iter().map(value_words).collect::<Vec<_>>().join(", "),
        other => other.to_string(),
    }
}

/// "amount is greater than 10", "country is one of “CA”, “US”".
pub fn condition(filter: &Filter) -> String {
    let property = filter.property.trim();
    let op = filter.op.label();
    match (
        filter.op.operand(),
        filter.value.as_array().map(Vec::as_slice),
    ) {
        (Operand::None, _) => format!("{property} {op}"),
        (Operand::Range, Some([low, high])) => format!(
            "{property} {op} {} and {}",
            value_words(low),
            value_words(high)
        ),
        _ => format!("{property} {op} {}", value_words(&filter.value)),
    }
}

impl Rule {
    pub fn describe(&self) -> String {
        match self {
            Rule::Did(rule) => rule.describe(),
            Rule::DidNot(rule) => rule.describe(),
            Rule::DidNotWithin(rule) => rule.describe(),
            Rule::DateProperty(rule) => rule.describe(),
            Rule::Profile(filter) => format!("have {}", condition(filter)),
        }
    }
}

impl Segment {
    /// The whole segment as one sentence.
    pub fn describe(&self) -> String {
        if self.rules.is_empty() {
            return "No rules yet: add one to say who qualifies.".to_owned();
        }
        let joiner = match self.match_ {
            Match::All => " and ",
            Match::Any => ", or ",
        };
        let rules: Vec<String> = self.rules.iter().map(Rule::describe).collect();
        format!("Users who {}", rules.join(joiner))
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn the_seed_examples_read_as_sentences() {
        let segment: Segment = serde_json::from_value(json!({"match":"all","rules":[
            {"type":"did_not_within","after":{"event":"Added To Cart"},"event":"Charged",
             "within":{"value":2,"unit":"hours"}}
        ]}))
        .unwrap();
        assert_eq!(
            segment.describe(),
            "Users who did “Added To Cart” and did not do “Charged” within 2 hours after it"
        );
        let segment: Segment = serde_json::from_value(json!({"match":"any","rules":[
            {"type":"did","event":"Charged","count":{"op":"at_least","value":3},
             "window":{"type":"last_days","days":30},
             "filters":[{"property":"amount","op":"between","value":[10,20]}]},
            {"type":"profile","property":"Country","op":"in","value":["CA","US"]},
            {"type":"date_property","property":"Purchase Date","event":"Charged","op":"days_after","days":3}
        ]}))
        .unwrap();
        assert_eq!(
            segment.describe(),
            "Users who did “Charged” with amount is between 10 and 20 at least 3 times in the last 30 \
             days, or have Country is one of “CA”, “US”, or are 3 days past the “Purchase Date” of \
             their “Charged” event"
        );
    }
}
