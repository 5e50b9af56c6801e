//! CleverTap-compatible ingestion: an upload's records are validated one by one; the valid ones are stored
//! together (all or none), the others are reported back with CleverTap's error codes.
//!
//! Uploads are parsed and validated concurrently and stored by the ingest writer
//! (`store::ingest::IngestWriter`), which commits the uploads waiting together in one transaction, in
//! turn with the other busy writers (`store::write_gate`). Their changes then reach the segment index
//! in commit order (`commit_order`).

mod commit_order;
pub mod credentials;
pub mod json;
pub mod record;
mod stored_json;

use serde::Serialize;
use serde_json::Value;

use std::sync::Arc;

use tokio::sync::Notify;

use crate::clock::SharedClock;
use crate::live::LiveMatcher;
use crate::segments::index::ProfileState;
use crate::segments::{SegmentIndex, SharedIndex};
use crate::store::ingest::{IngestWriter, RecordBody, Stored, WriteError};
use commit_order::CommitOrder;
use json::Json;

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
    Store(#[from] WriteError),
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
    writer: IngestWriter,
    clock: SharedClock,
    listeners: Listeners,
    commit_order: Arc<CommitOrder>,
}

impl Ingestor {
    pub fn new(writer: IngestWriter, clock: SharedClock, listeners: Listeners) -> Self {
        Self {
            writer,
            clock,
            listeners,
            commit_order: Arc::default(),
        }
    }

    pub async fn upload(&self, body: &[u8]) -> Result<UploadOutcome, UploadError> {
        let (valid, unprocessed) = validate(body)?;
        let processed = valid.len();
        if !valid.is_empty() {
            // Stored and indexed in a task of its own: a client that hangs up cannot stop it between
            // the commit and the index, which would then miss rows SQLite has.
            let store = Store {
                writer: self.writer.clone(),
                clock: self.clock.clone(),
                listeners: self.listeners.clone(),
                commit_order: self.commit_order.clone(),
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
    writer: IngestWriter,
    clock: SharedClock,
    listeners: Listeners,
    commit_order: Arc<CommitOrder>,
}

impl Store {
    async fn run(self, valid: Vec<record::Record>) -> Result<(), UploadError> {
        let valid: Arc<[record::Record]> = valid.into();
        let now = self.clock.now_ms();
        // Written with the records: a trigger is as durable as the upload's answer.
        let triggers = self.listeners.live.triggers(&valid, now);
        let triggered = !triggers.is_empty();
        let stored = self.writer.store(valid.clone(), triggers, now).await?;
        {
            let _turn = self.commit_order.turn(stored.commit).await;
            let mut index = self.listeners.index.write().await;
            index_batch(&mut index, &valid, &stored);
        }
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
pub fn index_batch(index: &mut SegmentIndex, records: &[record::Record], stored: &Stored) {
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

/// The upload's records, parsed: the `"d"` array of `{"d":[...]}`.
pub fn records<'a>(payload: &'a Json<'a>) -> Result<&'a [Json<'a>], UploadError> {
    let Some(Json::Array(items)) = payload.as_object().and_then(|o| o.get("d")) else {
        return Err(UploadError::NoRecordList);
    };
    if items.len() > MAX_RECORDS {
        return Err(UploadError::TooManyRecords(items.len()));
    }
    Ok(items)
}

/// The upload's valid records, and the refused ones with their reasons.
fn validate(body: &[u8]) -> Result<(Vec<record::Record>, Vec<Unprocessed>), UploadError> {
    let payload = Json::parse(body).map_err(|e| UploadError::NotJson(e.to_string()))?;
    let items = records(&payload)?;
    let mut valid = Vec::with_capacity(items.len());
    let mut unprocessed = Vec::new();
    for item in items {
        match record::parse(item) {
            Ok(record) => valid.push(record),
            Err(rejection) => unprocessed.push(Unprocessed {
                status: "fail",
                code: rejection.code,
                error: rejection.error,
                record: item.to_value(),
            }),
        }
    }
    Ok((valid, unprocessed))
}
