//! Deciding live campaigns' triggers when they are due (at once, or when the delay or the "unless"
//! time is up): the user must be in the campaign's segment (if it has one), must not have done the
//! "unless" event in time, and must be under the frequency cap; a deterministic share of users is
//! held out as the control group; everyone else gets a request of their own, rendered with the
//! triggering event (`Event_properties`, `Event.*`). Decisions and deliveries are written together,
//! one transaction per campaign and pass.

use std::collections::HashMap;
use std::sync::Arc;

use app::model::campaign::CampaignDraft;
use app::model::live::Unless;
use app::model::segment::describe::quoted;

use crate::Engine;
use crate::render::payload::TriggeringEvent;
use crate::segments::index::properties_of_text;
use crate::segments::{self, predicate::Predicate, value::Scalar};
use crate::store::campaigns as campaigns_table;
use crate::store::live::{self as table, Decision, DueTrigger};
use crate::store::outbox::{self, Recipient};

/// Triggers decided per pass (one read, one write per campaign).
const PASS: u32 = 500;

/// Decides the triggers due now; returns how many were decided.
pub async fn decide_due(engine: &Engine) -> anyhow::Result<usize> {
    let now = engine.clock.now_ms();
    let due = table::due(&engine.db, now, PASS).await?;
    let decided = due.len();
    let mut by_campaign: Vec<(i64, Vec<DueTrigger>)> = Vec::new();
    for trigger in due {
        match by_campaign
            .iter_mut()
            .find(|(id, _)| *id == trigger.campaign_id)
        {
            Some((_, triggers)) => triggers.push(trigger),
            None => by_campaign.push((trigger.campaign_id, vec![trigger])),
        }
    }
    for (campaign_id, triggers) in by_campaign {
        let decisions = decide_campaign(engine, campaign_id, &triggers, now).await?;
        {
            let _turn = engine.writes.enter().await;
            table::decide(&engine.db, campaign_id, &decisions, engine.clock.now_ms()).await?;
        }
        engine.dispatch_wake.notify_one();
    }
    Ok(decided)
}

/// Why a campaign's triggers are not sent at all, if they are not.
fn closed(row: &campaigns_table::CampaignRow) -> Option<&'static str> {
    if row.status != "running" || !row.ongoing {
        Some("The campaign is no longer live.")
    } else if row.paused_at.is_some() {
        Some("The campaign was paused.")
    } else {
        None
    }
}

async fn decide_campaign(
    engine: &Engine,
    campaign_id: i64,
    triggers: &[DueTrigger],
    now: i64,
) -> anyhow::Result<Vec<(i64, Decision)>> {
    let skip_all = |reason: &str| {
        triggers
            .iter()
            .map(|t| (t.id, Decision::Skipped(reason.to_owned())))
            .collect()
    };
    let Some(row) = campaigns_table::get(&engine.db, campaign_id).await? else {
        return Ok(skip_all("The campaign was deleted."));
    };
    if let Some(reason) = closed(&row) {
        return Ok(skip_all(reason));
    }
    let draft = super::stored::to_out(row)
        .map_err(anyhow::Error::msg)?
        .draft;
    let in_segment = members(engine, &draft, now).await;
    let content = super::run::compiled(&engine.db, campaign_id, &draft).await?;
    let ids: Vec<i64> = triggers.iter().map(|t| t.profile_id).collect();
    let recipients: HashMap<i64, Recipient> = outbox::recipients_with_ids(&engine.db, &ids)
        .await?
        .into_iter()
        .map(|r| (r.id, r))
        .collect();
    let unless = draft.live.unless.as_ref().map(CompiledUnless::new);
    // Sends decided in this pass, not yet written, for the frequency cap.
    let mut sent_now: HashMap<i64, u32> = HashMap::new();
    let mut decisions = Vec::with_capacity(triggers.len());
    for t in triggers {
        let decision = if in_segment
            .as_ref()
            .is_some_and(|ids| ids.binary_search(&t.profile_id).is_err())
        {
            Decision::Skipped("Not in the campaign's segment when triggered.".into())
        } else if let Some(reason) = match &unless {
            Some(u) => u.done(&engine.db, t).await?,
            None => None,
        } {
            Decision::Skipped(reason)
        } else if let Some(reason) = capped(engine, &draft, t, &sent_now, now).await? {
            Decision::Skipped(reason)
        } else if held_out(campaign_id, t.profile_id, draft.who.control_group_percent) {
            Decision::Control
        } else if let Some(recipient) = recipients.get(&t.profile_id) {
            *sent_now.entry(t.profile_id).or_default() += 1;
            let event = TriggeringEvent {
                name: &t.event_name,
                data: &t.event_data,
            };
            let rendered = match &content {
                Ok((content, linked)) => {
                    super::run::render_with_linked(
                        engine.fetcher(),
                        content,
                        linked,
                        recipient,
                        Some(event),
                        false,
                    )
                    .await
                }
                Err(reason) => Err(reason.clone()),
            };
            let profile = (recipient.id, recipient.id);
            Decision::Sent(super::run::delivery(now, 1, profile, rendered))
        } else {
            Decision::Skipped("The user's profile no longer exists.".into())
        };
        decisions.push((t.id, decision));
    }
    Ok(decisions)
}

