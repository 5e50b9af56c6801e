//! Webhook templates: validation, the test request that must succeed before a save, and storage with
//! the secrets sealed. A secret left out of an edit keeps the stored one.

pub mod stored;

use app::model::webhook::{
    AuthIn, SavedTemplateOut, TestResultOut, WebhookTemplateIn, WebhookTemplateOut,
};
use app::model::{ApiError, TemplateId};

use crate::Engine;
use crate::dispatch::client::{OutboundRequest, SendError};
use crate::dispatch::request;
use crate::dispatch::retry::status_reason;
use crate::render::test_payload;
use crate::store::{self, templates as table};
use stored::{Auth, Template};

pub async fn list(engine: &Engine) -> Result<Vec<WebhookTemplateOut>, ApiError> {
    let rows = table::list(&engine.db).await.map_err(internal)?;
    rows.into_iter()
        .map(|row| stored::summary_from_row(row).map_err(internal))
        .collect()
}

/// What the dashboard shows of one template (its secrets stay sealed).
pub async fn summary(engine: &Engine, id: TemplateId) -> Result<WebhookTemplateOut, ApiError> {
    stored::summary_from_row(row(engine, id).await?).map_err(internal)
}

async fn row(engine: &Engine, id: TemplateId) -> Result<table::TemplateRow, ApiError> {
    let row = table::get(&engine.db, id.0).await.map_err(internal)?;
    row.ok_or_else(|| ApiError::not_found(format!("There is no webhook template {id}.")))
}

pub async fn create(
    engine: &Engine,
    input: WebhookTemplateIn,
) -> Result<SavedTemplateOut, ApiError> {
    let mut template = prepare(input, None)?;
    ensure_name_free(engine, &template.name, None).await?;
    let test = send_test(engine, &template).await?;
    let now = store::now_ms();
    let id = table::insert(&engine.db, &template.to_write(&engine.secrets), now)
        .await
        .map_err(name_clash_or_internal)?;
    template.id = TemplateId(id);
    template.created_at = now;
    template.updated_at = now;
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
) -> Result<SavedTemplateOut, ApiError> {
    let current = row(engine, id).await?;
    let created_at = current.created_at;
    let kept_password = match &input.auth {
        AuthIn::Basic { password: None, .. } => stored_password(engine, current),
        _ => None,
    };
    let mut template = prepare(input, kept_password)?;
    template.id = id;
    template.created_at = created_at;
    ensure_name_free(engine, &template.name, Some(id)).await?;
    let test = send_test(engine, &template).await?;
    let now = store::now_ms();
    let found = table::update(&engine.db, id.0, &template.to_write(&engine.secrets), now)
        .await
        .map_err(name_clash_or_internal)?;
    if !found {
        return Err(ApiError::not_found(format!(
            "There is no webhook template {id}; it was deleted meanwhile."
        )));
    }
    template.updated_at = now;
    tracing::info!(template = id.0, name = %template.name, "updated webhook template");
    Ok(SavedTemplateOut {
        template: template.to_out(),
        test,
    })
}

pub async fn delete(engine: &Engine, id: TemplateId) -> Result<(), ApiError> {
    let users = store::campaigns::names_using_template(&engine.db, id.0)
        .await
        .map_err(internal)?;
    if !users.is_empty() {
        return Err(ApiError::conflict(format!(
            "Campaigns send with this template ({}). Delete those campaigns first.",
            quoted_list(&users)
        )));
    }
    if table::delete(&engine.db, id.0).await.map_err(internal)? {
        tracing::info!(template = id.0, "deleted webhook template");
        Ok(())
    } else {
        Err(ApiError::not_found(format!(
            "There is no webhook template {id}."
        )))
    }
}

/// The saved Basic password, if it can be read. One that cannot (the secret key changed) counts as
/// missing, so the user is asked to type it again rather than shown an internal error.
fn stored_password(engine: &Engine, row: table::TemplateRow) -> Option<String> {
    match Template::from_row(row, &engine.secrets) {
        Ok(Template {
            auth: Auth::Basic { password, .. },
            ..
        }) if !password.is_empty() => Some(password),
        Ok(_) => None,
        Err(e) => {
            tracing::warn!(error = %e, "the saved password cannot be read; asking for it again");
            None
        }
    }
}

