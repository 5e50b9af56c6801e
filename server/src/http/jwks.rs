//! `GET /oauth/jwks/<key_set>`: the public key a template signs client assertions with, as a JWKS
//! (RFC 7517), for the customer's authorization server. Public: it holds public keys only;
//! `no-cache`, so a regenerated key is picked up at once.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use crate::Engine;
use crate::oauth::keys;

pub async fn jwks(State(engine): State<Arc<Engine>>, Path(key_set): Path<String>) -> Response {
    match keys::jwks(&engine.db, &key_set).await {
        Ok(Some(jwks)) => (
            [
                (header::CACHE_CONTROL, "no-cache"),
                (header::ACCESS_CONTROL_ALLOW_ORIGIN, "*"),
            ],
            Json(jwks),
        )
            .into_response(),
        Ok(None) => (
            StatusCode::NOT_FOUND,
            Json(json!({"error": "There is no key set with this id."})),
        )
            .into_response(),
        Err(e) => {
            tracing::error!(error = %e, "jwks: database error");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                Json(json!({"error": "The keys cannot be read right now."})),
            )
                .into_response()
        }
    }
}
