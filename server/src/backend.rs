//! `app::backend::Backend` over the engine: the server functions' way in.

use std::sync::Arc;

use app::backend::{Backend, Session};
use app::model::session::LoginIn;
use app::model::settings::IngestionSettingsOut;
use app::model::webhook::{SavedTemplateOut, WebhookTemplateIn, WebhookTemplateOut};
use app::model::{ApiError, TemplateId};

use crate::auth::sessions;
use crate::{Engine, ingest, templates};

pub struct EngineBackend(pub Arc<Engine>);

#[async_trait::async_trait]
impl Backend for EngineBackend {
    async fn login(&self, input: LoginIn) -> Result<Session, ApiError> {
        sessions::login(&self.0, input).await
    }

    async fn setup_admin(&self, input: LoginIn) -> Result<Session, ApiError> {
        sessions::setup_admin(&self.0, input).await
    }

    async fn logout(&self, token: &str) -> Result<(), ApiError> {
        sessions::logout(&self.0, token).await
    }

    fn session_cookie(&self, token: Option<&str>) -> String {
        sessions::cookie(&self.0.config, token)
    }

    async fn list_templates(&self) -> Result<Vec<WebhookTemplateOut>, ApiError> {
        templates::list(&self.0).await
    }

    async fn get_template(&self, id: TemplateId) -> Result<WebhookTemplateOut, ApiError> {
        templates::summary(&self.0, id).await
    }

    async fn create_template(
        &self,
        input: WebhookTemplateIn,
    ) -> Result<SavedTemplateOut, ApiError> {
        templates::create(&self.0, input).await
    }

    async fn update_template(
        &self,
        id: TemplateId,
        input: WebhookTemplateIn,
    ) -> Result<SavedTemplateOut, ApiError> {
        templates::update(&self.0, id, input).await
    }

    async fn delete_template(&self, id: TemplateId) -> Result<(), ApiError> {
        templates::delete(&self.0, id).await
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
}
