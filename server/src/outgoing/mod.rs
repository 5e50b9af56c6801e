//! The outgoing request of a webhook template, as a pipeline of named steps:
//!
//! 1. **build** (`request::build`): the template's method, URL, custom headers and Basic credentials
//!    around the body;
//! 2. **authorize** (`send::authorize`): an OAuth access token, requested if none is valid (this may
//!    wait), for `Authorization: Bearer`;
//! 3. **sign** (`signing::sign`): Standard Webhooks headers with the template's secret(s), made for
//!    each attempt (its own timestamp), once the token is known and nothing else changes the request;
//! 4. **send** (`send::send_authorized`): through the guarded HTTP client, repeated once with a new
//!    token after a 401, the answer's excerpt stripped of credentials.
//!
//! The test request on save, a campaign's test request and every delivery go through it. A caller that
//! must look again before the request leaves (the dispatcher checks Stop) does so between authorize
//! and send. The pipeline knows templates only as a `Destination`; OAuth through `OAuthContext`.

pub mod credentials;
pub mod request;
pub mod send;
pub mod signing;

use app::model::TemplateId;
use app::model::webhook::{Header, HttpMethod};

pub use credentials::Credentials;

use crate::oauth::token_request::TokenFailure;
use crate::outbound::SendError;

/// Where and how a template's requests go.
#[derive(Debug, Clone, Copy)]
pub struct Destination<'a> {
    /// The template (0 for one not saved yet: it gets tokens of its own, not the shared ones).
    pub template: TemplateId,
    pub method: HttpMethod,
    pub url: &'a str,
    pub headers: &'a [Header],
    pub credentials: &'a Credentials,
    /// The secrets its requests are signed with.
    pub signing: &'a signing::SigningKeys,
}

/// Why a request got no answer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Failure {
    #[error(transparent)]
    Http(#[from] SendError),
    /// No access token could be had for an OAuth template, so the request was not sent.
    #[error("{0}")]
    Token(TokenFailure),
}
