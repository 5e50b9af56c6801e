//! Conversions: the users of a campaign's runs who did its goal event within the conversion window,
//! counted apart for those sent to and the control group.

use std::collections::HashMap;

use super::Db;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Conversions {
    pub sent: u64,
    pub control: u64,
}

impl Conversions {
    fn add(&mut self, control: bool, n: i64) {
        let n = u64::try_from(n).unwrap_or(0);
        if control {
            self.control += n;
        } else {
            self.sent += n;
        }
    }

    /// The sum of several runs' conversions.
    pub fn total<'a>(all: impl IntoIterator<Item = &'a Conversions>) -> Conversions {
        all.into_iter()
            .fold(Conversions::default(), |t, c| Conversions {
                sent: t.sent + c.sent,
                control: t.control + c.control,
            })
    }
}

/// The recipients of each run of campaign `campaign_id` with a `goal` event from the run's start
/// until `window_ms` after it, by run and group. One index lookup per recipient
/// (`events_profile_name_ts`).
pub async fn count_by_run(
    db: &Db,
    campaign_id: i64,
    goal: &str,
    window_ms: i64,
) -> sqlx::Result<HashMap<i64, Conversions>> {
    let rows: Vec<(i64, bool, i64)> = sqlx::query_as(
        "SELECT r.run_id, r.control, COUNT(*) FROM run_recipients r
         JOIN campaign_runs u ON u.id = r.run_id
         WHERE r.campaign_id = ? AND EXISTS (
           SELECT 1 FROM events e
           WHERE e.profile_id = r.profile_id AND e.name = ? AND e.ts >= u.started_at
             AND e.ts <= u.started_at + ?)
         GROUP BY r.run_id, r.control",
    )
    .bind(campaign_id)
    .bind(goal)
    .bind(window_ms)
    .fetch_all(db)
    .await?;
    let mut by_run: HashMap<i64, Conversions> = HashMap::new();
    for (run, control, n) in rows {
        by_run.entry(run).or_default().add(control, n);
    }
    Ok(by_run)
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
        counted.add(control, n);
    }
    counted
}
