//! Each kind of rule evaluated to the set of users it holds for: one file per kind.

mod date_property;
mod did;
mod did_not;
mod did_not_within;
mod profile;

use app::model::segment::{Filter, Rule, TimeWindow};
use jiff::tz::TimeZone;

use super::index::{EventTable, SegmentIndex};
use super::predicate::Predicate;
use super::users::UserSet;
use super::window;

/// What an evaluation is relative to.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    pub now_ms: i64,
    /// The project time zone: where days begin and end.
    pub zone: &'a TimeZone,
}

pub fn users(rule: &Rule, index: &SegmentIndex, cx: Context<'_>) -> UserSet {
    match rule {
        Rule::Did(rule) => did::users(rule, index, cx),
        Rule::DidNot(rule) => did_not::users(rule, index, cx),
        Rule::DidNotWithin(rule) => did_not_within::users(rule, index, cx),
        Rule::DateProperty(rule) => date_property::users(rule, index, cx),
        Rule::Profile(filter) => profile::users(filter, index),
    }
}

/// The users with at least one event called `event` in `window` passing every filter.
fn anyone_who_did(
    index: &SegmentIndex,
    event: &str,
    filters: &[Filter],
    window: &TimeWindow,
    cx: Context<'_>,
) -> UserSet {
    let mut users = UserSet::empty(index.users());
    scan(index, event, filters, window, cx, |user, _| {
        users.insert(user)
    });
    users
}

/// Calls `each(user, ts)` for every event called `event` in `window` whose properties pass every
/// filter.
fn scan(
    index: &SegmentIndex,
    event: &str,
    filters: &[Filter],
    window: &TimeWindow,
    cx: Context<'_>,
    mut each: impl FnMut(u32, i64),
) {
    let Some(table) = index.events(event.trim()) else {
        return;
    };
    let (from, to) = window::bounds(window, cx.now_ms, cx.zone);
    let (from, to) = (from.unwrap_or(i64::MIN), to.unwrap_or(i64::MAX));
    let Some(tests) = filter_tests(table, filters) else {
        return;
    };
    for (row, (&user, &ts)) in table.users.iter().zip(&table.ts).enumerate() {
        if ts >= from
            && ts < to
            && tests
                .iter()
                .all(|(column, pass)| pass[column.map_or(0, |c| c.id_at(row)) as usize])
        {
            each(user, ts);
        }
    }
}

/// Per filter, its column and the decision for each value id; `None` when a filter fails every
/// event of the table (a property it never has, tested positively).
type FilterTest<'t> = (Option<&'t super::column::Column>, Vec<bool>);

fn filter_tests<'t>(table: &'t EventTable, filters: &[Filter]) -> Option<Vec<FilterTest<'t>>> {
    let mut tests = Vec::with_capacity(filters.len());
    for filter in filters {
        let column = table.properties.get(filter.property.trim());
        let pass = Predicate::new(filter).decide(column);
        match column {
            None if !pass[0] => return None,
            // Holds for every event: nothing to test.
            None => {}
            Some(_) => tests.push((column, pass)),
        }
    }
    Some(tests)
}
