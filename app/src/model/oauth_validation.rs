//! Rules for the OAuth 2.0 fields of a template, keyed `auth.<field>` like the form's inputs. Run in the
//! browser and on the server alike. Secrets left out (`None`) keep the saved ones, so only an empty
//! secret typed in is an error here; the server reports a secret missing altogether.

use super::FieldErrors;
use super::oauth::{
    GrantType, JwtClaimsSettings, JwtHeaderSettings, MAX_ASSERTION_LIFETIME_SECS, OAuthIn,
    TokenExpiry, TokenMapping,
};
use super::webhook_validation::check_http_url;

const MAX_FIELD_LEN: usize = 1024;

impl OAuthIn {
    pub fn check(&self, errors: &mut FieldErrors) {
        let s = &self.settings;
        if s.client_id.trim().is_empty() {
            errors.add("auth.client_id", "Enter the client ID.");
        }
        if s.grant.uses_secret() && self.client_secret.as_deref() == Some("") {
            errors.add("auth.client_secret", "Enter the client secret.");
        }
        if s.grant == GrantType::Password {
            if s.username.trim().is_empty() {
                errors.add("auth.username", "Enter the user name.");
            }
            if self.password.as_deref() == Some("") {
                errors.add("auth.password", "Enter the password.");
            }
            if !s.refresh_token_url.trim().is_empty() {
                check_http_url("auth.refresh_token_url", &s.refresh_token_url, "", errors);
            }
        }
        check_http_url(
            "auth.access_token_url",
            &s.access_token_url,
            "Enter the Access Token URL.",
            errors,
        );
        if s.scopes.chars().any(char::is_control) {
            errors.add("auth.scopes", "Separate scopes with spaces.");
        }
        if s.grant == GrantType::ClientCredentialsJwt {
            if s.jwt.key_set.is_empty() {
                errors.add("auth.jwt.key_set", "Generate a public key first.");
            }
            check_header(&s.jwt.header, errors);
            check_claims(&s.jwt.claims, errors);
        }
        check_mapping(&s.mapping, errors);
        for (field, value) in [
            ("auth.client_id", &s.client_id),
            ("auth.username", &s.username),
            ("auth.scopes", &s.scopes),
        ] {
            if value.len() > MAX_FIELD_LEN {
                errors.add(field, format!("Use at most {MAX_FIELD_LEN} characters."));
            }
        }
    }
}

fn check_header(header: &JwtHeaderSettings, errors: &mut FieldErrors) {
    for (field, value) in [
        ("auth.jwt.header.typ", &header.typ),
        ("auth.jwt.header.kid", &header.kid),
        ("auth.jwt.header.cty", &header.cty),
    ] {
        if value.chars().any(char::is_control) || value.len() > MAX_FIELD_LEN {
            errors.add(field, "Use plain text, at most 1024 characters.");
        }
    }
    if header
        .crit
        .iter()
        .any(|c| c.trim().is_empty() || c.contains(char::is_whitespace))
    {
        errors.add(
            "auth.jwt.header.crit",
            "List names separated by commas, like exp, aud.",
        );
    }
}

fn check_claims(claims: &JwtClaimsSettings, errors: &mut FieldErrors) {
    if !(1..=MAX_ASSERTION_LIFETIME_SECS).contains(&claims.lifetime_secs) {
        errors.add(
            "auth.jwt.claims.lifetime_secs",
            format!("Use from 1 to {MAX_ASSERTION_LIFETIME_SECS} seconds."),
        );
    }
    for (field, value) in [
        ("auth.jwt.claims.iss", &claims.iss),
        ("auth.jwt.claims.sub", &claims.sub),
        ("auth.jwt.claims.aud", &claims.aud),
        ("auth.jwt.claims.jti_prefix", &claims.jti_prefix),
    ] {
        if value.chars().any(char::is_control) || value.len() > MAX_FIELD_LEN {
            errors.add(field, "Use plain text, at most 1024 characters.");
        }
    }
}

fn check_mapping(mapping: &TokenMapping, errors: &mut FieldErrors) {
    if mapping.access_token.trim().is_empty() {
        errors.add(
            "auth.mapping.access_token",
            "Name the response field that holds the access token.",
        );
    }
    match mapping.expiry {
        TokenExpiry::FromResponse if mapping.expires_in.trim().is_empty() => errors.add(
            "auth.mapping.expires_in",
            "Name the response field that holds the expiry, or choose a fixed expiry.",
        ),
        TokenExpiry::Fixed { value: 0, .. } => {
            errors.add("auth.mapping.expiry", "Use a fixed expiry of at least 1.")
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::oauth::{ExpiryUnit, OAuthSettings};

    fn valid(grant: GrantType) -> OAuthIn {
        let mut settings = OAuthSettings {
            grant,
            client_id: "hookline".into(),
            username: "ops".into(),
            access_token_url: "https://auth.example/token".into(),
            ..Default::default()
        };
        settings.jwt.key_set = "ks_1".into();
        OAuthIn {
            settings,
            client_secret: Some("s".into()),
            password: Some("p".into()),
        }
    }

    fn errors(oauth: &OAuthIn) -> FieldErrors {
        let mut errors = FieldErrors::default();
        oauth.check(&mut errors);
        errors
    }

    #[test]
    fn complete_settings_pass_for_every_grant() {
        for grant in GrantType::ALL {
            assert!(errors(&valid(grant)).0.is_empty(), "{grant:?}");
        }
    }

    #[test]
    fn each_grant_asks_for_what_it_needs() {
        let mut oauth = valid(GrantType::Password);
        oauth.settings.username.clear();
        oauth.password = Some(String::new());
        oauth.settings.refresh_token_url = "ftp://x".into();
        oauth.settings.access_token_url.clear();
        let e = errors(&oauth);
        assert!(e.get("auth.username").is_some());
        assert!(e.get("auth.password").is_some());
        assert!(e.get("auth.refresh_token_url").unwrap().contains("http"));
        assert!(e.get("auth.access_token_url").unwrap().contains("Enter"));

        let mut oauth = valid(GrantType::ClientCredentialsJwt);
        oauth.settings.jwt.key_set.clear();
        oauth.settings.jwt.claims.lifetime_secs = 0;
        oauth.settings.jwt.header.crit = vec!["exp".into(), "a b".into()];
        oauth.client_secret = Some(String::new());
        let e = errors(&oauth);
        assert!(e.get("auth.jwt.key_set").unwrap().contains("Generate"));
        assert!(e.get("auth.jwt.claims.lifetime_secs").is_some());
        assert!(e.get("auth.jwt.header.crit").is_some());
        assert_eq!(e.get("auth.client_secret"), None, "JWT uses no secret");
    }

    #[test]
    fn mapping_needs_an_access_token_field_and_an_expiry() {
        let mut oauth = valid(GrantType::ClientCredentials);
        oauth.settings.mapping.access_token = " ".into();
        oauth.settings.mapping.expires_in.clear();
        let e = errors(&oauth);
        assert!(e.get("auth.mapping.access_token").is_some());
        assert!(e.get("auth.mapping.expires_in").unwrap().contains("fixed"));
        oauth.settings.mapping.access_token = "data.token".into();
        oauth.settings.mapping.expiry = TokenExpiry::Fixed {
            value: 1,
            unit: ExpiryUnit::Hours,
        };
        assert!(errors(&oauth).0.is_empty());
    }
}
