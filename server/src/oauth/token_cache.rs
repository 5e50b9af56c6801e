//! The access token each saved OAuth template's deliveries share. Per template, one caller at a time
//! looks at the token and, when it is missing or due for renewal, requests a new one; the others wait
//! and then use it, so concurrent deliveries cause one token request, not one each. Tokens are kept
//! sealed in the database too, so a restart does not need new ones.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use app::model::TemplateId;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::token_request::{Token, TokenFailure};
use super::{OAuth, OAuthContext};
use crate::store::oauth_tokens;

/// A failure is shared with the callers that waited for it for this long, instead of each asking
/// the token endpoint again at once.
const FAILURE_SHARED_MS: i64 = 2_000;
/// Tokens are renewed this long before they expire (at most; a tenth of short lifetimes).
const RENEW_MARGIN_MS: i64 = 30_000;
/// The longest lifetime a token is kept for: ten years.
const MAX_LIFETIME_SECS: u64 = 10 * 365 * 86_400;

#[derive(Default)]
pub struct TokenCache {
    slots: Mutex<HashMap<i64, Arc<tokio::sync::Mutex<Slot>>>>,
}

#[derive(Default)]
struct Slot {
    /// Whether the database copy was read.
    loaded: bool,
    current: Option<Cached>,
    failure: Option<(TokenFailure, [u8; 32], i64)>,
}

#[derive(Clone)]
struct Cached {
    token: Token,
    fingerprint: [u8; 32],
    /// Unix ms after which the token is renewed.
    renew_at: i64,
}

/// What is sealed in `oauth_tokens.sealed`.
#[derive(Serialize, Deserialize)]
struct SealedToken {
    access: String,
    refresh: Option<String>,
    lifetime_secs: u64,
}

impl TokenCache {
    /// The access token for template `id` with settings `oauth`, sent to `audience` (the destination's
    /// origin), requested if needed. A token is kept for one audience: a template moved to another
    /// host gets a new one.
    pub async fn bearer(
        &self,
        cx: &OAuthContext<'_>,
        id: TemplateId,
        audience: &str,
        oauth: &OAuth,
    ) -> Result<String, TokenFailure> {
        let fingerprint = fingerprint(id, audience, oauth);
        let slot = self.slot(id);
        let mut slot = slot.lock().await;
        if !slot.loaded {
            slot.current = load(cx, id).await;
            slot.loaded = true;
        }
        let now = cx.clock.now_ms();
        let current = slot.current.take().filter(|c| c.fingerprint == fingerprint);
        if let Some(cached) = current.as_ref().filter(|c| c.renew_at > now) {
            let access = cached.token.access.clone();
            slot.current = current;
            return Ok(access);
        }
        if let Some((failure, _, _)) = slot
            .failure
            .as_ref()
            .filter(|(_, f, at)| *f == fingerprint && now - at < FAILURE_SHARED_MS)
        {
            let failure = failure.clone();
            slot.current = current;
            return Err(failure);
        }
        let refresh = current.as_ref().and_then(|c| c.token.refresh.clone());
        match super::obtain(cx, oauth, refresh.as_deref()).await {
            Ok(token) => {
                let obtained_at = cx.clock.now_ms();
                let cached = Cached {
                    renew_at: renew_at(obtained_at, token.lifetime_secs),
                    token,
                    fingerprint,
                };
                store_sealed(cx, id, &cached).await;
                let access = cached.token.access.clone();
                slot.current = Some(cached);
                slot.failure = None;
                tracing::info!(template = id.0, "obtained an OAuth access token");
                Ok(access)
            }
            Err(failure) => {
                slot.current = current;
                slot.failure = Some((failure.clone(), fingerprint, cx.clock.now_ms()));
                Err(failure)
            }
        }
    }

    /// The destination refused `access` (401): the next caller gets a new token. A token already
    /// replaced by another caller is left alone.
    pub async fn invalidate(&self, cx: &OAuthContext<'_>, id: TemplateId, access: &str) {
        let slot = self.slot(id);
        let mut slot = slot.lock().await;
        if let Some(cached) = slot.current.as_mut().filter(|c| c.token.access == access) {
            cached.renew_at = 0;
            let cached = cached.clone();
            store_sealed(cx, id, &cached).await;
        }
    }

    fn slot(&self, id: TemplateId) -> Arc<tokio::sync::Mutex<Slot>> {
        let mut slots = self.slots.lock().unwrap_or_else(|e| e.into_inner());
        slots.entry(id.0).or_default().clone()
    }
}

