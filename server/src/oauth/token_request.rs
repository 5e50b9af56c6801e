//! One request to the token endpoint (RFC 6749 §4.3, §4.4, §6; RFC 7523 §2.2) and what its answer
//! means: a token with its lifetime, or a failure worded so that people can act on it.

use app::model::oauth::{ClientAuthentication, GrantType, TokenExpiry, TokenMapping};
use reqwest::Method;
use serde_json::Value;
use url::form_urlencoded;

use super::OAuth;
use crate::outbound::basic::basic_authorization;
use crate::outbound::{Answer, OutboundRequest, SendError, status_reason};
use crate::redact::redact;

/// Token responses are read whole up to this size (tokens can be long JWTs).
pub const MAX_TOKEN_RESPONSE: usize = 64 * 1024;

/// Which grant a token request uses.
#[derive(Debug, Clone, Copy)]
pub enum Grant<'a> {
    /// The template's grant type; `assertion` is the signed JWT for Client Credentials with JWT.
    Configured { assertion: Option<&'a str> },
    /// `refresh_token` (password grant), at the Refresh Token URL.
    Refresh { refresh_token: &'a str },
}

/// An access token as the mapping read it.
#[derive(Clone, PartialEq, Eq)]
pub struct Token {
    pub access: String,
    pub refresh: Option<String>,
    /// Seconds from issue until the token expires.
    pub lifetime_secs: u64,
}

impl std::fmt::Debug for Token {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Token {{ lifetime_secs: {}, .. }}", self.lifetime_secs)
    }
}

/// Why no token was had.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct TokenFailure {
    pub message: String,
    /// Whether asking again later may succeed (network trouble, 5xx, 408, 429).
    pub retryable: bool,
    pub status: Option<u16>,
    pub body_excerpt: String,
    /// The request never left because the URL is refused or malformed: a settings error.
    pub bad_url: bool,
}

impl TokenFailure {
    /// The failure with `secrets` (and anything credential-like) hidden in what it shows.
    pub fn redacted(mut self, secrets: &[&str]) -> Self {
        self.message = redact(&self.message, secrets);
        self.body_excerpt = redact(&self.body_excerpt, secrets);
        self
    }

    /// A failure that asking again will not mend.
    pub fn new(message: String) -> Self {
        Self {
            message,
            retryable: false,
            status: None,
            body_excerpt: String::new(),
            bad_url: false,
        }
    }
}

/// The token request for `grant`.
pub fn build(oauth: &OAuth, grant: Grant<'_>) -> OutboundRequest {
    let s = &oauth.settings;
    let mut form = form_urlencoded::Serializer::new(String::new());
    let mut headers = vec![("Accept".to_owned(), "application/json".to_owned())];
    let url = match grant {
        Grant::Refresh { refresh_token } => {
            form.append_pair("grant_type", "refresh_token");
            form.append_pair("refresh_token", refresh_token);
            match s.refresh_token_url.trim() {
                "" => s.access_token_url.trim(),
                url => url,
            }
        }
        Grant::Configured { assertion } => {
            match s.grant {
                GrantType::Password => {
                    form.append_pair("grant_type", "password");
                    form.append_pair("username", s.username.trim());
                    form.append_pair("password", &oauth.password);
                }
                GrantType::ClientCredentials | GrantType::ClientCredentialsJwt => {
                    form.append_pair("grant_type", "client_credentials");
                }
            }
            if let Some(assertion) = assertion {
                form.append_pair("client_assertion_type", super::assertion::ASSERTION_TYPE);
                form.append_pair("client_assertion", assertion);
            }
            s.access_token_url.trim()
        }
    };
    if !s.scopes.trim().is_empty() {
        form.append_pair("scope", s.scopes.trim());
    }
    let client_id = s.client_id.trim();
    if !s.grant.uses_secret() {
        form.append_pair("client_id", client_id);
    } else {
        match s.client_auth {
            // RFC 6749 §2.3.1: id and secret are form-encoded before Basic encoding.
            ClientAuthentication::BasicHeader => headers.push((
                "Authorization".to_owned(),
                basic_authorization(&form_encode(client_id), &form_encode(&oauth.client_secret)),
            )),
            ClientAuthentication::RequestBody => {
                form.append_pair("client_id", client_id);
                form.append_pair("client_secret", &oauth.client_secret);
            }
        }
    }
    OutboundRequest {
        method: Method::POST,
        url: url.to_owned(),
        headers,
        body: Some((
            "application/x-www-form-urlencoded",
            form.finish().into_bytes(),
        )),
    }
}

fn form_encode(value: &str) -> String {
    form_urlencoded::byte_serialize(value.as_bytes()).collect()
}

