//! A filter (or profile rule) as a test of one value. Numbers compare as numbers when both sides are
//! numbers (a number stored as a string too); text compares case-insensitively. A missing property
//! fails every test but the negated ones (`not_equals`, `not_contains`, `not_in`, `not_exists`).

use app::model::segment::{Filter, Op, filter::as_number};
use serde_json::Value;

use super::column::Column;
use super::value::Scalar;

#[derive(Debug, Clone)]
pub struct Predicate {
    test: Test,
    /// The operator is the negation of `test`.
    negated: bool,
}

#[derive(Debug, Clone)]
enum Test {
    /// Equal to one of these (`equals` has one).
    OneOf(Vec<Operand>),
    Contains(String),
    Greater(f64),
    Less(f64),
    Between(f64, f64),
    Exists,
}

/// A value compared with: its lower-cased text and the number it holds.
#[derive(Debug, Clone)]
struct Operand {
    lower: String,
    number: Option<f64>,
}

fn operand(value: &Value) -> Operand {
    let text = match value {
        Value::String(s) => s.trim().to_owned(),
        other => other.to_string(),
    };
    Operand {
        lower: text.to_lowercase(),
        number: as_number(value),
    }
}

fn number(value: &Value) -> f64 {
    // Validation refuses non-numbers; NaN compares false with everything.
    as_number(value).unwrap_or(f64::NAN)
}

impl Predicate {
    pub fn new(filter: &Filter) -> Self {
        let value = &filter.value;
        let test = match filter.op {
            Op::Equals | Op::NotEquals => Test::OneOf(vec![operand(value)]),
            Op::In | Op::NotIn => Test::OneOf(
                value
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(operand)
                    .collect(),
            ),
            Op::Contains | Op::NotContains => Test::Contains(operand(value).lower),
            Op::GreaterThan => Test::Greater(number(value)),
            Op::LessThan => Test::Less(number(value)),
            Op::Between => match value.as_array().map(Vec::as_slice) {
                Some([low, high]) => Test::Between(number(low), number(high)),
                _ => Test::Between(f64::NAN, f64::NAN),
            },
            Op::Exists | Op::NotExists => Test::Exists,
        };
        Self {
            test,
            negated: filter.op.negates(),
        }
    }

    pub fn test(&self, value: Option<&Scalar>) -> bool {
        let hit = value.is_some_and(|v| self.test.holds(v));
        hit != self.negated
    }

    /// The test decided for each value id of `column` (a missing column: every row has no value).
    pub fn decide(&self, column: Option<&Column>) -> Vec<bool> {
        match column {
            Some(column) => column.decide(|v| self.test(v)),
            None => vec![self.test(None)],
        }
    }
}

impl Test {
    fn holds(&self, v: &Scalar) -> bool {
        match self {
            Test::OneOf(operands) => {
                let lower = v.text.to_lowercase();
                operands.iter().any(|o| match (o.number, v.number) {
                    (Some(a), Some(b)) => a == b,
                    _ => lower == o.lower,
                })
            }
            Test::Contains(part) => v.text.to_lowercase().contains(part.as_str()),
            Test::Greater(n) => v.number.is_some_and(|x| x > *n),
            Test::Less(n) => v.number.is_some_and(|x| x < *n),
            Test::Between(low, high) => v.number.is_some_and(|x| *low <= x && x <= *high),
            Test::Exists => true,
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use serde_json::json;

    use super::*;

    fn holds(op: Op, value: Value, property: Option<&str>) -> bool {
        let predicate = Predicate::new(&Filter {
            property: "p".into(),
            op,
            value,
        });
        predicate.test(property.map(|t| Scalar::new(Arc::from(t))).as_ref())
    }

    #[test]
    fn numbers_as_numbers_and_text_without_case() {
        assert!(holds(Op::Equals, json!(10), Some("10.0")));
        assert!(holds(Op::Equals, json!("gold"), Some("GOLD")));
        assert!(!holds(Op::Equals, json!("10"), Some("ten")));
        assert!(holds(Op::GreaterThan, json!("9"), Some("10")));
        assert!(!holds(Op::GreaterThan, json!(9), Some("many")));
        assert!(holds(Op::Between, json!([1, 10]), Some("10")));
        assert!(holds(Op::In, json!(["ca", "us"]), Some("US")));
        assert!(holds(Op::Contains, json!("SHO"), Some("Red shoes")));
    }

    #[test]
    fn a_missing_property_passes_only_negated_tests() {
        for op in app::model::segment::Op::ALL {
            let value = match op {
                Op::Between => json!([1, 2]),
                Op::In | Op::NotIn => json!(["a"]),
                _ => json!("a"),
            };
            assert_eq!(holds(op, value, None), op.negates(), "{}", op.as_str());
        }
    }
}
