//! Webhook templates (Settings > Webhooks).

use leptos::prelude::*;

use crate::json_text::Json;
use crate::model::circuit::CircuitOut;
use crate::model::oauth::{AssertionOut, OAuthIn, PublicKeyOut, TokenProbeOut};
use crate::model::webhook::{
    SavedTemplateOut, SigningSecretOut, WebhookTemplateIn, WebhookTemplateOut,
};
use crate::model::{ApiError, TemplateId};

/// `POST /api/webhooks/list {}`
#[server(endpoint = "webhooks/list", input = Json, output = Json)]
pub async fn list_templates() -> Result<Vec<WebhookTemplateOut>, ApiError> {
    super::context::current_user()?;
    super::context::backend()?.list_templates().await
}

/// `POST /api/webhooks/get {"id"}`
#[server(endpoint = "webhooks/get", input = Json, output = Json)]
pub async fn get_template(id: TemplateId) -> Result<WebhookTemplateOut, ApiError> {
    super::context::current_user()?;
    super::context::backend()?.get_template(id).await
}

/// `POST /api/webhooks/create {"name","url","method","headers","auth"}`: sends the test request and
/// saves the template only if the destination answers 2xx.
#[server(endpoint = "webhooks/create", input = Json, output = Json)]
pub async fn create_template(
    #[server(flatten)] template: WebhookTemplateIn,
) -> Result<SavedTemplateOut, ApiError> {
    super::context::current_user()?;
    super::context::backend()?.create_template(template).await
}

/// `POST /api/webhooks/update {"id","template":{...}}`: as create; a secret left out keeps the saved one.
#[server(endpoint = "webhooks/update", input = Json, output = Json)]
pub async fn update_template(
    id: TemplateId,
    template: WebhookTemplateIn,
) -> Result<SavedTemplateOut, ApiError> {
    super::context::current_user()?;
    super::context::backend()?
        .update_template(id, template)
        .await
}

/// `POST /api/webhooks/delete {"id"}`
#[server(endpoint = "webhooks/delete", input = Json, output = Json)]
pub async fn delete_template(id: TemplateId) -> Result<(), ApiError> {
    super::context::current_user()?;
    super::context::backend()?.delete_template(id).await
}

/// `POST /api/webhooks/signing_secret {"id"}`: the template's Standard Webhooks secret `{"secret"}`
/// (`whsec_…`), for receivers to verify its requests.
#[server(endpoint = "webhooks/signing_secret", input = Json, output = Json)]
pub async fn signing_secret(id: TemplateId) -> Result<SigningSecretOut, ApiError> {
    super::context::current_user()?;
    super::context::backend()?.signing_secret(id).await
}

/// `POST /api/webhooks/rotate_secret {"id"}`: a new secret `{"secret"}`; for 24 hours requests carry a
/// signature with the old one too.
#[server(endpoint = "webhooks/rotate_secret", input = Json, output = Json)]
pub async fn rotate_secret(id: TemplateId) -> Result<SigningSecretOut, ApiError> {
    super::context::current_user()?;
    super::context::backend()?.rotate_secret(id).await
}

/// `POST /api/webhooks/circuit {"id"}`: the circuit breaker of the template's destination host
/// `{"host","open"?:{"since","probe_at","failures"}}`.
#[server(endpoint = "webhooks/circuit", input = Json, output = Json)]
pub async fn circuit(id: TemplateId) -> Result<CircuitOut, ApiError> {
    super::context::current_user()?;
    super::context::backend()?.circuit(id).await
}

/// `POST /api/webhooks/close_circuit {"id"}`: closes that circuit by hand; the host's waiting
/// deliveries go at once.
#[server(endpoint = "webhooks/close_circuit", input = Json, output = Json)]
pub async fn close_circuit(id: TemplateId) -> Result<CircuitOut, ApiError> {
    super::context::current_user()?;
    super::context::backend()?.close_circuit(id).await
}

/// `POST /api/webhooks/generate_key {"key_set"?,"bits"}`: a new RSA key pair for Client Credentials with
/// JWT. Without `key_set` a new key set is started; with one, its key is replaced at once (the old key
/// leaves the JWKS and signs nothing more).
#[server(endpoint = "webhooks/generate_key", input = Json, output = Json)]
pub async fn generate_key(
    #[server(default)] key_set: Option<String>,
    bits: u32,
) -> Result<PublicKeyOut, ApiError> {
    super::context::current_user()?;
    super::context::backend()?.generate_key(key_set, bits).await
}

/// `POST /api/webhooks/client_assertion {"id"?,"auth":{...}}`: signs a client assertion with the key
/// set's key, as a token request would, and shows it decoded.
#[server(endpoint = "webhooks/client_assertion", input = Json, output = Json)]
pub async fn client_assertion(
    #[server(default)] id: Option<TemplateId>,
    auth: OAuthIn,
) -> Result<AssertionOut, ApiError> {
    super::context::current_user()?;
    super::context::backend()?.client_assertion(id, auth).await
}

/// `POST /api/webhooks/generate_token {"id"?,"auth":{...}}`: requests an access token now and shows the
/// response, tokens masked. With `id`, secrets left out are the saved template's.
#[server(endpoint = "webhooks/generate_token", input = Json, output = Json)]
pub async fn generate_token(
    #[server(default)] id: Option<TemplateId>,
    auth: OAuthIn,
) -> Result<TokenProbeOut, ApiError> {
    super::context::current_user()?;
    super::context::backend()?.generate_token(id, auth).await
}
