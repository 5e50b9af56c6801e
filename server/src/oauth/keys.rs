//! RSA key pairs for client assertions: generation, the public key as PEM and JWK, the private key
//! sealed at rest. A key's id is its RFC 7638 JWK thumbprint.

use app::model::oauth::{KEY_SIZES, PublicKeyOut};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64URL;
use rsa::pkcs8::{DecodePrivateKey, EncodePrivateKey, EncodePublicKey, LineEnding};
use rsa::traits::PublicKeyParts;
use rsa::{RsaPrivateKey, RsaPublicKey};
use sha2::{Digest, Sha256};

use super::OAuthContext;
use crate::error::{EngineError, EngineResult};
use crate::secrets::SecretBox;
use crate::store::{Db, signing_keys};

/// Key sets generated in a form that was never saved are deleted after a day.
const UNUSED_KEY_SET_TTL_MS: i64 = 24 * 3_600 * 1_000;

/// A key set's current key with its private half opened.
pub struct SigningKey {
    pub kid: String,
    pub private: RsaPrivateKey,
}

/// Generates a key pair for `key_set` (a new key set when `None`), replacing its current key.
pub async fn generate(
    cx: &OAuthContext<'_>,
    key_set: Option<String>,
    bits: u32,
) -> EngineResult<PublicKeyOut> {
    if !KEY_SIZES.contains(&bits) {
        return Err(EngineError::field(
            "bits",
            "Choose a key size of 2048, 3072 or 4096 bits.",
        ));
    }
    let key_set = match key_set {
        Some(id) => {
            if signing_keys::get(cx.db, &id).await?.is_none() {
                return Err(EngineError::not_found(format!("There is no key set {id}.")));
            }
            id
        }
        None => new_key_set_id(),
    };
    let private = tokio::task::spawn_blocking(move || {
        RsaPrivateKey::new(&mut rand::rngs::OsRng, bits as usize)
    })
    .await
    .map_err(EngineError::internal)?
    .map_err(EngineError::internal)?;
    let row = to_row(&key_set, &private, bits, cx.secrets, cx.clock.now_ms())
        .map_err(EngineError::Internal)?;
    signing_keys::put(cx.db, &row).await?;
    let removed =
        signing_keys::delete_unused(cx.db, row.created_at - UNUSED_KEY_SET_TTL_MS).await?;
    tracing::info!(
        key_set,
        kid = row.kid,
        bits,
        removed_unused = removed,
        "generated a signing key"
    );
    Ok(public_out(&row))
}

/// The public key of `key_set`, if it exists.
pub async fn public(db: &Db, key_set: &str) -> sqlx::Result<Option<PublicKeyOut>> {
    Ok(signing_keys::get(db, key_set)
        .await?
        .map(|row| public_out(&row)))
}

/// The JWKS document of `key_set`: its current key only, so a replaced key verifies nothing.
pub async fn jwks(db: &Db, key_set: &str) -> sqlx::Result<Option<serde_json::Value>> {
    Ok(signing_keys::get(db, key_set).await?.map(|row| {
        serde_json::json!({ "keys": [{
            "kty": "RSA", "use": "sig", "kid": row.kid, "n": row.jwk_n, "e": row.jwk_e,
        }] })
    }))
}

/// The current key of `key_set`, private half opened; `Err` says why it cannot be used.
pub async fn signing_key(
    db: &Db,
    secrets: &SecretBox,
    key_set: &str,
) -> Result<SigningKey, String> {
    let row = signing_keys::get(db, key_set)
        .await
        .map_err(|e| format!("database error: {e}"))?
        .ok_or("the template's key pair is missing; generate a public key")?;
    let der = secrets
        .open(&row.private_key)
        .map_err(|e| format!("the template's private key cannot be read: {e}"))?;
    let private = RsaPrivateKey::from_pkcs8_der(&der)
        .map_err(|e| format!("the template's private key is damaged: {e}"))?;
    Ok(SigningKey {
        kid: row.kid,
        private,
    })
}

fn to_row(
    key_set: &str,
    private: &RsaPrivateKey,
    bits: u32,
    secrets: &SecretBox,
    now: i64,
) -> Result<signing_keys::KeyRow, String> {
    let public = private.to_public_key();
    let (n, e) = jwk_components(&public);
    let der = private.to_pkcs8_der().map_err(|e| e.to_string())?;
    Ok(signing_keys::KeyRow {
        key_set: key_set.to_owned(),
        kid: thumbprint(&n, &e),
        bits: i64::from(bits),
        public_pem: public
            .to_public_key_pem(LineEnding::LF)
            .map_err(|e| e.to_string())?,
        jwk_n: n,
        jwk_e: e,
        private_key: secrets.seal(der.as_bytes()),
        created_at: now,
    })
}

fn public_out(row: &signing_keys::KeyRow) -> PublicKeyOut {
    PublicKeyOut {
        key_set: row.key_set.clone(),
        kid: row.kid.clone(),
        bits: u32::try_from(row.bits).unwrap_or(0),
        pem: row.public_pem.clone(),
        jwks_path: format!("/oauth/jwks/{}", row.key_set),
        created_at: row.created_at,
    }
}

fn jwk_components(public: &RsaPublicKey) -> (String, String) {
    (
        B64URL.encode(public.n().to_bytes_be()),
        B64URL.encode(public.e().to_bytes_be()),
    )
}

/// RFC 7638: SHA-256 over the required members in lexicographic order, without whitespace.
fn thumbprint(n: &str, e: &str) -> String {
    let canonical = format!(r#"{{"e":"{e}","kty":"RSA","n":"{n}"}}"#);
    B64URL.encode(Sha256::digest(canonical.as_bytes()))
}

/// 128 random bits: the key set's id is public (in the JWKS URL) but not guessable.
fn new_key_set_id() -> String {
    format!("ks_{:032x}", rand::random::<u128>())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thumbprint_matches_rfc_7638_example() {
        // RFC 7638 §3.1.
        let n = "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw";
        assert_eq!(
            thumbprint(n, "AQAB"),
            "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs"
        );
    }

    #[test]
    fn key_set_ids_are_random() {
        let a = new_key_set_id();
        assert!(a.starts_with("ks_") && a.len() == 35);
        assert_ne!(a, new_key_set_id());
    }
}
