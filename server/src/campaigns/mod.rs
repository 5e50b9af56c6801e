//! Campaigns: drafts saved step by step, publishing (now, later or recurring), pausing, stopping and
//! deleting. Each operation checks the draft with the model's rules, then what needs the database or
//! the clock. Publishing marks the campaign; the scheduler (`crate::schedule`) writes its deliveries,
//! one run at a time.

pub mod charts;
pub mod content;
pub mod delivery_log;
pub mod live;
pub mod overview;
pub mod preview;
pub mod replay;
pub mod report;
pub mod run;
pub mod stored;
pub mod target;

use std::collections::HashMap;

use app::model::CampaignId;
use app::model::campaign::{CampaignDraft, CampaignOut, CampaignStatus, When, WizardStep};
use app::model::campaign_validation::MAX_NAME_LEN;
use app::model::recurrence::Recurrence;

use crate::Engine;
use crate::error::{EngineError, EngineResult};
use crate::saved_segments;
use crate::store::campaigns::AfterRun;
use crate::store::conversions::Conversions;
use crate::store::{Db, campaigns as table, conversions, live as live_table, templates};
use crate::time::{local_time, recurring};

pub async fn list(engine: &Engine) -> EngineResult<Vec<CampaignOut>> {
    let rows = table::list(&engine.db).await?;
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let mut campaign = stored::to_out(row).map_err(EngineError::Internal)?;
        fill_in(&engine.db, &mut campaign).await?;
        out.push(campaign);
    }
    Ok(out)
}

pub async fn get(engine: &Engine, id: CampaignId) -> EngineResult<CampaignOut> {
    let row = table::get(&engine.db, id.0).await?;
    let row = row.ok_or_else(|| EngineError::not_found(format!("There is no campaign {id}.")))?;
    let mut campaign = stored::to_out(row).map_err(EngineError::Internal)?;
    fill_in(&engine.db, &mut campaign).await?;
    Ok(campaign)
}

/// What is counted when a campaign is read: its conversions and its next run.
async fn fill_in(db: &Db, campaign: &mut CampaignOut) -> EngineResult<()> {
    count_conversions(db, campaign).await?;
    campaign.next_run_at = match campaign.status {
        CampaignStatus::Scheduled => campaign.scheduled_at,
        // A recurring campaign sending a run keeps its next one's time.
        CampaignStatus::Preparing | CampaignStatus::Running
            if campaign.draft.recurrence().is_some() =>
        {
            campaign.scheduled_at
        }
        CampaignStatus::Running if campaign.draft.is_live() => {
            live_table::next_due_of(db, campaign.id.0).await?
        }
        _ => None,
    };
    Ok(())
}

/// The conversion window of a campaign with a goal, in ms (`None` without a goal).
fn conversion_window_ms(draft: &CampaignDraft) -> Option<i64> {
    if draft.goal_event.trim().is_empty() {
        return None;
    }
    let window = draft.conversion_window;
    Some(i64::try_from(u64::from(window.value) * window.unit.millis()).unwrap_or(i64::MAX))
}

/// Each run's conversions (empty without a goal).
pub(crate) async fn conversions_by_run(
    db: &Db,
    campaign: &CampaignOut,
) -> EngineResult<HashMap<i64, Conversions>> {
    let Some(window_ms) = conversion_window_ms(&campaign.draft) else {
        return Ok(HashMap::new());
    };
    let goal = campaign.draft.goal_event.trim();
    Ok(conversions::count_by_run(db, campaign.id.0, goal, window_ms).await?)
}

/// Fills in the conversions of a campaign that has run and has a goal: the users (sent to, and in the
/// control group) who did the goal event from their run's start (a live trigger's decision) until the
/// window's end, over all its runs.
async fn count_conversions(db: &Db, campaign: &mut CampaignOut) -> EngineResult<()> {
    let Some(window_ms) = conversion_window_ms(&campaign.draft) else {
        return Ok(());
    };
    if campaign.started_at.is_none() {
        return Ok(());
    }
    let counted = if campaign.draft.is_live() {
        let goal = campaign.draft.goal_event.trim();
        conversions::count_live(db, campaign.id.0, goal, window_ms).await?
    } else {
        Conversions::total(conversions_by_run(db, campaign).await?.values())
    };
    campaign.stats.conversions = counted.sent;
    campaign.stats.control_conversions = counted.control;
    Ok(())
}

pub async fn create(engine: &Engine, mut draft: CampaignDraft) -> EngineResult<CampaignOut> {
    saved_segments::refresh_copy(engine, &mut draft).await?;
    check(engine, CampaignId(0), &draft, WizardStep::Setup).await?;
    let definition = stored::definition(&draft);
    let id = table::insert(
        &engine.db,
        &stored::write(&draft, &definition),
        engine.clock.now_ms(),
    )
    .await?;
    tracing::info!(campaign = id, "created campaign draft");
    get(engine, CampaignId(id)).await
}

