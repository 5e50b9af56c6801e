//! Server functions: the public JSON API (`POST /api/...`) that the dashboard and scripts call.
//! Thin by rule: authorise, take the Backend from context, call it. No SQL, HTTP calls or business
//! rules here. Every error is an `ApiError`; the server maps its kind to the HTTP status.

pub mod auth;
pub mod campaigns;
pub mod linked;
pub mod segments;
pub mod settings;
pub mod webhooks;

#[cfg(feature = "ssr")]
mod context {
    use http::header::{COOKIE, SET_COOKIE};
    use leptos::prelude::use_context;

    use crate::backend::{Client, ClientAddress, SharedBackend};
    use crate::model::ApiError;
    use crate::model::session::{DEVICE_COOKIE, UserOut, cookie_value, session_token_from_cookies};

    pub fn backend() -> Result<SharedBackend, ApiError> {
        use_context::<SharedBackend>().ok_or_else(|| {
            leptos::logging::error!("no Backend in the server-function context");
            ApiError::internal()
        })
    }

    fn request() -> Result<http::request::Parts, ApiError> {
        use_context::<http::request::Parts>().ok_or_else(ApiError::internal)
    }

    /// The signed-in user, put on the request by the server's session gate.
    pub fn current_user() -> Result<UserOut, ApiError> {
        request()?
            .extensions
            .get::<UserOut>()
            .cloned()
            .ok_or_else(ApiError::unauthorized)
    }

    pub fn session_token() -> Option<String> {
        let parts = request().ok()?;
        let cookies = parts.headers.get(COOKIE)?.to_str().ok()?;
        session_token_from_cookies(cookies).map(str::to_owned)
    }

    /// The caller's address (as the server resolved it) and device cookie.
    pub fn client() -> Client {
        let Ok(parts) = request() else {
            return Client::default();
        };
        let address = parts.extensions.get::<ClientAddress>().map(|a| a.0);
        let device = parts
            .headers
            .get(COOKIE)
            .and_then(|v| v.to_str().ok())
            .and_then(|cookies| cookie_value(cookies, DEVICE_COOKIE))
            .map(str::to_owned);
        Client { address, device }
    }

    pub fn set_cookie(value: &str) -> Result<(), ApiError> {
        let value = http::HeaderValue::from_str(value).map_err(|_| ApiError::internal())?;
        let options =
            use_context::<leptos_axum::ResponseOptions>().ok_or_else(ApiError::internal)?;
        options.append_header(SET_COOKIE, value);
        Ok(())
    }
}
