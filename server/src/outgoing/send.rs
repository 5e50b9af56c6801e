//! Steps 2 to 4, authorize, sign (`super::signing`) and send: with OAuth 2.0 credentials, `Authorization: Bearer` with the
//! template's shared access token; when the destination answers 401 the token is dropped, a new one
//! obtained, and the request repeated once. Other templates' requests go out as built. Every answer's
//! excerpt comes back with the template's credentials hidden, ready to be shown and stored.

use super::{Credentials, Destination, Failure, signing};
use crate::oauth::{self, OAuth, OAuthContext};
use crate::outbound::client::EXCERPT_BYTES;
use crate::outbound::{Answer, OutboundClient, OutboundRequest, SendError};
use crate::redact;

/// More of the answer is read than is kept, so that a secret cut by the excerpt's end is still found
/// whole and masked before the cut.
const READ_FOR_EXCERPT: usize = EXCERPT_BYTES * 2;

/// What `authorize` found: the bearer token to add, if the template uses OAuth.
#[derive(Debug, Clone)]
pub struct Authorization {
    bearer: Option<String>,
}

/// Authorizes and sends `request`, built for `destination`.
pub async fn send(
    cx: &OAuthContext<'_>,
    destination: &Destination<'_>,
    request: OutboundRequest,
) -> Result<Answer, Failure> {
    let authorization = authorize(cx, destination).await?;
    send_authorized(cx, destination, request, authorization).await
}

/// The credentials `destination`'s requests need now (an access token is requested if none is valid).
pub async fn authorize(
    cx: &OAuthContext<'_>,
    destination: &Destination<'_>,
) -> Result<Authorization, Failure> {
    let bearer = match destination.credentials {
        Credentials::OAuth2(oauth) => Some(bearer(cx, destination, oauth).await?),
        Credentials::None | Credentials::Basic { .. } => None,
    };
    Ok(Authorization { bearer })
}

/// Signs `request` and sends it with `authorization`; an OAuth token the destination refuses (401) is
/// replaced once.
pub async fn send_authorized(
    cx: &OAuthContext<'_>,
    destination: &Destination<'_>,
    mut request: OutboundRequest,
    authorization: Authorization,
) -> Result<Answer, Failure> {
    signing::sign(&mut request, destination.signing, cx.clock.now_ms());
    let (Credentials::OAuth2(oauth), Some(token)) = (destination.credentials, authorization.bearer)
    else {
        let answer = send_reading(cx.outbound, request).await?;
        return Ok(redacted(destination, answer, None));
    };
    let answer = cx
        .outbound
        .send(with_bearer(request.clone(), &token))
        .await?;
    if answer.status != 401 {
        return Ok(redacted(destination, answer, Some(&token)));
    }
    tracing::info!(
        template = destination.template.0,
        "the destination refused the access token (401); getting a new one"
    );
    if destination.template.0 != 0 {
        cx.tokens.invalidate(cx, destination.template, &token).await;
    }
    let token = bearer(cx, destination, oauth).await?;
    let answer = send_reading(cx.outbound, with_bearer(request, &token)).await?;
    Ok(redacted(destination, answer, Some(&token)))
}

async fn bearer(
    cx: &OAuthContext<'_>,
    destination: &Destination<'_>,
    oauth: &OAuth,
) -> Result<String, Failure> {
    let token = if destination.template.0 == 0 {
        oauth::obtain(cx, oauth, None).await.map(|t| t.access)
    } else {
        let audience = reqwest::Url::parse(destination.url)
            .map(|u| u.origin().ascii_serialization())
            .unwrap_or_default();
        cx.tokens
            .bearer(cx, destination.template, &audience, oauth)
            .await
    };
    token.map_err(Failure::Token)
}

fn with_bearer(mut request: OutboundRequest, token: &str) -> OutboundRequest {
    request
        .headers
        .push(("Authorization".to_owned(), format!("Bearer {token}")));
    request
}

async fn send_reading(
    client: &OutboundClient,
    request: OutboundRequest,
) -> Result<Answer, SendError> {
    client.send_keeping(request, READ_FOR_EXCERPT).await
}

/// The answer with the credentials it may echo hidden (the template's, the secret-looking header
/// values, the bearer token), then cut to the excerpt's length.
fn redacted(destination: &Destination<'_>, mut answer: Answer, token: Option<&str>) -> Answer {
    let mut others: Vec<&str> = destination
        .headers
        .iter()
        .filter(|h| redact::names_secret(&h.name))
        .map(|h| h.value.as_str())
        .collect();
    others.extend(token);
    let shown = destination
        .credentials
        .redact(&answer.body_excerpt, &others);
    answer.body_excerpt = redact::truncate(&shown, EXCERPT_BYTES).to_owned();
    answer
}
