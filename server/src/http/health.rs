//! `GET /healthz`: 200 when the database answers, 503 otherwise.

use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde_json::{Value, json};

use crate::{Engine, store};

pub async fn healthz(State(engine): State<Arc<Engine>>) -> (StatusCode, Json<Value>) {
    match store::ping(&engine.db).await {
        Ok(_) => (StatusCode::OK, Json(json!({"status": "ok"}))),
        Err(e) => {
            tracing::error!(error = %e, "health check: database unavailable");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(json!({"status": "fail", "error": "database unavailable"})),
            )
        }
    }
}
