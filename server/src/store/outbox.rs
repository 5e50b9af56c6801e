//! Writing a run's deliveries: the users it targets, chosen once (the segment evaluated, the cap
//! applied) and read back a page at a time, and the delivery rows of each chunk.

use std::collections::HashMap;

use sqlx::{Sqlite, Transaction};

use super::ROWS_PER_STATEMENT;

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

impl From<&Recipient> for app::model::campaign_report::PreviewUser {
    fn from(r: &Recipient) -> Self {
        Self {
            id: r.id,
            identity: r.identity.clone(),
            email: r.email.clone(),
            object_id: r.object_id.clone(),
        }
    }
}

const RECIPIENT_COLUMNS: &str =
    "p.id, p.identity, p.object_id, p.email, p.push_token, p.profile_data";

/// Keeps `profile_ids` (in increasing order) as the users run `run` of campaign `campaign_id`
/// targets, and `control` as its control group (held out, sent nothing), with the campaign marked as
/// having them, in one write transaction, if it is still preparing that run. Returns how many are sent
/// to, or `None` if the campaign is no longer preparing it.
pub async fn choose_recipients(
    db: &super::Db,
    campaign_id: i64,
    run: i64,
    profile_ids: &[i64],
    control: &[i64],
) -> sqlx::Result<Option<u64>> {
    let mut tx = super::begin_write(db).await?;
    let held_out = i64::try_from(control.len()).unwrap_or(i64::MAX);
    let preparing = sqlx::query(
        "UPDATE campaigns SET recipients_chosen = 1, control_users = control_users + ?3
         WHERE id = ?1 AND status = 'preparing' AND current_run = ?2 AND NOT recipients_chosen",
    )
    .bind(campaign_id)
    .bind(run)
    .bind(held_out)
    .execute(&mut *tx)
    .await?
    .rows_affected()
        == 1;
    if !preparing {
        return Ok(None);
    }
    sqlx::query("UPDATE campaign_runs SET control_users = ?2 WHERE id = ?1")
        .bind(run)
        .bind(held_out)
        .execute(&mut *tx)
        .await?;
    // Many rows per statement: a million users is ten thousand statements, not a million.
    const IDS_PER_STATEMENT: usize = ROWS_PER_STATEMENT * 4;
    for (ids, is_control) in [(profile_ids, false), (control, true)] {
        for chunk in ids.chunks(IDS_PER_STATEMENT) {
            let mut sql = String::from(
                "INSERT INTO run_recipients (campaign_id, run_id, profile_id, control) VALUES ",
            );
            for i in 0..chunk.len() {
                sql.push_str(if i == 0 { "(?,?,?,?)" } else { ",(?,?,?,?)" });
            }
            let mut query = sqlx::query(&sql);
            for id in chunk {
                query = query.bind(campaign_id).bind(run).bind(id).bind(is_control);
            }
            query.execute(&mut *tx).await?;
        }
    }
    tx.commit().await?;
    Ok(Some(profile_ids.len() as u64))
}

/// The next `limit` recipients of run `run` of campaign `campaign_id` after profile `after`, in id
/// order (the control group left out).
pub async fn recipients_after(
    db: &super::Db,
    campaign_id: i64,
    run: i64,
    after: i64,
    limit: usize,
) -> sqlx::Result<Vec<Recipient>> {
    sqlx::query_as(&format!(
        "SELECT {RECIPIENT_COLUMNS} FROM run_recipients r JOIN profiles p ON p.id = r.profile_id
         WHERE r.campaign_id = ?1 AND r.run_id = ?2 AND r.profile_id > ?3 AND r.control = 0
         ORDER BY r.profile_id LIMIT ?4"
    ))
    .bind(campaign_id)
    .bind(run)
    .bind(after)
    .bind(i64::try_from(limit).unwrap_or(i64::MAX))
    .fetch_all(db)
    .await
}

/// The recipients with these profile ids (a preview's sample), in id order.
pub async fn recipients_with_ids(db: &super::Db, ids: &[i64]) -> sqlx::Result<Vec<Recipient>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let placeholders = vec!["?"; ids.len()].join(",");
    let sql = format!(
        "SELECT {RECIPIENT_COLUMNS} FROM profiles p WHERE p.id IN ({placeholders}) ORDER BY p.id"
    );
    let mut query = sqlx::query_as(&sql);
    for id in ids {
        query = query.bind(id);
    }
    query.fetch_all(db).await
}

