//! Project settings.

use leptos::prelude::*;
use leptos::server_fn::codec::Json;

use crate::model::ApiError;
use crate::model::settings::IngestionSettingsOut;

/// `POST /api/settings/ingestion {}`: the credentials for `POST /1/upload`.
#[server(endpoint = "settings/ingestion", input = Json)]
pub async fn ingestion_settings() -> Result<IngestionSettingsOut, ApiError> {
    super::context::current_user()?;
    super::context::backend()?.ingestion_settings().await
}
