//! Sessions: starting one (with its cookies), ending it, resolving a session cookie to its user, and
//! the admin created from the configuration.

use app::backend::Session;
use app::model::session::{LoginIn, SESSION_COOKIE, UserOut};

use super::{device, password, session_token};
use crate::Engine;
use crate::config::Config;
use crate::error::EngineResult;
use crate::store::{Db, sessions, users};

pub async fn logout(engine: &Engine, token: &str) -> EngineResult<()> {
    Ok(sessions::delete(&engine.db, &session_token::hash(token)).await?)
}

/// The user a session token belongs to, if the session is live.
pub async fn user_of(db: &Db, token: &str, now: i64) -> sqlx::Result<Option<UserOut>> {
    sessions::find_user(db, &session_token::hash(token), now).await
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
pub async fn bootstrap_admin(config: &Config, db: &Db, now: i64) -> anyhow::Result<()> {
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
    if let Some(user) = users::create_first(db, email.trim(), &hash, now).await? {
        tracing::info!(user = %user.email, "created the admin account from the configuration");
    }
    Ok(())
}

pub(super) async fn start_session(engine: &Engine, user: UserOut) -> EngineResult<Session> {
    let now = engine.clock.now_ms();
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
    .await?;
    if let Err(e) = sessions::delete_expired(&engine.db, now).await {
        tracing::warn!(error = %e, "could not delete expired sessions");
    }
    let device = device::issue(&engine.secrets, user.id.0);
    Ok(Session {
        user,
        token,
        device,
    })
}
