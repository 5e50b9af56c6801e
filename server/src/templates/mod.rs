//! Webhook templates: validation, the test request that must succeed before a save, and storage with
//! the secrets sealed. A secret left out of an edit keeps the stored one.

pub mod circuit;
mod input;
pub mod signing;
pub mod stored;

use std::sync::atomic::Ordering;

use app::model::oauth::{AssertionOut, GrantType, OAuthIn, PublicKeyOut, TokenProbeOut};
use app::model::webhook::{
    AuthOut, SavedTemplateOut, TestResultOut, WebhookTemplateIn, WebhookTemplateOut,
};
use app::model::{FieldErrors, TemplateId};

use crate::Engine;
use crate::error::{EngineError, EngineResult};
use crate::oauth::{self, OAuth, keys};
use crate::outbound::{OutboundRequest, SendError, status_reason};
use crate::outgoing::{Credentials, Failure, request, send};
use crate::quoted::quoted_list;
use crate::render::test_payload;
use crate::store::{self, templates as table};
use input::{Saved, oauth_with_secrets, prepare, saved_auth};
use stored::Template;

pub async fn list(engine: &Engine) -> EngineResult<Vec<WebhookTemplateOut>> {
    let rows = table::list(&engine.db).await?;
    rows.into_iter()
        .map(|row| stored::summary_from_row(row).map_err(EngineError::internal))
        .collect()
}

/// What the dashboard shows of one template (its secrets stay sealed), with its public key.
pub async fn summary(engine: &Engine, id: TemplateId) -> EngineResult<WebhookTemplateOut> {
    let mut summary =
        stored::summary_from_row(row(engine, id).await?).map_err(EngineError::internal)?;
    if let AuthOut::OAuth2(oauth) = &mut summary.auth
        && !oauth.settings.jwt.key_set.is_empty()
    {
        oauth.public_key = keys::public(&engine.db, &oauth.settings.jwt.key_set).await?;
    }
    Ok(summary)
}

async fn row(engine: &Engine, id: TemplateId) -> EngineResult<table::TemplateRow> {
    let row = table::get(&engine.db, id.0).await?;
    row.ok_or_else(|| EngineError::not_found(format!("There is no webhook template {id}.")))
}

pub async fn create(engine: &Engine, input: WebhookTemplateIn) -> EngineResult<SavedTemplateOut> {
    let mut template = prepare(input, &Saved::nothing())?;
    ensure_key_exists(engine, &template.auth).await?;
    ensure_name_free(engine, &template.name, None).await?;
    let test = send_test(engine, &template).await?;
    let now = engine.clock.now_ms();
    let id = table::insert(&engine.db, &template.to_write(&engine.secrets), now)
        .await
        .map_err(|e| EngineError::or_name_taken(e, NAME_TAKEN))?;
    template.id = TemplateId(id);
    template.created_at = now;
    template.updated_at = now;
    engine.template_saves.fetch_add(1, Ordering::Release);
    tracing::info!(template = id, name = %template.name, "created webhook template");
    Ok(SavedTemplateOut {
        template: template.to_out(),
        test,
    })
}

pub async fn update(
    engine: &Engine,
    id: TemplateId,
    input: WebhookTemplateIn,
) -> EngineResult<SavedTemplateOut> {
    let current = row(engine, id).await?;
    let created_at = current.created_at;
    let mut template = prepare(input, &saved_auth(&engine.secrets, current))?;
    template.id = id;
    template.created_at = created_at;
    ensure_key_exists(engine, &template.auth).await?;
    ensure_name_free(engine, &template.name, Some(id)).await?;
    let test = send_test(engine, &template).await?;
    let now = engine.clock.now_ms();
    let found = table::update(&engine.db, id.0, &template.to_write(&engine.secrets), now)
        .await
        .map_err(|e| EngineError::or_name_taken(e, NAME_TAKEN))?;
    if !found {
        return Err(EngineError::not_found(format!(
            "There is no webhook template {id}; it was deleted meanwhile."
        )));
    }
    template.updated_at = now;
    engine.template_saves.fetch_add(1, Ordering::Release);
    tracing::info!(template = id.0, name = %template.name, "updated webhook template");
    Ok(SavedTemplateOut {
        template: template.to_out(),
        test,
    })
}

