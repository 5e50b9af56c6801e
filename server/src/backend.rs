//! `app::backend::Backend` over the engine: the server functions' way in, and the one place where the
//! engine's errors become the API's (internal details logged, never sent).

use std::sync::Arc;

use app::backend::{Backend, Client, Session};
use app::model::campaign::{CampaignDraft, CampaignOut, WizardStep};
use app::model::campaign_list::CampaignsOverviewOut;
use app::model::campaign_report::{
    CampaignReportOut, PreviewOut, PreviewUser, ReachOut, ReplayOut, WizardOptionsOut,
};
use app::model::charts::TrendOut;
use app::model::circuit::CircuitOut;
use app::model::delivery_log::{DeliveryFilter, DeliveryPageOut};
use app::model::linked::{LinkedContentIn, LinkedContentOut, LinkedTestOut};
use app::model::oauth::{AssertionOut, OAuthIn, PublicKeyOut, TokenProbeOut};
use app::model::saved_segment::{SavedSegmentIn, SavedSegmentOut, SegmentSuggestions};
use app::model::segment::Segment;
use app::model::session::{LoginIn, SetupIn, SetupInfoOut};
use app::model::settings::IngestionSettingsOut;
use app::model::time_fmt::ZoneClock;
use app::model::webhook::{
    SavedTemplateOut, SigningSecretOut, TestResultOut, WebhookTemplateIn, WebhookTemplateOut,
};
use app::model::{ApiError, CampaignId, DeliveryId, LinkedId, SegmentId, TemplateId};

use crate::auth::{device, sessions, sign_in};
use crate::campaigns::{self, preview, report};
use crate::error::EngineError;
use crate::time::zone_clock::zone_clock;
use crate::{Engine, ingest, linked, saved_segments, templates};

pub struct EngineBackend(pub Arc<Engine>);

#[async_trait::async_trait]
impl Backend for EngineBackend {
    async fn login(&self, input: LoginIn, client: Client) -> Result<Session, ApiError> {
        Ok(sign_in::login(&self.0, input, client).await?)
    }

    async fn setup_admin(&self, input: SetupIn, client: Client) -> Result<Session, ApiError> {
        Ok(sign_in::setup_admin(&self.0, input, client).await?)
    }

    fn setup_info(&self) -> SetupInfoOut {
        sign_in::setup_info(&self.0)
    }

    async fn logout(&self, token: &str) -> Result<(), ApiError> {
        Ok(sessions::logout(&self.0, token).await?)
    }

    fn session_cookie(&self, token: Option<&str>) -> String {
        sessions::cookie(&self.0.config, token)
    }

    fn device_cookie(&self, token: &str) -> String {
        device::cookie(token, self.0.config.secure_cookies)
    }

    async fn list_templates(&self) -> Result<Vec<WebhookTemplateOut>, ApiError> {
        Ok(templates::list(&self.0).await?)
    }

    async fn get_template(&self, id: TemplateId) -> Result<WebhookTemplateOut, ApiError> {
        Ok(templates::summary(&self.0, id).await?)
    }

    async fn create_template(
        &self,
        input: WebhookTemplateIn,
    ) -> Result<SavedTemplateOut, ApiError> {
        Ok(templates::create(&self.0, input).await?)
    }

    async fn update_template(
        &self,
        id: TemplateId,
        input: WebhookTemplateIn,
    ) -> Result<SavedTemplateOut, ApiError> {
        Ok(templates::update(&self.0, id, input).await?)
    }

    async fn delete_template(&self, id: TemplateId) -> Result<(), ApiError> {
        Ok(templates::delete(&self.0, id).await?)
    }

    async fn signing_secret(&self, id: TemplateId) -> Result<SigningSecretOut, ApiError> {
        Ok(templates::signing::secret(&self.0, id).await?)
    }

    async fn rotate_secret(&self, id: TemplateId) -> Result<SigningSecretOut, ApiError> {
        Ok(templates::signing::rotate(&self.0, id).await?)
    }

    async fn circuit(&self, id: TemplateId) -> Result<CircuitOut, ApiError> {
        Ok(templates::circuit::circuit(&self.0.db, &self.0.breakers, id).await?)
    }

