//! Live campaigns at ingestion: the matcher that turns ingested events into triggers (written in the
//! upload's own transaction), and its refresh from the database whenever a live campaign starts,
//! pauses, resumes, ends or stops. Deciding and sending a trigger is `campaigns::live`'s work.

pub mod matcher;

use app::model::campaign::CampaignDraft;
use app::model::live::{self, LiveSettings};
use jiff::tz::TimeZone;

use crate::store::{Db, live as table};
use crate::time::local_time;
pub use matcher::{LiveMatcher, LiveTrigger};

/// Reloads the running, unpaused live campaigns into `matcher`.
pub async fn refresh(db: &Db, zone: &TimeZone, matcher: &LiveMatcher) -> sqlx::Result<()> {
    let mut triggers = Vec::new();
    for row in table::live_campaigns(db).await? {
        if row.paused {
            continue;
        }
        let Ok(draft) = serde_json::from_str::<CampaignDraft>(&row.definition) else {
            tracing::error!(
                campaign = row.id,
                "live campaign: its definition cannot be read; it triggers nothing"
            );
            continue;
        };
        let (start, end) = window(&draft.live, zone);
        let since = row.started_at.unwrap_or(0).max(start.unwrap_or(0));
        triggers.push(LiveTrigger::new(
            row.id,
            &draft.live.trigger.event,
            &draft.live.trigger.filters,
            since,
            end,
            live::wait_ms(&draft.live),
        ));
    }
    matcher.replace(triggers);
    Ok(())
}

/// A live campaign's start and end as instants (unix ms) in the project time zone.
pub fn window(draft: &LiveSettings, zone: &TimeZone) -> (Option<i64>, Option<i64>) {
    let at = |s: &Option<String>| s.as_deref().and_then(|s| local_time::resolve(s, zone));
    (at(&draft.start), at(&draft.end))
}
