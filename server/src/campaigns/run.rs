//! Running a campaign: the segment evaluated, the cap applied, and every delivery written to the outbox
//! in the same transaction that marks the campaign running, so a run happens whole, once, or not at all
//! (a crash before the commit leaves it scheduled, to run again).

use app::model::campaign::CampaignDraft;
use rand::RngCore;

use crate::Engine;
use crate::render::payload::{self, PayloadSpec};
use crate::segments::{self, SegmentQuery};
use crate::store::outbox::{self, NewDelivery};
use crate::store::{self, campaigns as table};

/// What a run wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RunTotals {
    pub users: usize,
    pub requests: usize,
}

/// The SQL selecting who a draft targets now.
pub fn segment_query(engine: &Engine, draft: &CampaignDraft, now: i64) -> SegmentQuery {
    let (from, to) = segments::window::bounds(&draft.who.segment.window, now, &engine.zone);
    segments::compile(&draft.who.segment, from, to)
}

/// Runs campaign `id` if it is still a draft or scheduled; `None` if it was started or stopped
/// meanwhile.
pub async fn run(
    engine: &Engine,
    id: i64,
    draft: &CampaignDraft,
) -> anyhow::Result<Option<RunTotals>> {
    let now = store::now_ms();
    let query = segment_query(engine, draft, now);
    let mut tx = engine.db.begin().await?;
    if !table::start(&mut tx, id, now).await? {
        return Ok(None);
    }
    let recipients = outbox::recipients(&mut tx, &query, draft.who.cap).await?;
    let spec = PayloadSpec::new(id, &draft.what);
    let batch_size = usize::try_from(engine.config.batch_size).unwrap_or(100);
    let deliveries: Vec<NewDelivery> = payload::batches(&spec, &recipients, batch_size)
        .map(|(users, body)| NewDelivery {
            webhook_id: new_webhook_id(),
            users,
            body,
        })
        .collect();
    outbox::insert_deliveries(&mut tx, id, &deliveries, now).await?;
    table::set_run_totals(&mut tx, id, recipients.len(), deliveries.len(), now).await?;
    tx.commit().await?;
    engine.dispatch_wake.notify_one();
    tracing::info!(
        campaign = id,
        users = recipients.len(),
        requests = deliveries.len(),
        "campaign started"
    );
    Ok(Some(RunTotals {
        users: recipients.len(),
        requests: deliveries.len(),
    }))
}

/// `msg_` and 128 random bits: the `webhook-id` a delivery keeps on every attempt.
fn new_webhook_id() -> String {
    let mut bytes = [0u8; 16];
    rand::thread_rng().fill_bytes(&mut bytes);
    format!("msg_{:032x}", u128::from_be_bytes(bytes))
}
