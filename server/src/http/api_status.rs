//! Gives server-function errors their HTTP status. server_fn answers every `Err` with 500 and the
//! JSON-encoded `ApiError`; this reads the error's kind and sets its status (401, 404, 422, 502...),
//! including for errors raised before a function body runs (undecodable arguments), and a 429's
//! `Retry-After`.

use app::model::ApiError;
use axum::body::{Body, to_bytes};
use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;

/// server_fn's marker header on error responses.
const SERVER_FN_ERROR_HEADER: &str = "serverfnerror";
/// Error bodies are small; anything bigger is passed on unchanged in status.
const MAX_ERROR_BODY: usize = 64 * 1024;

pub async fn api_error_status(request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    if response.status() != StatusCode::INTERNAL_SERVER_ERROR
        || !response.headers().contains_key(SERVER_FN_ERROR_HEADER)
    {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = to_bytes(body, MAX_ERROR_BODY).await else {
        return Response::from_parts(parts, Body::empty());
    };
    if let Ok(error) = serde_json::from_slice::<ApiError>(&bytes) {
        parts.status =
            StatusCode::from_u16(error.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        if let ApiError::TooManyRequests {
            retry_after_secs, ..
        } = error
        {
            parts
                .headers
                .insert(header::RETRY_AFTER, HeaderValue::from(retry_after_secs));
        }
    }
    Response::from_parts(parts, Body::from(bytes))
}
