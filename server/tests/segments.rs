//! The segment engine against the reference evaluator: random data sets × random segments of every
//! rule type must select exactly the same users, and hand-written cases pin each seed example and
//! each edge.

#[path = "segment_engine/random.rs"]
mod random;
#[path = "segment_engine/reference.rs"]
mod reference;

use std::collections::BTreeSet;

use app::model::FieldErrors;
use app::model::segment::Segment;
use jiff::tz::TimeZone;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use reference::{Data, Event, Profile, Reference};
use serde_json::{Value, json};
use server::segments::index::{ProfileState, properties_of};
use server::segments::{Context, SegmentIndex, evaluate};

/// 2026-11-28T15:00:00Z.
const NOW: i64 = 1_795_878_000_000;
const DAY: i64 = 86_400_000;
const HOUR: i64 = 3_600_000;

fn index_of(data: &Data) -> SegmentIndex {
    let mut index = SegmentIndex::default();
    for p in &data.profiles {
        index.set_profile(&ProfileState {
            id: p.id,
            identity: p.identity.as_deref(),
            email: p.email.as_deref(),
            data: &Value::Object(p.data.clone()).to_string(),
        });
    }
    for e in &data.events {
        index.add_event(e.profile_id, &e.name, e.ts, &properties_of(&e.data));
    }
    index
}

fn engine(segment: &Segment, index: &SegmentIndex, now: i64, zone: &TimeZone) -> BTreeSet<i64> {
    let users = evaluate(segment, index, Context { now_ms: now, zone });
    users.iter().map(|n| index.profile_id(n)).collect()
}

#[test]
fn the_engine_selects_exactly_the_users_the_reference_does() {
    let (mut compared, mut some_but_not_all) = (0, 0);
    for seed in 0..300u64 {
        let mut rng = StdRng::seed_from_u64(seed);
        let now = NOW + rng.gen_range(0..DAY);
        let zone = random::zone(&mut rng);
        let data = random::data(&mut rng, now);
        let index = index_of(&data);
        let reference = Reference {
            data: &data,
            now,
            zone: &zone,
        };
        for _ in 0..20 {
            let segment = random::segment(&mut rng, now, &zone);
            let mut errors = FieldErrors::default();
            segment.check("s", &mut errors);
            assert!(
                errors.is_empty(),
                "generated an invalid segment: {errors:?}"
            );
            let expected = reference.evaluate(&segment);
            let got = engine(&segment, &index, now, &zone);
            assert_eq!(
                got,
                expected,
                "seed {seed}, zone {:?}, now {now}: {}",
                zone.iana_name(),
                serde_json::to_string(&segment).unwrap()
            );
            compared += 1;
            if !expected.is_empty() && expected.len() < data.profiles.len() {
                some_but_not_all += 1;
            }
        }
    }
    assert_eq!(compared, 6000);
    // The random segments must discriminate, or agreeing would prove little.
    assert!(
        some_but_not_all > 1200,
        "{some_but_not_all} of 6000 split the users"
    );
}

/// A small world for the hand-written cases: `users` profiles numbered from 1, then events.
struct World {
    data: Data,
    zone: TimeZone,
}

impl World {
    fn new(users: i64) -> Self {
        Self {
            data: Data {
                profiles: (1..=users)
                    .map(|id| Profile {
                        id,
                        identity: Some(format!("user-{id}")),
                        email: None,
                        data: Default::default(),
                    })
                    .collect(),
                events: vec![],
            },
            zone: TimeZone::UTC,
        }
    }

    fn zone(mut self, name: &str) -> Self {
        self.zone = TimeZone::get(name).unwrap();
        self
    }

    fn event(mut self, user: i64, name: &str, ago_ms: i64, data: Value) -> Self {
        self.data.events.push(Event {
            profile_id: user,
            name: name.to_owned(),
            ts: NOW - ago_ms,
            data: data.as_object().unwrap().clone(),
        });
        self
    }

    fn profile(mut self, user: i64, data: Value) -> Self {
        let profile = self
            .data
            .profiles
            .iter_mut()
            .find(|p| p.id == user)
            .unwrap();
        profile.data = data.as_object().unwrap().clone();
        self
    }

    /// Who qualifies; the reference must agree with the engine.
    fn who(&self, segment: Value) -> Vec<i64> {
        let segment: Segment = serde_json::from_value(segment).unwrap();
        let mut errors = FieldErrors::default();
        segment.check("s", &mut errors);
        assert!(errors.is_empty(), "{errors:?}");
        let got = engine(&segment, &index_of(&self.data), NOW, &self.zone);
        let reference = Reference {
            data: &self.data,
            now: NOW,
            zone: &self.zone,
        }
        .evaluate(&segment);
        assert_eq!(got, reference, "engine and reference disagree");
        got.into_iter().collect()
    }
}

fn one(rule: Value) -> Value {
    json!({"match": "all", "rules": [rule]})
}

