//! Webhook templates (Settings > Webhooks): where requests go, how, and with which credentials.
//! Secrets travel only browser → server: `*In` types may carry them, `*Out` types say only whether one is set.

use serde::{Deserialize, Serialize};

use super::TemplateId;
use super::oauth::{OAuthIn, OAuthOut};

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum HttpMethod {
    #[default]
    Post,
    Get,
    Put,
    Delete,
}

impl HttpMethod {
    pub const ALL: [HttpMethod; 4] = [Self::Post, Self::Get, Self::Put, Self::Delete];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Post => "POST",
            Self::Get => "GET",
            Self::Put => "PUT",
            Self::Delete => "DELETE",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|m| m.as_str().eq_ignore_ascii_case(s))
    }

    /// Whether requests with this method carry the JSON payload as a body.
    pub fn has_body(self) -> bool {
        matches!(self, Self::Post | Self::Put)
    }
}

/// A custom header sent with every request of the template.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Header {
    pub name: String,
    pub value: String,
}

/// Authentication as submitted. A secret left out (`None`) keeps the one stored for the template.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum AuthIn {
    #[default]
    None,
    Basic {
        username: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        password: Option<String>,
    },
    #[serde(rename = "oauth2")]
    OAuth2(Box<OAuthIn>),
}

/// Authentication as shown: never the secret itself.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum AuthOut {
    #[default]
    None,
    Basic {
        username: String,
        password_set: bool,
    },
    #[serde(rename = "oauth2")]
    OAuth2(Box<OAuthOut>),
}

impl AuthOut {
    pub fn label(&self) -> &'static str {
        match self {
            Self::None => "No authentication",
            Self::Basic { .. } => "Basic",
            Self::OAuth2(_) => "OAuth 2.0",
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebhookTemplateIn {
    pub name: String,
    pub url: String,
    #[serde(default)]
    pub method: HttpMethod,
    #[serde(default)]
    pub headers: Vec<Header>,
    #[serde(default)]
    pub auth: AuthIn,
    #[serde(flatten)]
    pub limits: DeliveryLimits,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebhookTemplateOut {
    pub id: TemplateId,
    pub name: String,
    pub url: String,
    pub method: HttpMethod,
    pub headers: Vec<Header>,
    pub auth: AuthOut,
    #[serde(flatten)]
    pub limits: DeliveryLimits,
    /// Unix milliseconds.
    pub created_at: i64,
    pub updated_at: i64,
}

/// How hard a template's destination may be pushed, across every campaign that uses it: requests
/// started per second (evenly spaced) and requests waiting for an answer at once. `None`: no limit
/// beyond the dispatcher's own.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeliveryLimits {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_per_second: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_in_flight: Option<u32>,
}

impl DeliveryLimits {
    pub const MAX_PER_SECOND: u32 = 100_000;
    pub const MAX_IN_FLIGHT: u32 = 10_000;

    pub fn is_limited(self) -> bool {
        self.max_per_second.is_some() || self.max_in_flight.is_some()
    }
}

/// What the destination answered to the test request sent on save.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TestResultOut {
    pub status: u16,
    pub latency_ms: u64,
    pub body_excerpt: String,
}

/// A template's Standard Webhooks signing secret (`whsec_…`), for receivers to verify its requests.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SigningSecretOut {
    pub secret: String,
}

/// A saved template together with the successful test that allowed saving it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedTemplateOut {
    pub template: WebhookTemplateOut,
    pub test: TestResultOut,
}
