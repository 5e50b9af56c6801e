//! The builder's fields below the rule: a time window, a property condition, an event with its
//! filters. Each input is a signal holding what was typed; numbers and lists are read from the text
//! only when the segment is.

use leptos::prelude::*;
use serde_json::Value;

use crate::model::segment::{Filter, Op, Operand, TimeWindow};

/// A whole number as typed; anything else is 0, which the model's checks refuse with a message.
pub fn parse_count(text: &str) -> u32 {
    text.trim()
        .parse::<u64>()
        .map_or(0, |n| u32::try_from(n).unwrap_or(u32::MAX))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WindowKind {
    Ever,
    LastDays,
    Between,
}

#[derive(Debug, Clone, Copy)]
pub struct WindowFields {
    pub kind: RwSignal<WindowKind>,
    pub days: RwSignal<String>,
    pub from: RwSignal<String>,
    pub to: RwSignal<String>,
}

impl WindowFields {
    pub fn new(window: &TimeWindow) -> Self {
        let (kind, days, from, to) = match window {
            TimeWindow::Ever => (
                WindowKind::Ever,
                "30".to_owned(),
                String::new(),
                String::new(),
            ),
            TimeWindow::LastDays { days } => (
                WindowKind::LastDays,
                days.to_string(),
                String::new(),
                String::new(),
            ),
            TimeWindow::Between { from, to } => (
                WindowKind::Between,
                "30".to_owned(),
                from.clone(),
                to.clone(),
            ),
        };
        Self {
            kind: RwSignal::new(kind),
            days: RwSignal::new(days),
            from: RwSignal::new(from),
            to: RwSignal::new(to),
        }
    }

    pub fn window(&self) -> TimeWindow {
        match self.kind.get() {
            WindowKind::Ever => TimeWindow::Ever,
            WindowKind::LastDays => TimeWindow::LastDays {
                days: parse_count(&self.days.get()),
            },
            WindowKind::Between => TimeWindow::Between {
                from: self.from.get(),
                to: self.to.get(),
            },
        }
    }
}

/// A filter (or a profile condition): the value field holds text, a list as `a, b`, or the low end
/// of a range (`high` its high end).
#[derive(Debug, Clone, Copy)]
pub struct FilterFields {
    pub id: usize,
    pub property: RwSignal<String>,
    pub op: RwSignal<Op>,
    pub value: RwSignal<String>,
    pub high: RwSignal<String>,
}

/// A value as the text a field shows.
pub(super) fn text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

impl FilterFields {
    pub fn new(id: usize, filter: &Filter) -> Self {
        let (value, high) = match (&filter.value, filter.op.operand()) {
            (Value::Array(items), Operand::Range) => (
                items.first().map(text).unwrap_or_default(),
                items.get(1).map(text).unwrap_or_default(),
            ),
            (Value::Array(items), _) => (
                items.iter().map(text).collect::<Vec<_>>().join(", "),
                String::new(),
            ),
            (other, _) => (text(other), String::new()),
        };
        Self {
            id,
            property: RwSignal::new(filter.property.clone()),
            op: RwSignal::new(filter.op),
            value: RwSignal::new(value),
            high: RwSignal::new(high),
        }
    }

    pub fn filter(&self) -> Filter {
        let op = self.op.get();
        let value = match op.operand() {
            Operand::None => Value::Null,
            Operand::Scalar | Operand::Number => Value::String(self.value.get()),
            Operand::Range => Value::Array(vec![
                Value::String(self.value.get()),
                Value::String(self.high.get()),
            ]),
            Operand::List => Value::Array(
                self.value
                    .get()
                    .split(',')
                    .map(str::trim)
                    .filter(|v| !v.is_empty())
                    .map(|v| Value::String(v.to_owned()))
                    .collect(),
            ),
        };
        Filter {
            property: self.property.get(),
            op,
            value,
        }
    }
}

/// An event and its filters.
#[derive(Debug, Clone, Copy)]
pub struct EventFields {
    pub event: RwSignal<String>,
    pub filters: RwSignal<Vec<FilterFields>>,
}

impl EventFields {
    pub fn new(ids: &Ids, event: &str, filters: &[Filter]) -> Self {
        Self {
            event: RwSignal::new(event.to_owned()),
            filters: RwSignal::new(
                filters
                    .iter()
                    .map(|f| FilterFields::new(ids.next(), f))
                    .collect(),
            ),
        }
    }

    pub fn filters(&self) -> Vec<Filter> {
        self.filters
            .get()
            .iter()
            .map(FilterFields::filter)
            .collect()
    }
}

/// Hands out ids for rules and filters.
#[derive(Debug, Clone, Copy)]
pub struct Ids(StoredValue<usize>);

impl Default for Ids {
    fn default() -> Self {
        Self(StoredValue::new(0))
    }
}

impl Ids {
    pub fn next(&self) -> usize {
        let id = self.0.get_value();
        self.0.set_value(id + 1);
        id
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn lists_and_counts_as_typed() {
        Owner::new_root(None).with(|| {
            let filter = FilterFields::new(
                0,
                &Filter {
                    property: "country".into(),
                    op: Op::In,
                    value: Value::Null,
                },
            );
            filter.value.set(" CA, US ,, ".into());
            assert_eq!(filter.filter().value, json!(["CA", "US"]));
            assert_eq!(parse_count(" 12 "), 12);
            assert_eq!(parse_count("2.5"), 0);
        });
    }
}
