//! A template as the engine uses it (secrets decrypted), and its conversion to and from the table row,
//! where the secrets are sealed and the non-secret settings are plain JSON.

use app::model::TemplateId;
use app::model::oauth::{GrantType, OAuthOut, OAuthSettings};
use app::model::webhook::{AuthOut, DeliveryLimits, Header, HttpMethod, WebhookTemplateOut};
use serde::{Deserialize, Serialize};

use crate::oauth::OAuth;
use crate::outgoing::signing::{SigningKeys, SigningSecret};
use crate::outgoing::{Credentials, Destination};
use crate::secrets::SecretBox;
use crate::store::templates::{SigningWrite, TemplateRow, TemplateWrite};

#[derive(Debug, Clone)]
pub struct Template {
    pub id: TemplateId,
    pub name: String,
    pub url: String,
    pub method: HttpMethod,
    pub headers: Vec<Header>,
    pub auth: Credentials,
    /// The Standard Webhooks secrets its requests are signed with.
    pub signing: SigningKeys,
    pub limits: DeliveryLimits,
    pub created_at: i64,
    pub updated_at: i64,
}

/// `auth_config` column of Basic (and None) templates; OAuth templates store their `OAuthSettings`.
#[derive(Serialize, Deserialize)]
struct AuthConfig {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    username: Option<String>,
}

/// `auth_secrets` column, before sealing: the Basic or resource owner password, the client secret.
#[derive(Default, Serialize, Deserialize)]
struct AuthSecrets {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    password: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    client_secret: Option<String>,
}

impl AuthSecrets {
    fn seal(&self, secrets: &SecretBox) -> Vec<u8> {
        secrets
            .seal(&serde_json::to_vec(self).expect("serialising a struct of strings cannot fail"))
    }
}

#[derive(Debug, thiserror::Error)]
pub enum StoredError {
    #[error("template {0}: malformed stored data: {1}")]
    Malformed(i64, String),
    #[error("template {0}: {1}")]
    Secret(i64, crate::secrets::SecretError),
}

impl Template {
    /// Where and how this template's requests go, for the outgoing pipeline.
    pub fn destination(&self) -> Destination<'_> {
        Destination {
            template: self.id,
            method: self.method,
            url: &self.url,
            headers: &self.headers,
            credentials: &self.auth,
            signing: &self.signing,
        }
    }

    pub fn to_out(&self) -> WebhookTemplateOut {
        WebhookTemplateOut {
            id: self.id,
            name: self.name.clone(),
            url: self.url.clone(),
            method: self.method,
            headers: self.headers.clone(),
            auth: match &self.auth {
                Credentials::None => AuthOut::None,
                Credentials::Basic { username, password } => AuthOut::Basic {
                    username: username.clone(),
                    password_set: !password.is_empty(),
                },
                Credentials::OAuth2(oauth) => AuthOut::OAuth2(Box::new(OAuthOut {
                    settings: oauth.settings.clone(),
                    client_secret_set: !oauth.client_secret.is_empty(),
                    password_set: !oauth.password.is_empty(),
                    public_key: None,
                })),
            },
            limits: self.limits,
            created_at: self.created_at,
            updated_at: self.updated_at,
        }
    }

    pub fn to_write(&self, secrets: &SecretBox) -> TemplateWrite {
        let (auth_kind, config, sealed) = match &self.auth {
            Credentials::None => ("none", to_json(&AuthConfig { username: None }), None),
            Credentials::Basic { username, password } => (
                "basic",
                to_json(&AuthConfig {
                    username: Some(username.clone()),
                }),
                Some(
                    AuthSecrets {
                        password: Some(password.clone()),
                        ..Default::default()
                    }
                    .seal(secrets),
                ),
            ),
            Credentials::OAuth2(oauth) => {
                let present = |s: &String| (!s.is_empty()).then(|| s.clone());
                let stored = AuthSecrets {
                    password: present(&oauth.password),
                    client_secret: present(&oauth.client_secret),
                };
                let sealed = (stored.password.is_some() || stored.client_secret.is_some())
                    .then(|| stored.seal(secrets));
                ("oauth2", to_json(&oauth.settings), sealed)
            }
        };
        let seal = |secret: &SigningSecret| secrets.seal(secret.as_str().as_bytes());
        TemplateWrite {
            name: self.name.clone(),
            url: self.url.clone(),
            method: self.method.as_str(),
            headers: serde_json::to_string(&self.headers).expect("serialising headers cannot fail"),
            auth_kind,
            auth_config: config,
            auth_secrets: sealed,
            max_per_second: self.limits.max_per_second.map(i64::from),
            max_in_flight: self.limits.max_in_flight.map(i64::from),
            signing: SigningWrite {
                secret: seal(&self.signing.current),
                previous: self
                    .signing
                    .previous
                    .as_ref()
                    .map(|(secret, until)| (seal(secret), *until)),
            },
        }
    }

    pub fn from_row(row: TemplateRow, secrets: &SecretBox) -> Result<Self, StoredError> {
        let (method, headers) = decode_plain(&row)?;
        let open = |required: bool| -> Result<AuthSecrets, StoredError> {
            let Some(sealed) = row.auth_secrets.as_deref() else {
                return if required {
                    Err(malformed(&row, "auth_secrets"))
                } else {
                    Ok(AuthSecrets::default())
                };
            };
            let plain = secrets
                .open(sealed)
                .map_err(|e| StoredError::Secret(row.id, e))?;
            serde_json::from_slice(&plain).map_err(|_| malformed(&row, "auth_secrets"))
        };
        let auth = match row.auth_kind.as_str() {
            "none" => Credentials::None,
            "basic" => {
                let config: AuthConfig = decode_config(&row)?;
                Credentials::Basic {
                    username: config.username.unwrap_or_default(),
                    password: open(true)?.password.unwrap_or_default(),
                }
            }
            "oauth2" => {
                let settings: OAuthSettings = decode_config(&row)?;
                let stored = open(false)?;
                Credentials::OAuth2(Box::new(OAuth {
                    settings,
                    client_secret: stored.client_secret.unwrap_or_default(),
                    password: stored.password.unwrap_or_default(),
                }))
            }
            _ => return Err(malformed(&row, "auth_kind")),
        };
        let signing = signing_keys(&row, secrets)?;
        let limits = limits_of(&row);
        Ok(Self {
            id: TemplateId(row.id),
            name: row.name,
            url: row.url,
            method,
            headers,
            auth,
            signing,
            limits,
            created_at: row.created_at,
            updated_at: row.updated_at,
        })
    }
}

