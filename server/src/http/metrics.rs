//! `GET /metrics`: Prometheus metrics in the text format, when `HOOKLINE_METRICS_TOKEN` is set (404
//! otherwise), for requests with `Authorization: Bearer <token>` (401 otherwise).

use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use crate::ingest::credentials::constant_time_eq;
use crate::{Engine, store};

pub async fn metrics(State(engine): State<Arc<Engine>>, headers: HeaderMap) -> Response {
    let Some(expected) = engine.config.metrics_token.as_deref() else {
        return refuse(
            StatusCode::NOT_FOUND,
            "Metrics are off: set HOOKLINE_METRICS_TOKEN to turn them on.",
        );
    };
    let presented = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or_default();
    if !constant_time_eq(presented.trim().as_bytes(), expected.as_bytes()) {
        let mut refused = refuse(
            StatusCode::UNAUTHORIZED,
            "Send the metrics token as Authorization: Bearer <token>.",
        );
        refused.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            header::HeaderValue::from_static("Bearer"),
        );
        return refused;
    }
    let pending = match store::deliveries::pending_count(&engine.db).await {
        Ok(n) => n,
        Err(e) => {
            tracing::error!(error = %e, "metrics: could not count the outbox");
            return refuse(
                StatusCode::SERVICE_UNAVAILABLE,
                "The database did not answer.",
            );
        }
    };
    let text = engine
        .metrics
        .render(pending, engine.breakers.open_circuits().len());
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        text,
    )
        .into_response()
}

fn refuse(status: StatusCode, message: &str) -> Response {
    (
        status,
        Json(json!({"error": "metrics", "message": message})),
    )
        .into_response()
}