pub async fn save(
    engine: &Engine,
    id: CampaignId,
    mut draft: CampaignDraft,
    step: Option<WizardStep>,
) -> EngineResult<CampaignOut> {
    saved_segments::refresh_copy(engine, &mut draft).await?;
    if let Some(step) = step {
        check(engine, id, &draft, step).await?;
    }
    let definition = stored::definition(&draft);
    let saved = table::update_draft(
        &engine.db,
        id.0,
        &stored::write(&draft, &definition),
        engine.clock.now_ms(),
    )
    .await?;
    if !saved {
        // Tell apart "no such campaign" from "no longer a draft".
        let current = get(engine, id).await?;
        return Err(EngineError::conflict(format!(
            "This campaign is {} and can no longer be edited.",
            current.status.label().to_lowercase()
        )));
    }
    get(engine, id).await
}

pub async fn publish(engine: &Engine, id: CampaignId) -> EngineResult<CampaignOut> {
    let campaign = get(engine, id).await?;
    if campaign.status != CampaignStatus::Draft {
        return Err(EngineError::conflict(format!(
            "This campaign is already {}.",
            campaign.status.label().to_lowercase()
        )));
    }
    let mut draft = campaign.draft;
    check(engine, id, &draft, WizardStep::Review).await?;
    if draft.who.segment_id.is_some() {
        // The campaign keeps the saved segment as it is now, whatever becomes of it later.
        saved_segments::refresh_copy(engine, &mut draft).await?;
        let definition = stored::definition(&draft);
        let written = stored::write(&draft, &definition);
        if !table::update_draft(&engine.db, id.0, &written, engine.clock.now_ms()).await? {
            return Err(EngineError::conflict(
                "This campaign was published meanwhile.",
            ));
        }
    }
    if draft.is_live() {
        if !table::go_live(&engine.db, id.0, engine.clock.now_ms()).await? {
            return Err(EngineError::conflict(
                "This campaign was published meanwhile.",
            ));
        }
        refresh_live(engine).await?;
        tracing::info!(campaign = id.0, "live campaign published");
        return get(engine, id).await;
    }
    let now = engine.clock.now_ms();
    let published = match &draft.when {
        // The scheduler writes the deliveries, chunk by chunk, while the dispatcher sends them.
        When::Now => table::begin_run(&engine.db, id.0, now, AfterRun::Nothing).await?,
        When::Later { at } => {
            let at = future_time(engine, at)?;
            table::schedule(&engine.db, id.0, at, false, now).await?
        }
        When::Recurring(recurrence) => {
            let first = first_run(engine, recurrence)?;
            table::schedule(&engine.db, id.0, first, true, now).await?
        }
    };
    if !published {
        return Err(EngineError::conflict(
            "This campaign was published meanwhile.",
        ));
    }
    engine.schedule_wake.notify_one();
    tracing::info!(campaign = id.0, "campaign published");
    get(engine, id).await
}

/// A new draft with campaign `id`'s Setup, Who, What and When, named "Copy of …". Not checked: a
/// draft may be incomplete (its template may have been deleted since).
pub async fn duplicate(engine: &Engine, id: CampaignId) -> EngineResult<CampaignOut> {
    let mut draft = get(engine, id).await?.draft;
    let name: String = format!("Copy of {}", draft.name.trim())
        .chars()
        .take(MAX_NAME_LEN)
        .collect();
    draft.name = name;
    if let Some(template_id) = draft.template_id
        && templates::get(&engine.db, template_id.0).await?.is_none()
    {
        draft.template_id = None;
    }
    let definition = stored::definition(&draft);
    let copy = table::insert(
        &engine.db,
        &stored::write(&draft, &definition),
        engine.clock.now_ms(),
    )
    .await?;
    tracing::info!(campaign = copy, from = id.0, "duplicated campaign");
    get(engine, CampaignId(copy)).await
}

pub async fn stop(engine: &Engine, id: CampaignId) -> EngineResult<CampaignOut> {
    // Halted first: from here on the dispatcher sends nothing that has not started.
    let newly_halted = engine.halts.halt(id.0);
    let stopped = table::stop(&engine.db, id.0, engine.clock.now_ms()).await;
    if !matches!(stopped, Ok(true)) {
        // Not stopped by this call: the halt stays only if the campaign is stopped (another call
        // stopped it meanwhile); a running one would otherwise hold back its own requests.
        let current = get(engine, id).await;
        let still_sending = current
            .as_ref()
            .map_or(true, |c| c.status != CampaignStatus::Stopped);
        if newly_halted && still_sending {
            engine.halts.forget(id.0);
        }
        stopped?;
        let current = current?;
        return Err(EngineError::conflict(format!(
            "Only scheduled, preparing or running campaigns can be stopped; this one is {}.",
            current.status.label().to_lowercase()
        )));
    }
    refresh_live(engine).await?;
    tracing::info!(campaign = id.0, "campaign stopped");
    get(engine, id).await
}

