//! Templates' Standard Webhooks secrets (the signing itself is `outgoing::signing`): shown to a person
//! who asks, rotated with a day's overlap, and made for templates saved before signing existed.

use app::model::TemplateId;
use app::model::webhook::SigningSecretOut;

use super::stored::Template;
use crate::Engine;
use crate::error::{EngineError, EngineResult};
use crate::outgoing::signing::{SigningKeys, SigningSecret};
use crate::secrets::SecretBox;
use crate::store::Db;
use crate::store::templates::{self as table, SigningWrite};

/// How long a rotated-out secret still signs, so receivers can switch without downtime.
pub const ROTATION_OVERLAP_MS: i64 = 24 * 3_600_000;

/// Template `id`'s current secret.
pub async fn secret(engine: &Engine, id: TemplateId) -> EngineResult<SigningSecretOut> {
    let template = load(engine, id).await?;
    Ok(SigningSecretOut {
        secret: template.signing.current.as_str().to_owned(),
    })
}

/// Gives template `id` a new secret; the old one goes on signing (a second signature) for
/// `ROTATION_OVERLAP_MS`.
pub async fn rotate(engine: &Engine, id: TemplateId) -> EngineResult<SigningSecretOut> {
    let template = load(engine, id).await?;
    let keys = SigningKeys {
        current: SigningSecret::generate(),
        previous: Some((
            template.signing.current,
            engine.clock.now_ms() + ROTATION_OVERLAP_MS,
        )),
    };
    if !table::set_signing(&engine.db, id.0, &sealed(&engine.secrets, &keys)).await? {
        return Err(EngineError::not_found(format!(
            "There is no webhook template {id}."
        )));
    }
    tracing::info!(template = id.0, "rotated the signing secret");
    Ok(SigningSecretOut {
        secret: keys.current.as_str().to_owned(),
    })
}

/// Gives every template without a signing secret a new one; returns how many there were.
pub async fn fill_missing(db: &Db, secrets: &SecretBox) -> sqlx::Result<usize> {
    let missing = table::without_signing_secret(db).await?;
    for id in &missing {
        let keys = SigningKeys::new(SigningSecret::generate());
        table::set_signing(db, *id, &sealed(secrets, &keys)).await?;
    }
    if !missing.is_empty() {
        tracing::info!(
            templates = missing.len(),
            "made signing secrets for templates saved before signing"
        );
    }
    Ok(missing.len())
}

fn sealed(secrets: &SecretBox, keys: &SigningKeys) -> SigningWrite {
    let seal = |s: &SigningSecret| secrets.seal(s.as_str().as_bytes());
    SigningWrite {
        secret: seal(&keys.current),
        previous: keys.previous.as_ref().map(|(s, until)| (seal(s), *until)),
    }
}

async fn load(engine: &Engine, id: TemplateId) -> EngineResult<Template> {
    let row = table::get(&engine.db, id.0)
        .await?
        .ok_or_else(|| EngineError::not_found(format!("There is no webhook template {id}.")))?;
    Template::from_row(row, &engine.secrets).map_err(|e| EngineError::internal(e.to_string()))
}
