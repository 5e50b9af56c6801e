//! The reference evaluator: what each rule means, written plainly over in-memory profiles and events,
//! user by user, for the differential test to compare the engine with. Nothing here is shared with the
//! engine beyond the segment types.

use std::collections::BTreeSet;

use app::model::segment::{
    CountOp, DateProperty, Did, DidNot, DidNotWithin, Filter, Match, Op, Rule, Segment, TimeWindow,
};
use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::{Timestamp, ToSpan};
use serde_json::{Map, Value};

#[derive(Debug, Clone)]
pub struct Profile {
    pub id: i64,
    pub identity: Option<String>,
    pub email: Option<String>,
    pub data: Map<String, Value>,
}

#[derive(Debug, Clone)]
pub struct Event {
    pub profile_id: i64,
    pub name: String,
    pub ts: i64,
    pub data: Map<String, Value>,
}

#[derive(Debug, Clone, Default)]
pub struct Data {
    pub profiles: Vec<Profile>,
    pub events: Vec<Event>,
}

pub struct Reference<'a> {
    pub data: &'a Data,
    pub now: i64,
    pub zone: &'a TimeZone,
}

impl Reference<'_> {
    pub fn evaluate(&self, segment: &Segment) -> BTreeSet<i64> {
        self.data
            .profiles
            .iter()
            .filter(|p| {
                let mut results = segment.rules.iter().map(|rule| self.holds(rule, p));
                match segment.match_ {
                    Match::All => results.all(|r| r),
                    Match::Any => results.any(|r| r),
                }
            })
            .map(|p| p.id)
            .collect()
    }

    fn holds(&self, rule: &Rule, profile: &Profile) -> bool {
        match rule {
            Rule::Did(rule) => self.did(rule, profile),
            Rule::DidNot(rule) => self.did_not(rule, profile),
            Rule::DidNotWithin(rule) => self.did_not_within(rule, profile),
            Rule::DateProperty(rule) => self.date_property(rule, profile),
            Rule::Profile(filter) => {
                let value = match filter.property.trim() {
                    "Identity" => profile.identity.clone().map(Value::String),
                    "Email" => profile.email.clone().map(Value::String),
                    key => profile.data.get(key).cloned(),
                };
                filter_holds(filter, value.as_ref())
            }
        }
    }

    /// The profile's events called `name` that pass every filter.
    fn events<'e>(
        &'e self,
        profile: &'e Profile,
        name: &'e str,
        filters: &'e [Filter],
    ) -> impl Iterator<Item = &'e Event> + 'e {
        self.data.events.iter().filter(move |e| {
            e.profile_id == profile.id
                && e.name == name.trim()
                && filters
                    .iter()
                    .all(|f| filter_holds(f, e.data.get(f.property.trim())))
        })
    }

    fn in_window(&self, ts: i64, window: &TimeWindow) -> bool {
        match window {
            TimeWindow::Ever => true,
            TimeWindow::LastDays { days } => ts >= self.now - i64::from(*days) * 86_400_000,
            TimeWindow::Between { from, to } => {
                let day = self.local_date(ts);
                let from: Date = from.parse().unwrap();
                let to: Date = to.parse().unwrap();
                from <= day && day <= to
            }
        }
    }

    fn local_date(&self, ms: i64) -> Date {
        Timestamp::from_millisecond(ms)
            .unwrap()
            .to_zoned(self.zone.clone())
            .date()
    }

    fn did(&self, rule: &Did, profile: &Profile) -> bool {
        let count = self
            .events(profile, &rule.event, &rule.filters)
            .filter(|e| self.in_window(e.ts, &rule.window))
            .count() as u32;
        count >= 1
            && match rule.count.op {
                CountOp::AtLeast => count >= rule.count.value,
                CountOp::AtMost => count <= rule.count.value,
                CountOp::Exactly => count == rule.count.value,
            }
    }

    fn did_not(&self, rule: &DidNot, profile: &Profile) -> bool {
        !self
            .events(profile, &rule.event, &rule.filters)
            .any(|e| self.in_window(e.ts, &rule.window))
    }

    fn did_not_within(&self, rule: &DidNotWithin, profile: &Profile) -> bool {
        let latest = self
            .events(profile, &rule.after.event, &rule.after.filters)
            .filter(|e| self.in_window(e.ts, &rule.window))
            .map(|e| e.ts)
            .max();
        let Some(latest) = latest else {
            return false;
        };
        let deadline = latest + rule.within.millis();
        deadline <= self.now
            && !self
                .events(profile, &rule.event, &rule.filters)
                .any(|e| latest < e.ts && e.ts <= deadline)
    }

    fn date_property(&self, rule: &DateProperty, profile: &Profile) -> bool {
        let today = self.local_date(self.now);
        let property = rule.property.trim();
        let values: Vec<&Value> = match rule.event.as_deref().map(str::trim) {
            None | Some("") => profile.data.get(property).into_iter().collect(),
            Some(event) => self
                .events(profile, event, &[])
                .filter_map(|e| e.data.get(property))
                .collect(),
        };
        values.into_iter().any(|value| {
            self.date_of(value).is_some_and(|date| {
                date.checked_add(rule.op.offset_days(rule.days).days())
                    .is_ok_and(|d| d == today)
            })
        })
    }

    /// The calendar day a stored date means in the project time zone.
    fn date_of(&self, value: &Value) -> Option<Date> {
        let text = value.as_str()?.trim();
        if let Some(seconds) = text.strip_prefix("$D_") {
            return Some(self.local_date(seconds.parse::<i64>().ok()? * 1000));
        }
        if text.len() == 10 {
            return text.parse::<Date>().ok();
        }
        if let Ok(at) = text.parse::<Timestamp>() {
            return Some(self.local_date(at.as_millisecond()));
        }
        text.parse::<jiff::civil::DateTime>()
            .ok()
            .map(|dt| dt.date())
    }
}