    async fn close_circuit(&self, id: TemplateId) -> Result<CircuitOut, ApiError> {
        let circuit = templates::circuit::close(&self.0.db, &self.0.breakers, id).await?;
        self.0.dispatch_wake.notify_one();
        Ok(circuit)
    }

    async fn generate_key(
        &self,
        key_set: Option<String>,
        bits: u32,
    ) -> Result<PublicKeyOut, ApiError> {
        Ok(templates::generate_key(&self.0, key_set, bits).await?)
    }

    async fn client_assertion(
        &self,
        id: Option<TemplateId>,
        auth: OAuthIn,
    ) -> Result<AssertionOut, ApiError> {
        Ok(templates::client_assertion(&self.0, id, auth).await?)
    }

    async fn generate_token(
        &self,
        id: Option<TemplateId>,
        auth: OAuthIn,
    ) -> Result<TokenProbeOut, ApiError> {
        Ok(templates::generate_token(&self.0, id, auth).await?)
    }

    async fn ingestion_settings(&self) -> Result<IngestionSettingsOut, ApiError> {
        let c = &self.0.ingest_credentials;
        Ok(IngestionSettingsOut {
            account_id: c.account_id.clone(),
            passcode: c.passcode.clone(),
            source: c.source,
            max_records: ingest::MAX_RECORDS,
        })
    }

    async fn project_clock(&self) -> Result<ZoneClock, ApiError> {
        let engine = &self.0;
        Ok(zone_clock(
            &engine.config.time_zone,
            &engine.zone,
            engine.clock.now_ms(),
        ))
    }

    async fn list_campaigns(&self) -> Result<Vec<CampaignOut>, ApiError> {
        Ok(campaigns::list(&self.0).await?)
    }

    async fn campaigns_overview(&self) -> Result<CampaignsOverviewOut, ApiError> {
        Ok(campaigns::overview::overview(&self.0).await?)
    }

    async fn get_campaign(&self, id: CampaignId) -> Result<CampaignOut, ApiError> {
        Ok(campaigns::get(&self.0, id).await?)
    }

    async fn create_campaign(&self, draft: CampaignDraft) -> Result<CampaignOut, ApiError> {
        Ok(campaigns::create(&self.0, draft).await?)
    }

    async fn save_campaign(
        &self,
        id: CampaignId,
        draft: CampaignDraft,
        step: Option<WizardStep>,
    ) -> Result<CampaignOut, ApiError> {
        Ok(campaigns::save(&self.0, id, draft, step).await?)
    }

    async fn publish_campaign(&self, id: CampaignId) -> Result<CampaignOut, ApiError> {
        Ok(campaigns::publish(&self.0, id).await?)
    }

    async fn duplicate_campaign(&self, id: CampaignId) -> Result<CampaignOut, ApiError> {
        Ok(campaigns::duplicate(&self.0, id).await?)
    }

    async fn replay_campaign(
        &self,
        id: CampaignId,
        delivery_ids: Option<Vec<DeliveryId>>,
    ) -> Result<ReplayOut, ApiError> {
        Ok(campaigns::replay::replay(&self.0, id, delivery_ids).await?)
    }

    async fn campaign_trends(&self) -> Result<Vec<TrendOut>, ApiError> {
        Ok(campaigns::charts::trends(&self.0.db).await?)
    }

    async fn campaign_deliveries(
        &self,
        id: CampaignId,
        filter: DeliveryFilter,
        before: Option<DeliveryId>,
        limit: Option<u32>,
    ) -> Result<DeliveryPageOut, ApiError> {
        Ok(campaigns::delivery_log::page(&self.0.db, id, filter, before, limit).await?)
    }

    async fn stop_campaign(&self, id: CampaignId) -> Result<CampaignOut, ApiError> {
        Ok(campaigns::stop(&self.0, id).await?)
    }

    async fn pause_campaign(&self, id: CampaignId) -> Result<CampaignOut, ApiError> {
        Ok(campaigns::pause(&self.0, id).await?)
    }

    async fn resume_campaign(&self, id: CampaignId) -> Result<CampaignOut, ApiError> {
        Ok(campaigns::resume(&self.0, id).await?)
    }

    async fn delete_campaign(&self, id: CampaignId) -> Result<(), ApiError> {
        Ok(campaigns::delete(&self.0, id).await?)
    }

