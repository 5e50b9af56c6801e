//! Rules for a webhook template's fields, with a message per field. The same rules run in the browser
//! (instant feedback) and on the server (the authority). The server also parses the URL fully and checks
//! where it resolves to before sending anything.

use super::FieldErrors;
use super::webhook::{AuthIn, DeliveryLimits, Header, WebhookTemplateIn};

pub const MAX_NAME_LEN: usize = 100;
pub const MAX_URL_LEN: usize = 2048;
pub const MAX_HEADERS: usize = 50;
pub const MAX_HEADER_NAME_LEN: usize = 256;
pub const MAX_HEADER_VALUE_LEN: usize = 8192;

/// Headers Hookline sets itself: framing and connection headers, the body's type, the signature headers.
const RESERVED_HEADERS: [&str; 12] = [
    "host",
    "content-length",
    "transfer-encoding",
    "connection",
    "keep-alive",
    "upgrade",
    "te",
    "trailer",
    "content-type",
    "webhook-id",
    "webhook-timestamp",
    "webhook-signature",
];

impl WebhookTemplateIn {
    pub fn validate(&self) -> Result<(), FieldErrors> {
        let mut errors = FieldErrors::default();
        check_name(&self.name, &mut errors);
        check_url(&self.url, &mut errors);
        check_headers(&self.headers, &self.auth, &mut errors);
        check_auth(&self.auth, &mut errors);
        check_limits(self.limits, &mut errors);
        errors.into_result()
    }
}

fn check_limits(limits: DeliveryLimits, errors: &mut FieldErrors) {
    let mut check = |field: &str, value: Option<u32>, max: u32| {
        if value.is_some_and(|v| v == 0 || v > max) {
            errors.add(
                field,
                format!("Enter a whole number from 1 to {max}, or leave it empty for no limit."),
            );
        }
    };
    check(
        "max_per_second",
        limits.max_per_second,
        DeliveryLimits::MAX_PER_SECOND,
    );
    check(
        "max_in_flight",
        limits.max_in_flight,
        DeliveryLimits::MAX_IN_FLIGHT,
    );
}

fn check_name(name: &str, errors: &mut FieldErrors) {
    let name = name.trim();
    if name.is_empty() {
        errors.add("name", "Enter a name for the template.");
    } else if name.chars().count() > MAX_NAME_LEN {
        errors.add("name", format!("Use at most {MAX_NAME_LEN} characters."));
    }
}

/// A light structural check; the server parses the URL fully (WHATWG rules) before using it.
pub fn check_url(url: &str, errors: &mut FieldErrors) {
    check_http_url("url", url, "Enter the destination URL.", errors);
}

/// `url` is an http(s) URL without credentials; `missing` is the message when it is empty.
pub fn check_http_url(field: &str, url: &str, missing: &str, errors: &mut FieldErrors) {
    let url = url.trim();
    let rest = strip_prefix_ignore_case(url, "https://")
        .or_else(|| strip_prefix_ignore_case(url, "http://"));
    let message = if url.is_empty() {
        Some(missing.to_owned())
    } else if url.len() > MAX_URL_LEN {
        Some(format!("Use at most {MAX_URL_LEN} characters."))
    } else if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        Some("The URL must not contain spaces or control characters.".to_owned())
    } else if let Some(rest) = rest {
        let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
        check_authority(authority)
    } else {
        Some("The URL must start with http:// or https://.".to_owned())
    };
    if let Some(message) = message {
        errors.add(field, message);
    }
}

fn check_authority(authority: &str) -> Option<String> {
    if authority.contains('@') {
        return Some(
            "Put credentials under Authentication or in a header, not in the URL.".to_owned(),
        );
    }
    let (host, port) = match authority.strip_prefix('[') {
        Some(v6) => match v6.split_once(']') {
            Some((addr, after)) => (addr, after.strip_prefix(':')),
            None => return Some("The IPv6 address is missing its closing ].".to_owned()),
        },
        None => match authority.rsplit_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (authority, None),
        },
    };
    if host.is_empty() {
        return Some("The URL needs a host name, like https://hooks.example.com/path.".to_owned());
    }
    let host_ok = authority.starts_with('[')
        || host
            .chars()
            .all(|c| c.is_alphanumeric() || c == '-' || c == '.' || c == '_');
    if !host_ok {
        return Some(format!("\"{host}\" is not a valid host name."));
    }
    match port {
        Some(p) if p.parse::<u16>().map_or(true, |p| p == 0) => Some(format!(
            "\"{p}\" is not a valid port; use a number from 1 to 65535."
        )),
        _ => None,
    }
}

