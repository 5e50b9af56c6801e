//! Sending with a template's OAuth 2.0 credentials: `Authorization: Bearer` with the template's shared
//! access token; when the destination answers 401 the token is dropped, a new one obtained, and the
//! request repeated once. Other templates' requests go out as built.

use super::client::{Answer, OutboundRequest, SendError};
use crate::Engine;
use crate::oauth::OAuth;
use crate::templates::stored::{Auth, Template};

/// Sends `request`, built from `template`. A template not saved yet (id 0, the test on create) gets
/// tokens of its own instead of the shared ones.
pub async fn send(
    engine: &Engine,
    template: &Template,
    request: OutboundRequest,
) -> Result<Answer, SendError> {
    let Auth::OAuth2(oauth) = &template.auth else {
        return engine.outbound.send(request).await;
    };
    let token = bearer(engine, template, oauth).await?;
    let answer = engine
        .outbound
        .send(with_bearer(request.clone(), &token))
        .await?;
    if answer.status != 401 {
        return Ok(answer);
    }
    tracing::info!(
        template = template.id.0,
        "the destination refused the access token (401); getting a new one"
    );
    if template.id.0 != 0 {
        engine.tokens.invalidate(engine, template.id, &token).await;
    }
    let token = bearer(engine, template, oauth).await?;
    engine.outbound.send(with_bearer(request, &token)).await
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
