//! Running a campaign: its deliveries written to the outbox in chunks while the campaign is
//! *preparing*, then the campaign marked running (or completed, when nothing is left to send).
//!
//! Each chunk (a thousand users or so, rendered into requests) is one short write transaction with the
//! campaign's counters and resume point (`prepared_through`, the last profile id written), so logins,
//! uploads and the dispatcher's writes go on between chunks, memory stays flat however big the
//! segment, and the dispatcher starts sending the first chunks while later ones are written. A
//! process that dies while preparing resumes after the last chunk written: nobody is targeted twice.
//! The segment's window is read at the campaign's start time, so a resumed run selects as the first
//! part did.

use app::model::campaign::CampaignDraft;
use rand::RngCore;

use crate::Engine;
use crate::render::payload::{self, PayloadSpec};
use crate::segments::{self, SegmentQuery};
use crate::store::campaigns::{self as table, PreparedChunk};
use crate::store::outbox::{self, CapLeft, NewDelivery, Recipient};
use futures_util::TryStreamExt;

/// Users per chunk, rounded up to whole requests.
const CHUNK_USERS: usize = 1000;

/// How a preparation ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Prepared {
    /// Every chunk is written; the campaign is running (or completed).
    Done,
    /// The campaign was stopped (or is no longer preparing).
    Stopped,
}

/// The SQL selecting who a draft targets at `now`.
pub fn segment_query(engine: &Engine, draft: &CampaignDraft, now: i64) -> SegmentQuery {
    let (from, to) = segments::window::bounds(&draft.who.segment.window, now, &engine.zone);
    segments::compile(&draft.who.segment, from, to)
}

/// Writes the rest of preparing campaign `id`'s deliveries, then starts sending it.
pub async fn prepare(engine: &Engine, id: i64) -> anyhow::Result<Prepared> {
    let Some(row) = table::get(&engine.db, id).await? else {
        return Ok(Prepared::Stopped);
    };
    if row.status != "preparing" {
        return Ok(Prepared::Stopped);
    }
    let started_at = row.started_at.unwrap_or_else(|| engine.clock.now_ms());
    let (prepared_through, targeted_so_far) = (row.prepared_through, row.targeted_users);
    let campaign = super::stored::to_out(row).map_err(anyhow::Error::msg)?;
    let draft = campaign.draft;
    let query = segment_query(engine, &draft, started_at);
    let cap = draft
        .who
        .cap
        .map(|cap| CapLeft((i64::from(cap) - targeted_so_far).max(0)));
    if cap.is_some_and(|CapLeft(left)| left == 0) {
        return finish(engine, id).await;
    }
    let spec = PayloadSpec::new(id, &draft.what);
    let batch_size = usize::try_from(engine.config.batch_size).unwrap_or(100);
    let chunk_users = CHUNK_USERS.div_ceil(batch_size) * batch_size;
    let query = outbox::recipients_after(&query, cap, prepared_through);
    let mut rows = outbox::stream(&engine.db, &query);
    let mut recipients = Vec::with_capacity(chunk_users);
    loop {
        let row = rows.try_next().await?;
        let end = row.is_none();
        recipients.extend(row);
        if recipients.len() == chunk_users || (end && !recipients.is_empty()) {
            let chunk = render_chunk(&spec, &recipients, batch_size);
            recipients.clear();
            if !table::write_chunk(&engine.db, id, &chunk, engine.clock.now_ms()).await? {
                tracing::info!(campaign = id, "campaign stopped while preparing");
                return Ok(Prepared::Stopped);
            }
            engine.dispatch_wake.notify_one();
        }
        if end {
            break;
        }
    }
    finish(engine, id).await
}

async fn finish(engine: &Engine, id: i64) -> anyhow::Result<Prepared> {
    if !table::finish_preparing(&engine.db, id, engine.clock.now_ms()).await? {
        return Ok(Prepared::Stopped);
    }
    engine.dispatch_wake.notify_one();
    tracing::info!(
        campaign = id,
        "campaign prepared: every delivery is in the outbox"
    );
    Ok(Prepared::Done)
}

fn render_chunk(spec: &PayloadSpec, recipients: &[Recipient], batch_size: usize) -> PreparedChunk {
    let deliveries: Vec<NewDelivery> = payload::batches(spec, recipients, batch_size)
        .map(|(users, body)| NewDelivery {
            webhook_id: new_webhook_id(),
            users,
            body,
        })
        .collect();
    PreparedChunk {
        deliveries,
        users: recipients.len(),
        through: recipients.last().map_or(0, |r| r.id),
    }
}

/// `msg_` and 128 random bits: the `webhook-id` a delivery keeps on every attempt.
fn new_webhook_id() -> String {
    let mut bytes = [0u8; 16];
    rand::thread_rng().fill_bytes(&mut bytes);
    format!("msg_{:032x}", u128::from_be_bytes(bytes))
}