/// A value's text: strings as they are, anything else as JSON.
fn text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn number(value: &Value) -> Option<f64> {
    text(value)
        .trim()
        .parse::<f64>()
        .ok()
        .filter(|n| n.is_finite())
}

fn operand_text(operand: &Value) -> String {
    text(operand).trim().to_lowercase()
}

fn equal(value: &Value, operand: &Value) -> bool {
    match (number(value), number(operand)) {
        (Some(a), Some(b)) => a == b,
        _ => text(value).to_lowercase() == operand_text(operand),
    }
}

fn numbers(operand: &Value) -> Vec<f64> {
    match operand {
        Value::Array(items) => items
            .iter()
            .map(|v| number(v).unwrap_or(f64::NAN))
            .collect(),
        other => vec![number(other).unwrap_or(f64::NAN)],
    }
}

pub fn filter_holds(filter: &Filter, value: Option<&Value>) -> bool {
    let value = value.filter(|v| !v.is_null());
    let operand = &filter.value;
    let present = |test: &dyn Fn(&Value) -> bool| value.is_some_and(test);
    match filter.op {
        Op::Equals => present(&|v| equal(v, operand)),
        Op::NotEquals => !present(&|v| equal(v, operand)),
        Op::Contains => present(&|v| text(v).to_lowercase().contains(&operand_text(operand))),
        Op::NotContains => !present(&|v| text(v).to_lowercase().contains(&operand_text(operand))),
        Op::GreaterThan => present(&|v| number(v).is_some_and(|n| n > numbers(operand)[0])),
        Op::LessThan => present(&|v| number(v).is_some_and(|n| n < numbers(operand)[0])),
        Op::Between => present(&|v| {
            let bounds = numbers(operand);
            number(v).is_some_and(|n| bounds.len() == 2 && bounds[0] <= n && n <= bounds[1])
        }),
        Op::In => present(&|v| operand.as_array().unwrap().iter().any(|o| equal(v, o))),
        Op::NotIn => !present(&|v| operand.as_array().unwrap().iter().any(|o| equal(v, o))),
        Op::Exists => value.is_some(),
        Op::NotExists => value.is_none(),
    }
}
