//! CleverTap-compatible ingestion: an upload's records are validated one by one; the valid ones are stored
//! in one transaction, the others are reported back with CleverTap's error codes.
//!
//! Uploads are parsed and validated concurrently but stored one at a time, in turn with the other busy
//! writers (`store::write_gate`): SQLite has a single writer, and queueing on an async lock is far
//! cheaper than transactions colliding in SQLite's busy handler.

pub mod credentials;
pub mod record;

use serde::Serialize;
use serde_json::Value;

use std::sync::Arc;

use tokio::sync::Notify;

use crate::clock::SharedClock;
use crate::live::LiveMatcher;
use crate::segments::index::ProfileState;
use crate::segments::{SegmentIndex, SharedIndex};
use crate::store::ingest::{RecordBody, Stored};
use crate::store::write_gate::WriteGate;
use crate::store::{self, Db};

/// Most records accepted in one upload, as CleverTap's API.
pub const MAX_RECORDS: usize = 1000;

#[derive(Debug, Serialize)]
pub struct UploadOutcome {
    pub status: &'static str,
    pub processed: usize,
    pub unprocessed: Vec<Unprocessed>,
}

#[derive(Debug, Serialize)]
pub struct Unprocessed {
    pub status: &'static str,
    pub code: u16,
    pub error: String,
    pub record: Value,
}

/// Why a whole upload was refused (nothing of it is stored).
#[derive(Debug, thiserror::Error)]
pub enum UploadError {
    #[error("the body is not valid JSON: {0}")]
    NotJson(String),
    #[error("the body must be an object with a \"d\" array of records, like {{\"d\":[...]}}")]
    NoRecordList,
    #[error("{0} records in one upload; send at most {MAX_RECORDS}")]
    TooManyRecords(usize),
    #[error("the records could not be stored")]
    Store(#[from] sqlx::Error),
}

/// Where stored events go besides SQLite: the segment index, and the live campaigns they trigger
/// (`wake` tells the live worker a trigger was written).
#[derive(Clone)]
pub struct Listeners {
    pub index: Arc<SharedIndex>,
    pub live: Arc<LiveMatcher>,
    pub live_wake: Arc<Notify>,
    /// `hookline_ingested_events_total`.
    pub ingested_events: prometheus::IntCounter,
}

pub struct Ingestor {
    db: Db,
    clock: SharedClock,
    writes: WriteGate,
    listeners: Listeners,
}

impl Ingestor {
    pub fn new(db: Db, clock: SharedClock, writes: WriteGate, listeners: Listeners) -> Self {
        Self {
            db,
            clock,
            writes,
            listeners,
        }
    }

    pub async fn upload(&self, body: &[u8]) -> Result<UploadOutcome, UploadError> {
        let (valid, unprocessed) = validate(body)?;
        let processed = valid.len();
        if !valid.is_empty() {
            // Stored and indexed in a task of its own: a client that hangs up cannot stop it between
            // the commit and the index, which would then miss rows SQLite has.
            let store = Store {
                db: self.db.clone(),
                clock: self.clock.clone(),
                writes: self.writes.clone(),
                listeners: self.listeners.clone(),
            };
            match tokio::spawn(store.run(valid)).await {
                Ok(stored) => stored?,
                Err(e) => std::panic::resume_unwind(e.into_panic()),
            }
        }
        Ok(UploadOutcome {
            status: "success",
            processed,
            unprocessed,
        })
    }
}

/// What storing an upload needs, owned by its task.
struct Store {
    db: Db,
    clock: SharedClock,
    writes: WriteGate,
    listeners: Listeners,
}

impl Store {
    async fn run(self, valid: Vec<record::Record>) -> Result<(), UploadError> {
        let (stored, mut index, triggered) = {
            let _turn = self.writes.enter().await;
            let now = self.clock.now_ms();
            // Written with the records: a trigger is as durable as the upload's answer.
            let triggers = self.listeners.live.triggers(&valid, now);
            let stored = match store::ingest::store_batch(&self.db, &valid, &triggers, now).await {
                Ok(stored) => stored,
                // The write transaction takes the lock first, so this is rare (a lock held past the
                // busy timeout); the batch rolled back whole and is tried once more.
                Err(e) if store::is_busy(&e) => {
                    tracing::warn!(error = %e, "upload: the database was busy; trying once more");
                    store::ingest::store_batch(&self.db, &valid, &triggers, now).await?
                }
                Err(e) => return Err(e.into()),
            };
            // In line for the index before the next upload's turn: uploads reach the index in the
            // order they were stored, while the next one is already being stored.
            let index = self.listeners.index.write().await;
            (stored, index, !triggers.is_empty())
        };
        index_batch(&mut index, &valid, &stored);
        drop(index);
        let events = valid
            .iter()
            .filter(|r| matches!(r.body, record::RecordBody::Event { .. }))
            .count();
        self.listeners
            .ingested_events
            .inc_by(u64::try_from(events).unwrap_or(0));
        if triggered {
            self.listeners.live_wake.notify_one();
        }
        Ok(())
    }
}

/// Brings the segment index up to date with a stored upload.
fn index_batch(index: &mut SegmentIndex, records: &[record::Record], stored: &Stored) {
    for p in &stored.profiles {
        index.set_profile(&ProfileState {
            id: p.id,
            identity: p.identity.as_deref(),
            email: p.email.as_deref(),
            data: &p.profile_data,
        });
    }
    for (record, &profile_id) in records.iter().zip(&stored.profile_ids) {
        if let RecordBody::Event {
            name, properties, ..
        } = &record.body
        {
            index.add_event(profile_id, name, record.ts_ms, properties);
        }
    }
}

/// The upload's valid records, and the refused ones with their reasons.
fn validate(body: &[u8]) -> Result<(Vec<record::Record>, Vec<Unprocessed>), UploadError> {
    let mut payload: Value =
        serde_json::from_slice(body).map_err(|e| UploadError::NotJson(e.to_string()))?;
    let Some(Value::Array(items)) = payload.get_mut("d").map(Value::take) else {
        return Err(UploadError::NoRecordList);
    };
    if items.len() > MAX_RECORDS {
        return Err(UploadError::TooManyRecords(items.len()));
    }
    let mut valid = Vec::with_capacity(items.len());
    let mut unprocessed = Vec::new();
    for item in items {
        match record::parse(&item) {
            Ok(record) => valid.push(record),
            Err(rejection) => unprocessed.push(Unprocessed {
                status: "fail",
                code: rejection.code,
                error: rejection.error,
                record: item,
            }),
        }
    }
    Ok((valid, unprocessed))
}