/// A failure of the request itself (no answer).
pub fn send_failure(error: SendError) -> TokenFailure {
    let bad_url = matches!(error, SendError::Refused { .. } | SendError::BadUrl(_));
    TokenFailure {
        retryable: !bad_url,
        bad_url,
        ..TokenFailure::new(format!("The token request failed: {error}."))
    }
}

/// Reads the answer: the token, or why there is none. `Value` is the parsed body, when it is JSON.
pub fn read(
    answer: &Answer,
    mapping: &TokenMapping,
) -> (Result<Token, TokenFailure>, Option<Value>) {
    let body: Option<Value> = serde_json::from_str(&answer.body_excerpt).ok();
    // Shown to people: a token or secret in it (a wrong mapping, an echoing server) is masked.
    let excerpt: String = redact(
        &answer.body_excerpt.chars().take(1024).collect::<String>(),
        &[],
    );
    let failure = |message: String, retryable: bool| TokenFailure {
        retryable,
        status: Some(answer.status),
        body_excerpt: excerpt.clone(),
        ..TokenFailure::new(message)
    };
    if !(200..300).contains(&answer.status) {
        let retryable = matches!(answer.status, 408 | 429 | 500..=599);
        let mut message = format!(
            "The token endpoint answered {}",
            status_reason(answer.status)
        );
        if let Some(error) = body
            .as_ref()
            .and_then(|b| b.get("error"))
            .and_then(Value::as_str)
        {
            message.push_str(&format!(": {error}"));
            if let Some(description) = body
                .as_ref()
                .and_then(|b| b.get("error_description"))
                .and_then(Value::as_str)
            {
                message.push_str(&format!(" \u{2014} {description}"));
            }
        }
        message.push('.');
        return (Err(failure(message, retryable)), body);
    }
    let Some(json) = body.as_ref().filter(|b| b.is_object()) else {
        return (
            Err(failure(
                "The token endpoint's answer is not a JSON object.".to_owned(),
                false,
            )),
            body,
        );
    };
    (token_of(json, mapping).map_err(|m| failure(m, false)), body)
}

fn token_of(body: &Value, mapping: &TokenMapping) -> Result<Token, String> {
    let available = || field_paths(body).join(", ");
    let access = match lookup(body, &mapping.access_token) {
        Some(Value::String(token)) if !token.is_empty() => token.clone(),
        _ => {
            return Err(format!(
                "The token response has no \u{201c}{}\u{201d} field with a token (it has: {}). Map the field that holds the access token.",
                mapping.access_token.trim(),
                available()
            ));
        }
    };
    let refresh = match lookup(body, &mapping.refresh_token) {
        Some(Value::String(token)) if !token.is_empty() => Some(token.clone()),
        _ => None,
    };
    let lifetime_secs = match mapping.expiry {
        TokenExpiry::Fixed { value, unit } => u64::from(value) * unit.secs(),
        TokenExpiry::FromResponse => {
            let field = mapping.expires_in.trim();
            match lookup(body, field).and_then(seconds) {
                Some(secs) => secs,
                None => {
                    return Err(format!(
                        "The token response has no \u{201c}{field}\u{201d} field with a number of seconds (it has: {}). Map the field that holds the expiry, or choose a fixed expiry.",
                        available()
                    ));
                }
            }
        }
    };
    Ok(Token {
        access,
        refresh,
        lifetime_secs,
    })
}

fn seconds(value: &Value) -> Option<u64> {
    match value {
        Value::Number(n) => n
            .as_u64()
            .or_else(|| n.as_f64().filter(|f| *f >= 0.0).map(|f| f as u64)),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// The value at a dotted path (`data.access_token`).
pub fn lookup<'a>(body: &'a Value, path: &str) -> Option<&'a Value> {
    let path = path.trim();
    if path.is_empty() {
        return None;
    }
    path.split('.').try_fold(body, |value, key| value.get(key))
}