#[test]
fn seed_example_single_action_and_actions() {
    let world = World::new(3)
        .event(1, "App Launched", HOUR, json!({}))
        .event(2, "App Launched", HOUR, json!({}))
        .event(2, "Notification Viewed", HOUR, json!({}));
    assert_eq!(
        world.who(one(json!({"type": "did", "event": "App Launched"}))),
        [1, 2]
    );
    assert_eq!(
        world.who(json!({"match": "all", "rules": [
            {"type": "did", "event": "App Launched"},
            {"type": "did", "event": "Notification Viewed"}]})),
        [2]
    );
    assert_eq!(
        world.who(json!({"match": "any", "rules": [
            {"type": "did", "event": "Notification Viewed"},
            {"type": "did_not", "event": "App Launched"}]})),
        [2, 3]
    );
}

#[test]
fn seed_example_has_not_launched_the_app_in_three_days() {
    let world = World::new(4)
        .event(1, "App Launched", 4 * DAY, json!({}))
        .event(2, "App Launched", 4 * DAY, json!({}))
        .event(2, "App Launched", DAY, json!({}))
        .event(3, "App Launched", 3 * DAY - 1, json!({}));
    // 3 launched 3 days minus 1 ms ago: the three days have not yet passed. 4 never launched.
    let rule = json!({"type": "did_not_within", "after": {"event": "App Launched"},
        "event": "App Launched", "within": {"value": 3, "unit": "days"}});
    assert_eq!(world.who(one(rule)), [1]);
}

#[test]
fn seed_example_searched_a_flight_and_did_not_book_within_30_minutes() {
    let world = World::new(4)
        .event(1, "Searched", 2 * HOUR, json!({"to": "LIS"}))
        .event(2, "Searched", 2 * HOUR, json!({"to": "LIS"}))
        .event(2, "Booked", 2 * HOUR - 20 * 60_000, json!({}))
        .event(3, "Searched", 2 * HOUR, json!({"to": "LIS"}))
        .event(3, "Booked", 2 * HOUR - 40 * 60_000, json!({}))
        .event(4, "Searched", 10 * 60_000, json!({"to": "LIS"}));
    let rule = json!({"type": "did_not_within",
        "after": {"event": "Searched", "filters": [{"property": "to", "op": "equals", "value": "lis"}]},
        "event": "Booked", "within": {"value": 30, "unit": "minutes"}});
    // 2 booked within 30 minutes; 3 booked after 40; 4 searched 10 minutes ago (still waiting).
    assert_eq!(world.who(one(rule)), [1, 3]);
}

#[test]
fn seed_example_launched_but_did_not_view_a_notification() {
    let world = World::new(3)
        .event(1, "App Launched", HOUR, json!({}))
        .event(2, "App Launched", HOUR, json!({}))
        .event(2, "Notification Viewed", HOUR, json!({}))
        .event(3, "Notification Viewed", HOUR, json!({}));
    assert_eq!(
        world.who(json!({"match": "all", "rules": [
            {"type": "did", "event": "App Launched"},
            {"type": "did_not", "event": "Notification Viewed"}]})),
        [1]
    );
}

#[test]
fn seed_example_purchased_and_three_days_have_passed() {
    // Today is 2026-11-28 (UTC); the purchase dates are event properties in each accepted form.
    let world = World::new(5)
        .event(
            1,
            "Charged",
            3 * DAY,
            json!({"Purchase Date": "2026-11-25"}),
        )
        .event(
            2,
            "Charged",
            3 * DAY,
            json!({"Purchase Date": "$D_1795564800"}),
        )
        .event(
            3,
            "Charged",
            2 * DAY,
            json!({"Purchase Date": "2026-11-26T08:00:00Z"}),
        )
        .event(
            4,
            "Charged",
            3 * DAY,
            json!({"Purchase Date": "not a date"}),
        )
        .profile(5, json!({"Purchase Date": "2026-11-25"}));
    let rule = json!({"type": "date_property", "property": "Purchase Date", "event": "Charged",
        "op": "days_after", "days": 3});
    // $D_1795564800 is 2026-11-25T00:00:00Z.
    assert_eq!(world.who(one(rule)), [1, 2]);
    let profile_rule = json!({"type": "date_property", "property": "Purchase Date",
        "op": "days_after", "days": 3});
    assert_eq!(world.who(one(profile_rule)), [5]);
}

#[test]
fn seed_example_purchased_and_lives_in_canada() {
    let world = World::new(3)
        .event(1, "Charged", HOUR, json!({}))
        .event(2, "Charged", HOUR, json!({}))
        .profile(1, json!({"Country": "Canada"}))
        .profile(2, json!({"Country": "France"}))
        .profile(3, json!({"Country": "canada"}));
    assert_eq!(
        world.who(json!({"match": "all", "rules": [
            {"type": "did", "event": "Charged"},
            {"type": "profile", "property": "Country", "op": "equals", "value": "CANADA"}]})),
        [1]
    );
}

