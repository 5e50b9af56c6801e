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
    Ok(tally(rows))
}

/// A live campaign's conversions: the users sent a request (or held out) with a `goal` event at most
/// `window_ms` after that trigger's decision, each user counted once.
pub async fn count_live(
    db: &Db,
    campaign_id: i64,
    goal: &str,
    window_ms: i64,
) -> sqlx::Result<Conversions> {
    let rows: Vec<(bool, i64)> = sqlx::query_as(
        "SELECT t.state = 'control', COUNT(DISTINCT t.profile_id) FROM live_triggers t
         WHERE t.campaign_id = ? AND t.state IN ('sent', 'control') AND EXISTS (
           SELECT 1 FROM events e
           WHERE e.profile_id = t.profile_id AND e.name = ? AND e.ts >= t.decided_at
             AND e.ts <= t.decided_at + ?)
         GROUP BY 1",
    )
    .bind(campaign_id)
    .bind(goal)
    .bind(window_ms)
    .fetch_all(db)
    .await?;
    Ok(tally(rows))
}

fn tally(rows: Vec<(bool, i64)>) -> Conversions {
    let mut counted = Conversions::default();
    for (control, n) in rows {
        let n = u64::try_from(n).unwrap_or(0);
        if control {
            counted.control = n;
        } else {
            counted.sent = n;
        }
    }
    counted
}
