//! Which live campaigns an ingested event triggers: by the event's name, then its properties against
//! the trigger's filters, while the campaign is between its start and end. Consulted by ingestion for
//! every upload before it is stored, so it must be cheap: a map by event name, predicates compiled once.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use app::model::segment::Filter;

use crate::segments::predicate::Predicate;
use crate::segments::value::Scalar;
use crate::store::ingest::{Record, RecordBody};
use crate::store::live::NewTrigger;

/// How long before a campaign went live an event may have happened and still trigger it: clients
/// send times in whole seconds, and their clocks are a little off.
const CLOCK_SLACK_MS: i64 = 60_000;

/// A running, unpaused live campaign's trigger.
#[derive(Debug, Clone)]
pub struct LiveTrigger {
    pub campaign_id: i64,
    pub event: String,
    filters: Vec<(String, Predicate)>,
    /// Events received before this (unix ms: when it went live, or its start) trigger nothing, nor
    /// do events that happened before it (a minute's slack aside), so a backfill of old events does
    /// not send.
    pub since: i64,
    /// Events received from this time on trigger nothing.
    pub until: Option<i64>,
    /// How long after the trigger it is decided.
    pub wait_ms: i64,
}

impl LiveTrigger {
    pub fn new(
        campaign_id: i64,
        event: &str,
        filters: &[Filter],
        since: i64,
        until: Option<i64>,
        wait_ms: i64,
    ) -> Self {
        Self {
            campaign_id,
            event: event.trim().to_owned(),
            filters: filters
                .iter()
                .map(|f| (f.property.trim().to_owned(), Predicate::new(f)))
                .collect(),
            since,
            until,
            wait_ms,
        }
    }

    /// Whether an event with these properties (name and text) passes every filter.
    pub fn passes(&self, properties: &[(String, String)]) -> bool {
        self.filters.iter().all(|(name, predicate)| {
            let value = properties
                .iter()
                .find(|(p, _)| p == name)
                .map(|(_, text)| Scalar::new(Arc::from(text.as_str())));
            predicate.test(value.as_ref())
        })
    }
}

/// The live triggers by event name, replaced whole when a live campaign is published, paused,
/// resumed or stopped.
#[derive(Debug, Default)]
pub struct LiveMatcher(RwLock<Arc<HashMap<String, Vec<LiveTrigger>>>>);

impl LiveMatcher {
    pub fn replace(&self, triggers: Vec<LiveTrigger>) {
        let mut by_event: HashMap<String, Vec<LiveTrigger>> = HashMap::new();
        for t in triggers {
            by_event.entry(t.event.clone()).or_default().push(t);
        }
        *self.0.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(by_event);
    }

    /// The triggers `records` make when received at `now`.
    pub fn triggers(&self, records: &[Record], now: i64) -> Vec<NewTrigger> {
        let by_event = self.0.read().unwrap_or_else(|e| e.into_inner()).clone();
        if by_event.is_empty() {
            return Vec::new();
        }
        let mut made = Vec::new();
        for (i, record) in records.iter().enumerate() {
            let RecordBody::Event {
                name, properties, ..
            } = &record.body
            else {
                continue;
            };
            for t in by_event.get(name).into_iter().flatten() {
                if record.ts_ms >= t.since - CLOCK_SLACK_MS
                    && now >= t.since
                    && t.until.is_none_or(|until| now < until)
                    && t.passes(properties)
                {
                    made.push(NewTrigger {
                        record: i,
                        campaign_id: t.campaign_id,
                        due_at: now.saturating_add(t.wait_ms),
                    });
                }
            }
        }
        made
    }
}

#[cfg(test)]
mod tests {
    use app::model::segment::Op;
    use serde_json::json;

    use super::*;
    use crate::store::ingest::UserRef;

    fn event(name: &str, ts: i64, properties: &[(&str, &str)]) -> Record {
        Record {
            user: UserRef::Identity("u1".into()),
            ts_ms: ts,
            body: RecordBody::Event {
                name: name.into(),
                data: "{}".into(),
                properties: properties
                    .iter()
                    .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                    .collect(),
            },
        }
    }

    #[test]
    fn triggers_by_name_filters_and_time() {
        let matcher = LiveMatcher::default();
        let amount = Filter {
            property: "amount".into(),
            op: Op::GreaterThan,
            value: json!(100),
        };
        matcher.replace(vec![
            LiveTrigger::new(1, "Cart", &[amount], 1_000, Some(5_000), 60_000),
            LiveTrigger::new(2, "Cart", &[], 1_000, None, 0),
        ]);
        let records = [
            event("Cart", 2_000, &[("amount", "250")]),
            event("Cart", 2_000, &[("amount", "20")]),
            event("Other", 2_000, &[]),
            event("Cart", 1_000 - 60_001, &[("amount", "250")]),
        ];
        let made = matcher.triggers(&records, 3_000);
        let got: Vec<(usize, i64, i64)> = made
            .iter()
            .map(|t| (t.record, t.campaign_id, t.due_at))
            .collect();
        assert_eq!(got, [(0, 1, 63_000), (0, 2, 3_000), (1, 2, 3_000)]);
        assert_eq!(
            matcher.triggers(&records[..1], 5_000).len(),
            1,
            "campaign 1 has ended"
        );
        matcher.replace(Vec::new());
        assert!(matcher.triggers(&records, 3_000).is_empty());
    }
}