/// When a token obtained at `obtained_at` is renewed. A lifetime past `MAX_LIFETIME_SECS` (a server
/// may answer any number) counts as that long.
fn renew_at(obtained_at: i64, lifetime_secs: u64) -> i64 {
    let lifetime_ms = i64::try_from(lifetime_secs.min(MAX_LIFETIME_SECS) * 1_000).unwrap_or(0);
    obtained_at.saturating_add(lifetime_ms - RENEW_MARGIN_MS.min(lifetime_ms / 10))
}

/// Identifies the settings a token was obtained with (secrets included, hashed) and where it goes.
fn fingerprint(id: TemplateId, audience: &str, oauth: &OAuth) -> [u8; 32] {
    let mut hash = Sha256::new();
    hash.update(id.0.to_be_bytes());
    hash.update((audience.len() as u64).to_be_bytes());
    hash.update(audience.as_bytes());
    hash.update(serde_json::to_vec(&oauth.settings).unwrap_or_default());
    for secret in [&oauth.client_secret, &oauth.password] {
        hash.update((secret.len() as u64).to_be_bytes());
        hash.update(secret.as_bytes());
    }
    hash.finalize().into()
}

async fn load(cx: &OAuthContext<'_>, id: TemplateId) -> Option<Cached> {
    let row = match oauth_tokens::get(cx.db, id.0).await {
        Ok(row) => row?,
        Err(e) => {
            tracing::warn!(template = id.0, error = %e, "could not read the stored OAuth token");
            return None;
        }
    };
    let plain = cx.secrets.open(&row.sealed).ok()?;
    let sealed: SealedToken = serde_json::from_slice(&plain).ok()?;
    Some(Cached {
        token: Token {
            access: sealed.access,
            refresh: sealed.refresh,
            lifetime_secs: sealed.lifetime_secs,
        },
        fingerprint: row.fingerprint.try_into().ok()?,
        renew_at: row.renew_at,
    })
}

/// Keeps the token for after a restart; failing to is logged, not fatal (the next start asks anew).
async fn store_sealed(cx: &OAuthContext<'_>, id: TemplateId, cached: &Cached) {
    let plain = serde_json::to_vec(&SealedToken {
        access: cached.token.access.clone(),
        refresh: cached.token.refresh.clone(),
        lifetime_secs: cached.token.lifetime_secs,
    })
    .expect("serialising strings cannot fail");
    let row = oauth_tokens::TokenRow {
        fingerprint: cached.fingerprint.to_vec(),
        sealed: cx.secrets.seal(&plain),
        renew_at: cached.renew_at,
    };
    if let Err(e) = oauth_tokens::put(cx.db, id.0, &row, cx.clock.now_ms()).await {
        tracing::warn!(template = id.0, error = %e, "could not store the OAuth token");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_renewed_shortly_before_they_expire() {
        assert_eq!(renew_at(1_000, 3_600), 1_000 + 3_600_000 - 30_000);
        assert_eq!(renew_at(1_000, 2), 1_000 + 2_000 - 200);
        assert_eq!(renew_at(1_000, 0), 1_000);
        let ten_years_ms = MAX_LIFETIME_SECS as i64 * 1_000;
        let huge = 1_000 + ten_years_ms - 30_000;
        assert_eq!(renew_at(1_000, u64::MAX), huge, "no overflow");
        assert_eq!(renew_at(1_000, 9_000_000_000_000_000), huge);
        assert_eq!(renew_at(i64::MAX - 5, 3_600), i64::MAX);
    }

    #[test]
    fn fingerprints_change_with_settings_and_secrets() {
        let oauth = OAuth {
            settings: Default::default(),
            client_secret: "a".into(),
            password: String::new(),
        };
        let here = "https://crm.example";
        let base = fingerprint(TemplateId(1), here, &oauth);
        assert_eq!(base, fingerprint(TemplateId(1), here, &oauth.clone()));
        assert_ne!(base, fingerprint(TemplateId(2), here, &oauth));
        assert_ne!(
            base,
            fingerprint(TemplateId(1), "https://elsewhere.example", &oauth)
        );
        let mut other = oauth.clone();
        other.client_secret = "b".into();
        assert_ne!(base, fingerprint(TemplateId(1), here, &other));
        other = oauth;
        other.settings.scopes = "read".into();
        assert_ne!(base, fingerprint(TemplateId(1), here, &other));
    }
}