/// The dotted paths of every field of an object, nested objects included.
pub fn field_paths(body: &Value) -> Vec<String> {
    fn walk(value: &Value, prefix: &str, out: &mut Vec<String>) {
        if let Value::Object(map) = value {
            for (key, inner) in map {
                let path = if prefix.is_empty() {
                    key.clone()
                } else {
                    format!("{prefix}.{key}")
                };
                out.push(path.clone());
                walk(inner, &path, out);
            }
        }
    }
    let mut out = Vec::new();
    walk(body, "", &mut out);
    out
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use app::model::oauth::{ExpiryUnit, OAuthSettings};

    use super::*;

    fn oauth(grant: GrantType, client_auth: ClientAuthentication) -> OAuth {
        OAuth {
            settings: OAuthSettings {
                grant,
                client_id: "hook line".into(),
                username: "ops".into(),
                scopes: "read write".into(),
                access_token_url: "https://auth.example/token".into(),
                refresh_token_url: "https://auth.example/refresh".into(),
                client_auth,
                ..Default::default()
            },
            client_secret: "s&cret".into(),
            password: "pw".into(),
        }
    }

    fn form(request: &OutboundRequest) -> Vec<(String, String)> {
        let body = &request.body.as_ref().unwrap().1;
        form_urlencoded::parse(body).into_owned().collect()
    }

    fn answer(status: u16, body: &str) -> Answer {
        Answer {
            status,
            latency: Duration::from_millis(3),
            body_read: true,
            body_excerpt: body.into(),
            retry_after: None,
        }
    }

    #[test]
    fn password_grant_with_basic_client_authentication() {
        let o = oauth(GrantType::Password, ClientAuthentication::BasicHeader);
        let r = build(&o, Grant::Configured { assertion: None });
        assert_eq!(r.url, "https://auth.example/token");
        assert_eq!(
            form(&r),
            [
                ("grant_type".into(), "password".into()),
                ("username".into(), "ops".into()),
                ("password".into(), "pw".into()),
                ("scope".into(), "read write".into()),
            ]
        );
        assert!(r.headers.contains(&(
            "Authorization".into(),
            basic_authorization("hook+line", "s%26cret")
        )));
    }

    #[test]
    fn refresh_goes_to_the_refresh_url_with_credentials_in_the_body() {
        let o = oauth(GrantType::Password, ClientAuthentication::RequestBody);
        let r = build(
            &o,
            Grant::Refresh {
                refresh_token: "rt",
            },
        );
        assert_eq!(r.url, "https://auth.example/refresh");
        let f = form(&r);
        assert!(f.contains(&("grant_type".into(), "refresh_token".into())));
        assert!(f.contains(&("refresh_token".into(), "rt".into())));
        assert!(f.contains(&("client_secret".into(), "s&cret".into())));
        assert!(!r.headers.iter().any(|(n, _)| n == "Authorization"));
    }

    #[test]
    fn jwt_grant_sends_the_assertion_and_no_secret() {
        let o = oauth(
            GrantType::ClientCredentialsJwt,
            ClientAuthentication::BasicHeader,
        );
        let r = build(
            &o,
            Grant::Configured {
                assertion: Some("a.b.c"),
            },
        );
        let f = form(&r);
        assert!(f.contains(&("grant_type".into(), "client_credentials".into())));
        assert!(f.contains(&("client_assertion".into(), "a.b.c".into())));
        assert!(f.contains(&(
            "client_assertion_type".into(),
            super::super::assertion::ASSERTION_TYPE.into()
        )));
        assert!(f.contains(&("client_id".into(), "hook line".into())));
        assert!(!f.iter().any(|(k, _)| k == "client_secret"));
        assert!(!r.headers.iter().any(|(n, _)| n == "Authorization"));
    }

    #[test]
    fn reads_tokens_through_the_mapping() {
        let mut mapping = TokenMapping::default();
        let (token, _) = read(
            &answer(
                200,
                r#"{"access_token":"at","refresh_token":"rt","expires_in":"60"}"#,
            ),
            &mapping,
        );
        let token = token.unwrap();
        assert_eq!(
            (
                token.access.as_str(),
                token.refresh.as_deref(),
                token.lifetime_secs
            ),
            ("at", Some("rt"), 60)
        );
        mapping.access_token = "data.token".into();
        mapping.expiry = TokenExpiry::Fixed {
            value: 2,
            unit: ExpiryUnit::Hours,
        };
        let (token, _) = read(&answer(200, r#"{"data":{"token":"x"}}"#), &mapping);
        assert_eq!(token.unwrap().lifetime_secs, 7_200);
    }

    #[test]
    fn failures_say_what_to_do() {
        let mapping = TokenMapping::default();
        let (e, _) = read(
            &answer(
                401,
                r#"{"error":"invalid_client","error_description":"Unknown client"}"#,
            ),
            &mapping,
        );
        let e = e.unwrap_err();
        assert_eq!(
            e.message,
            "The token endpoint answered HTTP 401 Unauthorized: invalid_client \u{2014} Unknown client."
        );
        assert!(!e.retryable);
        assert!(
            read(&answer(503, "busy"), &mapping)
                .0
                .unwrap_err()
                .retryable
        );
        let e = read(&answer(200, r#"{"token":"x","expires_in":5}"#), &mapping)
            .0
            .unwrap_err();
        assert!(
            e.message.contains("\u{201c}access_token\u{201d}")
                && e.message.contains("it has: expires_in, token"),
            "{}",
            e.message
        );
        let e = read(&answer(200, r#"{"access_token":"x"}"#), &mapping)
            .0
            .unwrap_err();
        assert!(e.message.contains("fixed expiry"), "{}", e.message);
        assert!(
            read(&answer(200, "<html>"), &mapping)
                .0
                .unwrap_err()
                .message
                .contains("not a JSON")
        );
    }
}
