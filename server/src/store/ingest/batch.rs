//! One upload's statements, in the transaction its group gives it on the ingest writer's connection:
//! every statement prepared once for the life of the connection and stepped once per row.

use std::collections::BTreeSet;

use foldhash::HashMap;
use rand::RngCore;
use rusqlite::{CachedStatement, Connection, OptionalExtension, params};

use super::{Record, RecordBody, Stored, UserRef};
use crate::store::live::NewTrigger;
use crate::store::segments::ProfileRow;

/// Stores `records`, and the live campaigns' `triggers` their events made, in the open transaction
/// `tx` (the caller rolls it back on error).
pub(super) fn store(
    tx: &Connection,
    records: &[Record],
    triggers: &[NewTrigger],
    now: i64,
) -> rusqlite::Result<Stored> {
    let mut statements = Statements::new(tx)?;
    let mut profile_ids = Vec::with_capacity(records.len());
    // Every profile created or updated. Ordered, so new profiles are numbered in the index in id
    // order, as at start.
    let mut touched = BTreeSet::new();
    let mut known: HashMap<&UserRef, i64> = HashMap::default();
    for record in records {
        let mut created_with_record = false;
        let profile_id = match known.get(&record.user) {
            Some(id) => *id,
            None => {
                let id = match statements.find_profile(&record.user)? {
                    Some(id) => id,
                    None => {
                        // A profile record naming a new user creates it with its properties.
                        let id = statements.create_profile(record, now)?;
                        created_with_record = matches!(record.body, RecordBody::Profile { .. });
                        touched.insert(id);
                        id
                    }
                };
                known.insert(&record.user, id);
                id
            }
        };
        profile_ids.push(profile_id);
        match &record.body {
            RecordBody::Event { name, data, .. } => {
                statements.insert_event.execute(params![
                    profile_id,
                    name,
                    record.ts_ms,
                    data,
                    now
                ])?;
            }
            RecordBody::Profile { .. } if created_with_record => {}
            RecordBody::Profile {
                email,
                push_token,
                data,
            } => {
                statements
                    .update_profile
                    .execute(params![profile_id, email, push_token, data, now])?;
                touched.insert(profile_id);
            }
        }
    }
    note_event_names(tx, records)?;
    insert_triggers(tx, records, &profile_ids, triggers, now)?;
    Ok(Stored {
        commit: 0,
        profile_ids,
        profiles: read_profiles(tx, &touched)?,
    })
}

