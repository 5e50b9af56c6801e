//! Random data sets and random segments of every rule type, over a few names and values so that
//! rules often match, often nearly match, and hit every edge: numbers stored as text, case, missing
//! properties, dates in every form, events on day boundaries.

use app::model::segment::{
    Count, CountOp, DateOp, DateProperty, Did, DidNot, DidNotWithin, EventMatch, Filter, Match, Op,
    Rule, Segment, TimeUnit, TimeWindow, Within,
};
use jiff::Timestamp;
use jiff::tz::TimeZone;
use rand::Rng;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use serde_json::{Map, Value, json};

use super::reference::{Data, Event, Profile};

pub const EVENTS: [&str; 3] = ["App Launched", "Charged", "Viewed"];
const DAY: i64 = 86_400_000;

pub fn zone(rng: &mut StdRng) -> TimeZone {
    let name = [
        "UTC",
        "America/New_York",
        "Asia/Kolkata",
        "Pacific/Auckland",
    ]
    .choose(rng)
    .unwrap();
    TimeZone::get(name).unwrap()
}

/// A value of property `key` as apps send them.
fn value(rng: &mut StdRng, key: &str, now: i64) -> Value {
    match key {
        "amount" => match rng.gen_range(0..5) {
            0 => json!(rng.gen_range(0..20)),
            1 => json!(rng.gen_range(0..20).to_string()),
            2 => json!(format!("{}.5", rng.gen_range(0..20))),
            3 => json!("lots"),
            _ => Value::Null,
        },
        "plan" => json!(["gold", "Gold", "GOLD ", "silver", "gold plus", "bronze"].choose(rng)),
        "when" | "Birthday" => date(rng, now),
        _ => [
            json!("CA"),
            json!("ca"),
            json!("US"),
            json!("Canada"),
            json!(7),
            json!(true),
        ]
        .choose(rng)
        .unwrap()
        .clone(),
    }
}

/// A date near `now` in one of the accepted forms (or not a date at all).
fn date(rng: &mut StdRng, now: i64) -> Value {
    let at = now + rng.gen_range(-6..=6) * DAY + rng.gen_range(-2..=2) * 3_600_000;
    let ts = Timestamp::from_millisecond(at).unwrap();
    match rng.gen_range(0..5) {
        0 => json!(format!("$D_{}", at / 1000)),
        1 => json!(ts.to_zoned(TimeZone::UTC).date().to_string()),
        2 => json!(ts.to_string()),
        3 => json!(ts.to_zoned(TimeZone::UTC).datetime().to_string()),
        _ => json!("soon"),
    }
}

fn object(rng: &mut StdRng, keys: &[&str], now: i64) -> Map<String, Value> {
    let mut object = Map::new();
    for key in keys {
        if rng.gen_bool(0.7) {
            object.insert((*key).to_owned(), value(rng, key, now));
        }
    }
    object
}

pub fn data(rng: &mut StdRng, now: i64) -> Data {
    let users = rng.gen_range(1..40);
    let profiles: Vec<Profile> = (0..users)
        .map(|i| Profile {
            id: 1000 + i * 3,
            identity: rng.gen_bool(0.8).then(|| format!("user-{i}")),
            email: rng.gen_bool(0.5).then(|| format!("U{i}@Example.com")),
            data: object(rng, &["Country", "Age", "Birthday", "plan"], now),
        })
        .collect();
    let events = (0..rng.gen_range(0..200))
        .map(|_| {
            // Whole days back, some exactly on a day boundary of some zone.
            let ts = if rng.gen_bool(0.2) {
                (now / DAY - rng.gen_range(0..8)) * DAY - rng.gen_range(0..3) * 1_800_000
            } else {
                now - rng.gen_range(-DAY..10 * DAY)
            };
            Event {
                profile_id: profiles.choose(rng).unwrap().id,
                name: (*EVENTS.choose(rng).unwrap()).to_owned(),
                ts,
                data: object(rng, &["amount", "plan", "when", "Country"], now),
            }
        })
        .collect();
    Data { profiles, events }
}