/// Validates the input and resolves it into a template (id and creation time still unset). A Basic
/// password left out is `kept_password`.
fn prepare(input: WebhookTemplateIn, kept_password: Option<String>) -> Result<Template, ApiError> {
    input.validate()?;
    let url = input.url.trim().to_owned();
    if let Err(e) = reqwest::Url::parse(&url) {
        return Err(ApiError::field(
            "url",
            format!("The URL is not valid: {e}."),
        ));
    }
    let auth = match input.auth {
        AuthIn::None => Auth::None,
        AuthIn::Basic { username, password } => match password.or(kept_password) {
            Some(password) => Auth::Basic { username, password },
            None => return Err(ApiError::field("auth.password", "Enter the password.")),
        },
    };
    let headers = input
        .headers
        .into_iter()
        .map(|mut h| {
            h.name = h.name.trim().to_owned();
            h
        })
        .collect();
    Ok(Template {
        id: TemplateId(0),
        name: input.name.trim().to_owned(),
        url,
        method: input.method,
        headers,
        auth,
        created_at: 0,
        updated_at: 0,
    })
}

async fn ensure_name_free(
    engine: &Engine,
    name: &str,
    except: Option<TemplateId>,
) -> Result<(), ApiError> {
    if table::name_taken(&engine.db, name, except.map(|id| id.0))
        .await
        .map_err(internal)?
    {
        return Err(name_taken());
    }
    Ok(())
}

/// Sends the test request; `Ok` only for a 2xx answer.
async fn send_test(engine: &Engine, template: &Template) -> Result<TestResultOut, ApiError> {
    let request = request::build(template, &test_payload::body());
    send_test_request(engine, request, " The template was not saved.").await
}

/// Sends a test request (template or campaign); `Ok` only for a 2xx answer. `consequence` ends the
/// message of a failure.
pub async fn send_test_request(
    engine: &Engine,
    request: OutboundRequest,
    consequence: &str,
) -> Result<TestResultOut, ApiError> {
    match engine.outbound.send(request).await {
        Ok(answer) if (200..300).contains(&answer.status) => Ok(TestResultOut {
            status: answer.status,
            latency_ms: u64::try_from(answer.latency.as_millis()).unwrap_or(u64::MAX),
            body_excerpt: answer.body_excerpt,
        }),
        Ok(answer) => Err(ApiError::Upstream {
            message: format!(
                "The destination answered the test request with {}.{consequence}",
                status_reason(answer.status).trim_start_matches("HTTP ")
            ),
            status: Some(answer.status),
            body_excerpt: answer.body_excerpt,
        }),
        Err(e @ (SendError::Refused { .. } | SendError::BadUrl(_))) => {
            Err(ApiError::field("url", format!("{e}.")))
        }
        Err(e) => Err(ApiError::Upstream {
            message: format!("The test request failed: {e}.{consequence}"),
            status: None,
            body_excerpt: String::new(),
        }),
    }
}

/// `"A", "B" and 3 more`.
fn quoted_list(names: &[String]) -> String {
    const SHOWN: usize = 3;
    let quoted: Vec<String> = names
        .iter()
        .take(SHOWN)
        .map(|n| format!("\u{201c}{n}\u{201d}"))
        .collect();
    match names.len().saturating_sub(SHOWN) {
        0 => quoted.join(", "),
        more => format!("{} and {more} more", quoted.join(", ")),
    }
}

fn name_taken() -> ApiError {
    ApiError::field("name", "Another webhook template has this name.")
}

fn name_clash_or_internal(error: sqlx::Error) -> ApiError {
    if store::is_unique_violation(&error) {
        name_taken()
    } else {
        internal(error)
    }
}

fn internal(error: impl std::fmt::Display) -> ApiError {
    tracing::error!(error = %error, "webhook templates: internal error");
    ApiError::internal()
}
