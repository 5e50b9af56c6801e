//! HTTP routes that are not server functions: CleverTap-compatible ingestion and health.

pub mod api_status;
mod health;
mod ingestion;
pub mod security_headers;

use std::sync::Arc;

use axum::Router;
use axum::routing::{get, post};

use crate::Engine;

pub fn routes() -> Router<Arc<Engine>> {
    Router::new()
        .route("/1/upload", post(ingestion::upload))
        .route("/1/profile.json", get(ingestion::profile))
        .route("/healthz", get(health::healthz))
}
