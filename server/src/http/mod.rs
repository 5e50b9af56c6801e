//! HTTP routes that are not server functions: CleverTap-compatible ingestion, health, Prometheus
//! metrics, and the JWKS
//! of templates' client assertion keys.

pub mod api_status;
pub mod client_address;
pub mod csrf;
mod delivery_csv;
mod health;
mod ingestion;
mod jwks;
mod metrics;
pub mod security_headers;
pub mod static_files;

use std::sync::Arc;

use axum::Router;
use axum::routing::{get, post};

use crate::Engine;

pub fn routes() -> Router<Arc<Engine>> {
    Router::new()
        .route("/1/upload", post(ingestion::upload))
        .route("/1/profile.json", get(ingestion::profile))
        .route("/healthz", get(health::healthz))
        .route("/metrics", get(metrics::metrics))
        .route("/oauth/jwks/{key_set}", get(jwks::jwks))
        .route("/campaigns/{id}/deliveries.csv", get(delivery_csv::export))
}
