//! `date_property`: the date in a profile property (or in a property of any event E), moved by the
//! rule's days, is today in the project time zone. Each distinct date is decided once.

use app::model::segment::DateProperty;
use jiff::Timestamp;
use jiff::tz::TimeZone;

use super::Context;
use crate::segments::index::SegmentIndex;
use crate::segments::users::UserSet;
use crate::segments::value::{DateValue, Scalar, days_from_civil};

pub fn users(rule: &DateProperty, index: &SegmentIndex, cx: Context<'_>) -> UserSet {
    let mut users = UserSet::empty(index.users());
    let Some(day) = target_day(rule, cx) else {
        return users;
    };
    let property = rule.property.trim();
    match rule.event_name() {
        None => {
            let Some(column) = index.profile_column(property) else {
                return users;
            };
            let pass = column.decide(|v| v.is_some_and(|v| day.holds(v)));
            for user in 0..index.users() {
                if pass[column.id_at(user) as usize] {
                    users.insert(user as u32);
                }
            }
        }
        Some(event) => {
            let Some(table) = index.events(event) else {
                return users;
            };
            let Some(column) = table.properties.get(property) else {
                return users;
            };
            let pass = column.decide(|v| v.is_some_and(|v| day.holds(v)));
            for (row, &user) in table.users.iter().enumerate() {
                if pass[column.id_at(row) as usize] {
                    users.insert(user);
                }
            }
        }
    }
    users
}

/// The day the stored date must fall on, as a calendar day and as an instant range.
struct Day {
    number: i64,
    /// Unix seconds `[start, end)` of that day in the project time zone.
    start: i64,
    end: i64,
}

impl Day {
    fn holds(&self, value: &Scalar) -> bool {
        match value.date {
            Some(DateValue::Day(d)) => d == self.number,
            Some(DateValue::Instant(s)) => self.start <= s && s < self.end,
            None => false,
        }
    }
}

/// Today minus the rule's offset (the stored date plus the offset must be today).
fn target_day(rule: &DateProperty, cx: Context<'_>) -> Option<Day> {
    let today = Timestamp::from_millisecond(cx.now_ms)
        .ok()?
        .to_zoned(cx.zone.clone())
        .date();
    let date = today
        .checked_sub(jiff::Span::new().days(rule.op.offset_days(rule.days)))
        .ok()?;
    let start = |d: jiff::civil::Date, zone: &TimeZone| -> Option<i64> {
        Some(d.to_zoned(zone.clone()).ok()?.timestamp().as_second())
    };
    Some(Day {
        number: days_from_civil(
            i64::from(date.year()),
            i64::from(date.month()),
            i64::from(date.day()),
        ),
        start: start(date, cx.zone)?,
        end: start(date.tomorrow().ok()?, cx.zone)?,
    })
}