/// Custom headers: names valid, not reserved, not repeated; values without line breaks. Keys are
/// `headers.{i}.name|value`.
pub fn check_headers(headers: &[Header], auth: &AuthIn, errors: &mut FieldErrors) {
    if headers.len() > MAX_HEADERS {
        errors.add("headers", format!("Use at most {MAX_HEADERS} headers."));
    }
    let mut seen: Vec<String> = Vec::with_capacity(headers.len());
    for (i, header) in headers.iter().enumerate() {
        let name = header.name.trim();
        let lower = name.to_ascii_lowercase();
        let name_error = if name.is_empty() {
            Some("Enter a header name.".to_owned())
        } else if name.len() > MAX_HEADER_NAME_LEN {
            Some(format!("Use at most {MAX_HEADER_NAME_LEN} characters."))
        } else if !name.bytes().all(is_token_byte) {
            Some(
                "Header names may use letters, digits and ! # $ % & ' * + - . ^ _ ` | ~ only."
                    .to_owned(),
            )
        } else if RESERVED_HEADERS.contains(&lower.as_str()) {
            Some(format!("{name} is set by Hookline itself."))
        } else if lower == "authorization" && !matches!(auth, AuthIn::None) {
            Some("Authorization is set by the chosen authentication; remove this header or choose No authentication.".to_owned())
        } else if seen.contains(&lower) {
            Some(format!("{name} is already set above."))
        } else {
            None
        };
        if let Some(message) = name_error {
            errors.add(format!("headers.{i}.name"), message);
        }
        seen.push(lower);
        if header.value.len() > MAX_HEADER_VALUE_LEN {
            errors.add(
                format!("headers.{i}.value"),
                format!("Use at most {MAX_HEADER_VALUE_LEN} characters."),
            );
        } else if header
            .value
            .chars()
            .any(|c| (c.is_control() && c != '\t') || c == '\u{7f}')
        {
            errors.add(
                format!("headers.{i}.value"),
                "Header values must not contain line breaks or control characters.",
            );
        }
    }
}

fn check_auth(auth: &AuthIn, errors: &mut FieldErrors) {
    match auth {
        AuthIn::None => {}
        AuthIn::Basic { username, password } => {
            if username.is_empty() {
                errors.add("auth.username", "Enter the user name.");
            } else if username.contains(':') {
                errors.add(
                    "auth.username",
                    "Basic authentication user names cannot contain a colon (:).",
                );
            } else if username.chars().any(char::is_control) {
                errors.add(
                    "auth.username",
                    "The user name must not contain control characters.",
                );
            }
            if password.as_deref() == Some("") {
                errors.add(
                    "auth.password",
                    "Enter the password, or leave it out to keep the saved one.",
                );
            }
        }
        AuthIn::OAuth2(oauth) => oauth.check(errors),
    }
}

/// RFC 9110 `tchar`.
fn is_token_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

