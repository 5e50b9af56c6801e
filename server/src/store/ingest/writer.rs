//! The ingest writer: a thread owning a SQLite connection of its own, storing uploads as its callers
//! hand them over. The uploads waiting when it comes to write share one transaction (group commit,
//! `group`): a commit writes every page the transaction dirtied, and uploads of distinct users dirty
//! many of the same index pages, so a few uploads committed together cost little more than one.
//! No upload waits for others to arrive: a lone upload is committed alone.

use std::path::Path;
use std::sync::{Arc, mpsc};
use std::time::Duration;

use rusqlite::Connection;
use tokio::sync::oneshot;

use super::checkpointer::Checkpointer;
use super::known_users::KnownUsers;
use super::users::UploadUsers;
use super::{Record, Stored, WriteError, group};
use crate::store::live::NewTrigger;
use crate::store::write_gate::WriteGate;

/// Most records written in one transaction: bounds a group's memory and its callers' wait.
const MAX_GROUP_RECORDS: usize = 8_000;

/// An upload handed to the writer, and where its outcome goes.
pub(super) struct Job {
    pub records: Arc<[Record]>,
    pub users: UploadUsers,
    pub triggers: Vec<NewTrigger>,
    pub now: i64,
    reply: oneshot::Sender<Result<Stored, WriteError>>,
}

/// A handle on the writer thread; the thread ends (and closes its connection) when the last handle
/// is dropped.
#[derive(Clone)]
pub struct IngestWriter {
    jobs: mpsc::Sender<Job>,
    known: Arc<KnownUsers>,
}

impl IngestWriter {
    /// Opens a connection to the (migrated) database file at `path` with the pool's settings, and
    /// starts the thread that writes on it, taking its turns at `gate` with the pool's busy writers.
    pub fn start(path: &Path, gate: WriteGate) -> Result<Self, WriteError> {
        let db = open(path)?;
        let checkpointer = Checkpointer::start(path)?;
        let (jobs, queue) = mpsc::channel::<Job>();
        std::thread::Builder::new()
            .name("ingest-writer".into())
            .spawn(move || serve(db, checkpointer, &gate, &queue))
            .map_err(|_| WriteError::Stopped)?;
        Ok(Self {
            jobs,
            known: Arc::default(),
        })
    }

    /// Stores an upload's `records` with the `triggers` they made: all of them or, on error, none.
    /// Answers once they are committed.
    pub async fn store(
        &self,
        records: Arc<[Record]>,
        triggers: Vec<NewTrigger>,
        now: i64,
    ) -> Result<Stored, WriteError> {
        let (reply, outcome) = oneshot::channel();
        // Worked out here, on the caller's thread, rather than on the writer's.
        let users = UploadUsers::of(&records, &self.known);
        self.jobs
            .send(Job {
                records: records.clone(),
                users,
                triggers,
                now,
                reply,
            })
            .map_err(|_| WriteError::Stopped)?;
        let outcome = outcome.await.unwrap_or(Err(WriteError::Stopped));
        if let Ok(stored) = &outcome {
            self.known.learn(&records, &stored.profile_ids);
        }
        outcome
    }
}

/// The pool's settings (`store::open`): WAL (kept by the file), `synchronous=NORMAL` — a commit
/// survives the process being killed, only a power loss can take the last ones — foreign keys, and
/// the same busy timeout; and a page cache large enough for the profile and event indexes that
/// uploads of many distinct users touch all over.
fn open(path: &Path) -> rusqlite::Result<Connection> {
    let db = Connection::open(path)?;
    db.pragma_update(None, "journal_mode", "WAL")?;
    db.pragma_update(None, "synchronous", "NORMAL")?;
    db.pragma_update(None, "foreign_keys", true)?;
    db.busy_timeout(Duration::from_secs(10))?;
    // In KiB when negative: 64 MiB.
    db.pragma_update(None, "cache_size", -65_536)?;
    // A statement journal (the first version of every page a statement changes, to roll it back
    // alone) past 64 KiB would spill to a temporary file; kept in memory instead.
    db.pragma_update(None, "temp_store", "MEMORY")?;
    // Room for every statement of `batch`, so none is ever prepared twice.
    db.set_prepared_statement_cache_capacity(32);
    // Checkpoints are the checkpointer's; this connection's own (by default every 1,000 pages) only
    // backs it up if it falls far behind (100,000 pages, about 400 MB of WAL).
    db.pragma_update(None, "wal_autocheckpoint", 100_000)?;
    Ok(db)
}

