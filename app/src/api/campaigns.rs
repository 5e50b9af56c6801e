//! Campaigns: drafts built by the wizard, publishing, stopping, and their statistics.

use leptos::prelude::*;

use crate::json_text::Json;
use crate::model::campaign::{CampaignDraft, CampaignOut, WizardStep};
use crate::model::campaign_list::CampaignsOverviewOut;
use crate::model::campaign_report::{
    CampaignReportOut, PreviewOut, PreviewUser, ReplayOut, WizardOptionsOut,
};
use crate::model::charts::TrendOut;
use crate::model::delivery_log::{DeliveryFilter, DeliveryPageOut};
use crate::model::webhook::TestResultOut;
use crate::model::{ApiError, CampaignId, DeliveryId};

/// `POST /api/campaigns/list {}`: every campaign with its statistics, newest first.
#[server(endpoint = "campaigns/list", input = Json, output = Json)]
pub async fn list_campaigns() -> Result<Vec<CampaignOut>, ApiError> {
    super::context::current_user()?;
    super::context::backend()?.list_campaigns().await
}

/// `POST /api/campaigns/overview {}`: what the campaign list shows, in one answer:
/// `{"campaigns":[{"id","name","status","kind","scheduled_at","started_at","next_run_at","updated_at",
/// "stats","trend"}],"clock"}`, newest first (`kind`: `once`, `recurring` or `live`; `trend` as in
/// `campaigns/trends`, or null; `clock` as in `settings/clock`).
#[server(endpoint = "campaigns/overview", input = Json, output = Json)]
pub async fn campaigns_overview() -> Result<CampaignsOverviewOut, ApiError> {
    super::context::current_user()?;
    super::context::backend()?.campaigns_overview().await
}

/// `POST /api/campaigns/trends {}`: each campaign's small trend (delivered and failed users over the
/// last day of its activity) as a sparkline, for the list: `[{"id","svg","summary"}]`.
#[server(endpoint = "campaigns/trends", input = Json, output = Json)]
pub async fn campaign_trends() -> Result<Vec<TrendOut>, ApiError> {
    super::context::current_user()?;
    super::context::backend()?.campaign_trends().await
}

/// `POST /api/campaigns/get {"id"}`
#[server(endpoint = "campaigns/get", input = Json, output = Json)]
pub async fn get_campaign(id: CampaignId) -> Result<CampaignOut, ApiError> {
    super::context::current_user()?;
    super::context::backend()?.get_campaign(id).await
}

/// `POST /api/campaigns/create {"draft":{...}}`: a new draft; its Setup step must be complete.
#[server(endpoint = "campaigns/create", input = Json, output = Json)]
pub async fn create_campaign(draft: CampaignDraft) -> Result<CampaignOut, ApiError> {
    super::context::current_user()?;
    super::context::backend()?.create_campaign(draft).await
}

/// `POST /api/campaigns/save {"id","draft":{...},"step":"who"}`: saves a draft after checking the steps
/// up to `step` (none when `step` is left out, e.g. on Back).
#[server(endpoint = "campaigns/save", input = Json, output = Json)]
pub async fn save_campaign(
    id: CampaignId,
    draft: CampaignDraft,
    #[server(default)] step: Option<WizardStep>,
) -> Result<CampaignOut, ApiError> {
    super::context::current_user()?;
    super::context::backend()?
        .save_campaign(id, draft, step)
        .await
}

/// `POST /api/campaigns/publish {"id"}`: checks the whole draft, then sends now or schedules it.
#[server(endpoint = "campaigns/publish", input = Json, output = Json)]
pub async fn publish_campaign(id: CampaignId) -> Result<CampaignOut, ApiError> {
    super::context::current_user()?;
    super::context::backend()?.publish_campaign(id).await
}

/// `POST /api/campaigns/duplicate {"id":1}`: a new draft with the campaign's Setup, Who, What and When,
/// named "Copy of …".
#[server(endpoint = "campaigns/duplicate", input = Json, output = Json)]
pub async fn duplicate_campaign(id: CampaignId) -> Result<CampaignOut, ApiError> {
    super::context::current_user()?;
    super::context::backend()?.duplicate_campaign(id).await
}

/// `POST /api/campaigns/replay {"id","delivery_ids"?}`: failed deliveries (those listed, or all the
/// campaign's) back in the outbox with their webhook-id and a fresh retry budget: `{"replayed"}`.
#[server(endpoint = "campaigns/replay", input = Json, output = Json)]
pub async fn replay_campaign(
    id: CampaignId,
    #[server(default)] delivery_ids: Option<Vec<DeliveryId>>,
) -> Result<ReplayOut, ApiError> {
    super::context::current_user()?;
    super::context::backend()?
        .replay_campaign(id, delivery_ids)
        .await
}

