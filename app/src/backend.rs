//! The Backend port (server builds only): everything the server functions need from the engine.
//! `app` declares it, `server` implements it and provides it as context, so the dependency arrows point
//! one way (`frontend → app ← server`) and no engine code is compiled into the browser bundle.

use std::sync::Arc;

use crate::model::campaign::{CampaignDraft, CampaignOut, WizardStep};
use crate::model::campaign_list::CampaignsOverviewOut;
use crate::model::campaign_report::{
    CampaignReportOut, PreviewOut, PreviewUser, ReachOut, ReplayOut, WizardOptionsOut,
};
use crate::model::charts::TrendOut;
use crate::model::circuit::CircuitOut;
use crate::model::delivery_log::{DeliveryFilter, DeliveryPageOut};
use crate::model::linked::{LinkedContentIn, LinkedContentOut, LinkedTestOut};
use crate::model::oauth::{AssertionOut, OAuthIn, PublicKeyOut, TokenProbeOut};
use crate::model::saved_segment::{SavedSegmentIn, SavedSegmentOut, SegmentSuggestions};
use crate::model::segment::Segment;
use crate::model::session::{LoginIn, SetupIn, SetupInfoOut, UserOut};
use crate::model::settings::IngestionSettingsOut;
use crate::model::time_fmt::ZoneClock;
use crate::model::webhook::{
    SavedTemplateOut, SigningSecretOut, TestResultOut, WebhookTemplateIn, WebhookTemplateOut,
};
use crate::model::{ApiError, CampaignId, DeliveryId, LinkedId, SegmentId, TemplateId};

/// A signed-in session: the user, the token for the session cookie, and the token for the device
/// cookie that marks this browser as one the account signed in from.
#[derive(Debug, Clone)]
pub struct Session {
    pub user: UserOut,
    pub token: String,
    pub device: String,
}

/// The client's address, as the server resolved it (the connection's peer, or what a trusted reverse
/// proxy said); put on each request by the server.
#[derive(Debug, Clone, Copy)]
pub struct ClientAddress(pub std::net::IpAddr);

/// Who is calling, as far as signing in cares: the client's address and its device cookie.
#[derive(Debug, Clone, Default)]
pub struct Client {
    pub address: Option<std::net::IpAddr>,
    pub device: Option<String>,
}