fn serve(
    mut db: Connection,
    mut checkpointer: Checkpointer,
    gate: &WriteGate,
    queue: &mpsc::Receiver<Job>,
) {
    // Commits numbered from 0 in the order they were made: each stored upload carries its number.
    let mut commits = 0;
    while let Ok(first) = queue.recv() {
        let mut jobs = vec![first];
        let turn = gate.blocking_enter();
        // Whatever arrived while waiting for the turn joins the group.
        let mut records = jobs[0].records.len();
        while records < MAX_GROUP_RECORDS {
            let Ok(job) = queue.try_recv() else { break };
            records += job.records.len();
            jobs.push(job);
        }
        let outcomes = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            group::write(&mut db, &jobs)
        }));
        drop(turn);
        match outcomes {
            Ok(Ok(outcomes)) => {
                checkpointer.committed(records);
                for (job, outcome) in jobs.into_iter().zip(outcomes) {
                    let outcome = outcome.map(|mut stored| {
                        stored.commit = commits;
                        commits += 1;
                        stored
                    });
                    // The caller may have gone; the upload's fate is settled either way.
                    let _ = job.reply.send(outcome);
                }
            }
            Ok(Err(e)) => {
                let e = Arc::new(e);
                for job in jobs {
                    let _ = job.reply.send(Err(WriteError::Group(e.clone())));
                }
            }
            // A panic unwound through the transaction, whose drop rolled it back: the connection
            // is as it was before the group.
            Err(_) => {
                for job in jobs {
                    let _ = job.reply.send(Err(WriteError::Panicked));
                }
            }
        }
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use crate::store::ingest::{RecordBody, UserRef};

    /// A migrated database file in `dir`.
    pub(in crate::store::ingest) async fn database(dir: &tempfile::TempDir) -> std::path::PathBuf {
        let path = dir.path().join("h.db");
        crate::store::open(&format!("sqlite://{}", path.display()))
            .await
            .unwrap()
            .close()
            .await;
        path
    }

    /// An upload of `users` new users, each with a profile record carrying `profile_data` and an
    /// event.
    fn upload(tag: &str, users: usize, profile_data: &str) -> Arc<[Record]> {
        (0..users)
            .flat_map(|i| {
                let user = UserRef::Identity(format!("{tag}-{i}"));
                [
                    Record {
                        user: user.clone(),
                        ts_ms: 1,
                        body: RecordBody::Profile {
                            email: None,
                            push_token: None,
                            data: profile_data.into(),
                        },
                    },
                    Record {
                        user,
                        ts_ms: 2,
                        body: RecordBody::Event {
                            name: "Opened".into(),
                            data: format!(r#"{{"tag":"{tag}"}}"#),
                            properties: Vec::new(),
                        },
                    },
                ]
            })
            .collect()
    }

    fn job(records: Arc<[Record]>) -> Job {
        Job {
            users: UploadUsers::of(&records, &KnownUsers::default()),
            records,
            triggers: Vec::new(),
            now: 10,
            reply: oneshot::channel().0,
        }
    }

    fn count(db: &Connection, sql: &str) -> i64 {
        db.query_row(sql, [], |row| row.get(0)).unwrap()
    }

    #[tokio::test]
    async fn an_upload_failing_in_a_group_fails_alone_and_the_others_commit() {
        let dir = tempfile::tempdir().unwrap();
        let mut db = open(&database(&dir).await).unwrap();
        // json_patch refuses a profile that is not JSON (one that names null: without, it is stored
        // as sent): the middle upload fails at its 4th user.
        let mut bad = upload("bad", 5, r#"{"a":1}"#).to_vec();
        bad[6] = upload("bad-3", 1, "null, not json")[0].clone();
        let jobs = [
            job(upload("first", 3, r#"{"a":1}"#)),
            job(bad.into()),
            job(upload("last", 4, r#"{"a":1}"#)),
        ];
        let outcomes = group::write(&mut db, &jobs).unwrap();

        assert_eq!(outcomes[0].as_ref().unwrap().profile_ids.len(), 6);
        assert!(outcomes[1].is_err());
        assert_eq!(outcomes[2].as_ref().unwrap().profiles.len(), 4);
        assert_eq!(count(&db, "SELECT count(*) FROM profiles"), 7);
        assert_eq!(count(&db, "SELECT count(*) FROM events"), 7);
        assert_eq!(
            count(&db, "SELECT count(*) FROM events WHERE data LIKE '%bad%'"),
            0
        );
    }

    #[tokio::test]
    async fn a_failing_upload_alone_in_its_group_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let mut db = open(&database(&dir).await).unwrap();
        let mut bad = upload("alone", 5, r#"{"a":1}"#).to_vec();
        bad[8] = upload("alone-4", 1, "null, not json")[0].clone();
        let outcomes = group::write(&mut db, &[job(bad.into())]).unwrap();
        assert!(outcomes[0].is_err());
        assert_eq!(count(&db, "SELECT count(*) FROM profiles"), 0);
        assert_eq!(count(&db, "SELECT count(*) FROM events"), 0);
        // The connection is usable: the next upload commits.
        let outcomes = group::write(&mut db, &[job(upload("next", 2, "{}"))]).unwrap();
        assert_eq!(outcomes[0].as_ref().unwrap().profile_ids.len(), 4);
        assert_eq!(count(&db, "SELECT count(*) FROM profiles"), 2);
    }

    #[tokio::test]
    async fn concurrent_uploads_are_all_stored_with_consecutive_commit_numbers() {
        let dir = tempfile::tempdir().unwrap();
        let path = database(&dir).await;
        let writer = IngestWriter::start(&path, WriteGate::default()).unwrap();
        let uploads = (0..8).map(|n| {
            let writer = writer.clone();
            tokio::spawn(async move {
                writer
                    .store(upload(&format!("u{n}"), 50, "{}"), Vec::new(), 10)
                    .await
            })
        });
        let mut commits = Vec::new();
        for upload in uploads.collect::<Vec<_>>() {
            let stored = upload.await.unwrap().unwrap();
            assert_eq!(stored.profile_ids.len(), 100);
            commits.push(stored.commit);
        }
        commits.sort_unstable();
        assert_eq!(commits, (0..8).collect::<Vec<_>>());
        let db = Connection::open(&path).unwrap();
        assert_eq!(count(&db, "SELECT count(*) FROM profiles"), 400);
        assert_eq!(count(&db, "SELECT count(*) FROM events"), 400);
    }

    #[tokio::test]
    async fn users_are_remembered_only_once_their_upload_is_committed() {
        let dir = tempfile::tempdir().unwrap();
        let path = database(&dir).await;
        let writer = IngestWriter::start(&path, WriteGate::default()).unwrap();
        // Fails at its last user (json_patch refuses the text), after creating the others.
        let mut failing = upload("u", 3, "{}").to_vec();
        failing[4] = upload("u-2", 1, "null, not json")[0].clone();
        assert!(writer.store(failing.into(), Vec::new(), 10).await.is_err());
        // Others take the ids the rolled-back profiles had.
        writer
            .store(upload("other", 2, "{}"), Vec::new(), 10)
            .await
            .unwrap();
        // The same users again: were their rolled-back ids remembered, their events would be given
        // to the others' profiles.
        let first = writer
            .store(upload("u", 3, "{}"), Vec::new(), 10)
            .await
            .unwrap();
        // And once more, now remembered: the same profiles.
        let again = writer
            .store(upload("u", 3, "{}"), Vec::new(), 10)
            .await
            .unwrap();
        assert_eq!(again.profile_ids, first.profile_ids);
        let db = Connection::open(&path).unwrap();
        let in_database: Vec<i64> = (0..3)
            .flat_map(|i| {
                let id = db
                    .query_row(
                        "SELECT id FROM profiles WHERE identity = ?1",
                        [format!("u-{i}")],
                        |row| row.get(0),
                    )
                    .unwrap();
                [id, id]
            })
            .collect();
        assert_eq!(first.profile_ids, in_database);
        assert_eq!(count(&db, "SELECT count(*) FROM profiles"), 5);
        assert_eq!(count(&db, "SELECT count(*) FROM events"), 8);
    }

    #[tokio::test]
    async fn the_wal_is_copied_into_the_database_file_beside_the_writer() {
        let dir = tempfile::tempdir().unwrap();
        let path = database(&dir).await;
        let empty = std::fs::metadata(&path).unwrap().len();
        let writer = IngestWriter::start(&path, WriteGate::default()).unwrap();
        // 12,000 records: past the checkpointer's 10,000, far below the writer's own backstop.
        for n in 0..12 {
            let records = upload(&format!("u{n}"), 500, r#"{"plan":"gold"}"#);
            writer.store(records, Vec::new(), 10).await.unwrap();
        }
        // Until a checkpoint copies them, the new pages are only in the WAL.
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        while std::fs::metadata(&path).unwrap().len() < empty + 500_000 {
            assert!(
                std::time::Instant::now() < deadline,
                "no checkpoint copied the WAL into the database file"
            );
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}
