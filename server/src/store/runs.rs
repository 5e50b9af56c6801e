//! A campaign's runs (one for now/later, one per date of a recurring schedule) with their counters,
//! kept by the same transactions as the campaign's (`store::campaigns`, `store::results`).

use super::Db;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RunRow {
    pub id: i64,
    pub number: i64,
    pub scheduled_at: i64,
    pub started_at: i64,
    pub targeted_users: i64,
    pub control_users: i64,
    pub sent_users: i64,
    pub delivered_users: i64,
    pub failed_users: i64,
    pub requests: i64,
    pub pending_requests: i64,
}

/// Campaign `campaign_id`'s latest `limit` runs, newest first.
pub async fn list(db: &Db, campaign_id: i64, limit: u32) -> sqlx::Result<Vec<RunRow>> {
    sqlx::query_as(
        "SELECT id, number, scheduled_at, started_at, targeted_users, control_users, sent_users,
         delivered_users, failed_users, requests, pending_requests
         FROM campaign_runs WHERE campaign_id = ?1 ORDER BY number DESC LIMIT ?2",
    )
    .bind(campaign_id)
    .bind(limit)
    .fetch_all(db)
    .await
}

/// When run `id` started (unix ms): the time its segment is evaluated at.
pub async fn started_at(db: &Db, id: i64) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar("SELECT started_at FROM campaign_runs WHERE id = ?1")
        .bind(id)
        .fetch_optional(db)
        .await
}