/// The profile ids (sorted) of the campaign's segment now, when it has one.
async fn members(engine: &Engine, draft: &CampaignDraft, now: i64) -> Option<Vec<i64>> {
    if draft.who.segment.rules.is_empty() {
        return None;
    }
    let found = segments::find(
        engine.segment_index.clone(),
        draft.who.segment.clone(),
        now,
        engine.zone.clone(),
        usize::MAX,
    )
    .await;
    Some(found.profile_ids)
}

/// The "unless" event with its filters compiled.
struct CompiledUnless<'a> {
    unless: &'a Unless,
    filters: Vec<(String, Predicate)>,
}

impl<'a> CompiledUnless<'a> {
    fn new(unless: &'a Unless) -> Self {
        Self {
            unless,
            filters: unless
                .filters
                .iter()
                .map(|f| (f.property.trim().to_owned(), Predicate::new(f)))
                .collect(),
        }
    }

    /// Why the trigger is not sent if its user did the event within the time after it.
    async fn done(&self, db: &crate::store::Db, t: &DueTrigger) -> sqlx::Result<Option<String>> {
        let until = t.event_ts.saturating_add(self.unless.within.millis());
        let events = table::events_between(
            db,
            t.profile_id,
            self.unless.event.trim(),
            t.event_ts,
            until,
        )
        .await?;
        let done = events.iter().any(|data| {
            let properties = properties_of_text(data);
            self.filters.iter().all(|(name, predicate)| {
                let value = properties
                    .iter()
                    .find(|(p, _)| p == name)
                    .map(|(_, text)| Scalar::new(Arc::from(text.as_str())));
                predicate.test(value.as_ref())
            })
        });
        Ok(done.then(|| {
            format!(
                "Did {} within {} after the trigger.",
                quoted(&self.unless.event),
                self.unless.within.words()
            )
        }))
    }
}

/// Why the trigger is not sent if its user reached the frequency cap.
async fn capped(
    engine: &Engine,
    draft: &CampaignDraft,
    t: &DueTrigger,
    sent_now: &HashMap<i64, u32>,
    now: i64,
) -> sqlx::Result<Option<String>> {
    let Some(cap) = draft.live.frequency_cap else {
        return Ok(None);
    };
    let since = cap.per.window_ms().map_or(i64::MIN, |w| now - w);
    let earlier = table::sends_since(&engine.db, t.campaign_id, t.profile_id, since).await?;
    let sent = earlier + sent_now.get(&t.profile_id).copied().unwrap_or(0);
    Ok((sent >= cap.max).then(|| {
        format!(
            "Frequency cap reached: at most {} {}.",
            cap.max,
            cap.per.label()
        )
    }))
}

/// Whether a user is in a live campaign's control group: decided by their id and the campaign's,
/// so a user is held out from every trigger or from none.
fn held_out(campaign_id: i64, profile_id: i64, percent: u8) -> bool {
    if percent == 0 {
        return false;
    }
    // SplitMix64's finaliser: a well-spread number from the pair.
    let mut x = (campaign_id as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ (profile_id as u64);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^= x >> 31;
    x % 100 < u64::from(percent)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_control_group_is_stable_and_about_its_share() {
        let held = (0..10_000).filter(|p| held_out(7, *p, 10)).count();
        assert!((900..=1100).contains(&held), "{held}");
        assert_eq!(held_out(7, 42, 10), held_out(7, 42, 10));
        assert!((0..1000).all(|p| !held_out(7, p, 0)));
    }
}
