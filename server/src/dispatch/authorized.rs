//! Sending with a template's OAuth 2.0 credentials: `Authorization: Bearer` with the template's shared
//! access token; when the destination answers 401 the token is dropped, a new one obtained, and the
//! request repeated once. Other templates' requests go out as built.
//!
//! Two steps, so that a caller can look once more before the request leaves (the dispatcher does not
//! send for a campaign stopped while it waited for a token): `authorize`, which may wait for a token,
//! then `send_authorized`.

use super::client::{Answer, OutboundRequest, SendError};
use crate::Engine;
use crate::oauth::OAuth;
use crate::templates::stored::{Auth, Template};

/// What `authorize` found: the bearer token to add, if the template uses OAuth.
#[derive(Debug, Clone)]
pub struct Authorization {
    bearer: Option<String>,
}

/// Sends `request`, built from `template`, with its credentials.
pub async fn send(
    engine: &Engine,
    template: &Template,
    request: OutboundRequest,
) -> Result<Answer, SendError> {
    let authorization = authorize(engine, template).await?;
    send_authorized(engine, template, request, authorization).await
}

/// The credentials `template`'s requests need now (an access token is requested if none is valid).
/// A template not saved yet (id 0, the test on create) gets tokens of its own instead of the shared
/// ones.
pub async fn authorize(engine: &Engine, template: &Template) -> Result<Authorization, SendError> {
    let bearer = match &template.auth {
        Auth::OAuth2(oauth) => Some(bearer(engine, template, oauth).await?),
        Auth::None | Auth::Basic { .. } => None,
    };
    Ok(Authorization { bearer })
}

/// Sends `request` with `authorization`; an OAuth token the destination refuses (401) is replaced
/// once. The answer's excerpt comes back with the template's credentials hidden (a destination may
/// echo them), ready to be shown and stored.
pub async fn send_authorized(
    engine: &Engine,
    template: &Template,
    request: OutboundRequest,
    authorization: Authorization,
) -> Result<Answer, SendError> {
    let (Auth::OAuth2(oauth), Some(token)) = (&template.auth, authorization.bearer) else {
        let answer = engine.outbound.send(request).await?;
        return Ok(redacted(template, answer, None));
    };
    let answer = engine
        .outbound
        .send(with_bearer(request.clone(), &token))
        .await?;
    if answer.status != 401 {
        return Ok(redacted(template, answer, Some(&token)));
    }
    tracing::info!(
        template = template.id.0,
        "the destination refused the access token (401); getting a new one"
    );
    if template.id.0 != 0 {
        engine.tokens.invalidate(engine, template.id, &token).await;
    }
    let token = bearer(engine, template, oauth).await?;
    let answer = engine.outbound.send(with_bearer(request, &token)).await?;
    Ok(redacted(template, answer, Some(&token)))
}

fn redacted(template: &Template, mut answer: Answer, token: Option<&str>) -> Answer {
    let excerpt = match token {
        Some(token) => crate::redact::redact(&answer.body_excerpt, &[token]),
        None => answer.body_excerpt,
    };
    answer.body_excerpt = template.redact(&excerpt);
    answer
}

async fn bearer(engine: &Engine, template: &Template, oauth: &OAuth) -> Result<String, SendError> {
    let token = if template.id.0 == 0 {
        crate::oauth::obtain(engine, oauth, None)
            .await
            .map(|t| t.access)
    } else {
        engine.tokens.bearer(engine, template.id, oauth).await
    };
    token.map_err(SendError::Token)
}

fn with_bearer(mut request: OutboundRequest, token: &str) -> OutboundRequest {
    request
        .headers
        .push(("Authorization".to_owned(), format!("Bearer {token}")));
    request
}
