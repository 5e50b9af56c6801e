//! Writing a run's deliveries: the users it targets, chosen once (the segment evaluated, the cap
//! applied) and read back a page at a time, and the delivery rows of each chunk.

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

/// Chooses the users a run of campaign `campaign_id` targets, once: the profiles the segment selects
/// now (with a cap, that many chosen at random), kept in `run_recipients`, with the campaign marked as
/// having them, in one write transaction, if it is still preparing. Returns how many were chosen, or
/// `None` if the campaign is no longer preparing.
pub async fn choose_recipients(
    db: &super::Db,
    campaign_id: i64,
    segment: &SegmentQuery,
    cap: Option<u32>,
) -> sqlx::Result<Option<u64>> {
    let mut tx = super::begin_write(db).await?;
    let preparing = sqlx::query(
        "UPDATE campaigns SET recipients_chosen = 1 WHERE id = ?1 AND status = 'preparing'",
    )
    .bind(campaign_id)
    .execute(&mut *tx)
    .await?
    .rows_affected()
        == 1;
    if !preparing {
        return Ok(None);
    }
    let (chosen, mut extra) = match cap {
        None => (format!("SELECT profile_id FROM ({})", segment.sql), vec![]),
        Some(cap) => (
            format!(
                "SELECT profile_id FROM ({}) ORDER BY random() LIMIT ?",
                segment.sql
            ),
            vec![Bind::Int(i64::from(cap))],
        ),
    };
    // The campaign id's parameter comes after the segment's, as `arguments` binds them.
    let sql = format!(
        "INSERT INTO run_recipients (campaign_id, profile_id)
         SELECT run.id, s.profile_id FROM ({chosen}) s, (SELECT ? AS id) run ORDER BY s.profile_id"
    );
    extra.push(Bind::Int(campaign_id));
    let chosen = sqlx::query_with::<Sqlite, _>(&sql, arguments(segment, &extra))
        .execute(&mut *tx)
        .await?
        .rows_affected();
    tx.commit().await?;
    Ok(Some(chosen))
}

/// The next `limit` recipients of campaign `campaign_id`'s run after profile `after`, in id order.
pub async fn recipients_after(
    db: &super::Db,
    campaign_id: i64,
    after: i64,
    limit: usize,
) -> sqlx::Result<Vec<Recipient>> {
    sqlx::query_as(&format!(
        "SELECT {RECIPIENT_COLUMNS} FROM run_recipients r JOIN profiles p ON p.id = r.profile_id
         WHERE r.campaign_id = ?1 AND r.profile_id > ?2 ORDER BY r.profile_id LIMIT ?3"
    ))
    .bind(campaign_id)
    .bind(after)
    .bind(i64::try_from(limit).unwrap_or(i64::MAX))
    .fetch_all(db)
    .await
}

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
