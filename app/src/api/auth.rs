//! Signing in and out, first-run setup, and who is signed in.

use leptos::prelude::*;

use crate::json_text::Json;
use crate::model::ApiError;
use crate::model::session::{SetupInfoOut, UserOut};

/// `POST /api/auth/login {"email","password"}`: sets the session cookie.
#[server(endpoint = "auth/login", input = Json, output = Json)]
pub async fn login(email: String, password: String) -> Result<UserOut, ApiError> {
    use super::context::{backend, client, set_cookie};
    let backend = backend()?;
    let session = backend
        .login(crate::model::session::LoginIn { email, password }, client())
        .await?;
    set_cookie(&backend.session_cookie(Some(&session.token)))?;
    set_cookie(&backend.device_cookie(&session.device))?;
    Ok(session.user)
}

/// `POST /api/auth/setup {"email","password","setup_code"?}`: creates the first admin (only while none
/// exists) and signs it in.
#[server(endpoint = "auth/setup", input = Json, output = Json)]
pub async fn setup_admin(
    email: String,
    password: String,
    setup_code: Option<String>,
) -> Result<UserOut, ApiError> {
    use super::context::{backend, client, set_cookie};
    let backend = backend()?;
    let input = crate::model::session::SetupIn {
        email,
        password,
        setup_code,
    };
    let session = backend.setup_admin(input, client()).await?;
    set_cookie(&backend.session_cookie(Some(&session.token)))?;
    set_cookie(&backend.device_cookie(&session.device))?;
    Ok(session.user)
}

/// `POST /api/auth/setup_info {}`: whether first-run setup is open and asks for the setup code.
#[server(endpoint = "auth/setup_info", input = Json, output = Json)]
pub async fn setup_info() -> Result<SetupInfoOut, ApiError> {
    Ok(super::context::backend()?.setup_info())
}

/// `POST /api/auth/logout {}`: ends the session and clears the cookie.
#[server(endpoint = "auth/logout", input = Json, output = Json)]
pub async fn logout() -> Result<(), ApiError> {
    use super::context::{backend, current_user, session_token, set_cookie};
    current_user()?;
    let backend = backend()?;
    if let Some(token) = session_token() {
        backend.logout(&token).await?;
    }
    set_cookie(&backend.session_cookie(None))
}

/// `POST /api/auth/me {}`: the signed-in user.
#[server(endpoint = "auth/me", input = Json, output = Json)]
pub async fn current_user() -> Result<UserOut, ApiError> {
    super::context::current_user()
}
