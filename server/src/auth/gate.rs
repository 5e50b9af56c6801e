//! The session gate: every page and server function needs a signed-in user, except the few that serve
//! signing in. Anonymous API callers get 401 with a JSON error; anonymous page visits are redirected to
//! the login page (or to first-run setup while no account exists). The signed-in user is put on the
//! request for the server functions to read.

use std::sync::Arc;

use app::model::ApiError;
use app::model::session::session_token_from_cookies;
use axum::Json;
use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};

use super::sessions;
use crate::Engine;

/// Reachable without a session: ingestion and metrics (their own credentials), health, static files
/// (`/pkg/`, and a build's own path `/b/<build>/pkg/`), signing in, and the public keys customers'
/// authorization servers fetch.
fn is_open(path: &str) -> bool {
    matches!(
        path,
        "/healthz"
            | "/metrics"
            | "/favicon.svg"
            | "/favicon.ico"
            | "/api/auth/login"
            | "/api/auth/setup"
            | "/api/auth/setup_info"
    ) || path.starts_with("/pkg/")
        || path.starts_with("/b/")
        || path.starts_with("/1/")
        || path.starts_with("/oauth/jwks/")
}

pub async fn gate(State(engine): State<Arc<Engine>>, mut request: Request, next: Next) -> Response {
    let path = request.uri().path().to_owned();
    if is_open(&path) {
        return next.run(request).await;
    }
    let token = request
        .headers()
        .get(header::COOKIE)
        .and_then(|v| v.to_str().ok())
        .and_then(session_token_from_cookies)
        .map(str::to_owned);
    let user = match token {
        Some(token) => match sessions::user_of(&engine.db, &token, engine.clock.now_ms()).await {
            Ok(user) => user,
            Err(e) => {
                tracing::error!(error = %e, "session lookup failed");
                let error = ApiError::internal();
                return (StatusCode::INTERNAL_SERVER_ERROR, Json(error)).into_response();
            }
        },
        None => None,
    };
    if let Some(user) = user {
        if path == "/login" || path == "/setup" {
            return Redirect::to("/campaigns").into_response();
        }
        request.extensions_mut().insert(user);
        return next.run(request).await;
    }
    if path.starts_with("/api/") {
        return (StatusCode::UNAUTHORIZED, Json(ApiError::unauthorized())).into_response();
    }
    match (engine.admin_exists(), path.as_str()) {
        (false, "/setup") | (true, "/login") => next.run(request).await,
        (false, _) => Redirect::to("/setup").into_response(),
        (true, "/setup") => Redirect::to("/login").into_response(),
        (true, _) => {
            let wanted = request.uri().path_and_query().map_or("/", |pq| pq.as_str());
            Redirect::to(&format!("/login?next={}", encode_component(wanted))).into_response()
        }
    }
}

/// Percent-encodes everything but unreserved characters (RFC 3986), for a query parameter value.
fn encode_component(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn open_paths() {
        assert!(is_open("/1/upload"));
        assert!(is_open("/pkg/hookline.wasm"));
        assert!(is_open("/b/00ff00ff00ff00ff/pkg/hookline.wasm"));
        assert!(is_open("/api/auth/login"));
        assert!(is_open("/oauth/jwks/ks_0123"));
        assert!(!is_open("/api/webhooks/list"));
        assert!(!is_open("/webhooks"));
        assert!(!is_open("/login"));
    }

    #[test]
    fn encodes_the_next_page() {
        assert_eq!(
            encode_component("/webhooks/3?x=a b"),
            "%2Fwebhooks%2F3%3Fx%3Da%20b"
        );
    }
}