/// The statements run once per record, taken from the connection's cache once per upload (taking
/// one hashes its SQL text).
struct Statements<'c> {
    insert_event: CachedStatement<'c>,
    update_profile: CachedStatement<'c>,
    /// By `UserRef` variant, in `KINDS` order.
    find: [CachedStatement<'c>; 4],
    create: [CachedStatement<'c>; 4],
}

/// The profile column of each `UserRef` variant.
const KINDS: [&str; 4] = ["identity", "object_id", "fbid", "gpid"];

impl<'c> Statements<'c> {
    fn new(tx: &'c Connection) -> rusqlite::Result<Self> {
        let find = |column: &str| {
            tx.prepare_cached(&format!("SELECT id FROM profiles WHERE {column} = ?1"))
        };
        // ?1 the id the record names the user by, ?2 a new objectId, ?3–?5 the email, push token
        // and properties of a profile record (NULL for an event), ?6 the time, ?7 whether the
        // properties hold no null. json_patch into an empty object is what the update below would
        // make of them: a null property removed, and nothing else changed (a test checks it), so
        // properties without a null are stored as sent, without parsing them again on this thread.
        let create = |column: &str| {
            // The profile's objectId is the one the record names.
            let (columns, object_id) = if column == "object_id" {
                ("object_id", "?1")
            } else {
                (&*format!("{column}, object_id"), "?1, ?2")
            };
            tx.prepare_cached(&format!(
                "INSERT INTO profiles ({columns}, email, push_token, profile_data, created_at, updated_at)
                 VALUES ({object_id}, ?3, ?4,
                   CASE WHEN ?5 IS NULL THEN '{{}}' WHEN ?7 THEN ?5 ELSE json_patch('{{}}', ?5) END, ?6, ?6)"
            ))
        };
        Ok(Self {
            insert_event: tx.prepare_cached(
                "INSERT INTO events (profile_id, name, ts, data, received_at)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
            )?,
            // json_patch is RFC 7396 merge: new keys are added, a null value removes its key.
            update_profile: tx.prepare_cached(
                "UPDATE profiles SET email = coalesce(?2, email),
                 push_token = coalesce(?3, push_token),
                 profile_data = json_patch(profile_data, ?4), updated_at = ?5 WHERE id = ?1",
            )?,
            find: [
                find(KINDS[0])?,
                find(KINDS[1])?,
                find(KINDS[2])?,
                find(KINDS[3])?,
            ],
            create: [
                create(KINDS[0])?,
                create(KINDS[1])?,
                create(KINDS[2])?,
                create(KINDS[3])?,
            ],
        })
    }

    /// The row id of the profile of the user a record names, if it has one.
    fn find_profile(&mut self, user: &UserRef) -> rusqlite::Result<Option<i64>> {
        let (kind, key) = kind_of(user);
        self.find[kind]
            .query_row([key], |row| row.get(0))
            .optional()
    }

    /// Creates the profile of the user `record` names for the first time, with a new objectId (or
    /// the one the user is named by), and with the record's properties if it is a profile record.
    /// Returns its row id.
    fn create_profile(&mut self, record: &Record, now: i64) -> rusqlite::Result<i64> {
        let (kind, key) = kind_of(&record.user);
        let (email, push_token, data) = match &record.body {
            RecordBody::Profile {
                email,
                push_token,
                data,
            } => (email.as_deref(), push_token.as_deref(), Some(data.as_str())),
            RecordBody::Event { .. } => (None, None, None),
        };
        self.create[kind].insert(params![
            key,
            new_object_id(now),
            email,
            push_token,
            data,
            now,
            data.is_some_and(holds_no_null)
        ])
    }
}

/// Whether a JSON text certainly holds no null value: it has no `null` anywhere (a string holding
/// the word only makes the caller take the slower, always right way).
fn holds_no_null(json: &str) -> bool {
    !json.contains("null")
}

/// The `KINDS` index of the id a record names its user by, and that id.
fn kind_of(user: &UserRef) -> (usize, &str) {
    match user {
        UserRef::Identity(id) => (0, id),
        UserRef::ObjectId(id) => (1, id),
        UserRef::Fbid(id) => (2, id),
        UserRef::Gpid(id) => (3, id),
    }
}

/// A CleverTap-like objectId: `__` and 32 hex digits — the creation time in unix ms (12 digits),
/// then 80 random bits. Ids made later sort later, as UUIDv7's do, so new profiles are appended to
/// the `object_id` index instead of dirtying pages all over it at every upload.
fn new_object_id(now: i64) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut random = [0u8; 10];
    rand::thread_rng().fill_bytes(&mut random);
    let time = now.clamp(0, 0xffff_ffff_ffff).to_be_bytes();
    let mut id = String::with_capacity(34);
    id.push_str("__");
    // The low 6 bytes of the time: 12 digits.
    for b in time[2..].iter().chain(&random) {
        id.push(char::from(HEX[usize::from(b >> 4)]));
        id.push(char::from(HEX[usize::from(b & 0xf)]));
    }
    id
}

/// Keeps `event_names` current: one upsert per distinct name of the upload.
fn note_event_names(tx: &Connection, records: &[Record]) -> rusqlite::Result<()> {
    let mut latest: HashMap<&str, i64> = HashMap::default();
    for record in records {
        if let RecordBody::Event { name, .. } = &record.body {
            let ts = latest.entry(name.as_str()).or_insert(record.ts_ms);
            *ts = (*ts).max(record.ts_ms);
        }
    }
    let mut upsert = tx.prepare_cached(
        "INSERT INTO event_names (name, last_seen) VALUES (?1, ?2)
         ON CONFLICT (name) DO UPDATE SET last_seen = max(last_seen, excluded.last_seen)",
    )?;
    for (name, ts) in latest {
        upsert.execute(params![name, ts])?;
    }
    Ok(())
}