fn strip_prefix_ignore_case<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    let head = s.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &s[prefix.len()..])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::webhook::HttpMethod;

    fn template(url: &str) -> WebhookTemplateIn {
        WebhookTemplateIn {
            name: "CRM".into(),
            url: url.into(),
            method: HttpMethod::Post,
            ..Default::default()
        }
    }

    fn url_error(url: &str) -> Option<String> {
        template(url)
            .validate()
            .err()
            .and_then(|e| e.get("url").map(str::to_owned))
    }

    #[test]
    fn limits_are_positive_and_bounded() {
        let error = |max_per_second, max_in_flight| {
            let t = WebhookTemplateIn {
                limits: DeliveryLimits {
                    max_per_second,
                    max_in_flight,
                },
                ..template("https://x.example/")
            };
            t.validate().err().map(|e| {
                (
                    e.get("max_per_second").is_some(),
                    e.get("max_in_flight").is_some(),
                )
            })
        };
        assert_eq!(error(None, None), None);
        assert_eq!(error(Some(5), Some(1)), None);
        assert_eq!(error(Some(0), None), Some((true, false)));
        assert_eq!(error(None, Some(0)), Some((false, true)));
        assert_eq!(error(Some(100_001), Some(10_001)), Some((true, true)));
    }

    #[test]
    fn accepts_ordinary_urls() {
        for url in [
            "https://hooks.example.com/in",
            "http://127.0.0.1:8080/x?y=1",
            "HTTPS://Example.com",
            "http://[::1]:9000/",
            "https://bücher.example/",
        ] {
            assert_eq!(url_error(url), None, "{url}");
        }
    }

    #[test]
    fn rejects_bad_urls_with_a_reason() {
        assert!(url_error("").unwrap().contains("Enter"));
        assert!(url_error("ftp://x.com").unwrap().contains("http://"));
        assert!(
            url_error("https://user:pw@x.com")
                .unwrap()
                .contains("credentials")
        );
        assert!(url_error("https:///path").unwrap().contains("host"));
        assert!(url_error("https://x.com:99999/").unwrap().contains("port"));
        assert!(url_error("https://x.com:0/").unwrap().contains("port"));
        assert!(
            url_error("https://exa mple.com")
                .unwrap()
                .contains("spaces")
        );
        assert!(url_error("https://x!y.com").unwrap().contains("host"));
        assert!(url_error("http://[::1").unwrap().contains("]"));
    }

    #[test]
    fn header_rules() {
        let mut t = template("https://x.com");
        t.headers = vec![
            Header {
                name: "X-Api-Key".into(),
                value: "k".into(),
            },
            Header {
                name: "x-api-key".into(),
                value: "again".into(),
            },
            Header {
                name: "Bad Name".into(),
                value: "v".into(),
            },
            Header {
                name: "Content-Length".into(),
                value: "1".into(),
            },
            Header {
                name: "X-Line".into(),
                value: "a\r\nInjected: 1".into(),
            },
            Header {
                name: "".into(),
                value: "orphan".into(),
            },
        ];
        let errors = t.validate().unwrap_err();
        assert_eq!(errors.get("headers.0.name"), None);
        assert!(errors.get("headers.1.name").unwrap().contains("already"));
        assert!(errors.get("headers.2.name").is_some());
        assert!(errors.get("headers.3.name").unwrap().contains("Hookline"));
        assert!(
            errors
                .get("headers.4.value")
                .unwrap()
                .contains("line breaks")
        );
        assert!(errors.get("headers.5.name").unwrap().contains("Enter"));
    }

    #[test]
    fn authorization_header_only_without_auth() {
        let mut t = template("https://x.com");
        t.headers = vec![Header {
            name: "Authorization".into(),
            value: "Bearer k".into(),
        }];
        assert!(t.validate().is_ok());
        t.auth = AuthIn::Basic {
            username: "u".into(),
            password: Some("p".into()),
        };
        assert!(
            t.validate()
                .unwrap_err()
                .get("headers.0.name")
                .unwrap()
                .contains("authentication")
        );
    }

    #[test]
    fn basic_auth_rules() {
        let mut t = template("https://x.com");
        t.auth = AuthIn::Basic {
            username: "a:b".into(),
            password: Some(String::new()),
        };
        let errors = t.validate().unwrap_err();
        assert!(errors.get("auth.username").unwrap().contains("colon"));
        assert!(errors.get("auth.password").is_some());
        t.auth = AuthIn::Basic {
            username: "ops".into(),
            password: None,
        };
        assert!(
            t.validate().is_ok(),
            "a missing password means keep the stored one"
        );
    }

    #[test]
    fn name_rules() {
        let mut t = template("https://x.com");
        t.name = "   ".into();
        assert!(t.validate().unwrap_err().get("name").is_some());
        t.name = "x".repeat(MAX_NAME_LEN + 1);
        assert!(t.validate().unwrap_err().get("name").is_some());
    }
}
