//! A template as the engine uses it (secrets decrypted), and its conversion to and from the table row,
//! where the secrets are sealed and the non-secret settings are plain JSON.

use app::model::TemplateId;
use app::model::webhook::{AuthOut, Header, HttpMethod, WebhookTemplateOut};
use serde::{Deserialize, Serialize};

use crate::secrets::SecretBox;
use crate::store::templates::{TemplateRow, TemplateWrite};

/// Authentication with its secrets: never leaves the server.
#[derive(Clone, PartialEq, Eq)]
pub enum Auth {
    None,
    Basic { username: String, password: String },
}

impl std::fmt::Debug for Auth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::None => f.write_str("None"),
            Self::Basic { username, .. } => {
                write!(f, "Basic {{ username: {username:?}, password: .. }}")
            }
        }
    }
}

#[derive(Debug, Clone)]
pub struct Template {
    pub id: TemplateId,
    pub name: String,
    pub url: String,
    pub method: HttpMethod,
    pub headers: Vec<Header>,
    pub auth: Auth,
    pub created_at: i64,
    pub updated_at: i64,
}

/// `auth_config` column.
#[derive(Serialize, Deserialize)]
struct AuthConfig {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    username: Option<String>,
}

/// `auth_secrets` column, before sealing.
#[derive(Serialize, Deserialize)]
struct AuthSecrets {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    password: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum StoredError {
    #[error("template {0}: malformed stored data: {1}")]
    Malformed(i64, String),
    #[error("template {0}: {1}")]
    Secret(i64, crate::secrets::SecretError),
}

impl Template {
    pub fn to_out(&self) -> WebhookTemplateOut {
        WebhookTemplateOut {
            id: self.id,
            name: self.name.clone(),
            url: self.url.clone(),
            method: self.method,
            headers: self.headers.clone(),
            auth: match &self.auth {
                Auth::None => AuthOut::None,
                Auth::Basic { username, password } => AuthOut::Basic {
                    username: username.clone(),
                    password_set: !password.is_empty(),
                },
            },
            created_at: self.created_at,
            updated_at: self.updated_at,
        }
    }

    pub fn to_write(&self, secrets: &SecretBox) -> TemplateWrite {
        let (auth_kind, config, sealed) = match &self.auth {
            Auth::None => ("none", AuthConfig { username: None }, None),
            Auth::Basic { username, password } => {
                let plain = serde_json::to_vec(&AuthSecrets {
                    password: Some(password.clone()),
                })
                .expect("serialising a struct of strings cannot fail");
                (
                    "basic",
                    AuthConfig {
                        username: Some(username.clone()),
                    },
                    Some(secrets.seal(&plain)),
                )
            }
        };
        TemplateWrite {
            name: self.name.clone(),
            url: self.url.clone(),
            method: self.method.as_str(),
            headers: serde_json::to_string(&self.headers).expect("serialising headers cannot fail"),
            auth_kind,
            auth_config: serde_json::to_string(&config)
                .expect("serialising auth config cannot fail"),
            auth_secrets: sealed,
        }
    }

    pub fn from_row(row: TemplateRow, secrets: &SecretBox) -> Result<Self, StoredError> {
        let (method, headers, config) = decode_plain(&row)?;
        let auth = match row.auth_kind.as_str() {
            "none" => Auth::None,
            "basic" => {
                let sealed = row
                    .auth_secrets
                    .as_deref()
                    .ok_or_else(|| malformed(&row, "auth_secrets"))?;
                let plain = secrets
                    .open(sealed)
                    .map_err(|e| StoredError::Secret(row.id, e))?;
                let stored: AuthSecrets =
                    serde_json::from_slice(&plain).map_err(|_| malformed(&row, "auth_secrets"))?;
                Auth::Basic {
                    username: config.username.unwrap_or_default(),
                    password: stored.password.unwrap_or_default(),
                }
            }
            _ => return Err(malformed(&row, "auth_kind")),
        };
        Ok(Self {
            id: TemplateId(row.id),
            name: row.name,
            url: row.url,
            method,
            headers,
            auth,
            created_at: row.created_at,
            updated_at: row.updated_at,
        })
    }
}

/// What the dashboard shows of a stored template, without decrypting its secrets: listing keeps
/// working even for a template whose secrets cannot be decrypted.
pub fn summary_from_row(row: TemplateRow) -> Result<WebhookTemplateOut, StoredError> {
    let (method, headers, config) = decode_plain(&row)?;
    let auth = match row.auth_kind.as_str() {
        "none" => AuthOut::None,
        "basic" => AuthOut::Basic {
            username: config.username.unwrap_or_default(),
            password_set: row.auth_secrets.is_some(),
        },
        _ => return Err(malformed(&row, "auth_kind")),
    };
    Ok(WebhookTemplateOut {
        id: TemplateId(row.id),
        name: row.name,
        url: row.url,
        method,
        headers,
        auth,
        created_at: row.created_at,
        updated_at: row.updated_at,
    })
}

/// The columns stored in the clear.
fn decode_plain(row: &TemplateRow) -> Result<(HttpMethod, Vec<Header>, AuthConfig), StoredError> {
    let method = HttpMethod::parse(&row.method).ok_or_else(|| malformed(row, "method"))?;
    let headers = serde_json::from_str(&row.headers).map_err(|_| malformed(row, "headers"))?;
    let config =
        serde_json::from_str(&row.auth_config).map_err(|_| malformed(row, "auth_config"))?;
    Ok((method, headers, config))
}

fn malformed(row: &TemplateRow, column: &str) -> StoredError {
    StoredError::Malformed(row.id, column.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_through_a_row_with_the_password_sealed() {
        let secrets = SecretBox::new([3; 32]);
        let template = Template {
            id: TemplateId(7),
            name: "CRM".into(),
            url: "https://crm.example/in".into(),
            method: HttpMethod::Put,
            headers: vec![Header {
                name: "X-Team".into(),
                value: "growth".into(),
            }],
            auth: Auth::Basic {
                username: "ops".into(),
                password: "s3cret".into(),
            },
            created_at: 1,
            updated_at: 2,
        };
        let write = template.to_write(&secrets);
        assert!(!write.auth_config.contains("s3cret"));
        let sealed = write.auth_secrets.clone().unwrap();
        assert!(!sealed.windows(6).any(|w| w == b"s3cret"));
        let row = TemplateRow {
            id: 7,
            name: write.name,
            url: write.url,
            method: write.method.into(),
            headers: write.headers,
            auth_kind: write.auth_kind.into(),
            auth_config: write.auth_config,
            auth_secrets: write.auth_secrets,
            created_at: 1,
            updated_at: 2,
        };
        let summary = summary_from_row(row.clone()).unwrap();
        assert_eq!(
            summary.auth,
            AuthOut::Basic {
                username: "ops".into(),
                password_set: true
            }
        );
        let back = Template::from_row(row, &secrets).unwrap();
        assert_eq!(back.auth, template.auth);
        assert_eq!(back.headers, template.headers);
        assert_eq!(
            back.to_out().auth,
            AuthOut::Basic {
                username: "ops".into(),
                password_set: true
            }
        );
        assert!(!format!("{back:?}").contains("s3cret"));
    }
}
