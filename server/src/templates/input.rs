//! A template form's input turned into a template: validated, trimmed, and given its secrets — the
//! ones typed in, or else the saved ones, but only while the URLs they are used for keep their hosts
//! (a saved secret is never sent to a server it was not saved for).

use app::model::TemplateId;
use app::model::oauth::{GrantType, OAuthIn, OAuthSettings};
use app::model::webhook::{AuthIn, WebhookTemplateIn};

use super::stored::Template;
use crate::error::{EngineError, EngineResult};
use crate::oauth::OAuth;
use crate::outgoing::Credentials;
use crate::outgoing::signing::{SigningKeys, SigningSecret};
use crate::secrets::SecretBox;
use crate::store::templates::TemplateRow;

/// What a saved template holds of its credentials, the URL its Basic credentials go to, and its
/// signing secrets (a new template gets new ones).
pub struct Saved {
    pub auth: Credentials,
    url: String,
    signing: Option<SigningKeys>,
}

impl Saved {
    pub fn nothing() -> Self {
        Self {
            auth: Credentials::None,
            url: String::new(),
            signing: None,
        }
    }
}

/// The saved template's credentials, if they can be read. Ones that cannot (the secret key changed)
/// count as missing, so the user is asked to type them again rather than shown an internal error.
pub fn saved_auth(secrets: &SecretBox, row: TemplateRow) -> Saved {
    let url = row.url.clone();
    match Template::from_row(row, secrets) {
        Ok(template) => Saved {
            auth: template.auth,
            url,
            signing: Some(template.signing),
        },
        Err(e) => {
            tracing::warn!(error = %e, "the saved credentials cannot be read; asking for them again");
            Saved::nothing()
        }
    }
}

/// Whether two URLs have the same origin (scheme, host and port): a saved secret is only ever sent
/// to the origin it was saved for, so that editing a URL cannot redirect it to another server.
fn same_origin(a: &str, b: &str) -> bool {
    match (reqwest::Url::parse(a.trim()), reqwest::Url::parse(b.trim())) {
        (Ok(a), Ok(b)) => a.origin() == b.origin(),
        _ => false,
    }
}

/// Validates the input and resolves it into a template (id and creation time still unset). Secrets
/// left out are taken from `saved`, if the URL they go to keeps its host.
pub fn prepare(input: WebhookTemplateIn, saved: &Saved) -> EngineResult<Template> {
    input.validate()?;
    let url = input.url.trim().to_owned();
    if let Err(e) = reqwest::Url::parse(&url) {
        return Err(EngineError::field(
            "url",
            format!("The URL is not valid: {e}."),
        ));
    }
    let auth = match input.auth {
        AuthIn::None => Credentials::None,
        AuthIn::Basic { username, password } => {
            let kept = match &saved.auth {
                Credentials::Basic { password, .. } => non_empty(password),
                _ => None,
            };
            match (password, kept) {
                (Some(password), _) => Credentials::Basic { username, password },
                (None, Some(_)) if !same_origin(&saved.url, &url) => {
                    return Err(EngineError::field(
                        "auth.password",
                        "The URL points to another server now: enter the password again (a saved password is only sent to the server it was saved for).",
                    ));
                }
                (None, Some(password)) => Credentials::Basic { username, password },
                (None, None) => {
                    return Err(EngineError::field("auth.password", "Enter the password."));
                }
            }
        }
        AuthIn::OAuth2(oauth) => {
            // The token a saved secret obtains goes to the destination: a new host needs it typed again.
            if same_origin(&saved.url, &url) {
                Credentials::OAuth2(Box::new(oauth_with_secrets(*oauth, &saved.auth)?))
            } else {
                require_again(&oauth, &saved.auth, "The URL")?;
                Credentials::OAuth2(Box::new(oauth_with_secrets(*oauth, &Credentials::None)?))
            }
        }
    };
    let headers = input
        .headers
        .into_iter()
        .map(|mut h| {
            h.name = h.name.trim().to_owned();
            h
        })
        .collect();
    Ok(Template {
        id: TemplateId(0),
        name: input.name.trim().to_owned(),
        url,
        method: input.method,
        headers,
        auth,
        signing: saved
            .signing
            .clone()
            .unwrap_or_else(|| SigningKeys::new(SigningSecret::generate())),
        limits: input.limits,
        created_at: 0,
        updated_at: 0,
    })
}

