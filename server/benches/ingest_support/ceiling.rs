//! SQLite's own bulk-insert ceiling for an upload set: the rows the product would leave (one profile per
//! distinct user with its merged properties, one row per event, the event names) written into the same
//! schema, with the ingest writer's pragmas (WAL, `synchronous=NORMAL`, foreign keys, a 64 MiB page
//! cache), the fastest plain way — one prepared statement per table, reused, in one transaction, no
//! HTTP, no JSON, no async.

use std::collections::HashMap;
use std::path::Path;
use std::time::{Duration, Instant};

use rusqlite::params;
use serde_json::{Map, Value};
use server::ingest::json::Json;
use server::ingest::record::{self, Record};
use server::ingest::records;
use server::store::ingest::{RecordBody, UserRef};

/// The rows of an upload set, made before the clock starts.
pub struct Rows {
    /// identity, objectId, email, properties (JSON).
    profiles: Vec<(Option<String>, String, Option<String>, String)>,
    events: Vec<(i64, String, i64, String)>,
    event_names: HashMap<String, i64>,
}

struct ProfileRow {
    user: UserRef,
    object_id: String,
    email: Option<String>,
    data: Map<String, Value>,
}

impl Rows {
    pub fn of(bodies: &[Vec<u8>]) -> anyhow::Result<Self> {
        let mut profiles: Vec<ProfileRow> = Vec::new();
        let mut events = Vec::new();
        let mut event_names = HashMap::new();
        let mut ids: HashMap<UserRef, i64> = HashMap::new();
        for body in bodies {
            for record in parse_upload(body)? {
                let next = i64::try_from(profiles.len())? + 1;
                let id = *ids.entry(record.user.clone()).or_insert_with(|| {
                    profiles.push(ProfileRow {
                        object_id: match &record.user {
                            UserRef::ObjectId(id) => id.clone(),
                            _ => format!("_g{next:032x}"),
                        },
                        user: record.user.clone(),
                        email: None,
                        data: Map::new(),
                    });
                    next
                });
                match record.body {
                    RecordBody::Event { name, data, .. } => {
                        let last = event_names.entry(name.clone()).or_insert(0);
                        *last = (*last).max(record.ts_ms);
                        events.push((id, name, record.ts_ms, data));
                    }
                    RecordBody::Profile { email, data, .. } => {
                        let profile = &mut profiles[usize::try_from(id - 1)?];
                        profile.email = email.or(profile.email.take());
                        let Value::Object(update) = serde_json::from_str(&data)? else {
                            anyhow::bail!("profileData is an object");
                        };
                        profile.data.extend(update);
                    }
                }
            }
        }
        let profiles = profiles
            .into_iter()
            .map(|p| {
                let identity = match p.user {
                    UserRef::Identity(id) => Some(id),
                    _ => None,
                };
                (
                    identity,
                    p.object_id,
                    p.email,
                    Value::Object(p.data).to_string(),
                )
            })
            .collect();
        Ok(Rows {
            profiles,
            events,
            event_names,
        })
    }

    /// Distinct users, each one profile.
    pub fn profiles(&self) -> usize {
        self.profiles.len()
    }
}

/// An upload's records, as the product validates them.
fn parse_upload(body: &[u8]) -> anyhow::Result<Vec<Record>> {
    validate(&Json::parse(body)?)
}

/// The records of a parsed upload, validated; every one must be valid.
pub fn validate(payload: &Json) -> anyhow::Result<Vec<Record>> {
    records(payload)?
        .iter()
        .map(|v| record::parse(v).map_err(|e| anyhow::anyhow!(e.error)))
        .collect()
}

/// Writes `rows` into the (migrated, empty) database at `path`; the time from `BEGIN` to the commit.
pub fn write(path: &Path, rows: &Rows) -> anyhow::Result<Duration> {
    let mut db = rusqlite::Connection::open(path)?;
    db.pragma_update(None, "journal_mode", "WAL")?;
    db.pragma_update(None, "synchronous", "NORMAL")?;
    db.pragma_update(None, "foreign_keys", true)?;
    // The ingest writer's page cache (`store::ingest::writer`): 64 MiB.
    db.pragma_update(None, "cache_size", -65_536)?;
    let started = Instant::now();
    let tx = db.transaction()?;
    {
        let mut profile = tx.prepare(
            "INSERT INTO profiles (id, identity, object_id, email, profile_data, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, 0, 0)",
        )?;
        for (i, (identity, object_id, email, data)) in rows.profiles.iter().enumerate() {
            profile.execute(params![i + 1, identity, object_id, email, data])?;
        }
        let mut event = tx.prepare(
            "INSERT INTO events (profile_id, name, ts, data, received_at) VALUES (?1, ?2, ?3, ?4, 0)",
        )?;
        for (profile_id, name, ts, data) in &rows.events {
            event.execute(params![profile_id, name, ts, data])?;
        }
        let mut name = tx.prepare("INSERT INTO event_names (name, last_seen) VALUES (?1, ?2)")?;
        for (n, last_seen) in &rows.event_names {
            name.execute(params![n, last_seen])?;
        }
    }
    tx.commit()?;
    Ok(started.elapsed())
}
