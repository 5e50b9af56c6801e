//! Signing in and out, first-run setup, and resolving a session cookie to its user.

use app::backend::Session;
use app::model::session::{LoginIn, SESSION_COOKIE, UserOut};
use app::model::{ApiError, FieldErrors};
use tokio::sync::OnceCell;

use super::{password, session_token};
use crate::Engine;
use crate::config::Config;
use crate::store::{self, Db, sessions, users};

pub async fn login(engine: &Engine, input: LoginIn) -> Result<Session, ApiError> {
    let mut missing = FieldErrors::default();
    if input.email.trim().is_empty() {
        missing.add("email", "Enter your e-mail address.");
    }
    if input.password.is_empty() {
        missing.add("password", "Enter your password.");
    }
    missing.into_result()?;
    let wrong = || ApiError::Unauthorized {
        message: "The e-mail or password is wrong.".into(),
    };
    if input.password.len() > app::model::session::MAX_PASSWORD_LEN {
        return Err(wrong());
    }
    let account = users::find_by_email(&engine.db, input.email.trim())
        .await
        .map_err(internal)?;
    // Verify against a dummy hash when the account does not exist, so the answer takes as long either way
    // and does not reveal which e-mail addresses have accounts.
    let stored = match &account {
        Some(a) => a.password_hash.clone(),
        None => dummy_hash().await?.to_owned(),
    };
    let matches = password::verify(stored, input.password).await;
    match account {
        Some(account) if matches => start_session(engine, account.user).await,
        _ => Err(wrong()),
    }
}

pub async fn setup_admin(engine: &Engine, input: LoginIn) -> Result<Session, ApiError> {
    input.validate_new_account()?;
    let hash = password::hash(input.password).await.map_err(internal)?;
    let created = users::create_first(&engine.db, input.email.trim(), &hash, store::now_ms())
        .await
        .map_err(internal)?;
    let Some(user) = created else {
        return Err(ApiError::conflict(
            "An admin account exists already: sign in instead.",
        ));
    };
    engine.note_admin_created();
    tracing::info!(user = %user.email, "created the first admin account");
    start_session(engine, user).await
}

pub async fn logout(engine: &Engine, token: &str) -> Result<(), ApiError> {
    sessions::delete(&engine.db, &session_token::hash(token))
        .await
        .map_err(internal)
}

/// The user a session token belongs to, if the session is live.
pub async fn user_of(db: &Db, token: &str) -> sqlx::Result<Option<UserOut>> {
    sessions::find_user(db, &session_token::hash(token), store::now_ms()).await
}

/// The `Set-Cookie` value storing a session token, or clearing it.
pub fn cookie(config: &Config, token: Option<&str>) -> String {
    let secure = if config.secure_cookies {
        "; Secure"
    } else {
        ""
    };
    match token {
        Some(token) => {
            let max_age = config.session_ttl().as_secs();
            format!(
                "{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}{secure}"
            )
        }
        None => format!("{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{secure}"),
    }
}

/// Creates the admin from `HOOKLINE_ADMIN_EMAIL` / `HOOKLINE_ADMIN_PASSWORD` when no account exists yet.
pub async fn bootstrap_admin(config: &Config, db: &Db) -> anyhow::Result<()> {
    let (Some(email), Some(password)) = (&config.admin_email, &config.admin_password) else {
        return Ok(());
    };
    let account = LoginIn {
        email: email.clone(),
        password: password.clone(),
    };
    if let Err(problems) = account.validate_new_account() {
        anyhow::bail!(
            "HOOKLINE_ADMIN_EMAIL / HOOKLINE_ADMIN_PASSWORD are not usable: {:?}",
            problems.0
        );
    }
    if users::any_exist(db).await? {
        return Ok(());
    }
    let hash = password::hash(account.password).await?;
    if let Some(user) = users::create_first(db, email.trim(), &hash, store::now_ms()).await? {
        tracing::info!(user = %user.email, "created the admin account from the configuration");
    }
    Ok(())
}

async fn start_session(engine: &Engine, user: UserOut) -> Result<Session, ApiError> {
    let now = store::now_ms();
    let token = session_token::new_token();
    let expires_at =
        now + i64::try_from(engine.config.session_ttl().as_millis()).unwrap_or(i64::MAX / 2);
    sessions::insert(
        &engine.db,
        &session_token::hash(&token),
        user.id,
        now,
        expires_at,
    )
    .await
    .map_err(internal)?;
    if let Err(e) = sessions::delete_expired(&engine.db, now).await {
        tracing::warn!(error = %e, "could not delete expired sessions");
    }
    Ok(Session { user, token })
}

async fn dummy_hash() -> Result<&'static str, ApiError> {
    static DUMMY: OnceCell<String> = OnceCell::const_new();
    DUMMY
        .get_or_try_init(|| password::hash(session_token::new_token()))
        .await
        .map(String::as_str)
        .map_err(internal)
}

fn internal(error: impl std::fmt::Display) -> ApiError {
    tracing::error!(error = %error, "authentication failed internally");
    ApiError::internal()
}