/// The row's signing secrets, opened.
fn signing_keys(row: &TemplateRow, secrets: &SecretBox) -> Result<SigningKeys, StoredError> {
    let open = |sealed: &[u8]| -> Result<SigningSecret, StoredError> {
        let text = secrets
            .open(sealed)
            .map_err(|e| StoredError::Secret(row.id, e))?;
        std::str::from_utf8(&text)
            .ok()
            .and_then(SigningSecret::parse)
            .ok_or_else(|| malformed(row, "signing_secret"))
    };
    let current = open(
        row.signing_secret
            .as_deref()
            .ok_or_else(|| malformed(row, "signing_secret"))?,
    )?;
    let previous = match (&row.previous_signing_secret, row.previous_signing_until) {
        (Some(sealed), Some(until)) => Some((open(sealed)?, until)),
        _ => None,
    };
    Ok(SigningKeys { current, previous })
}

/// What the dashboard shows of a stored template, without decrypting its secrets: listing keeps
/// working even for a template whose secrets cannot be decrypted.
pub fn summary_from_row(row: TemplateRow) -> Result<WebhookTemplateOut, StoredError> {
    let (method, headers) = decode_plain(&row)?;
    let sealed = row.auth_secrets.is_some();
    let auth = match row.auth_kind.as_str() {
        "none" => AuthOut::None,
        "basic" => AuthOut::Basic {
            username: decode_config::<AuthConfig>(&row)?
                .username
                .unwrap_or_default(),
            password_set: sealed,
        },
        "oauth2" => {
            let settings: OAuthSettings = decode_config(&row)?;
            // Saving requires the secrets the grant uses, so sealed secrets are exactly those.
            AuthOut::OAuth2(Box::new(OAuthOut {
                client_secret_set: sealed && settings.grant.uses_secret(),
                password_set: sealed && settings.grant == GrantType::Password,
                settings,
                public_key: None,
            }))
        }
        _ => return Err(malformed(&row, "auth_kind")),
    };
    let limits = limits_of(&row);
    Ok(WebhookTemplateOut {
        id: TemplateId(row.id),
        name: row.name,
        url: row.url,
        method,
        headers,
        auth,
        limits,
        created_at: row.created_at,
        updated_at: row.updated_at,
    })
}

