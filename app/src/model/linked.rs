//! Linked content: a named external source fetched for each user at send time (SPEC §3 What), its
//! URL, headers and body Liquid templates of `Profile.*`, its answer usable as `Linked.<name>`.

use serde::{Deserialize, Serialize};

use super::FieldErrors;
use super::LinkedId;
use super::webhook::{AuthIn, Header};
use super::webhook_validation::{check_headers, check_http_url};

pub const MAX_NAME_LEN: usize = 64;
pub const MAX_BODY_LEN: usize = 16 * 1024;
pub const MAX_CACHE_SECS: u32 = 86_400;
pub const MIN_TIMEOUT_MS: u32 = 100;
pub const MAX_TIMEOUT_MS: u32 = 30_000;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum LinkedMethod {
    #[default]
    #[serde(rename = "GET")]
    Get,
    #[serde(rename = "POST")]
    Post,
}

impl LinkedMethod {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Get => "GET",
            Self::Post => "POST",
        }
    }
}

/// Linked content as submitted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkedContentIn {
    /// Used in templates as `Linked.<name>`: letters, digits and `_`.
    pub name: String,
    pub url: String,
    #[serde(default)]
    pub method: LinkedMethod,
    #[serde(default)]
    pub headers: Vec<Header>,
    /// Sent with POST (as JSON when it parses as JSON, else as text); empty for none.
    #[serde(default)]
    pub body: String,
    /// How long an answer is reused for the same rendered request (0: fetched for every user).
    #[serde(default = "default_cache_secs")]
    pub cache_secs: u32,
    #[serde(default = "default_timeout_ms")]
    pub timeout_ms: u32,
}

fn default_cache_secs() -> u32 {
    300
}

fn default_timeout_ms() -> u32 {
    5000
}

impl Default for LinkedContentIn {
    fn default() -> Self {
        Self {
            name: String::new(),
            url: String::new(),
            method: LinkedMethod::Get,
            headers: Vec::new(),
            body: String::new(),
            cache_secs: default_cache_secs(),
            timeout_ms: default_timeout_ms(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkedContentOut {
    pub id: LinkedId,
    #[serde(flatten)]
    pub content: LinkedContentIn,
    pub created_at: i64,
    pub updated_at: i64,
}

/// A test fetch for one user: the request made and what came back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkedTestOut {
    /// The user it was rendered for (identity, else e-mail, else object id).
    pub user: String,
    pub method: String,
    pub url: String,
    pub status: u16,
    pub latency_ms: u64,
    /// Whether the answer parsed as JSON (then `Linked.<name>` is that JSON, else the text).
    pub is_json: bool,
    /// The answer, pretty-printed when it is JSON.
    pub value: String,
}

impl LinkedContentIn {
    pub fn validate(&self) -> Result<(), FieldErrors> {
        let mut errors = FieldErrors::default();
        let name = self.name.trim();
        if name.is_empty() {
            errors.add("name", "Enter a name, used as Linked.<name> in templates.");
        } else if name.len() > MAX_NAME_LEN {
            errors.add("name", format!("Use at most {MAX_NAME_LEN} characters."));
        } else if !is_variable_name(name) {
            errors.add(
                "name",
                "Use letters, digits and _ only, starting with a letter (it is written Linked.name).",
            );
        }
        let url = self.url.trim();
        if liquid_before_path(url) {
            // A profile value in the host could send the request, and its headers, to another server.
            errors.add(
                "url",
                "Write the scheme and host as text (https://api.example.com/…); Liquid may follow in the path and query.",
            );
        } else {
            check_http_url(
                "url",
                &without_liquid(url),
                "Enter the URL to fetch.",
                &mut errors,
            );
        }
        check_headers(&self.headers, &AuthIn::None, &mut errors);
        if self.method == LinkedMethod::Get && !self.body.trim().is_empty() {
            errors.add(
                "body",
                "GET requests carry no body; choose POST or clear it.",
            );
        } else if self.body.len() > MAX_BODY_LEN {
            errors.add("body", format!("Use at most {} KB.", MAX_BODY_LEN / 1024));
        }
        if self.cache_secs > MAX_CACHE_SECS {
            errors.add(
                "cache_secs",
                format!("Cache for at most {MAX_CACHE_SECS} seconds (a day)."),
            );
        }
        if !(MIN_TIMEOUT_MS..=MAX_TIMEOUT_MS).contains(&self.timeout_ms) {
            errors.add(
                "timeout_ms",
                format!("Enter a timeout from {MIN_TIMEOUT_MS} to {MAX_TIMEOUT_MS} ms."),
            );
        }
        errors.into_result()
    }
}

/// Whether Liquid markup starts before the URL's path: in the scheme or the host.
fn liquid_before_path(url: &str) -> bool {
    let markup = ["{{", "{%"].iter().filter_map(|m| url.find(m)).min();
    let Some(markup) = markup else {
        return false;
    };
    let path = url
        .find("://")
        .and_then(|i| url[i + 3..].find(['/', '?', '#']).map(|j| i + 3 + j));
    path.is_none_or(|path| markup < path)
}

fn is_variable_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// `text` with each `{{ … }}` and `{% … %}` replaced by `x`, so the URL's shape can be checked.
fn without_liquid(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    loop {
        let open = ["{{", "{%"]
            .iter()
            .filter_map(|o| rest.find(o).map(|i| (i, *o)))
            .min();
        let Some((start, open)) = open else {
            out.push_str(rest);
            return out;
        };
        out.push_str(&rest[..start]);
        let close = if open == "{{" { "}}" } else { "%}" };
        match rest[start..].find(close) {
            Some(end) => {
                out.push('x');
                rest = &rest[start + end + 2..];
            }
            None => {
                out.push_str(&rest[start..]);
                return out;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn weather() -> LinkedContentIn {
        LinkedContentIn {
            name: "weather".into(),
            url: "https://api.example.com/now?city={{ Profile.City | url_encode }}".into(),
            ..Default::default()
        }
    }

    #[test]
    fn accepts_a_liquid_url() {
        assert!(weather().validate().is_ok());
        let mut path = weather();
        path.url = "https://api.example.com/users/{{ Profile.Identity }}/{% if Profile.Vip %}vip{% endif %}".into();
        assert!(path.validate().is_ok());
    }

    #[test]
    fn refuses_bad_fields_with_a_message_each() {
        let input = LinkedContentIn {
            name: "2 fast".into(),
            url: "ftp://x".into(),
            body: "{}".into(),
            cache_secs: MAX_CACHE_SECS + 1,
            timeout_ms: 5,
            headers: vec![Header {
                name: "Content-Length".into(),
                value: "1".into(),
            }],
            ..Default::default()
        };
        let e = input.validate().unwrap_err();
        for field in [
            "name",
            "url",
            "body",
            "cache_secs",
            "timeout_ms",
            "headers.0.name",
        ] {
            assert!(e.get(field).is_some(), "{field}: {e:?}");
        }
    }

    #[test]
    fn markup_is_replaced_for_the_shape_check() {
        assert_eq!(without_liquid("a{{ b }}c{% d %}e{{ f"), "axcxe{{ f");
    }
}
