//! The ingestion benchmark's two upload sets, as bodies of `POST /1/upload`: the original one (events
//! only, 5 names, 3 flat properties, few users) and a realistic mix (many distinct users per request,
//! profiles and events mixed, 12 event names, nested `evtData` and `profileData`).

use serde_json::{Value, json};

pub const RECORDS_PER_REQUEST: usize = 1000;

/// Uploads and what storing them must leave in the database.
pub struct Dataset {
    pub label: &'static str,
    pub bodies: Vec<Vec<u8>>,
    pub events: usize,
    pub profile_records: usize,
}

impl Dataset {
    fn new(label: &'static str, records: Vec<Vec<Value>>) -> Self {
        let is_event = |r: &&Value| r["type"] == "event";
        let events = records.iter().flatten().filter(is_event).count();
        let total: usize = records.iter().map(Vec::len).sum();
        Self {
            label,
            bodies: records
                .iter()
                .map(|d| serde_json::to_vec(&json!({ "d": d })).expect("JSON literal"))
                .collect(),
            events,
            profile_records: total - events,
        }
    }

    pub fn records(&self) -> usize {
        self.events + self.profile_records
    }
}

const FLAT_EVENT_NAMES: [&str; 5] = [
    "App Launched",
    "Charged",
    "Product Viewed",
    "Added To Cart",
    "Searched",
];

/// `requests` uploads of events of `users` users spread over the last 30 days.
pub fn flat_events(requests: usize, users: usize) -> Dataset {
    let uploads = (0..requests)
        .map(|request| {
            (0..RECORDS_PER_REQUEST)
                .map(|i| {
                    let n = request * RECORDS_PER_REQUEST + i;
                    json!({
                        "identity": format!("user-{}", (n * 7919) % users),
                        "ts": 1_790_000_000 + (n % 2_592_000) as i64,
                        "type": "event",
                        "evtName": FLAT_EVENT_NAMES[n % FLAT_EVENT_NAMES.len()],
                        "evtData": {"Amount": n % 500, "Currency": "EUR", "Category": format!("c{}", n % 17)},
                    })
                })
                .collect()
        })
        .collect();
    Dataset::new("benchmark's data", uploads)
}

const MIX_EVENT_NAMES: [&str; 12] = [
    "App Launched",
    "Charged",
    "Product Viewed",
    "Added To Cart",
    "Searched",
    "Notification Clicked",
    "Subscription Renewed",
    "Video Played",
    "Coupon Applied",
    "Checkout Started",
    "Rating Submitted",
    "Session Ended",
];

/// `requests` uploads drawn at random from `users` users (with the defaults, 43 % of the records name a
/// user not seen before: nearly all in the first uploads, one in seven in the last), one record in five a
/// profile update, users named by identity or by objectId.
pub fn realistic_mix(requests: usize, users: usize) -> Dataset {
    let mut random = SplitMix(0x5eed);
    let uploads = (0..requests)
        .map(|request| {
            (0..RECORDS_PER_REQUEST)
                .map(|i| {
                    let n = request * RECORDS_PER_REQUEST + i;
                    let user = random.below(users);
                    let ts = 1_790_000_000 + random.below(2_592_000) as i64;
                    let mut record = if random.below(5) == 0 {
                        profile_update(user, n, &mut random)
                    } else {
                        nested_event(n, &mut random)
                    };
                    // One user in ten is known by the objectId an SDK gave it.
                    if user.is_multiple_of(10) {
                        record["objectId"] = json!(format!("__{user:032x}"));
                    } else {
                        record["identity"] = json!(format!("customer-{user}"));
                    }
                    record["ts"] = json!(ts);
                    record
                })
                .collect()
        })
        .collect();
    Dataset::new("realistic mix", uploads)
}

fn nested_event(n: usize, random: &mut SplitMix) -> Value {
    let name = MIX_EVENT_NAMES[random.below(MIX_EVENT_NAMES.len())];
    let items: Vec<Value> = (0..1 + random.below(3))
        .map(|k| json!({"sku": format!("SKU-{}", random.below(5000)), "qty": 1 + k, "price": random.below(20000) as f64 / 100.0}))
        .collect();
    let currency = ["EUR", "USD", "GBP"][random.below(3)];
    let os = ["android", "ios", "web"][random.below(3)];
    json!({
        "type": "event",
        "evtName": name,
        "evtData": {
            "Amount": random.below(50_000) as f64 / 100.0,
            "Currency": currency,
            "Category": format!("category-{}", random.below(40)),
            "First Time": random.below(2) == 0,
            "Items": items,
            "Device": {"os": os, "version": format!("{}.{}", 10 + random.below(8), random.below(10)), "app": {"build": n % 977, "channel": "store"}},
            "Campaign": {"source": "newsletter", "medium": "email", "term": null},
        },
    })
}

fn profile_update(user: usize, n: usize, random: &mut SplitMix) -> Value {
    let plan = ["free", "pro", "team"][random.below(3)];
    let country = ["FR", "DE", "US", "GB"][random.below(4)];
    json!({
        "type": "profile",
        "profileData": {
            "Name": format!("Customer {user}"),
            "Email": format!("customer{user}@example.com"),
            "Plan": plan,
            "Score": random.below(1000),
            "Newsletter": n.is_multiple_of(2),
            "Address": {"city": format!("City {}", random.below(300)), "country": country},
            "Tags": ["early", "mobile"],
        },
    })
}

/// A small, seeded random source, so every run and every binary sends the same uploads.
struct SplitMix(u64);

impl SplitMix {
    fn below(&mut self, bound: usize) -> usize {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^= z >> 31;
        (z % bound as u64) as usize
    }
}
