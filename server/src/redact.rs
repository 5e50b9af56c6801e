//! Hiding credentials in text that other people read: the response excerpts of test requests and
//! deliveries, token endpoint errors. A destination may echo what it received (the Authorization
//! header, the posted client secret) or hand out tokens; none of it may reach the browser or the
//! delivery log.
//!
//! Three passes over the text, which may be JSON, a form, HTML, or JSON cut short by the excerpt limit:
//! the secrets the caller knows (and their Basic and bearer forms) wherever they appear; the value of
//! any key or parameter whose name says token, secret, password, assertion or key; and anything that
//! looks like a JWT or follows `Bearer ` / `Basic `.

use std::sync::LazyLock;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use regex::{Captures, Regex};

/// Shown instead of a credential that is too short to show in part.
pub const HIDDEN: &str = "••••••••";

/// A `key: value`, `"key":"value"` or `key=value` whose key names a credential.
static SECRET_FIELD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"(?i)(["']?[a-z0-9_.-]*(?:token|secret|passw(?:or)?d|assertion|api[_-]?key|authorization|credential)[a-z0-9_.-]*["']?\s*[:=]\s*)(?:"([^"]*)|'([^']*)|([^"'&,;\s<>{}\[\]]+))"#,
    )
    .expect("a valid pattern")
});

/// `Bearer <token>`, `Basic <credentials>`.
static AUTH_SCHEME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(bearer|basic)(\s+)([A-Za-z0-9._~+/=-]{8,})").expect("a valid pattern")
});

/// A JSON Web Token (or any JWS/JWE compact serialisation): base64url `{"` header, dot-separated.
static JWT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"eyJ[A-Za-z0-9_-]{6,}\.[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]*)*")
        .expect("a valid pattern")
});

/// `text` with `secrets` (and their encoded forms) and credential-looking values hidden.
pub fn redact(text: &str, secrets: &[&str]) -> String {
    let mut out = text.to_owned();
    for secret in secrets.iter().filter(|s| s.len() >= 4) {
        for form in encoded_forms(secret) {
            if out.contains(&form) {
                out = out.replace(&form, HIDDEN);
            }
        }
    }
    let out = SECRET_FIELD.replace_all(&out, |c: &Captures<'_>| {
        let key = c[1].to_ascii_lowercase();
        let (quote, value) = match (c.get(2), c.get(3), c.get(4)) {
            (Some(v), _, _) => ("\"", v.as_str()),
            (_, Some(v), _) => ("'", v.as_str()),
            (_, _, Some(v)) => ("", v.as_str()),
            _ => return c[0].to_owned(),
        };
        // `token_type: Bearer` says which kind of token, not which token; an Authorization value's
        // scheme stays too (its credentials are masked by the next pass).
        let scheme = value.eq_ignore_ascii_case("bearer") || value.eq_ignore_ascii_case("basic");
        if key.contains("token_type") || key.contains("expires") || scheme || value.is_empty() {
            return c[0].to_owned();
        }
        format!("{}{quote}{}", &c[1], mask(value))
    });
    let out = AUTH_SCHEME.replace_all(&out, |c: &Captures<'_>| {
        format!("{}{}{}", &c[1], &c[2], mask(&c[3]))
    });
    JWT.replace_all(&out, |c: &Captures<'_>| mask(&c[0]))
        .into_owned()
}

/// Whether a header or field name says it holds a credential (`Authorization`, `X-Api-Key`,
/// `client_secret`...).
pub fn names_secret(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    [
        "token",
        "secret",
        "passw",
        "assertion",
        "key",
        "authorization",
        "credential",
        "signature",
    ]
    .iter()
    .any(|word| name.contains(word))
        && !name.contains("token_type")
}

/// A secret as an echo may carry it: as is, base64 (Basic), JSON-escaped, percent-encoded.
fn encoded_forms(secret: &str) -> Vec<String> {
    let json = serde_json::to_string(secret).unwrap_or_default();
    let json = json.trim_matches('"').to_owned();
    let form: String = url::form_urlencoded::byte_serialize(secret.as_bytes()).collect();
    let mut forms = vec![secret.to_owned(), B64.encode(secret), json, form];
    forms.sort();
    forms.dedup();
    // Longest first, so a form containing another is replaced whole.
    forms.sort_by_key(|f| std::cmp::Reverse(f.len()));
    forms
}

