//! Reach estimates on a large data set: the segment index filled with 1M profiles and 20M events
//! (through the same `set_profile` / `add_event` calls that loading and ingestion use), then each of
//! the six kinds of segment evaluated repeatedly; prints the build rate, each kind's median and p95,
//! and the process's memory.
//!
//! `cargo bench --locked -p server --bench segments [-- PROFILES EVENTS]`

#[path = "support/memory.rs"]
mod memory;

use std::time::{Duration, Instant};

use app::model::segment::Segment;
use jiff::tz::TimeZone;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::json;
use server::segments::index::{ProfileState, properties_of_text};
use server::segments::{Context, SegmentIndex, evaluate};

use memory::memory;

/// 2026-11-28T12:00:00Z.
const NOW: i64 = 1_795_867_200_000;
const DAY: i64 = 86_400_000;
const RUNS: usize = 21;

/// Event names with their share of all events (in thousandths); the rest is spread over 14 others.
const COMMON: [(&str, u32); 6] = [
    ("App Launched", 300),
    ("Viewed Product", 200),
    ("Added To Cart", 80),
    ("Charged", 40),
    ("Notification Viewed", 60),
    ("Searched", 120),
];
const CATEGORIES: [&str; 8] = [
    "shoes", "bags", "books", "games", "garden", "music", "phones", "toys",
];
const COUNTRIES: [&str; 6] = ["CA", "US", "FR", "DE", "IN", "BR"];

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1).filter(|a| !a.starts_with('-'));
    let profiles: i64 = args.next().map_or(Ok(1_000_000), |a| a.parse())?;
    let events: u64 = args.next().map_or(Ok(20_000_000), |a| a.parse())?;
    let rss_start = memory("VmRSS")?;
    let started = Instant::now();
    let index = build(profiles, events);
    let built = started.elapsed();
    let rss = memory("VmRSS")?;
    println!(
        "index of {profiles} profiles and {events} events built in {:.1} s ({:.0} events/s); \
         RSS {} MiB (index ≈ {} MiB), peak {} MiB",
        built.as_secs_f64(),
        events as f64 / built.as_secs_f64(),
        rss / 1024,
        rss.saturating_sub(rss_start) / 1024,
        memory("VmHWM")? / 1024
    );
    let zone = TimeZone::get("America/New_York")?;
    let cx = Context {
        now_ms: NOW,
        zone: &zone,
    };
    println!(
        "{:<30} {:>10} {:>10} {:>10}",
        "kind", "qualifying", "median", "p95"
    );
    for (kind, segment) in kinds() {
        let segment: Segment = serde_json::from_value(segment)?;
        let mut times = Vec::with_capacity(RUNS);
        let mut qualifying = 0;
        for _ in 0..RUNS {
            let started = Instant::now();
            qualifying = evaluate(&segment, &index, cx).count();
            times.push(started.elapsed());
        }
        times.sort();
        println!(
            "{kind:<30} {qualifying:>10} {:>10} {:>10}",
            ms(times[RUNS / 2]),
            ms(times[RUNS * 95 / 100])
        );
    }
    println!("RSS after the queries: {} MiB", memory("VmRSS")? / 1024);
    Ok(())
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

/// One segment of each of the six kinds, as the wizard builds them.
fn kinds() -> Vec<(&'static str, serde_json::Value)> {
    let last_30 = json!({"type": "last_days", "days": 30});
    vec![
        (
            "Single action",
            json!({"match": "all", "rules": [
            {"type": "did", "event": "Charged", "count": {"op": "at_least", "value": 2},
             "filters": [{"property": "amount", "op": "greater_than", "value": 50}],
             "window": last_30}]}),
        ),
        (
            "Actions",
            json!({"match": "all", "rules": [
            {"type": "did", "event": "App Launched", "window": {"type": "last_days", "days": 7}},
            {"type": "did", "event": "Viewed Product",
             "filters": [{"property": "category", "op": "equals", "value": "Shoes"}]}]}),
        ),
        (
            "Inaction within time",
            json!({"match": "all", "rules": [
            {"type": "did_not_within", "after": {"event": "Added To Cart"}, "event": "Charged",
             "within": {"value": 2, "unit": "hours"}, "window": last_30}]}),
        ),
        (
            "Inaction",
            json!({"match": "all", "rules": [
            {"type": "did", "event": "App Launched", "window": last_30},
            {"type": "did_not", "event": "Notification Viewed", "window": last_30}]}),
        ),
        (
            "Date time property",
            json!({"match": "any", "rules": [
            {"type": "date_property", "property": "Purchase Date", "event": "Charged",
             "op": "days_after", "days": 3},
            {"type": "date_property", "property": "Birthday", "op": "on"}]}),
        ),
        (
            "Actions with user properties",
            json!({"match": "all", "rules": [
            {"type": "did", "event": "Charged"},
            {"type": "profile", "property": "Country", "op": "in", "value": ["CA", "US"]},
            {"type": "profile", "property": "Age", "op": "between", "value": [25, 40]}]}),
        ),
    ]
}

fn build(profiles: i64, events: u64) -> SegmentIndex {
    let mut rng = StdRng::seed_from_u64(7);
    let mut index = SegmentIndex::default();
    for id in 1..=profiles {
        let data = format!(
            r#"{{"Country":"{}","Age":{},"Birthday":"{}-{:02}-{:02}","Plan":"{}"}}"#,
            COUNTRIES[rng.gen_range(0..COUNTRIES.len())],
            rng.gen_range(18..80),
            rng.gen_range(1950..2008),
            rng.gen_range(1..13),
            rng.gen_range(1..29),
            ["free", "gold", "silver"][rng.gen_range(0..3)]
        );
        index.set_profile(&ProfileState {
            id,
            identity: None,
            email: None,
            data: &data,
        });
    }
    for _ in 0..events {
        let profile = rng.gen_range(1..=profiles);
        let ts = NOW - rng.gen_range(0..90 * DAY);
        let pick = rng.gen_range(0..1000);
        let mut acc = 0;
        let name = COMMON
            .iter()
            .find(|(_, share)| {
                acc += share;
                pick < acc
            })
            .map_or_else(
                || format!("Other {}", rng.gen_range(0..14)),
                |(n, _)| (*n).to_owned(),
            );
        let category = CATEGORIES[rng.gen_range(0..CATEGORIES.len())];
        let data = match name.as_str() {
            "Charged" => format!(
                r#"{{"amount":{},"category":"{category}","Purchase Date":"$D_{}"}}"#,
                rng.gen_range(1..200),
                (ts / 1000) - (ts / 1000) % 86_400
            ),
            "Viewed Product" => format!(
                r#"{{"category":"{category}","price":{}}}"#,
                rng.gen_range(1..200)
            ),
            "Added To Cart" => format!(r#"{{"amount":{}}}"#, rng.gen_range(1..200)),
            "App Launched" => format!(r#"{{"os":"{}"}}"#, ["ios", "android"][rng.gen_range(0..2)]),
            _ => format!(r#"{{"screen":"s{}"}}"#, rng.gen_range(0..30)),
        };
        index.add_event(profile, &name, ts, &properties_of_text(&data));
    }
    index
}