/// Pauses a scheduled, preparing or running campaign: nothing of it is sent until it is resumed (a
/// request already on its way finishes); a live campaign's events trigger nothing meanwhile, and
/// triggers that fall due are skipped.
pub async fn pause(engine: &Engine, id: CampaignId) -> EngineResult<CampaignOut> {
    if !table::pause(&engine.db, id.0, engine.clock.now_ms()).await? {
        let current = get(engine, id).await?;
        return Err(EngineError::conflict(format!(
            "Only scheduled, preparing or running campaigns can be paused; this one is {}.",
            current.status.label().to_lowercase()
        )));
    }
    refresh_live(engine).await?;
    tracing::info!(campaign = id.0, "campaign paused");
    get(engine, id).await
}

pub async fn resume(engine: &Engine, id: CampaignId) -> EngineResult<CampaignOut> {
    let now = engine.clock.now_ms();
    if !table::resume(&engine.db, id.0, now).await? {
        let current = get(engine, id).await?;
        return Err(EngineError::conflict(format!(
            "Only a paused campaign can be resumed; this one is {}.",
            current.status.label().to_lowercase()
        )));
    }
    let resumed = get(engine, id).await?;
    if let Some(recurrence) = resumed.draft.recurrence()
        && resumed.scheduled_at.is_some_and(|at| at <= now)
    {
        // The runs that fell while it was paused are skipped: it goes on with the next one.
        let next = recurring::next_run(recurrence, now, &engine.zone);
        table::reschedule(&engine.db, id.0, next, now).await?;
    }
    refresh_live(engine).await?;
    engine.dispatch_wake.notify_one();
    engine.schedule_wake.notify_one();
    tracing::info!(campaign = id.0, "campaign resumed");
    get(engine, id).await
}

/// Reloads which events trigger live campaigns, after one started, paused, resumed or stopped.
pub async fn refresh_live(engine: &Engine) -> EngineResult<()> {
    crate::live::refresh(&engine.db, &engine.zone, &engine.live).await?;
    engine.live_wake.notify_one();
    Ok(())
}

pub async fn delete(engine: &Engine, id: CampaignId) -> EngineResult<()> {
    let now = engine.clock.now_ms();
    if !table::delete(&engine.db, id.0, now).await? {
        let current = get(engine, id).await?;
        if table::has_requests_in_flight(&engine.db, id.0, now).await? {
            return Err(EngineError::conflict(
                "Requests of this campaign are still in flight; delete it once they have finished (a few seconds).",
            ));
        }
        return Err(EngineError::conflict(format!(
            "A {} campaign cannot be deleted; stop it first.",
            current.status.label().to_lowercase()
        )));
    }
    engine.halts.forget(id.0);
    tracing::info!(campaign = id.0, "campaign deleted");
    Ok(())
}

/// The model's rules for the steps up to `step`, then the template must exist and a *later* time must
/// be in the future.
async fn check(
    engine: &Engine,
    id: CampaignId,
    draft: &CampaignDraft,
    step: WizardStep,
) -> EngineResult<()> {
    draft.check_through(step)?;
    if let Some(template_id) = draft.template_id
        && templates::get(&engine.db, template_id.0).await?.is_none()
    {
        return Err(EngineError::field(
            "template_id",
            "This webhook template no longer exists; choose another.",
        ));
    }
    if step >= WizardStep::What {
        content::checked(&engine.db, id.0, draft).await?;
    }
    if step >= WizardStep::When && !draft.is_live() {
        match &draft.when {
            When::Now => {}
            When::Later { at } => {
                future_time(engine, at)?;
            }
            When::Recurring(recurrence) => {
                first_run(engine, recurrence)?;
            }
        }
    }
    if step >= WizardStep::When && draft.is_live() {
        let (_, end) = crate::live::window(&draft.live, &engine.zone);
        if end.is_some_and(|end| end <= engine.clock.now_ms()) {
            return Err(EngineError::field(
                "end",
                format!(
                    "This time has passed in the project time zone ({}). Choose a later end, or none.",
                    engine.config.time_zone
                ),
            ));
        }
    }
    Ok(())
}

/// Unix ms of a *later* time, which must not have passed.
fn future_time(engine: &Engine, at: &str) -> EngineResult<i64> {
    let field = |message: String| EngineError::field("when.at", message);
    let instant = local_time::resolve(at, &engine.zone)
        .ok_or_else(|| field("Enter the date and time to send at.".into()))?;
    if instant <= engine.clock.now_ms() {
        return Err(field(format!(
            "This time has passed in the project time zone ({}). Choose a later time, or Now.",
            engine.config.time_zone
        )));
    }
    Ok(instant)
}

/// Unix ms of a recurring schedule's first run from now, which must exist.
fn first_run(engine: &Engine, recurrence: &Recurrence) -> EngineResult<i64> {
    recurring::next_run(recurrence, engine.clock.now_ms(), &engine.zone).ok_or_else(|| {
        EngineError::field(
            "when.end",
            format!(
                "Every run of this schedule has passed in the project time zone ({}). Choose a later end, or none.",
                engine.config.time_zone
            ),
        )
    })
}