/// The row's delivery limits (the table's checks keep them positive).
fn limits_of(row: &TemplateRow) -> DeliveryLimits {
    let limit = |v: Option<i64>| v.and_then(|v| u32::try_from(v).ok());
    DeliveryLimits {
        max_per_second: limit(row.max_per_second),
        max_in_flight: limit(row.max_in_flight),
    }
}

/// The columns stored in the clear.
fn decode_plain(row: &TemplateRow) -> Result<(HttpMethod, Vec<Header>), StoredError> {
    let method = HttpMethod::parse(&row.method).ok_or_else(|| malformed(row, "method"))?;
    let headers = serde_json::from_str(&row.headers).map_err(|_| malformed(row, "headers"))?;
    Ok((method, headers))
}

fn to_json<T: Serialize>(value: &T) -> String {
    serde_json::to_string(value).expect("serialising settings of strings cannot fail")
}

fn decode_config<T: serde::de::DeserializeOwned>(row: &TemplateRow) -> Result<T, StoredError> {
    serde_json::from_str(&row.auth_config).map_err(|_| malformed(row, "auth_config"))
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
            auth: Credentials::Basic {
                username: "ops".into(),
                password: "s3cret".into(),
            },
            signing: SigningKeys {
                current: SigningSecret::generate(),
                previous: Some((SigningSecret::generate(), 9)),
            },
            limits: DeliveryLimits {
                max_per_second: Some(5),
                max_in_flight: None,
            },
            created_at: 1,
            updated_at: 2,
        };
        let write = template.to_write(&secrets);
        assert!(!write.auth_config.contains("s3cret"));
        let sealed = write.auth_secrets.clone().unwrap();
        assert!(!sealed.windows(6).any(|w| w == b"s3cret"));
        let row = row_of(write);
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
        assert_eq!(back.signing, template.signing);
        assert_eq!(back.headers, template.headers);
        assert_eq!(back.limits, template.limits);
        assert_eq!(
            back.to_out().auth,
            AuthOut::Basic {
                username: "ops".into(),
                password_set: true
            }
        );
        assert!(!format!("{back:?}").contains("s3cret"));
    }

    fn row_of(write: TemplateWrite) -> TemplateRow {
        TemplateRow {
            id: 7,
            name: write.name,
            url: write.url,
            method: write.method.into(),
            headers: write.headers,
            auth_kind: write.auth_kind.into(),
            auth_config: write.auth_config,
            auth_secrets: write.auth_secrets,
            signing_secret: Some(write.signing.secret),
            previous_signing_secret: write.signing.previous.as_ref().map(|(s, _)| s.clone()),
            previous_signing_until: write.signing.previous.map(|(_, until)| until),
            max_per_second: write.max_per_second,
            max_in_flight: write.max_in_flight,
            created_at: 1,
            updated_at: 2,
        }
    }

    #[test]
    fn oauth_settings_stay_readable_and_secrets_sealed() {
        let secrets = SecretBox::new([5; 32]);
        let mut settings = OAuthSettings {
            grant: GrantType::Password,
            client_id: "hookline".into(),
            username: "ops".into(),
            access_token_url: "https://auth.example/token".into(),
            ..Default::default()
        };
        settings.jwt.claims.iss = "issuer".into();
        let auth = Credentials::OAuth2(Box::new(OAuth {
            settings: settings.clone(),
            client_secret: "client-s3cret".into(),
            password: "owner-pa55".into(),
        }));
        let template = Template {
            id: TemplateId(7),
            name: "CRM".into(),
            url: "https://crm.example/in".into(),
            method: HttpMethod::Post,
            headers: vec![],
            auth,
            signing: SigningKeys::new(SigningSecret::generate()),
            limits: DeliveryLimits::default(),
            created_at: 1,
            updated_at: 2,
        };
        let write = template.to_write(&secrets);
        assert_eq!(write.auth_kind, "oauth2");
        assert!(write.auth_config.contains("issuer"));
        for secret in ["client-s3cret", "owner-pa55"] {
            assert!(!write.auth_config.contains(secret));
            assert!(!format!("{template:?}").contains(secret));
        }
        let row = row_of(write);
        let AuthOut::OAuth2(summary) = summary_from_row(row.clone()).unwrap().auth else {
            panic!("not OAuth");
        };
        assert!(summary.client_secret_set && summary.password_set);
        assert_eq!(summary.settings, settings);
        let back = Template::from_row(row, &secrets).unwrap();
        assert_eq!(back.auth, template.auth);
        assert_eq!(back.signing, template.signing);
    }
}