    async fn campaign_report(&self, id: CampaignId) -> Result<CampaignReportOut, ApiError> {
        Ok(report::report(&self.0, id).await?)
    }

    async fn wizard_options(&self) -> Result<WizardOptionsOut, ApiError> {
        Ok(preview::options(&self.0).await?)
    }

    async fn preview_campaign(
        &self,
        id: CampaignId,
        draft: CampaignDraft,
        user: Option<i64>,
    ) -> Result<PreviewOut, ApiError> {
        Ok(preview::preview(&self.0, id, draft, user).await?)
    }

    async fn send_test_webhook(
        &self,
        id: CampaignId,
        draft: CampaignDraft,
        user: Option<i64>,
    ) -> Result<TestResultOut, ApiError> {
        Ok(preview::send_test(&self.0, id, draft, user).await?)
    }

    async fn find_preview_users(&self, text: String) -> Result<Vec<PreviewUser>, ApiError> {
        Ok(preview::find_users(&self.0, text).await?)
    }

    async fn estimate_reach(
        &self,
        segment: Segment,
        cap: Option<u32>,
    ) -> Result<ReachOut, ApiError> {
        Ok(preview::reach(&self.0, segment, cap).await?)
    }

    async fn event_properties(&self, event: String) -> Result<Vec<String>, ApiError> {
        Ok(preview::event_properties(&self.0, event).await?)
    }

    async fn segment_suggestions(&self) -> Result<SegmentSuggestions, ApiError> {
        Ok(saved_segments::suggestions(&self.0).await)
    }

    async fn list_segments(&self) -> Result<Vec<SavedSegmentOut>, ApiError> {
        Ok(saved_segments::list(&self.0).await?)
    }

    async fn get_segment(&self, id: SegmentId) -> Result<SavedSegmentOut, ApiError> {
        Ok(saved_segments::get(&self.0, id).await?)
    }

    async fn create_segment(&self, input: SavedSegmentIn) -> Result<SavedSegmentOut, ApiError> {
        Ok(saved_segments::create(&self.0, input).await?)
    }

    async fn update_segment(
        &self,
        id: SegmentId,
        input: SavedSegmentIn,
    ) -> Result<SavedSegmentOut, ApiError> {
        Ok(saved_segments::update(&self.0, id, input).await?)
    }

    async fn delete_segment(&self, id: SegmentId) -> Result<(), ApiError> {
        Ok(saved_segments::delete(&self.0, id).await?)
    }

    async fn list_linked(&self) -> Result<Vec<LinkedContentOut>, ApiError> {
        Ok(linked::list(&self.0).await?)
    }

    async fn get_linked(&self, id: LinkedId) -> Result<LinkedContentOut, ApiError> {
        Ok(linked::get(&self.0, id).await?)
    }

    async fn create_linked(&self, input: LinkedContentIn) -> Result<LinkedContentOut, ApiError> {
        Ok(linked::create(&self.0, input).await?)
    }

    async fn update_linked(
        &self,
        id: LinkedId,
        input: LinkedContentIn,
    ) -> Result<LinkedContentOut, ApiError> {
        Ok(linked::update(&self.0, id, input).await?)
    }

    async fn delete_linked(&self, id: LinkedId) -> Result<(), ApiError> {
        Ok(linked::delete(&self.0, id).await?)
    }

    async fn test_linked(
        &self,
        input: LinkedContentIn,
        user: Option<i64>,
    ) -> Result<LinkedTestOut, ApiError> {
        Ok(linked::test(&self.0, input, user).await?)
    }
}

impl From<EngineError> for ApiError {
    fn from(error: EngineError) -> Self {
        match error {
            EngineError::Invalid(fields) => fields.into(),
            EngineError::NotFound(message) => Self::NotFound { message },
            EngineError::Conflict(message) => Self::Conflict { message },
            EngineError::Unauthorized(message) => Self::Unauthorized { message },
            EngineError::TooManyRequests(wait_secs) => Self::too_many_requests(wait_secs),
            EngineError::Upstream {
                message,
                status,
                body_excerpt,
            } => Self::Upstream {
                message,
                status,
                body_excerpt,
            },
            internal @ (EngineError::Database(_) | EngineError::Internal(_)) => {
                tracing::error!(error = %internal, "internal error");
                Self::internal()
            }
        }
    }
}
