//! Project settings.

use leptos::prelude::*;

use crate::json_text::Json;
use crate::model::ApiError;
use crate::model::settings::IngestionSettingsOut;
use crate::model::time_fmt::ZoneClock;

/// `POST /api/settings/ingestion {}`: the credentials for `POST /1/upload`.
#[server(endpoint = "settings/ingestion", input = Json, output = Json)]
pub async fn ingestion_settings() -> Result<IngestionSettingsOut, ApiError> {
    super::context::current_user()?;
    super::context::backend()?.ingestion_settings().await
}

/// `POST /api/settings/clock {}`: the project time zone (`name`) and its UTC offsets (`offsets`:
/// `[from unix ms, seconds]`) over the years around now, to show times in it.
#[server(endpoint = "settings/clock", input = Json, output = Json)]
pub async fn project_clock() -> Result<ZoneClock, ApiError> {
    super::context::current_user()?;
    super::context::backend()?.project_clock().await
}