/// The submitted OAuth settings with the secrets their grant uses: typed in, or else saved (if the
/// token URLs they go to keep their hosts).
pub fn oauth_with_secrets(input: OAuthIn, saved: &Credentials) -> EngineResult<OAuth> {
    let (saved_secret, saved_password) = match saved {
        Credentials::OAuth2(o) if same_token_origins(&o.settings, &input.settings) => {
            (non_empty(&o.client_secret), non_empty(&o.password))
        }
        _ => {
            require_again(&input, saved, "The token URL")?;
            (None, None)
        }
    };
    let grant = input.settings.grant;
    let client_secret = match input.client_secret.or(saved_secret) {
        _ if !grant.uses_secret() => String::new(),
        Some(secret) => secret,
        None => {
            return Err(EngineError::field(
                "auth.client_secret",
                "Enter the client secret.",
            ));
        }
    };
    let password = match input.password.or(saved_password) {
        _ if grant != GrantType::Password => String::new(),
        Some(password) => password,
        None => return Err(EngineError::field("auth.password", "Enter the password.")),
    };
    Ok(OAuth {
        settings: tidy(input.settings),
        client_secret,
        password,
    })
}

/// Refuses `input` when `saved` holds a secret its grant uses and the input leaves it out: the secret
/// would now be used for another server (`what` says which URL changed).
fn require_again(input: &OAuthIn, saved: &Credentials, what: &str) -> EngineResult<()> {
    let Credentials::OAuth2(saved) = saved else {
        return Ok(());
    };
    let moved = format!(
        "{what} points to another server now: enter it again (a saved secret is only sent to the server it was saved for)."
    );
    let grant = input.settings.grant;
    if grant.uses_secret() && input.client_secret.is_none() && !saved.client_secret.is_empty() {
        return Err(EngineError::field("auth.client_secret", moved));
    }
    if grant == GrantType::Password && input.password.is_none() && !saved.password.is_empty() {
        return Err(EngineError::field("auth.password", moved));
    }
    Ok(())
}

/// Whether the token requests of `new` go to the same servers as those of `old` (the Access Token
/// URL, and the Refresh Token URL, which defaults to it).
fn same_token_origins(old: &OAuthSettings, new: &OAuthSettings) -> bool {
    let refresh = |s: &OAuthSettings| match s.refresh_token_url.trim() {
        "" => s.access_token_url.clone(),
        url => url.to_owned(),
    };
    same_origin(&old.access_token_url, &new.access_token_url)
        && (new.grant != GrantType::Password || same_origin(&refresh(old), &refresh(new)))
}

/// Settings without stray spaces, and without the fields their grant does not use.
fn tidy(mut s: OAuthSettings) -> OAuthSettings {
    for field in [
        &mut s.client_id,
        &mut s.username,
        &mut s.scopes,
        &mut s.access_token_url,
        &mut s.refresh_token_url,
        &mut s.mapping.access_token,
        &mut s.mapping.refresh_token,
        &mut s.mapping.expires_in,
    ] {
        *field = field.trim().to_owned();
    }
    if s.grant != GrantType::Password {
        s.username.clear();
        s.refresh_token_url.clear();
    }
    for crit in &mut s.jwt.header.crit {
        *crit = crit.trim().to_owned();
    }
    s
}

fn non_empty(secret: &str) -> Option<String> {
    (!secret.is_empty()).then(|| secret.to_owned())
}