#[async_trait::async_trait]
pub trait Backend: Send + Sync + 'static {
    /// Signs in (failed tries from the same client or for the same account are slowed down).
    async fn login(&self, input: LoginIn, client: Client) -> Result<Session, ApiError>;
    /// Creates the first admin account (first-run setup) and signs it in.
    async fn setup_admin(&self, input: SetupIn, client: Client) -> Result<Session, ApiError>;
    /// Whether setup is still open and whether it asks for the setup code.
    fn setup_info(&self) -> SetupInfoOut;
    async fn logout(&self, token: &str) -> Result<(), ApiError>;
    /// The `Set-Cookie` value that stores `token` in the browser (`None` clears the cookie).
    fn session_cookie(&self, token: Option<&str>) -> String;
    /// The `Set-Cookie` value that marks this browser as one the account signed in from.
    fn device_cookie(&self, token: &str) -> String;

    async fn list_templates(&self) -> Result<Vec<WebhookTemplateOut>, ApiError>;
    async fn get_template(&self, id: TemplateId) -> Result<WebhookTemplateOut, ApiError>;
    /// Sends the test request and saves only if the destination answers 2xx.
    async fn create_template(&self, input: WebhookTemplateIn)
    -> Result<SavedTemplateOut, ApiError>;
    async fn update_template(
        &self,
        id: TemplateId,
        input: WebhookTemplateIn,
    ) -> Result<SavedTemplateOut, ApiError>;
    async fn delete_template(&self, id: TemplateId) -> Result<(), ApiError>;
    /// The template's Standard Webhooks signing secret.
    async fn signing_secret(&self, id: TemplateId) -> Result<SigningSecretOut, ApiError>;
    /// A new signing secret; the old one also signs for 24 hours.
    async fn rotate_secret(&self, id: TemplateId) -> Result<SigningSecretOut, ApiError>;
    /// The circuit breaker of the template's destination host.
    async fn circuit(&self, id: TemplateId) -> Result<CircuitOut, ApiError>;
    /// Closes that circuit by hand.
    async fn close_circuit(&self, id: TemplateId) -> Result<CircuitOut, ApiError>;
    /// A new key pair: a new key set, or a replacement for `key_set`'s key.
    async fn generate_key(
        &self,
        key_set: Option<String>,
        bits: u32,
    ) -> Result<PublicKeyOut, ApiError>;
    /// A client assertion signed as a token request would sign it (`id`: the saved template, if any).
    async fn client_assertion(
        &self,
        id: Option<TemplateId>,
        auth: OAuthIn,
    ) -> Result<AssertionOut, ApiError>;
    /// Requests an access token now; secrets left out come from template `id`.
    async fn generate_token(
        &self,
        id: Option<TemplateId>,
        auth: OAuthIn,
    ) -> Result<TokenProbeOut, ApiError>;

    async fn ingestion_settings(&self) -> Result<IngestionSettingsOut, ApiError>;
    /// The project time zone with its offsets, to show times in.
    async fn project_clock(&self) -> Result<ZoneClock, ApiError>;

    async fn list_campaigns(&self) -> Result<Vec<CampaignOut>, ApiError>;
    /// The campaign list's rows with their trends, and the clock to show their times in.
    async fn campaigns_overview(&self) -> Result<CampaignsOverviewOut, ApiError>;
    async fn get_campaign(&self, id: CampaignId) -> Result<CampaignOut, ApiError>;
    async fn create_campaign(&self, draft: CampaignDraft) -> Result<CampaignOut, ApiError>;
    /// Saves a draft, first checking its steps up to `step` if given.
    async fn save_campaign(
        &self,
        id: CampaignId,
        draft: CampaignDraft,
        step: Option<WizardStep>,
    ) -> Result<CampaignOut, ApiError>;
    async fn publish_campaign(&self, id: CampaignId) -> Result<CampaignOut, ApiError>;
    async fn stop_campaign(&self, id: CampaignId) -> Result<CampaignOut, ApiError>;
    async fn pause_campaign(&self, id: CampaignId) -> Result<CampaignOut, ApiError>;
    async fn resume_campaign(&self, id: CampaignId) -> Result<CampaignOut, ApiError>;
    /// A new draft with the campaign's Setup, Who, What and When.
    async fn duplicate_campaign(&self, id: CampaignId) -> Result<CampaignOut, ApiError>;
    async fn delete_campaign(&self, id: CampaignId) -> Result<(), ApiError>;
    /// Puts failed deliveries (`delivery_ids`, or all the campaign's) back in the outbox.
    async fn replay_campaign(
        &self,
        id: CampaignId,
        delivery_ids: Option<Vec<DeliveryId>>,
    ) -> Result<ReplayOut, ApiError>;
    async fn campaign_report(&self, id: CampaignId) -> Result<CampaignReportOut, ApiError>;
    /// Every campaign's small trend, for the list (campaigns without activity have none).
    async fn campaign_trends(&self) -> Result<Vec<TrendOut>, ApiError>;
    /// A page of the delivery log: deliveries older than `before` matching `filter`, newest first.
    async fn campaign_deliveries(
        &self,
        id: CampaignId,
        filter: DeliveryFilter,
        before: Option<DeliveryId>,
        limit: Option<u32>,
    ) -> Result<DeliveryPageOut, ApiError>;
    async fn wizard_options(&self) -> Result<WizardOptionsOut, ApiError>;
    /// The request for `user` (a profile id), or for the first user who qualifies.
    async fn preview_campaign(
        &self,
        id: CampaignId,
        draft: CampaignDraft,
        user: Option<i64>,
    ) -> Result<PreviewOut, ApiError>;
    async fn send_test_webhook(
        &self,
        id: CampaignId,
        draft: CampaignDraft,
        user: Option<i64>,
    ) -> Result<TestResultOut, ApiError>;
    /// Users whose identity or e-mail starts with `text`, to preview for.
    async fn find_preview_users(&self, text: String) -> Result<Vec<PreviewUser>, ApiError>;

    async fn estimate_reach(
        &self,
        segment: Segment,
        cap: Option<u32>,
    ) -> Result<ReachOut, ApiError>;
    async fn event_properties(&self, event: String) -> Result<Vec<String>, ApiError>;

    async fn segment_suggestions(&self) -> Result<SegmentSuggestions, ApiError>;
    async fn list_segments(&self) -> Result<Vec<SavedSegmentOut>, ApiError>;
    async fn get_segment(&self, id: SegmentId) -> Result<SavedSegmentOut, ApiError>;
    async fn create_segment(&self, input: SavedSegmentIn) -> Result<SavedSegmentOut, ApiError>;
    async fn update_segment(
        &self,
        id: SegmentId,
        input: SavedSegmentIn,
    ) -> Result<SavedSegmentOut, ApiError>;
    async fn delete_segment(&self, id: SegmentId) -> Result<(), ApiError>;

    async fn list_linked(&self) -> Result<Vec<LinkedContentOut>, ApiError>;
    async fn get_linked(&self, id: LinkedId) -> Result<LinkedContentOut, ApiError>;
    async fn create_linked(&self, input: LinkedContentIn) -> Result<LinkedContentOut, ApiError>;
    async fn update_linked(
        &self,
        id: LinkedId,
        input: LinkedContentIn,
    ) -> Result<LinkedContentOut, ApiError>;
    async fn delete_linked(&self, id: LinkedId) -> Result<(), ApiError>;
    /// Fetches `input` now for `user` (the first profile when `None`).
    async fn test_linked(
        &self,
        input: LinkedContentIn,
        user: Option<i64>,
    ) -> Result<LinkedTestOut, ApiError>;
}

pub type SharedBackend = Arc<dyn Backend>;
