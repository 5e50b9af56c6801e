//! The one error type at the API boundary. Serialised as JSON, e.g.
//! `{"error":"validation","message":"...","fields":{"url":["..."]}}`; each kind has its HTTP status.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Messages per field, keyed by the field's path in the input (`url`, `headers.2.name`, `auth.password`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct FieldErrors(pub BTreeMap<String, Vec<String>>);

impl FieldErrors {
    pub fn add(&mut self, field: impl Into<String>, message: impl Into<String>) {
        self.0.entry(field.into()).or_default().push(message.into());
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The first message for a field, as shown next to it in a form.
    pub fn get(&self, field: &str) -> Option<&str> {
        self.0
            .get(field)
            .and_then(|m| m.first())
            .map(String::as_str)
    }

    pub fn into_result(self) -> Result<(), FieldErrors> {
        if self.is_empty() { Ok(()) } else { Err(self) }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(tag = "error", rename_all = "snake_case")]
pub enum ApiError {
    /// The request could not be read (not JSON, missing arguments).
    #[error("{message}")]
    BadRequest { message: String },
    /// Input that breaks a rule; `fields` says which field and why.
    #[error("{message}")]
    Validation {
        message: String,
        fields: FieldErrors,
    },
    #[error("{message}")]
    Unauthorized { message: String },
    #[error("{message}")]
    Forbidden { message: String },
    #[error("{message}")]
    NotFound { message: String },
    #[error("{message}")]
    Conflict { message: String },
    /// Too many attempts (signing in): try again after `retry_after_secs` (also sent as `Retry-After`).
    #[error("{message}")]
    TooManyRequests {
        message: String,
        retry_after_secs: u64,
    },
    /// A destination we called did not answer 2xx: its status (if it answered) and the start of its body.
    #[error("{message}")]
    Upstream {
        message: String,
        status: Option<u16>,
        body_excerpt: String,
    },
    /// Something failed on our side; the details are in the server log, never in the response.
    #[error("{message}")]
    Internal { message: String },
}

impl ApiError {
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::BadRequest {
            message: message.into(),
        }
    }

    pub fn unauthorized() -> Self {
        Self::Unauthorized {
            message: "Sign in to continue.".into(),
        }
    }

    pub fn not_found(message: impl Into<String>) -> Self {
        Self::NotFound {
            message: message.into(),
        }
    }

    pub fn conflict(message: impl Into<String>) -> Self {
        Self::Conflict {
            message: message.into(),
        }
    }

    /// Too many attempts: wait `wait_secs` (at least a second) before the next one.
    pub fn too_many_requests(wait_secs: u64) -> Self {
        let wait_secs = wait_secs.max(1);
        let wait = if wait_secs == 1 {
            "a second".to_owned()
        } else if wait_secs < 120 {
            format!("{wait_secs} seconds")
        } else {
            format!("{} minutes", wait_secs.div_ceil(60))
        };
        Self::TooManyRequests {
            message: format!("Too many attempts. Try again in {wait}."),
            retry_after_secs: wait_secs,
        }
    }

    pub fn internal() -> Self {
        Self::Internal {
            message: "Something went wrong on the server; the details are in its log.".into(),
        }
    }

    pub fn field(field: impl Into<String>, message: impl Into<String>) -> Self {
        let mut fields = FieldErrors::default();
        fields.add(field, message);
        fields.into()
    }

    /// The HTTP status this error is answered with.
    pub fn status(&self) -> u16 {
        match self {
            Self::BadRequest { .. } => 400,
            Self::Validation { .. } => 422,
            Self::Unauthorized { .. } => 401,
            Self::Forbidden { .. } => 403,
            Self::NotFound { .. } => 404,
            Self::Conflict { .. } => 409,
            Self::TooManyRequests { .. } => 429,
            Self::Upstream { .. } => 502,
            Self::Internal { .. } => 500,
        }
    }

    /// Field messages, when this is a validation error.
    pub fn fields(&self) -> Option<&FieldErrors> {
        match self {
            Self::Validation { fields, .. } => Some(fields),
            _ => None,
        }
    }
}

impl From<FieldErrors> for ApiError {
    fn from(fields: FieldErrors) -> Self {
        let message = if fields.0.len() == 1 {
            "One field needs attention.".to_owned()
        } else {
            format!("{} fields need attention.", fields.0.len())
        };
        Self::Validation { message, fields }
    }
}

/// How server functions carry `ApiError`: as JSON, decoded back into `ApiError` by the browser.
/// Failures of the transport itself (unreadable arguments, unreachable server) map onto our kinds.
impl server_fn::error::FromServerFnError for ApiError {
    type Encoder = crate::json_text::JsonText;

    fn from_server_fn_error(value: server_fn::error::ServerFnErrorErr) -> Self {
        use server_fn::error::ServerFnErrorErr as E;
        match value {
            E::Args(m) | E::MissingArg(m) | E::Deserialization(m) => {
                Self::bad_request(format!("The request could not be read: {m}"))
            }
            E::Request(m) => Self::Internal {
                message: format!("Could not reach the Hookline server: {m}"),
            },
            other => Self::Internal {
                message: other.to_string(),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn too_many_requests_says_how_long_to_wait() {
        let message = |secs| ApiError::too_many_requests(secs).to_string();
        assert_eq!(message(0), "Too many attempts. Try again in a second.");
        assert_eq!(message(1), "Too many attempts. Try again in a second.");
        assert_eq!(message(45), "Too many attempts. Try again in 45 seconds.");
        assert_eq!(message(900), "Too many attempts. Try again in 15 minutes.");
        assert_eq!(ApiError::too_many_requests(900).status(), 429);
    }

    #[test]
    fn serialises_with_a_readable_tag() {
        let json = serde_json::to_value(ApiError::field("url", "Enter a URL.")).unwrap();
        assert_eq!(json["error"], "validation");
        assert_eq!(json["fields"]["url"][0], "Enter a URL.");
        let back: ApiError = serde_json::from_value(json).unwrap();
        assert_eq!(back.fields().unwrap().get("url"), Some("Enter a URL."));
    }
}