#[test]
fn at_most_needs_at_least_one() {
    let world = World::new(4)
        .event(1, "Viewed", HOUR, json!({}))
        .event(2, "Viewed", HOUR, json!({}))
        .event(2, "Viewed", HOUR, json!({}))
        .event(3, "Viewed", HOUR, json!({}))
        .event(3, "Viewed", HOUR, json!({}))
        .event(3, "Viewed", HOUR, json!({}));
    let at_most_two =
        json!({"type": "did", "event": "Viewed", "count": {"op": "at_most", "value": 2}});
    assert_eq!(world.who(one(at_most_two)), [1, 2]);
    let exactly_three =
        json!({"type": "did", "event": "Viewed", "count": {"op": "exactly", "value": 3}});
    assert_eq!(world.who(one(exactly_three)), [3]);
}

#[test]
fn days_begin_at_midnight_in_the_project_time_zone() {
    // NOW is 2026-11-28T15:00Z; in Auckland (UTC+13) it is already 2026-11-29 04:00.
    let world = World::new(2)
        .event(1, "Viewed", 15 * HOUR + 1, json!({})) // 2026-11-27T23:59:59.999Z
        .event(2, "Viewed", 15 * HOUR, json!({})); // 2026-11-28T00:00Z
    let on_the_28th = one(json!({"type": "did", "event": "Viewed",
        "window": {"type": "between", "from": "2026-11-28", "to": "2026-11-28"}}));
    assert_eq!(world.who(on_the_28th.clone()), [2]);
    // In Auckland both instants fall on the 28th (11:00 and 13:00 local).
    let auckland = World {
        zone: TimeZone::get("Pacific/Auckland").unwrap(),
        ..world
    };
    assert_eq!(auckland.who(on_the_28th), [1, 2]);
}

#[test]
fn birthdays_on_month_ends_and_leap_days() {
    // Today in New York is 2026-11-28; 3 days before the 1st of December.
    let world = World::new(3)
        .zone("America/New_York")
        .profile(1, json!({"Renewal": "2026-12-01"}))
        .profile(2, json!({"Renewal": "2026-11-30T23:00:00-05:00"}))
        .profile(3, json!({"Renewal": "2026-12-01T03:00:00Z"}));
    let three_days_before = one(json!({"type": "date_property", "property": "Renewal",
        "op": "days_before", "days": 3}));
    // 3's renewal is 2026-11-30 22:00 in New York: 2 days away.
    assert_eq!(world.who(three_days_before), [1]);
    let leap = World::new(2)
        .profile(1, json!({"Since": "2024-02-29"}))
        .profile(2, json!({"Since": "2024-02-28"}));
    // 2024-02-29 + 1003 days = 2026-11-28.
    let days_after = one(json!({"type": "date_property", "property": "Since",
        "op": "days_after", "days": 1003}));
    assert_eq!(leap.who(days_after), [1]);
    // Dates before 1970 are dates too: 1965-03-12 + 22,541 days = 2026-11-28.
    let old = World::new(2)
        .profile(1, json!({"Born": "1965-03-12"}))
        .profile(2, json!({"Born": "1965-03-12T00:00:00"}));
    let days = one(
        json!({"type": "date_property", "property": "Born", "op": "days_after", "days": 22541}),
    );
    assert_eq!(old.who(days), [1, 2]);
}

#[test]
fn missing_properties_and_numbers_stored_as_text() {
    let world = World::new(4)
        .profile(1, json!({"Age": "42"}))
        .profile(2, json!({"Age": 42.0}))
        .profile(3, json!({"Age": "forty"}));
    let older = |op: &str, value: Value| {
        world.who(one(
            json!({"type": "profile", "property": "Age", "op": op, "value": value}),
        ))
    };
    assert_eq!(older("greater_than", json!(41)), [1, 2]);
    assert_eq!(older("equals", json!("42")), [1, 2]);
    assert_eq!(older("between", json!([40, "42"])), [1, 2]);
    // A missing property does not equal anything, so "not equals" holds for it.
    assert_eq!(older("not_equals", json!(42)), [3, 4]);
    assert_eq!(older("not_exists", Value::Null), [4]);
    assert_eq!(older("in", json!(["FORTY", 7])), [3]);
    assert_eq!(older("not_in", json!(["forty", 42])), [4]);
}

#[test]
fn identity_and_email_are_profile_properties() {
    let mut world = World::new(2);
    world.data.profiles[1].email = Some("Ann@Example.com".into());
    assert_eq!(
        world.who(one(
            json!({"type": "profile", "property": "Email", "op": "contains",
            "value": "@example.COM"})
        )),
        [2]
    );
    assert_eq!(
        world.who(one(
            json!({"type": "profile", "property": "Identity", "op": "equals",
            "value": "USER-1"})
        )),
        [1]
    );
}
