//! Writing a run's deliveries: the recipients a segment selects (the cap applied), streamed in chunks,
//! and the delivery rows of each chunk, written inside the caller's transaction.

use futures_util::stream::BoxStream;
use sqlx::{Sqlite, Transaction};

use super::ROWS_PER_STATEMENT;
use super::segments::{Bind, SegmentQuery, arguments};

/// A targeted user, with what the payload may carry.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Recipient {
    pub id: i64,
    pub identity: Option<String>,
    pub object_id: String,
    pub email: Option<String>,
    pub push_token: Option<String>,
    /// JSON object text.
    pub profile_data: String,
}

const RECIPIENT_COLUMNS: &str =
    "p.id, p.identity, p.object_id, p.email, p.push_token, p.profile_data";

/// The query selecting the profiles the segment selects whose id is above `after`, in id order. With
/// a cap, that many users are chosen at random among them.
pub fn recipients_after(segment: &SegmentQuery, cap: Option<CapLeft>, after: i64) -> SegmentQuery {
    let (sql, extra) = match cap {
        None => (
            format!(
                "SELECT {RECIPIENT_COLUMNS} FROM profiles p WHERE p.id IN ({}) AND p.id > ? ORDER BY p.id",
                segment.sql
            ),
            vec![Bind::Int(after)],
        ),
        Some(cap) => (
            format!(
                "SELECT {RECIPIENT_COLUMNS} FROM profiles p WHERE p.id IN
                 (SELECT profile_id FROM ({}) WHERE profile_id > ? ORDER BY random() LIMIT ?) ORDER BY p.id",
                segment.sql
            ),
            vec![Bind::Int(after), Bind::Int(cap.0)],
        ),
    };
    let mut binds = segment.binds.clone();
    binds.extend(extra);
    SegmentQuery { sql, binds }
}

/// The rows of a `recipients_after` query, read from one cursor: memory stays flat however many users
/// the segment holds.
pub fn stream<'a>(
    db: &'a super::Db,
    query: &'a SegmentQuery,
) -> BoxStream<'a, sqlx::Result<Recipient>> {
    sqlx::query_as_with::<Sqlite, Recipient, _>(&query.sql, arguments(query, &[])).fetch(db)
}

/// How many more users a capped run may target.
#[derive(Debug, Clone, Copy)]
pub struct CapLeft(pub i64);

/// Up to `limit` recipients for a preview, without a transaction.
pub async fn sample(
    db: &super::Db,
    segment: &SegmentQuery,
    limit: u32,
) -> sqlx::Result<Vec<Recipient>> {
    let sql = format!(
        "SELECT {RECIPIENT_COLUMNS} FROM profiles p JOIN ({}) s ON s.profile_id = p.id ORDER BY p.id LIMIT ?",
        segment.sql
    );
    sqlx::query_as_with::<Sqlite, Recipient, _>(
        &sql,
        arguments(segment, &[Bind::Int(i64::from(limit))]),
    )
    .fetch_all(db)
    .await
}

/// A delivery about to be written.
#[derive(Debug, Clone)]
pub struct NewDelivery {
    pub webhook_id: String,
    pub users: usize,
    pub body: Vec<u8>,
}

/// Writes the deliveries of campaign `campaign_id`, due at once.
pub(super) async fn insert_deliveries(
    tx: &mut Transaction<'_, Sqlite>,
    campaign_id: i64,
    deliveries: &[NewDelivery],
    now: i64,
) -> sqlx::Result<()> {
    for chunk in deliveries.chunks(ROWS_PER_STATEMENT) {
        let mut sql = String::from(
            "INSERT INTO deliveries (campaign_id, webhook_id, users, body, next_attempt_at, created_at) VALUES ",
        );
        for i in 0..chunk.len() {
            sql.push_str(if i == 0 {
                "(?,?,?,?,?,?)"
            } else {
                ",(?,?,?,?,?,?)"
            });
        }
        let mut query = sqlx::query(&sql);
        for d in chunk {
            query = query
                .bind(campaign_id)
                .bind(&d.webhook_id)
                .bind(i64::try_from(d.users).unwrap_or(i64::MAX))
                .bind(&d.body)
                .bind(now)
                .bind(now);
        }
        query.execute(&mut **tx).await?;
    }
    Ok(())
}
