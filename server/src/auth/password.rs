//! Password hashing with Argon2id (the argon2 crate's defaults: 19 MiB, 2 passes), off the async
//! threads, a few at a time: each hash takes tens of milliseconds of a core and 19 MiB, so unbounded
//! concurrent sign-ins would let anyone exhaust the machine. Past a short queue, callers are told to
//! come back later instead of waiting.

use std::sync::atomic::{AtomicUsize, Ordering};

use argon2::Argon2;
use argon2::password_hash::{
    PasswordHash, PasswordHasher, PasswordVerifier, SaltString, rand_core::OsRng,
};
use tokio::sync::Semaphore;

/// Hashes computed at once (the machine this was measured on has 2 cores).
const CONCURRENT_HASHES: usize = 2;
/// Callers waiting for a turn beyond which new ones are turned away.
const MAX_WAITING: usize = 32;

static HASHING: Semaphore = Semaphore::const_new(CONCURRENT_HASHES);
static WAITING: AtomicUsize = AtomicUsize::new(0);

/// Too many passwords are being checked right now.
#[derive(Debug, thiserror::Error)]
#[error("too many passwords are being checked at once")]
pub struct Busy;

#[derive(Debug, thiserror::Error)]
pub enum HashError {
    #[error(transparent)]
    Busy(#[from] Busy),
    #[error("hashing the password failed: {0}")]
    Failed(String),
}

pub async fn hash(password: String) -> Result<String, HashError> {
    let _turn = turn().await?;
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| HashError::Failed(e.to_string()))
    })
    .await
    .map_err(|e| HashError::Failed(e.to_string()))?
}

/// Whether `password` matches `stored`. A malformed stored hash never matches.
pub async fn verify(stored: String, password: String) -> Result<bool, Busy> {
    let _turn = turn().await?;
    Ok(tokio::task::spawn_blocking(move || {
        PasswordHash::new(&stored).is_ok_and(|parsed| {
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
    })
    .await
    .unwrap_or(false))
}

/// Waits for a turn to hash, unless too many are waiting already.
async fn turn() -> Result<tokio::sync::SemaphorePermit<'static>, Busy> {
    if WAITING.fetch_add(1, Ordering::SeqCst) >= MAX_WAITING {
        WAITING.fetch_sub(1, Ordering::SeqCst);
        return Err(Busy);
    }
    let permit = HASHING.acquire().await;
    WAITING.fetch_sub(1, Ordering::SeqCst);
    permit.map_err(|_| Busy)
}

#[cfg(test)]
mod tests {
    #[tokio::test]
    async fn verifies_only_the_right_password() {
        let stored = super::hash("correct horse".into()).await.unwrap();
        assert!(stored.starts_with("$argon2id$"));
        assert!(
            super::verify(stored.clone(), "correct horse".into())
                .await
                .unwrap()
        );
        assert!(!super::verify(stored, "wrong horse".into()).await.unwrap());
        assert!(
            !super::verify("not a hash".into(), "x".into())
                .await
                .unwrap()
        );
    }
}