/// Up to `limit` users whose identity or e-mail is `text` or starts with it (exact matches first),
/// or the first users when `text` is empty, for a person choosing whom to preview.
pub async fn search_recipients(
    db: &super::Db,
    text: &str,
    limit: usize,
) -> sqlx::Result<Vec<Recipient>> {
    let limit = i64::try_from(limit).unwrap_or(i64::MAX);
    let text = text.trim();
    if text.is_empty() {
        return sqlx::query_as(&format!(
            "SELECT {RECIPIENT_COLUMNS} FROM profiles p ORDER BY p.id LIMIT ?"
        ))
        .bind(limit)
        .fetch_all(db)
        .await;
    }
    let prefix = format!(
        "{}%",
        text.replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_")
    );
    sqlx::query_as(&format!(
        "SELECT {RECIPIENT_COLUMNS} FROM profiles p
         WHERE p.identity = ? OR p.email = ? OR p.identity LIKE ? ESCAPE '\\' OR p.email LIKE ? ESCAPE '\\'
         ORDER BY (p.identity = ? OR p.email = ?) DESC, p.id LIMIT ?"
    ))
    .bind(text)
    .bind(text)
    .bind(&prefix)
    .bind(&prefix)
    .bind(text)
    .bind(text)
    .bind(limit)
    .fetch_all(db)
    .await
}

/// A delivery about to be written.
#[derive(Debug, Clone)]
pub struct NewDelivery {
    pub webhook_id: String,
    pub users: usize,
    pub body: Vec<u8>,
    /// The query string rendered for it (`None`: the campaign's query parameters as written).
    pub query: Option<String>,
    /// Why it is not sent at all (its request could not be rendered): written as failed.
    pub failure: Option<String>,
    /// The ids of the first and last profile it goes to (recipients in profile-id order).
    pub profiles: (i64, i64),
}

/// Writes the deliveries of campaign `campaign_id` (of its run `run`; none for a live campaign), due
/// at once.
pub(super) async fn insert_deliveries(
    tx: &mut Transaction<'_, Sqlite>,
    campaign_id: i64,
    run: Option<i64>,
    deliveries: &[NewDelivery],
    now: i64,
) -> sqlx::Result<()> {
    for chunk in deliveries.chunks(ROWS_PER_STATEMENT) {
        let mut sql = String::from(
            "INSERT INTO deliveries (campaign_id, run_id, webhook_id, users, body, query, status,
             failure_reason, next_attempt_at, created_at, finished_at, first_profile, last_profile)
             VALUES ",
        );
        for i in 0..chunk.len() {
            sql.push_str(if i == 0 {
                "(?,?,?,?,?,?,?,?,?,?,?,?,?)"
            } else {
                ",(?,?,?,?,?,?,?,?,?,?,?,?,?)"
            });
        }
        let mut query = sqlx::query(&sql);
        for d in chunk {
            let status = if d.failure.is_some() {
                "failed"
            } else {
                "pending"
            };
            query = query
                .bind(campaign_id)
                .bind(run)
                .bind(&d.webhook_id)
                .bind(i64::try_from(d.users).unwrap_or(i64::MAX))
                .bind(&d.body)
                .bind(&d.query)
                .bind(status)
                .bind(&d.failure)
                .bind(now)
                .bind(now)
                .bind(d.failure.is_some().then_some(now))
                .bind(d.profiles.0)
                .bind(d.profiles.1);
        }
        query.execute(&mut **tx).await?;
    }
    Ok(())
}

/// Takes cancelled pending deliveries, `(campaign, run)` each, off their campaigns' and runs' pending
/// counts.
pub(super) async fn uncount_cancelled(
    tx: &mut Transaction<'_, Sqlite>,
    cancelled: &[(i64, Option<i64>)],
) -> sqlx::Result<()> {
    let mut campaigns: HashMap<i64, i64> = HashMap::new();
    let mut runs: HashMap<i64, i64> = HashMap::new();
    for (campaign, run) in cancelled {
        *campaigns.entry(*campaign).or_default() += 1;
        if let Some(run) = run {
            *runs.entry(*run).or_default() += 1;
        }
    }
    for (table, counts) in [("campaigns", campaigns), ("campaign_runs", runs)] {
        for (id, n) in counts {
            sqlx::query(&format!(
                "UPDATE {table} SET pending_requests = pending_requests - ?2 WHERE id = ?1"
            ))
            .bind(id)
            .bind(n)
            .execute(&mut **tx)
            .await?;
        }
    }
    Ok(())
}
