//! Running a campaign: its deliveries written to the outbox in chunks while the campaign is
//! *preparing*, then the campaign marked running (or completed, when nothing is left to send).
//!
//! First the users it targets are chosen, once: the segment evaluated on the segment index at the
//! campaign's start time, the cap's random sample drawn, the ids kept in `run_recipients`. Then they
//! are read back a page at a time, so no read stays open across chunks and SQLite's WAL can be
//! checkpointed as it goes. Each chunk (a thousand requests, or ten thousand users when they are
//! batched) is one short write transaction with the campaign's counters and resume point
//! (`prepared_through`, the last profile id written), so logins, uploads and the dispatcher's writes go
//! on between chunks, memory stays flat however big the segment, and the dispatcher sends the first
//! chunks while later ones are written. A process that dies while preparing resumes after the last
//! chunk written, with the same recipients: nobody is targeted twice, and a cap is never exceeded.

use app::model::campaign::{CampaignDraft, control_size};
use futures_util::StreamExt;
use rand::RngCore;

use crate::Engine;
use crate::linked::compiled::LinkedSet;
use crate::linked::fetch::Fetcher;
use crate::render::content::{Content, Rendered};
use crate::render::liquid::Variables;
use crate::render::payload::TriggeringEvent;
use crate::render::variables;
use crate::segments;
use crate::store::campaigns::{self as table, PreparedChunk};
use crate::store::outbox::{self, NewDelivery, Recipient};
use crate::store::{self, Db};

/// A chunk holds about this many requests (one transaction each)...
const CHUNK_REQUESTS: usize = 1000;
/// ...and at most this many users (the memory one chunk takes).
const MAX_CHUNK_USERS: usize = 10_000;
/// Users whose linked content is fetched at once.
const LINKED_FETCHES: usize = 32;

/// The profile ids a run targets at `now`, in increasing order: everyone the segment holds, or a
/// random sample of `cap` of them.
pub async fn choose_targets(engine: &Engine, draft: &CampaignDraft, now: i64) -> Vec<i64> {
    let found = segments::find(
        engine.segment_index.clone(),
        draft.who.segment.clone(),
        now,
        engine.zone.clone(),
        usize::MAX,
    )
    .await;
    let mut ids = found.profile_ids;
    if let Some(cap) = draft.who.cap.map(|c| c as usize)
        && cap < ids.len()
    {
        let mut sample: Vec<i64> =
            rand::seq::index::sample(&mut rand::thread_rng(), ids.len(), cap)
                .into_iter()
                .map(|i| ids[i])
                .collect();
        sample.sort_unstable();
        ids = sample;
    }
    ids
}

/// Takes the control group out of `targets` (profile ids in increasing order): `percent` % of them,
/// chosen at random; both lists stay in increasing order.
fn hold_out(targets: &mut Vec<i64>, percent: u8) -> Vec<i64> {
    let size = usize::try_from(control_size(targets.len() as u64, percent)).unwrap_or(0);
    if size == 0 {
        return Vec::new();
    }
    let mut held = vec![false; targets.len()];
    for i in rand::seq::index::sample(&mut rand::thread_rng(), targets.len(), size) {
        held[i] = true;
    }
    let mut control = Vec::with_capacity(size);
    let mut i = 0;
    targets.retain(|id| {
        let keep = !held[i];
        if !keep {
            control.push(*id);
        }
        i += 1;
        keep
    });
    control
}

