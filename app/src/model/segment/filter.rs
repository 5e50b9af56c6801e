//! A condition on one property: of an event (`evtData`) in event rules, of the profile in profile
//! rules. Numbers compare as numbers (a number stored as a string too), text case-insensitively.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::super::FieldErrors;

pub const MAX_PROPERTY_LEN: usize = 256;
pub const MAX_VALUE_LEN: usize = 1024;
pub const MAX_LIST_VALUES: usize = 1000;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Filter {
    pub property: String,
    pub op: Op,
    /// A string, number or boolean; `[low, high]` for `between`; a list for `in` / `not_in`; unused by
    /// `exists` / `not_exists`.
    #[serde(default, skip_serializing_if = "Value::is_null")]
    pub value: Value,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Op {
    #[default]
    Equals,
    NotEquals,
    Contains,
    NotContains,
    GreaterThan,
    LessThan,
    Between,
    In,
    NotIn,
    Exists,
    NotExists,
}

/// What an operator compares with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operand {
    None,
    /// Text, a number or a boolean.
    Scalar,
    Number,
    /// Two numbers, the lower first.
    Range,
    List,
}

impl Op {
    pub const ALL: [Op; 11] = [
        Self::Equals,
        Self::NotEquals,
        Self::Contains,
        Self::NotContains,
        Self::GreaterThan,
        Self::LessThan,
        Self::Between,
        Self::In,
        Self::NotIn,
        Self::Exists,
        Self::NotExists,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Equals => "equals",
            Self::NotEquals => "not_equals",
            Self::Contains => "contains",
            Self::NotContains => "not_contains",
            Self::GreaterThan => "greater_than",
            Self::LessThan => "less_than",
            Self::Between => "between",
            Self::In => "in",
            Self::NotIn => "not_in",
            Self::Exists => "exists",
            Self::NotExists => "not_exists",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|op| op.as_str() == s)
    }

    /// As said in a sentence: "amount *is greater than* 10".
    pub fn label(self) -> &'static str {
        match self {
            Self::Equals => "equals",
            Self::NotEquals => "does not equal",
            Self::Contains => "contains",
            Self::NotContains => "does not contain",
            Self::GreaterThan => "is greater than",
            Self::LessThan => "is less than",
            Self::Between => "is between",
            Self::In => "is one of",
            Self::NotIn => "is none of",
            Self::Exists => "exists",
            Self::NotExists => "does not exist",
        }
    }

    pub fn operand(self) -> Operand {
        match self {
            Self::Equals | Self::NotEquals | Self::Contains | Self::NotContains => Operand::Scalar,
            Self::GreaterThan | Self::LessThan => Operand::Number,
            Self::Between => Operand::Range,
            Self::In | Self::NotIn => Operand::List,
            Self::Exists | Self::NotExists => Operand::None,
        }
    }

    /// True for the operators that hold when the property is missing (`not_equals`, `not_contains`,
    /// `not_in`, `not_exists`): they negate a positive test.
    pub fn negates(self) -> bool {
        matches!(
            self,
            Self::NotEquals | Self::NotContains | Self::NotIn | Self::NotExists
        )
    }
}

/// A JSON number, or a string holding one (`"12.5"`): numbers sent as strings still compare as numbers.
pub fn as_number(value: &Value) -> Option<f64> {
    match value {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse::<f64>().ok(),
        _ => None,
    }
    .filter(|n| n.is_finite())
}

fn is_scalar(value: &Value) -> bool {
    match value {
        Value::String(s) => !s.trim().is_empty() && s.len() <= MAX_VALUE_LEN,
        Value::Number(_) | Value::Bool(_) => true,
        _ => false,
    }
}

/// Checks a property name: messages keyed `key`.
pub fn check_property(property: &str, key: String, errors: &mut FieldErrors) {
    let property = property.trim();
    if property.is_empty() {
        errors.add(key, "Enter the property name.");
    } else if property.len() > MAX_PROPERTY_LEN {
        errors.add(key, format!("Use at most {MAX_PROPERTY_LEN} characters."));
    }
}

impl Filter {
    /// Messages are keyed `{prefix}.property` and `{prefix}.value`.
    pub fn check(&self, prefix: &str, errors: &mut FieldErrors) {
        check_property(&self.property, format!("{prefix}.property"), errors);
        check_operand(self.op, &self.value, format!("{prefix}.value"), errors);
    }
}

/// Checks that `value` is what `op` compares with.
pub fn check_operand(op: Op, value: &Value, key: String, errors: &mut FieldErrors) {
    match op.operand() {
        Operand::None => {}
        Operand::Scalar => {
            if !is_scalar(value) {
                errors.add(
                    key,
                    format!(
                        "Enter the value to compare with (at most {MAX_VALUE_LEN} characters)."
                    ),
                );
            }
        }
        Operand::Number => {
            if as_number(value).is_none() {
                errors.add(key, "Enter a number to compare with.");
            }
        }
        Operand::Range => {
            let range = match value.as_array().map(Vec::as_slice) {
                Some([low, high]) => as_number(low).zip(as_number(high)),
                _ => None,
            };
            match range {
                None => errors.add(key, "Enter two numbers: from and to."),
                Some((low, high)) if low > high => {
                    errors.add(key, "The first number must not be above the second.")
                }
                Some(_) => {}
            }
        }
        Operand::List => match value.as_array() {
            Some(list) if list.is_empty() => errors.add(key, "Enter at least one value."),
            Some(list) if list.len() > MAX_LIST_VALUES => {
                errors.add(key, format!("Enter at most {MAX_LIST_VALUES} values."))
            }
            Some(list) if list.iter().all(is_scalar) => {}
            Some(_) => errors.add(key, "Each value must be a non-empty text or a number."),
            None => errors.add(key, "Enter a list of values."),
        },
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn error(op: Op, value: Value) -> Option<String> {
        let mut errors = FieldErrors::default();
        Filter {
            property: "amount".into(),
            op,
            value,
        }
        .check("f", &mut errors);
        errors.get("f.value").map(str::to_owned)
    }

    #[test]
    fn each_operator_gets_the_operand_it_needs() {
        assert_eq!(error(Op::Equals, json!("Gold")), None);
        assert_eq!(error(Op::Equals, json!(3)), None);
        assert!(error(Op::Equals, json!(" ")).is_some());
        assert_eq!(error(Op::GreaterThan, json!("10.5")), None);
        assert_eq!(
            error(Op::GreaterThan, json!("lots")).as_deref(),
            Some("Enter a number to compare with.")
        );
        assert_eq!(error(Op::Between, json!([1, "2"])), None);
        assert!(error(Op::Between, json!([5, 2])).is_some());
        assert!(error(Op::Between, json!(5)).is_some());
        assert_eq!(
            error(Op::In, json!([])).as_deref(),
            Some("Enter at least one value.")
        );
        assert_eq!(error(Op::NotIn, json!(["CA", 4])), None);
        assert_eq!(error(Op::Exists, Value::Null), None);
    }

    #[test]
    fn numbers_in_strings_are_numbers() {
        assert_eq!(as_number(&json!(" 12.5 ")), Some(12.5));
        assert_eq!(as_number(&json!("NaN")), None);
        assert_eq!(as_number(&json!(true)), None);
    }

    #[test]
    fn every_operator_round_trips_by_name() {
        for op in Op::ALL {
            assert_eq!(Op::parse(op.as_str()), Some(op));
            let json = serde_json::to_string(&op).unwrap();
            assert_eq!(json, format!("\"{}\"", op.as_str()));
        }
    }
}
