//! Webhook templates (Settings > Webhooks).

use leptos::prelude::*;
use leptos::server_fn::codec::Json;

use crate::model::webhook::{SavedTemplateOut, WebhookTemplateIn, WebhookTemplateOut};
use crate::model::{ApiError, TemplateId};

/// `POST /api/webhooks/list {}`
#[server(endpoint = "webhooks/list", input = Json)]
pub async fn list_templates() -> Result<Vec<WebhookTemplateOut>, ApiError> {
    super::context::current_user()?;
    super::context::backend()?.list_templates().await
}

/// `POST /api/webhooks/get {"id"}`
#[server(endpoint = "webhooks/get", input = Json)]
pub async fn get_template(id: TemplateId) -> Result<WebhookTemplateOut, ApiError> {
    super::context::current_user()?;
    super::context::backend()?.get_template(id).await
}

/// `POST /api/webhooks/create {"name","url","method","headers","auth"}`: sends the test request and
/// saves the template only if the destination answers 2xx.
#[server(endpoint = "webhooks/create", input = Json)]
pub async fn create_template(
    #[server(flatten)] template: WebhookTemplateIn,
) -> Result<SavedTemplateOut, ApiError> {
    super::context::current_user()?;
    super::context::backend()?.create_template(template).await
}

/// `POST /api/webhooks/update {"id","template":{...}}`: as create; a secret left out keeps the saved one.
#[server(endpoint = "webhooks/update", input = Json)]
pub async fn update_template(
    id: TemplateId,
    template: WebhookTemplateIn,
) -> Result<SavedTemplateOut, ApiError> {
    super::context::current_user()?;
    super::context::backend()?
        .update_template(id, template)
        .await
}

/// `POST /api/webhooks/delete {"id"}`
#[server(endpoint = "webhooks/delete", input = Json)]
pub async fn delete_template(id: TemplateId) -> Result<(), ApiError> {
    super::context::current_user()?;
    super::context::backend()?.delete_template(id).await
}
