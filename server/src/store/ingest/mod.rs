//! Writing an upload's valid records: profiles resolved (created when new) by the id the record names,
//! profile properties merged, events appended, live triggers recorded. An upload is stored whole or
//! not at all.
//!
//! Uploads are written by a thread of their own on a connection of their own (`writer`), with
//! prepared statements kept from one upload to the next: a thousand records are a few thousand
//! statement steps, each a microsecond or two, where a round trip through the async pool costs tens.
//! Uploads waiting together share a transaction (`group`); the WAL they fill is checkpointed beside
//! the writer (`checkpointer`).

mod batch;
mod checkpointer;
mod group;
mod known_users;
mod users;
mod writer;

pub use writer::IngestWriter;

use super::segments::ProfileRow;

/// How a record names its user: exactly one of these. Ordered by kind (in this order), then id.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum UserRef {
    Identity(String),
    ObjectId(String),
    Fbid(String),
    Gpid(String),
}

/// What a record says. Properties are kept as JSON text, serialised once here, as they are stored.
#[derive(Debug, Clone, PartialEq)]
pub enum RecordBody {
    Event {
        name: String,
        /// `evtData`, a JSON object.
        data: String,
        /// Its properties' names and texts, for the segment index (read once, with the upload).
        properties: Vec<(String, String)>,
    },
    /// `email` and `push_token` are lifted out of `profileData` into their own columns.
    Profile {
        email: Option<String>,
        push_token: Option<String>,
        /// The rest of `profileData`, a JSON object.
        data: String,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    pub user: UserRef,
    /// Unix milliseconds.
    pub ts_ms: i64,
    pub body: RecordBody,
}

/// What an upload changed, for the segment index: each record's profile id, and the state after the
/// upload of every profile it created or updated.
#[derive(Debug, Default)]
pub struct Stored {
    /// The upload's place in the order uploads were committed (from 0, consecutive): changes reach
    /// the segment index in that order.
    pub commit: u64,
    pub profile_ids: Vec<i64>,
    pub profiles: Vec<ProfileRow>,
}

/// Why an upload was not stored (its transaction rolled back: nothing of it was written).
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error(transparent)]
    Sqlite(#[from] rusqlite::Error),
    /// The transaction shared with other uploads failed (all of them rolled back).
    #[error(transparent)]
    Group(std::sync::Arc<rusqlite::Error>),
    #[error("the ingest writer has stopped")]
    Stopped,
    #[error("the ingest writer failed while storing an upload")]
    Panicked,
}
