//! OAuth 2.0 for webhook templates: access tokens from the customer's authorization server, shared by a
//! template's deliveries, attached as `Authorization: Bearer`.

pub mod assertion;
pub mod keys;
pub mod mask;
pub mod token_cache;
pub mod token_request;

use app::model::oauth::{AssertionOut, GrantType, OAuthSettings, TokenProbeOut};

use crate::clock::Clock;
use crate::error::{EngineError, EngineResult};
use crate::outbound::{Answer, OutboundClient};
use crate::secrets::SecretBox;
use crate::store::Db;
use token_cache::TokenCache;
use token_request::{Grant, MAX_TOKEN_RESPONSE, Token, TokenFailure};

/// What OAuth needs of the engine: the database (keys, stored tokens) and secret box, the HTTP client
/// for token requests, the clock, and the shared tokens.
#[derive(Clone, Copy)]
pub struct OAuthContext<'a> {
    pub db: &'a Db,
    pub secrets: &'a SecretBox,
    pub outbound: &'a OutboundClient,
    pub clock: &'a dyn Clock,
    pub tokens: &'a TokenCache,
}

/// A template's OAuth settings with their secrets (empty when the grant does not use them).
#[derive(Clone, PartialEq, Eq)]
pub struct OAuth {
    pub settings: OAuthSettings,
    pub client_secret: String,
    pub password: String,
}

impl OAuth {
    /// The secrets a token request may send, for hiding them in what is shown.
    pub fn secrets(&self) -> [&str; 2] {
        [&self.client_secret, &self.password]
    }
}

impl std::fmt::Debug for OAuth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OAuth")
            .field("settings", &self.settings)
            .finish_non_exhaustive()
    }
}

/// Requests a token with `grant`, signing a fresh assertion when the grant needs one.
pub async fn request_token(
    cx: &OAuthContext<'_>,
    oauth: &OAuth,
    refresh_token: Option<&str>,
) -> (
    Result<Token, TokenFailure>,
    Option<(Answer, Option<serde_json::Value>)>,
) {
    let assertion = match (refresh_token, oauth.settings.grant) {
        (None, GrantType::ClientCredentialsJwt) => match sign_assertion(cx, oauth).await {
            Ok(a) => Some(a.jwt),
            Err(message) => {
                return (
                    Err(TokenFailure::new(format!(
                        "No client assertion could be signed: {message}."
                    ))),
                    None,
                );
            }
        },
        _ => None,
    };
    let grant = match refresh_token {
        Some(refresh_token) => Grant::Refresh { refresh_token },
        None => Grant::Configured {
            assertion: assertion.as_deref(),
        },
    };
    let request = token_request::build(oauth, grant);
    match cx.outbound.send_keeping(request, MAX_TOKEN_RESPONSE).await {
        Ok(answer) => {
            let (token, body) = token_request::read(&answer, &oauth.settings.mapping);
            (
                token.map_err(|f| f.redacted(&oauth.secrets())),
                Some((answer, body)),
            )
        }
        Err(e) => (Err(token_request::send_failure(e)), None),
    }
}

/// A fresh token for `oauth`: with the refresh token when there is one (password grant), falling
/// back to the configured grant when refreshing fails.
pub async fn obtain(
    cx: &OAuthContext<'_>,
    oauth: &OAuth,
    refresh_token: Option<&str>,
) -> Result<Token, TokenFailure> {
    if let Some(refresh) = refresh_token.filter(|_| oauth.settings.grant == GrantType::Password) {
        match request_token(cx, oauth, Some(refresh)).await.0 {
            Ok(mut token) => {
                token.refresh.get_or_insert_with(|| refresh.to_owned());
                return Ok(token);
            }
            Err(e) => {
                tracing::warn!(error = %e, "refreshing the access token failed; using the password grant")
            }
        }
    }
    request_token(cx, oauth, None).await.0
}

/// Generate: a token requested now, shown with tokens masked.
pub async fn probe(cx: &OAuthContext<'_>, oauth: &OAuth) -> EngineResult<TokenProbeOut> {
    let (token, answer) = request_token(cx, oauth, None).await;
    let token = token.map_err(|f| failure_to_error(f, ""))?;
    let (answer, body) =
        answer.ok_or_else(|| EngineError::internal("a token without an answer"))?;
    let mapping = &oauth.settings.mapping;
    let body = body.unwrap_or_default();
    let shown = mask::masked(
        &body,
        &[mapping.access_token.trim(), mapping.refresh_token.trim()],
    );
    Ok(TokenProbeOut {
        status: answer.status,
        latency_ms: u64::try_from(answer.latency.as_millis()).unwrap_or(u64::MAX),
        response: serde_json::to_string_pretty(&shown).unwrap_or_default(),
        fields: token_request::field_paths(&body),
        access_token: mask::mask(&token.access),
        refresh_token: token.refresh.as_deref().map(mask::mask),
        expires_in_secs: token.lifetime_secs,
    })
}

/// Generate Client Assertion.
pub async fn preview_assertion(cx: &OAuthContext<'_>, oauth: &OAuth) -> EngineResult<AssertionOut> {
    let assertion = sign_assertion(cx, oauth)
        .await
        .map_err(|e| EngineError::field("auth.jwt.key_set", format!("{}.", capitalised(&e))))?;
    let pretty = |v: &serde_json::Value| serde_json::to_string_pretty(v).unwrap_or_default();
    Ok(AssertionOut {
        jwt: assertion.jwt,
        header: pretty(&assertion.header),
        claims: pretty(&assertion.claims),
    })
}

async fn sign_assertion(
    cx: &OAuthContext<'_>,
    oauth: &OAuth,
) -> Result<assertion::Assertion, String> {
    let key = keys::signing_key(cx.db, cx.secrets, &oauth.settings.jwt.key_set).await?;
    let now = cx.clock.now_ms() / 1000;
    let settings = oauth.settings.clone();
    // Signing with a 4096-bit key takes milliseconds: off the async threads.
    tokio::task::spawn_blocking(move || assertion::sign(&settings, &key, now))
        .await
        .map_err(|e| format!("signing failed: {e}"))
}

/// A token failure as the API reports it; `consequence` ends the message.
pub fn failure_to_error(failure: TokenFailure, consequence: &str) -> EngineError {
    if failure.bad_url {
        return EngineError::field("auth.access_token_url", failure.message);
    }
    EngineError::Upstream {
        message: format!("{}{consequence}", failure.message),
        status: failure.status,
        body_excerpt: failure.body_excerpt,
    }
}

fn capitalised(s: &str) -> String {
    let mut chars = s.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}
