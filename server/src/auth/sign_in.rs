//! Signing in and first-run setup, with the guards around the slow password hash: the cheap checks
//! first (input, setup still open, setup code), then the throttle (`auth::throttle`), then at most a
//! few hashes at a time (`auth::password`).

use app::backend::{Client, Session};
use app::model::FieldErrors;
use app::model::session::{LoginIn, MAX_PASSWORD_LEN, SetupIn, SetupInfoOut};
use tokio::sync::OnceCell;

use super::password::{self, Busy, HashError};
use super::sessions::start_session;
use super::throttle::Attempt;
use super::{device, session_token};
use crate::Engine;
use crate::error::{EngineError, EngineResult};
use crate::store::users;

pub async fn login(engine: &Engine, input: LoginIn, client: Client) -> EngineResult<Session> {
    let mut missing = FieldErrors::default();
    if input.email.trim().is_empty() {
        missing.add("email", "Enter your e-mail address.");
    }
    if input.password.is_empty() {
        missing.add("password", "Enter your password.");
    }
    missing.into_result()?;
    let wrong = || EngineError::Unauthorized("The e-mail or password is wrong.".into());
    let account = users::find_by_email(&engine.db, input.email.trim()).await?;
    let known_device = account.as_ref().is_some_and(|a| {
        client
            .device
            .as_deref()
            .and_then(|d| device::user_of(&engine.secrets, d))
            == Some(a.user.id.0)
    });
    let attempt = Attempt {
        address: client.address,
        email: &input.email,
        known_device,
    };
    throttled(engine.login_throttle.admit(&attempt))?;
    if input.password.len() > MAX_PASSWORD_LEN {
        return Err(wrong());
    }
    // Verify against a dummy hash when the account does not exist, so the answer takes as long either way
    // and does not reveal which e-mail addresses have accounts.
    let stored = match &account {
        Some(a) => a.password_hash.clone(),
        None => dummy_hash().await?.to_owned(),
    };
    let matches = password::verify(stored, input.password)
        .await
        .map_err(busy)?;
    match account {
        Some(account) if matches => {
            engine.login_throttle.succeeded(&attempt);
            start_session(engine, account.user).await
        }
        _ => Err(wrong()),
    }
}

pub async fn setup_admin(engine: &Engine, input: SetupIn, client: Client) -> EngineResult<Session> {
    let taken = || EngineError::conflict("An admin account exists already: sign in instead.");
    if engine.admin_exists() {
        return Err(taken());
    }
    let account = LoginIn {
        email: input.email,
        password: input.password,
    };
    account.validate_new_account()?;
    // Guessing the setup code is throttled like guessing a password.
    let attempt = Attempt {
        address: client.address,
        email: "",
        known_device: false,
    };
    throttled(engine.login_throttle.admit(&attempt))?;
    if !engine.setup_code.accepts(input.setup_code.as_deref()) {
        return Err(EngineError::field(
            "setup_code",
            "Enter the setup code printed in the server's log when it started.",
        ));
    }
    let hash = password::hash(account.password)
        .await
        .map_err(|e| match e {
            HashError::Busy(b) => busy(b),
            HashError::Failed(e) => EngineError::Internal(e),
        })?;
    let created = users::create_first(
        &engine.db,
        account.email.trim(),
        &hash,
        engine.clock.now_ms(),
    )
    .await?;
    let Some(user) = created else {
        return Err(taken());
    };
    engine.login_throttle.succeeded(&attempt);
    engine.note_admin_created();
    tracing::info!(user = %user.email, "created the first admin account");
    start_session(engine, user).await
}

pub fn setup_info(engine: &Engine) -> SetupInfoOut {
    let admin_exists = engine.admin_exists();
    SetupInfoOut {
        admin_exists,
        code_required: !admin_exists && engine.setup_code.required(),
    }
}

fn throttled(check: Result<(), std::time::Duration>) -> EngineResult<()> {
    check.map_err(|wait| EngineError::TooManyRequests(wait.as_secs_f64().ceil() as u64))
}

fn busy(_: Busy) -> EngineError {
    EngineError::TooManyRequests(1)
}

async fn dummy_hash() -> EngineResult<&'static str> {
    static DUMMY: OnceCell<String> = OnceCell::const_new();
    DUMMY
        .get_or_try_init(|| password::hash(session_token::new_token()))
        .await
        .map(String::as_str)
        .map_err(|e| match e {
            HashError::Busy(b) => busy(b),
            HashError::Failed(e) => EngineError::Internal(e),
        })
}
