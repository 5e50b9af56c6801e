//! Password hashing with Argon2id (the argon2 crate's defaults: 19 MiB, 2 passes), off the async threads.

use argon2::Argon2;
use argon2::password_hash::{
    PasswordHash, PasswordHasher, PasswordVerifier, SaltString, rand_core::OsRng,
};

pub async fn hash(password: String) -> anyhow::Result<String> {
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| anyhow::anyhow!("hashing the password failed: {e}"))
    })
    .await?
}

/// Whether `password` matches `stored`. A malformed stored hash never matches.
pub async fn verify(stored: String, password: String) -> bool {
    tokio::task::spawn_blocking(move || {
        PasswordHash::new(&stored).is_ok_and(|parsed| {
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
    })
    .await
    .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    #[tokio::test]
    async fn verifies_only_the_right_password() {
        let stored = super::hash("correct horse".into()).await.unwrap();
        assert!(stored.starts_with("$argon2id$"));
        assert!(super::verify(stored.clone(), "correct horse".into()).await);
        assert!(!super::verify(stored, "wrong horse".into()).await);
        assert!(!super::verify("not a hash".into(), "x".into()).await);
    }
}
