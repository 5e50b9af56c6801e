//! One upload's statements, in the transaction its group gives it on the ingest writer's connection:
//! every statement prepared once for the life of the connection and stepped once per row.

use std::collections::BTreeMap;

use foldhash::HashMap;
use rand::RngCore;
use rusqlite::{CachedStatement, Connection, OptionalExtension, params};

use super::users::UploadUsers;
use super::{Record, RecordBody, Stored, UserRef};
use crate::store::live::NewTrigger;
use crate::store::segments::ProfileRow;

/// Stores `records` (naming `users`), and the live campaigns' `triggers` their events made, in the
/// open transaction `tx` (the caller rolls it back on error).
pub(super) fn store(
    tx: &Connection,
    records: &[Record],
    users: &UploadUsers,
    triggers: &[NewTrigger],
    now: i64,
) -> rusqlite::Result<Stored> {
    let mut statements = Statements::new(tx)?;
    // Every profile created or updated, with its state when it is known without reading it back.
    // Ordered, so new profiles are numbered in the index in id order, as at start.
    let mut touched = BTreeMap::new();
    let users = resolve_users(&mut statements, records, users, now, &mut touched)?;
    let mut profile_ids = Vec::with_capacity(records.len());
    for (at, (record, user)) in records.iter().zip(&users).enumerate() {
        profile_ids.push(user.id);
        match &record.body {
            RecordBody::Event { name, data, .. } => {
                statements
                    .insert_event
                    .execute(params![user.id, name, record.ts_ms, data, now])?;
            }
            // A profile record naming a new user created it with its properties.
            RecordBody::Profile { .. } if user.created_by == Some(at) => {}
            RecordBody::Profile {
                email,
                push_token,
                data,
            } => {
                statements
                    .update_profile
                    .execute(params![user.id, email, push_token, data, now])?;
                touched.insert(user.id, None);
            }
        }
    }
    note_event_names(tx, records)?;
    insert_triggers(tx, records, &profile_ids, triggers, now)?;
    Ok(Stored {
        commit: 0,
        profile_ids,
        profiles: read_profiles(tx, touched)?,
    })
}

/// The profile of a user an upload names.
#[derive(Clone, Copy, Default)]
struct ResolvedUser {
    id: i64,
    /// The record that created the profile with its properties, if a profile record did.
    created_by: Option<usize>,
}

/// The profile of the user each of `records` names, found or created (with the properties of the
/// first record naming the user, if it is a profile record), the users taken in key order.
fn resolve_users(
    statements: &mut Statements,
    records: &[Record],
    users: &UploadUsers,
    now: i64,
    touched: &mut BTreeMap<i64, Option<ProfileRow>>,
) -> rusqlite::Result<Vec<ResolvedUser>> {
    let mut resolved = vec![ResolvedUser::default(); users.first_named.len()];
    for &user in &users.in_key_order {
        let first = users.first_named[user];
        let record = &records[first];
        let stored = match users.known[user] {
            Some(id) => Some(id),
            None => statements.find_profile(&record.user)?,
        };
        resolved[user] = match stored {
            Some(id) => ResolvedUser {
                id,
                created_by: None,
            },
            None => {
                let id = statements.create_profile(record, now)?;
                touched.insert(id, as_created(record, id));
                ResolvedUser {
                    id,
                    created_by: matches!(record.body, RecordBody::Profile { .. }).then_some(first),
                }
            }
        };
    }
    Ok(users.of_record.iter().map(|&user| resolved[user]).collect())
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

/// A profile `record` created, as `create_profile` wrote it, when that is known without reading it
/// back: created by an event, or by a profile record whose properties are stored as sent.
fn as_created(record: &Record, id: i64) -> Option<ProfileRow> {
    let (email, profile_data) = match &record.body {
        RecordBody::Event { .. } => (None, "{}".to_owned()),
        RecordBody::Profile { email, data, .. } if holds_no_null(data) => {
            (email.clone(), data.clone())
        }
        RecordBody::Profile { .. } => return None,
    };
    let identity = match &record.user {
        UserRef::Identity(identity) => Some(identity.clone()),
        _ => None,
    };
    Some(ProfileRow {
        id,
        identity,
        email,
        profile_data,
    })
}

/// The profiles with these ids as they are now: their known state, or else read back.
fn read_profiles(
    tx: &Connection,
    touched: BTreeMap<i64, Option<ProfileRow>>,
) -> rusqlite::Result<Vec<ProfileRow>> {
    let mut select =
        tx.prepare_cached("SELECT id, identity, email, profile_data FROM profiles WHERE id = ?1")?;
    let mut rows = Vec::with_capacity(touched.len());
    for (id, known) in touched {
        if let Some(row) = known {
            rows.push(row);
            continue;
        }
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
        super::super::users::tests::named(UserRef::Identity(user.into()))
    }

    /// `records` stored in `tx`, none of their users known beforehand.
    fn store_new(tx: &Connection, records: &[Record]) -> Stored {
        let users = UploadUsers::of(records, &Default::default());
        store(tx, records, &users, &[], 10).unwrap()
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
            // Created by a profile record whose properties hold no null (stored as sent).
            profile("zoe", Some("Z@x.co"), r#"{"b":[1,"x"],"c":{"d":true}}"#),
            Record {
                user: UserRef::ObjectId("__app".into()),
                ..profile("", None, "{}")
            },
        ];
        let stored = store_new(&tx, &records);

        // New users are numbered in key order: identities, then objectIds.
        assert_eq!(stored.profile_ids, [1, 1, 2, 2, 1, 3, 6, 4, 5]);
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
            (
                Some("zoe".into()),
                Some("Z@x.co".into()),
                r#"{"b":[1,"x"],"c":{"d":true}}"#.into(),
            ),
            (None, None, "{}".into()),
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
        store_new(&tx, &records);

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