/// Records the live campaigns' triggers, each with the event (and its profile) that made it.
fn insert_triggers(
    tx: &Connection,
    records: &[Record],
    profile_ids: &[i64],
    triggers: &[NewTrigger],
    now: i64,
) -> rusqlite::Result<()> {
    if triggers.is_empty() {
        return Ok(());
    }
    let mut insert = tx.prepare_cached(
        "INSERT INTO live_triggers
         (campaign_id, profile_id, event_name, event_ts, event_data, received_at, due_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?;
    for t in triggers {
        let Some(record) = records.get(t.record) else {
            continue;
        };
        let RecordBody::Event { name, data, .. } = &record.body else {
            continue;
        };
        insert.execute(params![
            t.campaign_id,
            profile_ids[t.record],
            name,
            record.ts_ms,
            data,
            now,
            t.due_at
        ])?;
    }
    Ok(())
}

/// The profiles with these ids, as they are now.
fn read_profiles(tx: &Connection, ids: &BTreeSet<i64>) -> rusqlite::Result<Vec<ProfileRow>> {
    let mut select =
        tx.prepare_cached("SELECT id, identity, email, profile_data FROM profiles WHERE id = ?1")?;
    let mut rows = Vec::with_capacity(ids.len());
    for id in ids {
        rows.push(select.query_row([id], |row| {
            Ok(ProfileRow {
                id: row.get(0)?,
                identity: row.get(1)?,
                email: row.get(2)?,
                profile_data: row.get(3)?,
            })
        })?);
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn object_ids_are_clevertap_like_and_sort_by_creation_time() {
        let earlier = new_object_id(1_700_000_000_000);
        let later = new_object_id(1_700_000_000_001);
        for id in [&earlier, &later] {
            assert_eq!(id.len(), 34, "{id}");
            assert!(id.starts_with("__"), "{id}");
            assert!(
                id[2..]
                    .bytes()
                    .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
            );
        }
        assert!(earlier < later, "{earlier} {later}");
        assert_ne!(new_object_id(5), new_object_id(5), "random beyond the time");
        assert!(new_object_id(0x0123_4567_89ab).starts_with("__0123456789ab"));
    }

    fn profile(user: &str, email: Option<&str>, data: &str) -> Record {
        Record {
            user: UserRef::Identity(user.into()),
            ts_ms: 1,
            body: RecordBody::Profile {
                email: email.map(Into::into),
                push_token: None,
                data: data.into(),
            },
        }
    }

    fn event(user: &str) -> Record {
        Record {
            user: UserRef::Identity(user.into()),
            ts_ms: 2,
            body: RecordBody::Event {
                name: "Opened".into(),
                data: "{}".into(),
                properties: Vec::new(),
            },
        }
    }

    type Row = (Option<String>, Option<String>, String);

    #[tokio::test]
    async fn every_profile_an_upload_touches_is_returned_as_the_database_holds_it() {
        let dir = tempfile::tempdir().unwrap();
        let mut db = Connection::open(super::super::writer::tests::database(&dir).await).unwrap();
        let tx = db.transaction().unwrap();
        let data = r#"{"a":1,"gone":null,"nested":{"x":null,"y":2}}"#;
        let records = [
            profile("first", Some("F@x.co"), data),
            event("first"),
            event("second"),
            profile("second", Some("s@x.co"), data),
            profile("first", None, r#"{"a":2}"#),
            // Created by an event and never updated, named by identity and by objectId.
            event("third"),
            Record {
                user: UserRef::ObjectId("__sdk".into()),
                ..event("")
            },
        ];
        let stored = store(&tx, &records, &[], 10).unwrap();

        assert_eq!(stored.profile_ids, [1, 1, 2, 2, 1, 3, 4]);
        let returned: Vec<Row> = stored
            .profiles
            .iter()
            .map(|p| (p.identity.clone(), p.email.clone(), p.profile_data.clone()))
            .collect();
        let expected: Vec<Row> = vec![
            (
                Some("first".into()),
                Some("F@x.co".into()),
                r#"{"a":2,"nested":{"y":2}}"#.into(),
            ),
            (
                Some("second".into()),
                Some("s@x.co".into()),
                r#"{"a":1,"nested":{"y":2}}"#.into(),
            ),
            (Some("third".into()), None, "{}".into()),
            (None, None, "{}".into()),
        ];
        assert_eq!(returned, expected);
        let mut select = tx
            .prepare("SELECT identity, email, profile_data FROM profiles ORDER BY id")
            .unwrap();
        let in_database: Vec<Row> = select
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(in_database, expected);
    }

    #[tokio::test]
    async fn a_new_profile_holds_what_json_patch_into_an_empty_object_makes_of_its_properties() {
        let dir = tempfile::tempdir().unwrap();
        let mut db = Connection::open(super::super::writer::tests::database(&dir).await).unwrap();
        let tx = db.transaction().unwrap();
        // Properties as validation writes them: random objects sent with escapes, every number form
        // and nested nulls, written back compact.
        let sent: Vec<String> = crate::ingest::json::tests::random_objects(21, 1_000)
            .into_iter()
            .map(|(_, plain)| serde_json::Value::Object(plain).to_string())
            .collect();
        assert!(sent.iter().filter(|d| holds_no_null(d)).count() > 300);
        assert!(sent.iter().filter(|d| !holds_no_null(d)).count() > 300);
        let records: Vec<Record> = sent
            .iter()
            .enumerate()
            .map(|(i, data)| profile(&format!("user {i}"), None, data))
            .collect();
        store(&tx, &records, &[], 10).unwrap();

        for (i, data) in sent.iter().enumerate() {
            let (stored, patched): (String, String) = tx
                .query_row(
                    "SELECT profile_data, json_patch('{}', ?2) FROM profiles WHERE identity = ?1",
                    params![format!("user {i}"), data],
                    |row| Ok((row.get(0)?, row.get(1)?)),
                )
                .unwrap();
            assert_eq!(stored, patched, "{data}");
        }
    }
}
