//! Writing an upload's valid records: profiles resolved (created when new) by the id the record names,
//! profile properties merged, events appended. One transaction per upload, so an upload is stored whole
//! or not at all. Events are written several rows per statement.

use std::collections::{BTreeSet, HashMap, HashSet};

use rand::RngCore;
use sqlx::{Sqlite, Transaction};

use super::Db;
use super::live::{NewTrigger, TriggerEvent};
use super::segments::ProfileRow;

/// How a record names its user: exactly one of these.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
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

/// Events per INSERT statement (5 bound values each, far below SQLite's limit of 32,766).
const EVENTS_PER_STATEMENT: usize = 100;
/// Known users looked up per `IN (...)` query.
const USERS_PER_LOOKUP: usize = 500;

struct PendingEvent<'a> {
    profile_id: i64,
    name: &'a str,
    ts: i64,
    data: &'a str,
}

/// What an upload changed, for the segment index: each record's profile id, and the state after the
/// upload of every profile it created or updated.
#[derive(Debug, Default)]
pub struct Stored {
    pub profile_ids: Vec<i64>,
    pub profiles: Vec<ProfileRow>,
}

/// Stores `records`, and the live campaigns' `triggers` their events made, in one transaction.
pub async fn store_batch(
    db: &Db,
    records: &[Record],
    triggers: &[NewTrigger],
    now: i64,
) -> sqlx::Result<Stored> {
    let mut tx = super::begin_write(db).await?;
    // Resolve each user of the batch once: the known ones in a few queries, the new ones as they come.
    let mut profile_ids = find_known_profiles(&mut tx, records).await?;
    let mut stored = Stored {
        profile_ids: Vec::with_capacity(records.len()),
        profiles: Vec::new(),
    };
    // Ordered, so new profiles are numbered in the index in id order, as at start.
    let mut touched = BTreeSet::new();
    let mut events = Vec::with_capacity(EVENTS_PER_STATEMENT);
    for record in records {
        let profile_id = match profile_ids.get(&record.user) {
            Some(id) => *id,
            None => {
                let id = create_profile(&mut tx, &record.user, now).await?;
                profile_ids.insert(&record.user, id);
                touched.insert(id);
                id
            }
        };
        stored.profile_ids.push(profile_id);
        match &record.body {
            RecordBody::Event { name, data, .. } => {
                events.push(PendingEvent {
                    profile_id,
                    name,
                    ts: record.ts_ms,
                    data,
                });
                if events.len() == EVENTS_PER_STATEMENT {
                    insert_events(&mut tx, &events, now).await?;
                    events.clear();
                }
            }
            RecordBody::Profile {
                email,
                push_token,
                data,
            } => {
                // json_patch is RFC 7396 merge: new keys are added, a null value removes its key.
                sqlx::query(
                    "UPDATE profiles SET email = coalesce(?2, email), push_token = coalesce(?3, push_token),
                     profile_data = json_patch(profile_data, ?4), updated_at = ?5 WHERE id = ?1",
                )
                .bind(profile_id)
                .bind(email)
                .bind(push_token)
                .bind(data)
                .bind(now)
                .execute(&mut *tx)
                .await?;
                touched.insert(profile_id);
            }
        }
    }
    if !events.is_empty() {
        insert_events(&mut tx, &events, now).await?;
    }
    note_event_names(&mut tx, records).await?;
    if !triggers.is_empty() {
        let made: Vec<(NewTrigger, TriggerEvent<'_>)> = triggers
            .iter()
            .filter_map(|t| {
                let record = records.get(t.record)?;
                let RecordBody::Event { name, data, .. } = &record.body else {
                    return None;
                };
                let event = TriggerEvent {
                    profile_id: stored.profile_ids[t.record],
                    name,
                    ts: record.ts_ms,
                    data,
                };
                Some((*t, event))
            })
            .collect();
        super::live::insert_triggers(&mut tx, &made, now).await?;
    }
    stored.profiles = read_profiles(&mut tx, touched).await?;
    tx.commit().await?;
    Ok(stored)
}

/// The profiles with these ids, as they are now.
async fn read_profiles(
    tx: &mut Transaction<'_, Sqlite>,
    ids: BTreeSet<i64>,
) -> sqlx::Result<Vec<ProfileRow>> {
    let ids: Vec<i64> = ids.into_iter().collect();
    let mut rows = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(USERS_PER_LOOKUP) {
        let placeholders = vec!["?"; chunk.len()].join(",");
        let sql = format!(
            "SELECT id, identity, email, profile_data FROM profiles WHERE id IN ({placeholders})
             ORDER BY id"
        );
        let mut query = sqlx::query_as(&sql);
        for id in chunk {
            query = query.bind(id);
        }
        rows.extend(query.fetch_all(&mut **tx).await?);
    }
    Ok(rows)
}

/// Keeps `event_names` current: one upsert per distinct name of the batch.
async fn note_event_names(
    tx: &mut Transaction<'_, Sqlite>,
    records: &[Record],
) -> sqlx::Result<()> {
    let mut latest: HashMap<&str, i64> = HashMap::new();
    for record in records {
        if let RecordBody::Event { name, .. } = &record.body {
            let ts = latest.entry(name.as_str()).or_insert(record.ts_ms);
            *ts = (*ts).max(record.ts_ms);
        }
    }
    for (name, ts) in latest {
        sqlx::query(
            "INSERT INTO event_names (name, last_seen) VALUES (?1, ?2)
             ON CONFLICT (name) DO UPDATE SET last_seen = max(last_seen, excluded.last_seen)",
        )
        .bind(name)
        .bind(ts)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

async fn insert_events(
    tx: &mut Transaction<'_, Sqlite>,
    events: &[PendingEvent<'_>],
    now: i64,
) -> sqlx::Result<()> {
    let mut sql = String::with_capacity(80 + events.len() * 18);
    sql.push_str("INSERT INTO events (profile_id, name, ts, data, received_at) VALUES ");
    for i in 0..events.len() {
        sql.push_str(if i == 0 {
            "(?,?,?,?,?)"
        } else {
            ",(?,?,?,?,?)"
        });
    }
    let mut query = sqlx::query(&sql);
    for e in events {
        query = query
            .bind(e.profile_id)
            .bind(e.name)
            .bind(e.ts)
            .bind(e.data)
            .bind(now);
    }
    query.execute(&mut **tx).await?;
    Ok(())
}

/// The profile column holding the id a record names, and that id.
fn key_of(user: &UserRef) -> (&'static str, &str) {
    match user {
        UserRef::Identity(id) => ("identity", id),
        UserRef::Fbid(id) => ("fbid", id),
        UserRef::Gpid(id) => ("gpid", id),
        UserRef::ObjectId(id) => ("object_id", id),
    }
}

/// Row ids of the batch's users that have a profile already, found with a few `IN (...)` queries
/// rather than one query per user. Reading keeps known users (the common case) free of writes.
async fn find_known_profiles<'r>(
    tx: &mut Transaction<'_, Sqlite>,
    records: &'r [Record],
) -> sqlx::Result<HashMap<&'r UserRef, i64>> {
    let mut by_column: HashMap<&'static str, Vec<&'r UserRef>> = HashMap::new();
    let mut seen: HashSet<&'r UserRef> = HashSet::new();
    for record in records {
        if seen.insert(&record.user) {
            by_column
                .entry(key_of(&record.user).0)
                .or_default()
                .push(&record.user);
        }
    }
    let mut found = HashMap::with_capacity(seen.len());
    for (column, users) in by_column {
        for chunk in users.chunks(USERS_PER_LOOKUP) {
            let placeholders = vec!["?"; chunk.len()].join(",");
            let sql =
                format!("SELECT {column}, id FROM profiles WHERE {column} IN ({placeholders})");
            let mut query = sqlx::query_as::<_, (String, i64)>(&sql);
            for user in chunk {
                query = query.bind(key_of(user).1);
            }
            let rows: HashMap<String, i64> =
                query.fetch_all(&mut **tx).await?.into_iter().collect();
            found.extend(
                chunk
                    .iter()
                    .filter_map(|user| rows.get(key_of(user).1).map(|id| (*user, *id))),
            );
        }
    }
    Ok(found)
}

/// Creates the profile of a user seen for the first time, with a new objectId (or the one the user is
/// named by), and returns its row id.
async fn create_profile(
    tx: &mut Transaction<'_, Sqlite>,
    user: &UserRef,
    now: i64,
) -> sqlx::Result<i64> {
    let insert = match user {
        UserRef::Identity(_) => {
            "INSERT INTO profiles (identity, object_id, created_at, updated_at) VALUES (?1, ?2, ?3, ?3)
             ON CONFLICT (identity) DO UPDATE SET updated_at = excluded.updated_at RETURNING id"
        }
        UserRef::Fbid(_) => {
            "INSERT INTO profiles (fbid, object_id, created_at, updated_at) VALUES (?1, ?2, ?3, ?3)
             ON CONFLICT (fbid) DO UPDATE SET updated_at = excluded.updated_at RETURNING id"
        }
        UserRef::Gpid(_) => {
            "INSERT INTO profiles (gpid, object_id, created_at, updated_at) VALUES (?1, ?2, ?3, ?3)
             ON CONFLICT (gpid) DO UPDATE SET updated_at = excluded.updated_at RETURNING id"
        }
        // The profile's objectId is the one the record names: ?2 is unused.
        UserRef::ObjectId(_) => {
            "INSERT INTO profiles (object_id, created_at, updated_at) VALUES (?1, ?3, ?3)
             ON CONFLICT (object_id) DO UPDATE SET updated_at = excluded.updated_at RETURNING id"
        }
    };
    sqlx::query_scalar(insert)
        .bind(key_of(user).1)
        .bind(new_object_id())
        .bind(now)
        .fetch_one(&mut **tx)
        .await
}

/// A CleverTap-like objectId: `__` and 32 hex digits.
fn new_object_id() -> String {
    let mut bytes = [0u8; 16];
    rand::thread_rng().fill_bytes(&mut bytes);
    let mut id = String::with_capacity(34);
    id.push_str("__");
    for b in bytes {
        id.push_str(&format!("{b:02x}"));
    }
    id
}
