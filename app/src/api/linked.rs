//! Linked content: named external sources fetched for each user at send time (`Linked.<name>`).

use leptos::prelude::*;

use crate::json_text::Json;
use crate::model::linked::{LinkedContentIn, LinkedContentOut, LinkedTestOut};
use crate::model::{ApiError, LinkedId};

/// `POST /api/linked/list {}`: every linked content, by name.
#[server(endpoint = "linked/list", input = Json, output = Json)]
pub async fn list_linked() -> Result<Vec<LinkedContentOut>, ApiError> {
    super::context::current_user()?;
    super::context::backend()?.list_linked().await
}

/// `POST /api/linked/get {"id":1}`.
#[server(endpoint = "linked/get", input = Json, output = Json)]
pub async fn get_linked(id: LinkedId) -> Result<LinkedContentOut, ApiError> {
    super::context::current_user()?;
    super::context::backend()?.get_linked(id).await
}

/// `POST /api/linked/create {"content":{"name","url","method","headers","body","cache_secs","timeout_ms"}}`.
#[server(endpoint = "linked/create", input = Json, output = Json)]
pub async fn create_linked(content: LinkedContentIn) -> Result<LinkedContentOut, ApiError> {
    super::context::current_user()?;
    super::context::backend()?.create_linked(content).await
}

/// `POST /api/linked/update {"id":1,"content":{...}}`.
#[server(endpoint = "linked/update", input = Json, output = Json)]
pub async fn update_linked(
    id: LinkedId,
    content: LinkedContentIn,
) -> Result<LinkedContentOut, ApiError> {
    super::context::current_user()?;
    super::context::backend()?.update_linked(id, content).await
}

/// `POST /api/linked/delete {"id":1}`: refused (409) while a campaign that may still run uses it.
#[server(endpoint = "linked/delete", input = Json, output = Json)]
pub async fn delete_linked(id: LinkedId) -> Result<(), ApiError> {
    super::context::current_user()?;
    super::context::backend()?.delete_linked(id).await
}

/// `POST /api/linked/test {"content":{...},"user":12}`: renders the request for user `user` (a profile
/// id; default: the first profile), fetches it now, and shows the answer.
#[server(endpoint = "linked/test", input = Json, output = Json)]
pub async fn test_linked(
    content: LinkedContentIn,
    #[server(default)] user: Option<i64>,
) -> Result<LinkedTestOut, ApiError> {
    super::context::current_user()?;
    super::context::backend()?.test_linked(content, user).await
}
