//! The Backend port (server builds only): everything the server functions need from the engine.
//! `app` declares it, `server` implements it and provides it as context, so the dependency arrows point
//! one way (`frontend → app ← server`) and no engine code is compiled into the browser bundle.

use std::sync::Arc;

use crate::model::session::{LoginIn, UserOut};
use crate::model::settings::IngestionSettingsOut;
use crate::model::webhook::{SavedTemplateOut, WebhookTemplateIn, WebhookTemplateOut};
use crate::model::{ApiError, TemplateId};

/// A signed-in session: the user and the token for the session cookie.
#[derive(Debug, Clone)]
pub struct Session {
    pub user: UserOut,
    pub token: String,
}

#[async_trait::async_trait]
pub trait Backend: Send + Sync + 'static {
    async fn login(&self, input: LoginIn) -> Result<Session, ApiError>;
    /// Creates the first admin account (first-run setup) and signs it in.
    async fn setup_admin(&self, input: LoginIn) -> Result<Session, ApiError>;
    async fn logout(&self, token: &str) -> Result<(), ApiError>;
    /// The `Set-Cookie` value that stores `token` in the browser (`None` clears the cookie).
    fn session_cookie(&self, token: Option<&str>) -> String;

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

    async fn ingestion_settings(&self) -> Result<IngestionSettingsOut, ApiError>;
}

pub type SharedBackend = Arc<dyn Backend>;