fn filter(rng: &mut StdRng, keys: &[&str], now: i64) -> Filter {
    let op = *Op::ALL.choose(rng).unwrap();
    let property = (*keys.choose(rng).unwrap()).to_owned();
    let scalar = |rng: &mut StdRng| match rng.gen_range(0..4) {
        0 => json!(rng.gen_range(0..20)),
        1 => json!(rng.gen_range(0..20).to_string()),
        2 => json!(["gold", "ca", "US", "go", "lots"].choose(rng)),
        _ => value(rng, &property, now),
    };
    let value = match op {
        Op::Exists | Op::NotExists => Value::Null,
        Op::GreaterThan | Op::LessThan => json!(rng.gen_range(-1..21)),
        Op::Between => {
            let low = rng.gen_range(0..15);
            json!([low, low + rng.gen_range(0..6)])
        }
        Op::In | Op::NotIn => {
            let n = rng.gen_range(1..4);
            Value::Array(
                (0..n)
                    .map(|_| scalar(rng))
                    .filter(|v| !v.is_null())
                    .collect(),
            )
        }
        _ => scalar(rng),
    };
    let value = match value {
        // Validation refuses empty lists and nulls as operands: keep generated segments valid.
        Value::Array(items) if items.is_empty() => json!(["ca"]),
        Value::Null if !matches!(op, Op::Exists | Op::NotExists) => json!("ca"),
        other => other,
    };
    Filter {
        property,
        op,
        value,
    }
}

fn filters(rng: &mut StdRng, now: i64) -> Vec<Filter> {
    (0..rng.gen_range(0..3))
        .map(|_| filter(rng, &["amount", "plan", "Country", "missing"], now))
        .collect()
}

fn window(rng: &mut StdRng, now: i64, zone: &TimeZone) -> TimeWindow {
    match rng.gen_range(0..3) {
        0 => TimeWindow::Ever,
        1 => TimeWindow::LastDays {
            days: rng.gen_range(1..9),
        },
        _ => {
            let today = Timestamp::from_millisecond(now)
                .unwrap()
                .to_zoned(zone.clone())
                .date();
            let from = today
                .checked_sub(jiff::Span::new().days(rng.gen_range(0..9)))
                .unwrap();
            let to = from
                .checked_add(jiff::Span::new().days(rng.gen_range(0..4)))
                .unwrap();
            TimeWindow::Between {
                from: from.to_string(),
                to: to.to_string(),
            }
        }
    }
}

fn event(rng: &mut StdRng) -> String {
    if rng.gen_bool(0.05) {
        "Never Seen".to_owned()
    } else {
        (*EVENTS.choose(rng).unwrap()).to_owned()
    }
}

pub fn rule(rng: &mut StdRng, now: i64, zone: &TimeZone) -> Rule {
    match rng.gen_range(0..5) {
        0 => Rule::Did(Did {
            event: event(rng),
            filters: filters(rng, now),
            count: Count {
                op: *[CountOp::AtLeast, CountOp::AtMost, CountOp::Exactly]
                    .choose(rng)
                    .unwrap(),
                value: rng.gen_range(1..5),
            },
            window: window(rng, now, zone),
        }),
        1 => Rule::DidNot(DidNot {
            event: event(rng),
            filters: filters(rng, now),
            window: window(rng, now, zone),
        }),
        2 => Rule::DidNotWithin(DidNotWithin {
            after: EventMatch {
                event: event(rng),
                filters: filters(rng, now),
            },
            event: event(rng),
            filters: filters(rng, now),
            within: Within {
                value: rng.gen_range(1..72),
                unit: *[TimeUnit::Minutes, TimeUnit::Hours, TimeUnit::Days]
                    .choose(rng)
                    .unwrap(),
            },
            window: window(rng, now, zone),
        }),
        3 => Rule::DateProperty(DateProperty {
            property: (*["Birthday", "when", "plan"].choose(rng).unwrap()).to_owned(),
            event: [None, Some(event(rng)), Some(String::new())]
                .choose(rng)
                .unwrap()
                .clone(),
            op: *[DateOp::DaysAfter, DateOp::DaysBefore, DateOp::On]
                .choose(rng)
                .unwrap(),
            days: rng.gen_range(1..5),
        }),
        _ => Rule::Profile(filter(
            rng,
            &["Country", "Age", "plan", "Identity", "Email", "missing"],
            now,
        )),
    }
}

pub fn segment(rng: &mut StdRng, now: i64, zone: &TimeZone) -> Segment {
    Segment {
        match_: if rng.gen_bool(0.5) {
            Match::All
        } else {
            Match::Any
        },
        rules: (0..rng.gen_range(1..4))
            .map(|_| rule(rng, now, zone))
            .collect(),
    }
}