/// The longest start of `text` of at most `max` bytes that ends on a character boundary.
pub fn truncate(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// `text` with the given credentials hidden: `basic` is a `(username, password)` pair.
pub fn redact_with_basic(text: &str, secrets: &[&str], basic: Option<(&str, &str)>) -> String {
    let pair = basic.map(|(user, password)| format!("{user}:{password}"));
    let mut all: Vec<&str> = secrets.to_vec();
    if let Some(pair) = &pair {
        all.push(pair);
    }
    redact(text, &all)
}

/// `eyJh…k2x9`: enough to tell long tokens apart, not enough to use one; shorter values (passwords,
/// keys) are hidden whole.
pub fn mask(token: &str) -> String {
    let chars: Vec<char> = token.chars().collect();
    if chars.len() < 24 || token.contains(HIDDEN) {
        return HIDDEN.to_owned();
    }
    let head: String = chars[..4].iter().collect();
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!("{head}…{tail}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_secrets_and_their_basic_form_are_hidden() {
        let basic = B64.encode("ops:hunter2!");
        let echoed = format!("got Authorization: Basic {basic} and pw hunter2! back");
        let shown = redact_with_basic(&echoed, &["hunter2!"], Some(("ops", "hunter2!")));
        assert!(!shown.contains("hunter2!"), "{shown}");
        assert!(!shown.contains(&basic), "{shown}");
        assert!(shown.starts_with("got Authorization: Basic "), "{shown}");
    }

    #[test]
    fn credential_fields_are_masked_in_json_forms_and_cut_json() {
        let json = r#"{"access_token":"abcdefghijklmnopqrstuvwxyz","token_type":"Bearer","expires_in":3600,"refresh_token":"short"}"#;
        let shown = redact(json, &[]);
        assert_eq!(
            shown,
            r#"{"access_token":"abcd…wxyz","token_type":"Bearer","expires_in":3600,"refresh_token":"••••••••"}"#
        );
        let form =
            "client_id=hookline&client_secret=s3cr3t-value-123&grant_type=client_credentials";
        assert_eq!(
            redact(form, &[]),
            "client_id=hookline&client_secret=••••••••&grant_type=client_credentials"
        );
        let cut = r#"{"data":{"password": "correct horse battery staple", "na"#;
        assert!(
            !redact(cut, &[]).contains("correct"),
            "{}",
            redact(cut, &[])
        );
        assert_eq!(redact("X-Api-Key: k-12345678", &[]), "X-Api-Key: ••••••••");
    }

    #[test]
    fn secrets_echoed_escaped_or_encoded_are_hidden_too() {
        let secret = "p@ss/w\"rd 1";
        let echoed = r#"{"got":"p@ss/w\"rd 1"} and form p%40ss%2Fw%22rd+1"#;
        let shown = redact(echoed, &[secret]);
        assert!(
            !shown.contains("rd 1") && !shown.contains("rd+1"),
            "{shown}"
        );
        assert_eq!(truncate("héllo", 2), "h");
        assert_eq!(truncate("héllo", 3), "hé");
        assert_eq!(truncate("hi", 9), "hi");
        // Nested credentials: the object stays readable, its secret fields are masked.
        let nested = redact(r#"{"credentials":{"password":"hunter2-hunter2"}}"#, &[]);
        assert_eq!(nested, r#"{"credentials":{"password":"••••••••"}}"#);
    }

    #[test]
    fn bearer_tokens_and_jwts_are_masked_anywhere() {
        let jwt = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJlLXZhbHVl";
        let shown = redact(&format!("<p>your token {jwt} expired</p>"), &[]);
        assert_eq!(shown, "<p>your token eyJh…bHVl expired</p>");
        let shown = redact("Authorization: Bearer abcdefghijklmnop1234", &[]);
        assert_eq!(shown, "Authorization: Bearer ••••••••");
        let shown = redact("Authorization: Bearer abcdefghijklmnopqrstuvwxyz", &[]);
        assert_eq!(shown, "Authorization: Bearer abcd…wxyz");
        assert_eq!(redact("plain ok", &[]), "plain ok");
        assert_eq!(redact("", &["secret"]), "");
    }
}
