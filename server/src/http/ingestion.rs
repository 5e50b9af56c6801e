//! `POST /1/upload` and `GET /1/profile.json`, answering as CleverTap's server API does, so existing
//! clients work by changing only the base URL. Errors are `{"status":"fail","error":"...","code":N}`.

use std::collections::HashMap;
use std::sync::Arc;

use axum::Json;
use axum::body::Body;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value, json};

use crate::Engine;
use crate::ingest::UploadError;
use crate::store::profiles::{self, ProfileKey};

fn fail(status: StatusCode, error: impl Into<String>) -> Response {
    let body = json!({"status": "fail", "error": error.into(), "code": status.as_u16()});
    (status, Json(body)).into_response()
}

/// Why the request may not use the ingestion API (answered with 401), if it may not.
fn credentials_problem(engine: &Engine, headers: &HeaderMap) -> Option<&'static str> {
    let value = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
    };
    let account_id = value("X-CleverTap-Account-Id");
    let passcode = value("X-CleverTap-Passcode");
    if account_id.is_empty() || passcode.is_empty() {
        Some("send the X-CleverTap-Account-Id and X-CleverTap-Passcode headers")
    } else if !engine.ingest_credentials.matches(account_id, passcode) {
        Some("Account Id or Passcode invalid")
    } else {
        None
    }
}

pub async fn upload(State(engine): State<Arc<Engine>>, headers: HeaderMap, body: Body) -> Response {
    if let Some(problem) = credentials_problem(&engine, &headers) {
        return fail(StatusCode::UNAUTHORIZED, problem);
    }
    let limit = engine.config.max_upload_bytes;
    let too_large = || {
        fail(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!("the body is larger than {limit} bytes"),
        )
    };
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok()?.parse::<usize>().ok());
    if declared.is_some_and(|n| n > limit) {
        return too_large();
    }
    let Ok(bytes) = axum::body::to_bytes(body, limit).await else {
        return too_large();
    };
    match engine.ingestor.upload(&bytes).await {
        Ok(outcome) => Json(outcome).into_response(),
        Err(UploadError::Store(e)) => {
            tracing::error!(error = %e, "upload: storing records failed");
            fail(
                StatusCode::INTERNAL_SERVER_ERROR,
                "the records could not be stored; nothing was saved",
            )
        }
        Err(e) => fail(StatusCode::BAD_REQUEST, e.to_string()),
    }
}

pub async fn profile(
    State(engine): State<Arc<Engine>>,
    headers: HeaderMap,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    if let Some(problem) = credentials_problem(&engine, &headers) {
        return fail(StatusCode::UNAUTHORIZED, problem);
    }
    let given: Vec<ProfileKey<'_>> = [
        query.get("identity").map(|v| ProfileKey::Identity(v)),
        query.get("email").map(|v| ProfileKey::Email(v)),
        query.get("objectId").map(|v| ProfileKey::ObjectId(v)),
    ]
    .into_iter()
    .flatten()
    .collect();
    let [key] = given.as_slice() else {
        return fail(
            StatusCode::BAD_REQUEST,
            "give exactly one of the query parameters identity, email, objectId",
        );
    };
    let found = match profiles::find(&engine.db, *key).await {
        Ok(found) => found,
        Err(e) => return internal(e),
    };
    let Some(profile) = found else {
        return (
            StatusCode::NOT_FOUND,
            Json(json!({"status": "fail", "error": "no profile matches"})),
        )
            .into_response();
    };
    let summary = match profiles::event_summary(&engine.db, profile.id).await {
        Ok(summary) => summary,
        Err(e) => return internal(e),
    };
    let events: Map<String, Value> = summary
        .into_iter()
        .map(|e| {
            let stats = json!({"count": e.count, "first_seen": e.first_ts / 1000, "last_seen": e.last_ts / 1000});
            (e.name, stats)
        })
        .collect();
    let profile_data: Value =
        serde_json::from_str(&profile.profile_data).unwrap_or_else(|_| json!({}));
    Json(json!({
        "status": "success",
        "record": {
            "identity": profile.identity,
            "objectId": profile.object_id,
            "email": profile.email,
            "profileData": profile_data,
            "events": events,
        }
    }))
    .into_response()
}

fn internal(e: sqlx::Error) -> Response {
    tracing::error!(error = %e, "profile lookup failed");
    fail(
        StatusCode::INTERNAL_SERVER_ERROR,
        "the profile could not be read",
    )
}
