//! Client assertions (RFC 7523 §2.2): a JWT with the template's header and claims, signed with the
//! key set's private key. Every assertion is signed afresh: new `jti`, `iat` and `exp`.

use app::model::oauth::{JwtAlgorithm, OAuthSettings};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64URL;
use rsa::RsaPrivateKey;
use rsa::pkcs1v15::SigningKey as Pkcs1v15Key;
use rsa::signature::{RandomizedSigner, SignatureEncoding};
use serde_json::{Map, Value, json};
use sha2::{Sha256, Sha384, Sha512};

use super::keys::SigningKey;

pub const ASSERTION_TYPE: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

/// A signed assertion and what it says.
#[derive(Debug, Clone)]
pub struct Assertion {
    pub jwt: String,
    pub header: Value,
    pub claims: Value,
}

/// Signs an assertion for `settings` at `now` (Unix seconds).
pub fn sign(settings: &OAuthSettings, key: &SigningKey, now: i64) -> Assertion {
    let jwt = &settings.jwt;
    let mut header = Map::new();
    header.insert("alg".into(), jwt.header.alg.as_str().into());
    let text = |value: &str, default: &str| {
        let value = value.trim();
        if value.is_empty() { default } else { value }.to_owned()
    };
    for (name, value) in [("typ", &jwt.header.typ), ("cty", &jwt.header.cty)] {
        if !value.trim().is_empty() {
            header.insert(name.into(), value.trim().into());
        }
    }
    header.insert("kid".into(), text(&jwt.header.kid, &key.kid).into());
    if !jwt.header.crit.is_empty() {
        header.insert("crit".into(), json!(jwt.header.crit));
    }
    let client_id = settings.client_id.trim();
    let mut claims = Map::new();
    claims.insert("iss".into(), text(&jwt.claims.iss, client_id).into());
    claims.insert("sub".into(), text(&jwt.claims.sub, client_id).into());
    claims.insert(
        "aud".into(),
        text(&jwt.claims.aud, settings.access_token_url.trim()).into(),
    );
    claims.insert(
        "exp".into(),
        (now + i64::from(jwt.claims.lifetime_secs)).into(),
    );
    claims.insert(
        "jti".into(),
        format!(
            "{}{:032x}",
            jwt.claims.jti_prefix.trim(),
            rand::random::<u128>()
        )
        .into(),
    );
    if jwt.claims.use_iat {
        claims.insert("iat".into(), now.into());
    }
    let (header, claims) = (Value::Object(header), Value::Object(claims));
    let signing_input = format!(
        "{}.{}",
        B64URL.encode(header.to_string()),
        B64URL.encode(claims.to_string())
    );
    let signature = rsa_sign(jwt.header.alg, &key.private, signing_input.as_bytes());
    Assertion {
        jwt: format!("{signing_input}.{}", B64URL.encode(signature)),
        header,
        claims,
    }
}

/// RSASSA-PKCS1-v1_5 (RFC 7518 §3.3), with blinding: the private-key operation works on a randomly
/// blinded value, so its timing tells nothing about the key (the `rsa` crate's plain `sign` does
/// not blind; see RUSTSEC-2023-0071).
fn rsa_sign(alg: JwtAlgorithm, key: &RsaPrivateKey, message: &[u8]) -> Vec<u8> {
    let mut rng = rand::rngs::OsRng;
    match alg {
        JwtAlgorithm::RS256 => Pkcs1v15Key::<Sha256>::new(key.clone())
            .sign_with_rng(&mut rng, message)
            .to_vec(),
        JwtAlgorithm::RS384 => Pkcs1v15Key::<Sha384>::new(key.clone())
            .sign_with_rng(&mut rng, message)
            .to_vec(),
        JwtAlgorithm::RS512 => Pkcs1v15Key::<Sha512>::new(key.clone())
            .sign_with_rng(&mut rng, message)
            .to_vec(),
    }
}

#[cfg(test)]
mod tests {
    use rsa::pkcs1v15::{Signature, VerifyingKey};
    use rsa::signature::Verifier;

    use super::*;

    fn key() -> SigningKey {
        SigningKey {
            kid: "kid-1".into(),
            private: RsaPrivateKey::new(&mut rand::rngs::OsRng, 2048).unwrap(),
        }
    }

    fn settings() -> OAuthSettings {
        OAuthSettings {
            client_id: "hookline".into(),
            access_token_url: "https://auth.example/token".into(),
            ..Default::default()
        }
    }

    fn decode(part: &str) -> Value {
        serde_json::from_slice(&B64URL.decode(part).unwrap()).unwrap()
    }

    #[test]
    fn defaults_fill_iss_sub_aud_and_kid() {
        let key = key();
        let a = sign(&settings(), &key, 1_000);
        let parts: Vec<&str> = a.jwt.split('.').collect();
        assert_eq!(parts.len(), 3);
        assert_eq!(
            decode(parts[0]),
            json!({"alg":"RS256","typ":"JWT","kid":"kid-1"})
        );
        let claims = decode(parts[1]);
        assert_eq!(claims["iss"], "hookline");
        assert_eq!(claims["sub"], "hookline");
        assert_eq!(claims["aud"], "https://auth.example/token");
        assert_eq!(claims["exp"], 1_300);
        assert_eq!(claims["iat"], 1_000);
        assert_eq!(claims["jti"].as_str().unwrap().len(), 32);
        let signature = Signature::try_from(B64URL.decode(parts[2]).unwrap().as_slice()).unwrap();
        VerifyingKey::<Sha256>::new(key.private.to_public_key())
            .verify(format!("{}.{}", parts[0], parts[1]).as_bytes(), &signature)
            .unwrap();
    }

    #[test]
    fn every_field_is_used_and_jti_is_unique() {
        let key = key();
        let mut s = settings();
        s.jwt.header.alg = JwtAlgorithm::RS512;
        s.jwt.header.typ = String::new();
        s.jwt.header.kid = "12345".into();
        s.jwt.header.cty = "JWT".into();
        s.jwt.header.crit = vec!["exp".into(), "aud".into()];
        s.jwt.claims.iss = "issuer".into();
        s.jwt.claims.sub = "subject".into();
        s.jwt.claims.aud = "https://api.example".into();
        s.jwt.claims.lifetime_secs = 60;
        s.jwt.claims.jti_prefix = "hl-".into();
        s.jwt.claims.use_iat = false;
        let a = sign(&s, &key, 10);
        assert_eq!(
            a.header,
            json!({"alg":"RS512","kid":"12345","cty":"JWT","crit":["exp","aud"]})
        );
        assert_eq!(a.claims["iss"], "issuer");
        assert_eq!(a.claims["sub"], "subject");
        assert_eq!(a.claims["aud"], "https://api.example");
        assert_eq!(a.claims["exp"], 70);
        assert!(a.claims.get("iat").is_none());
        assert!(a.claims["jti"].as_str().unwrap().starts_with("hl-"));
        assert_ne!(sign(&s, &key, 10).claims["jti"], a.claims["jti"]);
        let parts: Vec<&str> = a.jwt.split('.').collect();
        let signature = Signature::try_from(B64URL.decode(parts[2]).unwrap().as_slice()).unwrap();
        VerifyingKey::<Sha512>::new(key.private.to_public_key())
            .verify(format!("{}.{}", parts[0], parts[1]).as_bytes(), &signature)
            .unwrap();
    }
}
