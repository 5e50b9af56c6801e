//! Step 3, sign: Standard Webhooks (standardwebhooks.com) signatures, so a receiver can check that a
//! request came from this Hookline and was not changed. Every request carries `webhook-id` (a
//! delivery's stays the same on every attempt), `webhook-timestamp` (unix seconds of this attempt) and
//! `webhook-signature`: `v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.{body}">` with the template's
//! secret, and, while a rotated-out secret is still honoured, a second signature with it (space
//! separated), so receivers can switch secrets without downtime.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::Sha256;

use crate::outbound::OutboundRequest;

/// How a secret is written: `whsec_` and the base64 of its key.
const PREFIX: &str = "whsec_";
/// Bytes of key in a new secret.
const KEY_BYTES: usize = 32;

pub const ID_HEADER: &str = "webhook-id";
const TIMESTAMP_HEADER: &str = "webhook-timestamp";
const SIGNATURE_HEADER: &str = "webhook-signature";

/// A template's signing secret, `whsec_<base64>`.
#[derive(Clone)]
pub struct SigningSecret {
    text: String,
    /// HMAC-SHA256 keyed with the secret's key, cloned for each signature (the key's two blocks are
    /// hashed once, not at every attempt).
    keyed: Hmac<Sha256>,
}

impl PartialEq for SigningSecret {
    fn eq(&self, other: &Self) -> bool {
        self.text == other.text
    }
}

impl Eq for SigningSecret {}

impl std::fmt::Debug for SigningSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SigningSecret(whsec_…)")
    }
}

impl SigningSecret {
    /// A new random secret.
    pub fn generate() -> Self {
        let mut key = [0u8; KEY_BYTES];
        rand::thread_rng().fill_bytes(&mut key);
        Self::with_key(format!("{PREFIX}{}", STANDARD.encode(key)), &key)
    }

    /// A secret as written (`whsec_<base64>`); `None` if it is not one.
    pub fn parse(text: &str) -> Option<Self> {
        let key = STANDARD.decode(text.strip_prefix(PREFIX)?).ok()?;
        (!key.is_empty()).then(|| Self::with_key(text.to_owned(), &key))
    }

    fn with_key(text: String, key: &[u8]) -> Self {
        Self {
            text,
            keyed: Hmac::new_from_slice(key).expect("HMAC takes any key length"),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Appends `v1,<base64 signature>` of `"{id}.{timestamp}.{body}"` to `signatures`.
    fn sign_into(&self, signatures: &mut String, [id, timestamp, body]: [&[u8]; 3]) {
        let mut mac = self.keyed.clone();
        mac.update(id);
        mac.update(b".");
        mac.update(timestamp);
        mac.update(b".");
        mac.update(body);
        signatures.push_str("v1,");
        STANDARD.encode_string(mac.finalize().into_bytes(), signatures);
    }
}

/// The secrets a template signs with: its current one, and the one it replaced while that is still
/// honoured (until unix ms).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SigningKeys {
    pub current: SigningSecret,
    pub previous: Option<(SigningSecret, i64)>,
}

impl SigningKeys {
    pub fn new(current: SigningSecret) -> Self {
        Self {
            current,
            previous: None,
        }
    }
}

/// Signs `request` at `now_ms` (its `webhook-id` kept; one is made if it has none).
pub fn sign(request: &mut OutboundRequest, keys: &SigningKeys, now_ms: i64) {
    request.headers.retain(|(name, _)| {
        !name.eq_ignore_ascii_case(TIMESTAMP_HEADER) && !name.eq_ignore_ascii_case(SIGNATURE_HEADER)
    });
    let id_at = match request
        .headers
        .iter()
        .position(|(name, _)| name.eq_ignore_ascii_case(ID_HEADER))
    {
        Some(at) => at,
        None => {
            request
                .headers
                .push((ID_HEADER.to_owned(), new_message_id()));
            request.headers.len() - 1
        }
    };
    let timestamp = now_ms.div_euclid(1000).to_string();
    let body = request.body.as_ref().map_or(&[][..], |(_, b)| b.as_slice());
    let content = [
        request.headers[id_at].1.as_bytes(),
        timestamp.as_bytes(),
        body,
    ];
    // "v1," and 44 characters of base64 per signature, a space between two.
    let mut signatures = String::with_capacity(95);
    keys.current.sign_into(&mut signatures, content);
    if let Some((previous, until)) = &keys.previous
        && *until > now_ms
    {
        signatures.push(' ');
        previous.sign_into(&mut signatures, content);
    }
    request
        .headers
        .push((TIMESTAMP_HEADER.to_owned(), timestamp));
    request
        .headers
        .push((SIGNATURE_HEADER.to_owned(), signatures));
}

/// A `webhook-id` for a request that is not a delivery (a test request): `msg_` and 16 random bytes.
fn new_message_id() -> String {
    let mut random = [0u8; 16];
    rand::thread_rng().fill_bytes(&mut random);
    let hex: String = random.iter().map(|b| format!("{b:02x}")).collect();
    format!("msg_{hex}")
}

#[cfg(test)]
mod tests {
    use reqwest::Method;

    use super::*;

    fn header<'a>(request: &'a OutboundRequest, name: &str) -> Option<&'a str> {
        request
            .headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    fn request(body: &[u8]) -> OutboundRequest {
        OutboundRequest {
            method: Method::POST,
            url: "https://example.com/hook".into(),
            headers: vec![(ID_HEADER.into(), "msg_p5jXN8AQM9LWM0D4loKWxJek".into())],
            body: Some(("application/json", body.to_vec())),
        }
    }

    #[test]
    fn signs_as_the_standard_webhooks_example_does() {
        // The example of the Standard Webhooks specification.
        let secret = SigningSecret::parse("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").unwrap();
        let mut signed = request(br#"{"test": 2432232314}"#);
        sign(&mut signed, &SigningKeys::new(secret), 1_614_265_330_000);
        assert_eq!(header(&signed, "webhook-timestamp"), Some("1614265330"));
        assert_eq!(
            header(&signed, "webhook-signature"),
            Some("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")
        );
    }

    #[test]
    fn a_rotated_out_secret_signs_too_until_its_time() {
        let keys = SigningKeys {
            current: SigningSecret::generate(),
            previous: Some((SigningSecret::generate(), 2_000)),
        };
        let mut signed = request(b"{}");
        sign(&mut signed, &keys, 1_000);
        assert_eq!(
            header(&signed, "webhook-signature")
                .unwrap()
                .split(' ')
                .count(),
            2
        );
        // Signing again (a retry) replaces the headers instead of adding to them.
        sign(&mut signed, &keys, 2_000);
        let signatures: Vec<&str> = signed
            .headers
            .iter()
            .filter(|(n, _)| n == "webhook-signature")
            .map(|(_, v)| v.as_str())
            .collect();
        assert_eq!(signatures.len(), 1);
        assert_eq!(signatures[0].split(' ').count(), 1, "expired at 2,000 ms");
    }

    #[test]
    fn a_request_without_an_id_gets_one_and_secrets_are_checked() {
        let mut signed = request(b"");
        signed.headers.clear();
        sign(&mut signed, &SigningKeys::new(SigningSecret::generate()), 0);
        assert!(header(&signed, "webhook-id").unwrap().starts_with("msg_"));
        assert!(SigningSecret::parse("whsec_").is_none());
        assert!(SigningSecret::parse("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").is_none());
        let made = SigningSecret::generate();
        assert_eq!(SigningSecret::parse(made.as_str()), Some(made.clone()));
        assert!(!format!("{made:?}").contains(&made.as_str()[6..]));
    }
}