/// `POST /api/campaigns/deliveries {"id","filter"?:{"status"?,"reason"?,"user"?},"before"?,"limit"?}`:
/// a page of the delivery log, newest first, each delivery with its attempts:
/// `{"deliveries","total","next"}` (`next`: the `before` of the following page).
#[server(endpoint = "campaigns/deliveries", input = Json, output = Json)]
pub async fn campaign_deliveries(
    id: CampaignId,
    #[server(default)] filter: DeliveryFilter,
    #[server(default)] before: Option<DeliveryId>,
    #[server(default)] limit: Option<u32>,
) -> Result<DeliveryPageOut, ApiError> {
    super::context::current_user()?;
    super::context::backend()?
        .campaign_deliveries(id, filter, before, limit)
        .await
}

/// `POST /api/campaigns/stop {"id"}`: a scheduled campaign never runs; a running one sends nothing more.
#[server(endpoint = "campaigns/stop", input = Json, output = Json)]
pub async fn stop_campaign(id: CampaignId) -> Result<CampaignOut, ApiError> {
    super::context::current_user()?;
    super::context::backend()?.stop_campaign(id).await
}

/// `POST /api/campaigns/pause {"id"}`: a scheduled, preparing or running campaign sends nothing until
/// it is resumed; a live one's events trigger nothing meanwhile.
#[server(endpoint = "campaigns/pause", input = Json, output = Json)]
pub async fn pause_campaign(id: CampaignId) -> Result<CampaignOut, ApiError> {
    super::context::current_user()?;
    super::context::backend()?.pause_campaign(id).await
}

/// `POST /api/campaigns/resume {"id"}`: a paused campaign goes on where it was.
#[server(endpoint = "campaigns/resume", input = Json, output = Json)]
pub async fn resume_campaign(id: CampaignId) -> Result<CampaignOut, ApiError> {
    super::context::current_user()?;
    super::context::backend()?.resume_campaign(id).await
}

/// `POST /api/campaigns/delete {"id"}`: drafts, stopped and completed campaigns only.
#[server(endpoint = "campaigns/delete", input = Json, output = Json)]
pub async fn delete_campaign(id: CampaignId) -> Result<(), ApiError> {
    super::context::current_user()?;
    super::context::backend()?.delete_campaign(id).await
}

/// `POST /api/campaigns/report {"id"}`: statistics, failures by reason and the delivery log.
#[server(endpoint = "campaigns/report", input = Json, output = Json)]
pub async fn campaign_report(id: CampaignId) -> Result<CampaignReportOut, ApiError> {
    super::context::current_user()?;
    super::context::backend()?.campaign_report(id).await
}

/// `POST /api/campaigns/options {}`: templates, ingested event names and the project time zone.
#[server(endpoint = "campaigns/options", input = Json, output = Json)]
pub async fn wizard_options() -> Result<WizardOptionsOut, ApiError> {
    super::context::current_user()?;
    super::context::backend()?.wizard_options().await
}

/// `POST /api/campaigns/preview {"id","draft":{...},"user":12}`: the exact request campaign `id` would
/// make with `draft` (unsaved edits included) for user `user` (a profile id; default: the first user
/// who qualifies).
#[server(endpoint = "campaigns/preview", input = Json, output = Json)]
pub async fn preview_campaign(
    id: CampaignId,
    draft: CampaignDraft,
    #[server(default)] user: Option<i64>,
) -> Result<PreviewOut, ApiError> {
    super::context::current_user()?;
    super::context::backend()?
        .preview_campaign(id, draft, user)
        .await
}

/// `POST /api/campaigns/send_test {"id","draft":{...},"user":12}`: sends the previewed request to the
/// template's destination (Profile variables payloads with `"is_test": true`).
#[server(endpoint = "campaigns/send_test", input = Json, output = Json)]
pub async fn send_test_webhook(
    id: CampaignId,
    draft: CampaignDraft,
    #[server(default)] user: Option<i64>,
) -> Result<TestResultOut, ApiError> {
    super::context::current_user()?;
    super::context::backend()?
        .send_test_webhook(id, draft, user)
        .await
}

/// `POST /api/campaigns/preview_users {"text":"ana"}`: up to ten users whose identity or e-mail starts
/// with `text` (exact matches first), to preview for.
#[server(endpoint = "campaigns/preview_users", input = Json, output = Json)]
pub async fn find_preview_users(text: String) -> Result<Vec<PreviewUser>, ApiError> {
    super::context::current_user()?;
    super::context::backend()?.find_preview_users(text).await
}