/// Writes the rest of the deliveries of preparing campaign `id`'s current run, then starts sending it
/// (nothing to do if it is no longer preparing: stopped, or prepared already).
pub async fn prepare(engine: &Engine, id: i64) -> anyhow::Result<()> {
    let Some(row) = table::get(&engine.db, id).await? else {
        return Ok(());
    };
    if row.status != "preparing" {
        return Ok(());
    }
    let Some(run) = row.current_run else {
        return Ok(());
    };
    let started_at = store::runs::started_at(&engine.db, run)
        .await?
        .unwrap_or_else(|| engine.clock.now_ms());
    let (chosen, mut through) = (row.recipients_chosen, row.prepared_through);
    let draft = super::stored::to_out(row)
        .map_err(anyhow::Error::msg)?
        .draft;
    if !chosen {
        let mut targets = choose_targets(engine, &draft, started_at).await;
        let control = hold_out(&mut targets, draft.who.control_group_percent);
        let chosen = {
            let _turn = engine.writes.enter().await;
            outbox::choose_recipients(&engine.db, id, run, &targets, &control).await?
        };
        let Some(users) = chosen else {
            return Ok(());
        };
        tracing::info!(
            campaign = id,
            users,
            control = control.len(),
            "campaign recipients chosen"
        );
    }
    let content = compiled(&engine.db, id, &draft).await?;
    let batch_size = match &content {
        Ok((content, _)) if !content.personal() => {
            usize::try_from(engine.config.batch_size).unwrap_or(100)
        }
        _ => 1,
    };
    let chunk_users = (CHUNK_REQUESTS * batch_size)
        .min(MAX_CHUNK_USERS)
        .div_ceil(batch_size)
        * batch_size;
    loop {
        let recipients =
            outbox::recipients_after(&engine.db, id, run, through, chunk_users).await?;
        let Some(last) = recipients.last() else {
            break;
        };
        through = last.id;
        let now = engine.clock.now_ms();
        let deliveries = match &content {
            Ok((content, linked)) => {
                render_requests(
                    engine.fetcher(),
                    content,
                    linked,
                    &recipients,
                    batch_size,
                    now,
                )
                .await
            }
            Err(reason) => recipients
                .iter()
                .map(|r| delivery(now, 1, (r.id, r.id), Err(reason.clone())))
                .collect(),
        };
        let chunk = PreparedChunk {
            deliveries,
            users: recipients.len(),
            through: last.id,
        };
        let written = {
            let _turn = engine.writes.enter().await;
            table::write_chunk(&engine.db, id, &chunk, engine.clock.now_ms()).await?
        };
        if !written {
            tracing::info!(campaign = id, "campaign stopped while preparing");
            return Ok(());
        }
        engine.dispatch_wake.notify_one();
    }
    finish(engine, id).await
}

async fn finish(engine: &Engine, id: i64) -> anyhow::Result<()> {
    if !table::finish_preparing(&engine.db, id, engine.clock.now_ms()).await? {
        return Ok(());
    }
    engine.dispatch_wake.notify_one();
    tracing::info!(
        campaign = id,
        "campaign prepared: every delivery is in the outbox"
    );
    Ok(())
}

/// The campaign's content compiled, and the linked content it names; or why no user can be sent
/// anything (checked at publish, so only a template this version can no longer read).
pub(super) async fn compiled(
    db: &Db,
    id: i64,
    draft: &CampaignDraft,
) -> sqlx::Result<Result<(Content, LinkedSet), String>> {
    let content = match Content::compile(id, &draft.name, &draft.what) {
        Ok(content) => content,
        Err(errors) => {
            let fields: Vec<String> = errors
                .0
                .iter()
                .map(|(field, messages)| format!("{field}: {}", messages.join(" ")))
                .collect();
            let reason = format!(
                "The campaign's content does not compile ({})",
                fields.join("; ")
            );
            tracing::error!(campaign = id, %reason);
            return Ok(Err(reason));
        }
    };
    let linked = LinkedSet::load(db, content.linked()).await?;
    Ok(Ok((content, linked)))
}

/// The deliveries of `recipients`: one per `batch_size` users, or one per user for personal
/// content (rendered with each user's linked content, several users fetching at once). A user whose
/// request cannot be rendered gets a delivery that is written failed, with the reason.
async fn render_requests(
    fetcher: Fetcher<'_>,
    content: &Content,
    linked: &LinkedSet,
    recipients: &[Recipient],
    batch_size: usize,
    now: i64,
) -> Vec<NewDelivery> {
    if !content.personal() {
        return recipients
            .chunks(batch_size.max(1))
            .map(|batch| {
                let profiles = (batch[0].id, batch[batch.len() - 1].id);
                delivery(now, batch.len(), profiles, content.batch(batch, false))
            })
            .collect();
    }
    if linked.is_empty() {
        return recipients
            .iter()
            .map(|r| delivery(now, 1, (r.id, r.id), render_user(content, r)))
            .collect();
    }
    // The futures are made here, not inside the stream, so it holds one concrete future type.
    let users: Vec<_> = recipients
        .iter()
        .map(|r| async move {
            let rendered = render_with_linked(fetcher, content, linked, r, None, false).await;
            (r.id, rendered)
        })
        .collect();
    futures_util::stream::iter(users)
        .buffered(LINKED_FETCHES)
        .map(|(id, rendered)| delivery(now, 1, (id, id), rendered))
        .collect()
        .await
}

