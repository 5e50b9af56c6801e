//! Conversions: the users of a campaign's run who did its goal event within the conversion window,
//! counted apart for those sent to and the control group.

use super::Db;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Conversions {
    pub sent: u64,
    pub control: u64,
}

/// The recipients of campaign `campaign_id` with a `goal` event at or after `from` and at most `to`
/// (unix ms), by group. One index lookup per recipient (`events_profile_name_ts`).
pub async fn count(
    db: &Db,
    campaign_id: i64,
    goal: &str,
    from: i64,
    to: i64,
) -> sqlx::Result<Conversions> {
    let rows: Vec<(bool, i64)> = sqlx::query_as(
        "SELECT r.control, COUNT(*) FROM run_recipients r
         WHERE r.campaign_id = ? AND EXISTS (
           SELECT 1 FROM events e
           WHERE e.profile_id = r.profile_id AND e.name = ? AND e.ts >= ? AND e.ts <= ?)
         GROUP BY r.control",
    )
    .bind(campaign_id)
    .bind(goal)
    .bind(from)
    .bind(to)
    .fetch_all(db)
    .await?;
    let mut counted = Conversions::default();
    for (control, n) in rows {
        let n = u64::try_from(n).unwrap_or(0);
        if control {
            counted.control = n;
        } else {
            counted.sent = n;
        }
    }
    Ok(counted)
}
