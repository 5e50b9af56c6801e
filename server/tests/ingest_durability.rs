//! The server process killed (SIGKILL) while clients are uploading: every upload it answered 200 is in
//! the database file afterwards, whole, and an upload it did not answer is there whole or not at all.

mod support;

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use support::process::Process;
use support::{ACCOUNT_ID, PASSCODE};

const CLIENTS: usize = 4;
/// Users per upload; each gets a profile record and an event record.
const USERS: usize = 100;
/// Uploads answered before the kill: enough that several clients are mid-upload when it comes.
const ANSWERED_BEFORE_KILL: usize = 12;

/// Upload `upload` of client `client`: profiles and events of its own users, tagged with its number.
fn upload(client: usize, upload: usize) -> Value {
    let tag = format!("c{client}-{upload}");
    let records: Vec<Value> = (0..USERS)
        .flat_map(|i| {
            let identity = format!("{tag}-u{i}");
            [
                json!({"identity": identity, "ts": 1_700_000_000, "type": "profile",
                       "profileData": {"Upload": tag, "Plan": "gold"}}),
                json!({"identity": identity, "ts": 1_700_000_001, "type": "event",
                       "evtName": "Backfilled", "evtData": {"upload": tag, "cart": {"items": i}}}),
            ]
        })
        .collect();
    json!({ "d": records })
}

/// Sends uploads one after another until the server stops answering; the tags of those answered
/// 200 with every record processed go into `answered`.
async fn client(base: String, client: usize, answered: Arc<Mutex<Vec<String>>>) {
    let http = reqwest::Client::new();
    for n in 0.. {
        let response = http
            .post(format!("{base}/1/upload"))
            .header("X-CleverTap-Account-Id", ACCOUNT_ID)
            .header("X-CleverTap-Passcode", PASSCODE)
            .json(&upload(client, n))
            .send()
            .await;
        let Ok(response) = response else { return };
        if response.status() != 200 {
            return;
        }
        let Ok(answer) = response.json::<Value>().await else {
            return;
        };
        assert_eq!(answer["processed"], 2 * USERS, "{answer}");
        answered.lock().unwrap().push(format!("c{client}-{n}"));
    }
}

/// Records in the database per upload tag: (profiles, events).
fn stored_per_upload(db: &std::path::Path) -> BTreeMap<String, (usize, usize)> {
    let db = rusqlite::Connection::open(db).unwrap();
    let mut stored: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let profiles =
        "SELECT json_extract(profile_data, '$.Upload'), count(*) FROM profiles GROUP BY 1";
    for (tag, n) in counts(&db, profiles) {
        stored.entry(tag).or_default().0 = n;
    }
    let events = "SELECT json_extract(data, '$.upload'), count(*) FROM events GROUP BY 1";
    for (tag, n) in counts(&db, events) {
        stored.entry(tag).or_default().1 = n;
    }
    stored
}

/// The (tag, count) rows of a `GROUP BY` query.
fn counts(db: &rusqlite::Connection, sql: &str) -> Vec<(String, usize)> {
    let mut query = db.prepare(sql).unwrap();
    query
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

#[tokio::test]
async fn every_answered_upload_survives_a_kill_and_none_is_stored_in_part() {
    let dir = tempfile::tempdir().unwrap();
    let process = Process::start(dir.path()).await;
    let answered = Arc::new(Mutex::new(Vec::new()));
    let clients: Vec<_> = (0..CLIENTS)
        .map(|c| tokio::spawn(client(process.base.clone(), c, answered.clone())))
        .collect();
    let deadline = Instant::now() + Duration::from_secs(60);
    while answered.lock().unwrap().len() < ANSWERED_BEFORE_KILL {
        assert!(Instant::now() < deadline, "uploads were not answered");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    process.kill();
    for c in clients {
        c.await.unwrap();
    }
    let answered = answered.lock().unwrap().clone();

    let stored = stored_per_upload(&dir.path().join("hookline.db"));
    for tag in &answered {
        assert_eq!(
            stored.get(tag),
            Some(&(USERS, USERS)),
            "upload {tag} was answered 200 but is not all in the database"
        );
    }
    for (tag, counts) in &stored {
        assert_eq!(*counts, (USERS, USERS), "upload {tag} is stored in part");
    }
    // Nothing else was written: the database holds answered uploads and at most one in flight per
    // client.
    assert!(
        stored.len() <= answered.len() + CLIENTS,
        "{} uploads stored, {} answered",
        stored.len(),
        answered.len()
    );

    // The server starts again on what the kill left and finds an answered upload's user.
    let again = Process::start(dir.path()).await;
    let response = reqwest::Client::new()
        .get(format!(
            "{}/1/profile.json?identity={}-u0",
            again.base, answered[0]
        ))
        .header("X-CleverTap-Account-Id", ACCOUNT_ID)
        .header("X-CleverTap-Passcode", PASSCODE)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
}