fn render_user(content: &Content, recipient: &Recipient) -> Result<Rendered, String> {
    let variables = content.variables(variables::profile(recipient), Default::default());
    content.for_user(recipient, None, &variables, false)
}

/// One user's request (for the `event` that triggered it, in a live campaign), with their linked
/// content fetched (or from the cache); `is_test` marks a Profile variables payload as a test.
pub async fn render_with_linked(
    fetcher: Fetcher<'_>,
    content: &Content,
    linked: &LinkedSet,
    recipient: &Recipient,
    event: Option<TriggeringEvent<'_>>,
    is_test: bool,
) -> Result<Rendered, String> {
    let own = content.variables(variables::profile(recipient), Default::default());
    let own = Content::with_event(own, event);
    let values = if linked.is_empty() {
        Default::default()
    } else {
        linked.values(fetcher, &own).await?
    };
    let variables = Variables {
        linked: values,
        ..own
    };
    content.for_user(recipient, event, &variables, is_test)
}

/// The delivery of `users` users, profile ids `profiles.0` to `profiles.1`.
pub(super) fn delivery(
    now: i64,
    users: usize,
    profiles: (i64, i64),
    rendered: Result<Rendered, String>,
) -> NewDelivery {
    match rendered {
        Ok(Rendered {
            query,
            body,
            invalid_json: None,
        }) => NewDelivery {
            webhook_id: new_webhook_id(now),
            users,
            body,
            query: Some(query),
            failure: None,
            profiles,
        },
        Ok(Rendered {
            invalid_json: Some(reason),
            ..
        })
        | Err(reason) => NewDelivery {
            // Written failed: its request could not be rendered.
            webhook_id: new_webhook_id(now),
            users,
            body: Vec::new(),
            query: None,
            failure: Some(reason),
            profiles,
        },
    }
}

/// The `webhook-id` a delivery keeps on every attempt: `msg_`, the time in ms (48 bits) and 80 random
/// bits, as a UUIDv7 lays them out. Ids made later sort later, so the outbox's unique index on them
/// grows at its end instead of at random places: a chunk's write touches a few index pages, not one
/// per delivery.
fn new_webhook_id(now_ms: i64) -> String {
    let mut random = [0u8; 10];
    rand::thread_rng().fill_bytes(&mut random);
    let random = random.iter().fold(0u128, |n, b| (n << 8) | u128::from(*b));
    let time = u64::try_from(now_ms).unwrap_or(0) & 0xffff_ffff_ffff;
    format!("msg_{time:012x}{random:020x}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_control_group_is_its_share_of_the_targets_taken_out() {
        let mut targets: Vec<i64> = (1..=1000).collect();
        let control = hold_out(&mut targets, 10);
        assert_eq!(control.len(), 100);
        assert_eq!(targets.len(), 900);
        assert!(control.is_sorted() && targets.is_sorted());
        assert!(control.iter().all(|c| targets.binary_search(c).is_err()));
        let mut few = vec![1, 2, 3];
        assert!(hold_out(&mut few, 0).is_empty());
        assert_eq!(hold_out(&mut few, 50).len(), 2, "1.5 rounds to 2");
        assert_eq!(few.len(), 1);
    }

    #[test]
    fn webhook_ids_are_unique_and_sort_by_time() {
        let early = new_webhook_id(1_700_000_000_000);
        let late = new_webhook_id(1_700_000_000_001);
        assert!(early.starts_with("msg_") && early.len() == 36, "{early}");
        assert!(early < late);
        assert_ne!(new_webhook_id(5), new_webhook_id(5));
    }
}