pub async fn delete(engine: &Engine, id: TemplateId) -> EngineResult<()> {
    let users = store::campaigns::names_using_template(&engine.db, id.0).await?;
    if !users.is_empty() {
        return Err(EngineError::conflict(format!(
            "Campaigns send with this template ({}). Delete those campaigns first.",
            quoted_list(&users)
        )));
    }
    if table::delete(&engine.db, id.0).await? {
        tracing::info!(template = id.0, "deleted webhook template");
        Ok(())
    } else {
        Err(EngineError::not_found(format!(
            "There is no webhook template {id}."
        )))
    }
}

/// A key pair for Client Credentials with JWT, new or replacing the key set's key.
pub async fn generate_key(
    engine: &Engine,
    key_set: Option<String>,
    bits: u32,
) -> EngineResult<PublicKeyOut> {
    keys::generate(&engine.oauth(), key_set, bits).await
}

/// Generate Client Assertion, with the form's settings.
pub async fn client_assertion(
    engine: &Engine,
    id: Option<TemplateId>,
    input: OAuthIn,
) -> EngineResult<AssertionOut> {
    let oauth = form_oauth(engine, id, input).await?;
    oauth::preview_assertion(&engine.oauth(), &oauth).await
}

/// Generate: a token requested now with the form's settings.
pub async fn generate_token(
    engine: &Engine,
    id: Option<TemplateId>,
    input: OAuthIn,
) -> EngineResult<TokenProbeOut> {
    let oauth = form_oauth(engine, id, input).await?;
    oauth::probe(&engine.oauth(), &oauth).await
}

/// The OAuth settings in a form; secrets left out are those of template `id`.
async fn form_oauth(
    engine: &Engine,
    id: Option<TemplateId>,
    input: OAuthIn,
) -> EngineResult<OAuth> {
    let mut errors = FieldErrors::default();
    input.check(&mut errors);
    errors.into_result()?;
    let saved = match id {
        Some(id) => saved_auth(&engine.secrets, row(engine, id).await?),
        None => Saved::nothing(),
    };
    oauth_with_secrets(input, &saved.auth)
}

/// Client Credentials with JWT needs its key pair (a key set not saved with a template is deleted
/// after a day).
async fn ensure_key_exists(engine: &Engine, auth: &Credentials) -> EngineResult<()> {
    let Credentials::OAuth2(oauth) = auth else {
        return Ok(());
    };
    if oauth.settings.grant != GrantType::ClientCredentialsJwt {
        return Ok(());
    }
    match keys::public(&engine.db, &oauth.settings.jwt.key_set).await? {
        Some(_) => Ok(()),
        None => Err(EngineError::field(
            "auth.jwt.key_set",
            "This key pair no longer exists; generate a public key.",
        )),
    }
}

async fn ensure_name_free(
    engine: &Engine,
    name: &str,
    except: Option<TemplateId>,
) -> EngineResult<()> {
    if table::name_taken(&engine.db, name, except.map(|id| id.0)).await? {
        return Err(EngineError::field("name", NAME_TAKEN));
    }
    Ok(())
}

/// Sends the test request; `Ok` only for a 2xx answer.
async fn send_test(engine: &Engine, template: &Template) -> EngineResult<TestResultOut> {
    let request = request::build(
        &template.destination(),
        "application/json",
        &test_payload::body(),
    );
    send_test_request(engine, template, request, " The template was not saved.").await
}

/// Sends a test request (template or campaign); `Ok` only for a 2xx answer. `consequence` ends the
/// message of a failure.
pub async fn send_test_request(
    engine: &Engine,
    template: &Template,
    request: OutboundRequest,
    consequence: &str,
) -> EngineResult<TestResultOut> {
    match send::send(&engine.oauth(), &template.destination(), request).await {
        Ok(answer) if (200..300).contains(&answer.status) => Ok(TestResultOut {
            status: answer.status,
            latency_ms: u64::try_from(answer.latency.as_millis()).unwrap_or(u64::MAX),
            body_excerpt: answer.body_excerpt,
        }),
        Ok(answer) => Err(EngineError::Upstream {
            message: format!(
                "The destination answered the test request with {}.{consequence}",
                status_reason(answer.status).trim_start_matches("HTTP ")
            ),
            status: Some(answer.status),
            body_excerpt: answer.body_excerpt,
        }),
        Err(Failure::Http(e @ (SendError::Refused { .. } | SendError::BadUrl(_)))) => {
            Err(EngineError::field("url", format!("{e}.")))
        }
        Err(Failure::Token(failure)) => Err(oauth::failure_to_error(failure, consequence)),
        Err(e) => Err(EngineError::Upstream {
            message: format!("The test request failed: {e}.{consequence}"),
            status: None,
            body_excerpt: String::new(),
        }),
    }
}

const NAME_TAKEN: &str = "Another webhook template has this name.";
