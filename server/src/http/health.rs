//! `GET /healthz`: 200 while the database answers and every background worker is running; 503 when
//! the database does not answer, a worker died, or a worker's work has been failing for a while.

use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde_json::{Value, json};

use crate::{Engine, store};

pub async fn healthz(State(engine): State<Arc<Engine>>) -> (StatusCode, Json<Value>) {
    if let Err(e) = store::ping(&engine.db).await {
        tracing::error!(error = %e, "health check: database unavailable");
        return unhealthy(json!({"database": "unavailable"}));
    }
    let problems = engine.health.problems();
    if problems.is_empty() {
        return (StatusCode::OK, Json(json!({"status": "ok"})));
    }
    let workers: serde_json::Map<String, Value> = problems
        .into_iter()
        .map(|p| (p.worker.to_owned(), Value::String(p.what)))
        .collect();
    unhealthy(json!({"workers": workers}))
}

fn unhealthy(detail: Value) -> (StatusCode, Json<Value>) {
    let mut body = json!({"status": "fail"});
    if let (Some(body), Some(detail)) = (body.as_object_mut(), detail.as_object()) {
        body.extend(detail.clone());
    }
    (StatusCode::SERVICE_UNAVAILABLE, Json(body))
}
