//! What the form holds for OAuth 2.0, for every grant at once: switching the grant (or the
//! authentication type) and back finds everything as it was typed. Saved secrets are never shown;
//! an empty secret field then keeps the saved one.

use leptos::prelude::*;

use super::jwt_state::JwtState;
use super::mapping_state::MappingState;
use crate::model::oauth::{ClientAuthentication, GrantType, OAuthIn, OAuthOut, OAuthSettings};

#[derive(Debug, Clone, Copy)]
pub struct OAuthState {
    pub grant: RwSignal<GrantType>,
    pub client_id: RwSignal<String>,
    pub client_secret: RwSignal<String>,
    pub username: RwSignal<String>,
    pub password: RwSignal<String>,
    pub scopes: RwSignal<String>,
    pub access_token_url: RwSignal<String>,
    pub refresh_token_url: RwSignal<String>,
    pub client_auth: RwSignal<ClientAuthentication>,
    /// Editing a template whose client secret is stored: an empty secret field keeps it.
    pub secret_saved: bool,
    /// Likewise for the resource owner's password.
    pub password_saved: bool,
    pub jwt: JwtState,
    pub mapping: MappingState,
}

impl OAuthState {
    pub fn new(saved: Option<&OAuthOut>) -> Self {
        let defaults = OAuthSettings::default();
        let s = saved.map_or(&defaults, |o| &o.settings);
        Self {
            grant: RwSignal::new(s.grant),
            client_id: RwSignal::new(s.client_id.clone()),
            client_secret: RwSignal::new(String::new()),
            username: RwSignal::new(s.username.clone()),
            password: RwSignal::new(String::new()),
            scopes: RwSignal::new(s.scopes.clone()),
            access_token_url: RwSignal::new(s.access_token_url.clone()),
            refresh_token_url: RwSignal::new(s.refresh_token_url.clone()),
            client_auth: RwSignal::new(s.client_auth),
            secret_saved: saved.is_some_and(|o| o.client_secret_set),
            password_saved: saved.is_some_and(|o| o.password_set),
            jwt: JwtState::new(&s.jwt, saved.and_then(|o| o.public_key.clone())),
            mapping: MappingState::new(&s.mapping),
        }
    }

    /// The settings as typed. Secrets go only with the grants that use them, and not at all when left
    /// empty over a saved one.
    pub fn to_input(self) -> OAuthIn {
        let grant = self.grant.get();
        let settings = OAuthSettings {
            grant,
            client_id: self.client_id.get(),
            username: self.username.get(),
            scopes: self.scopes.get(),
            access_token_url: self.access_token_url.get(),
            refresh_token_url: self.refresh_token_url.get(),
            client_auth: self.client_auth.get(),
            jwt: self.jwt.settings(),
            mapping: self.mapping.mapping(),
        };
        let client_secret = typed_secret(self.client_secret.get(), self.secret_saved);
        let password = typed_secret(self.password.get(), self.password_saved);
        OAuthIn {
            settings,
            client_secret: client_secret.filter(|_| grant.uses_secret()),
            password: password.filter(|_| grant == GrantType::Password),
        }
    }
}

/// `None` (keep the saved secret) when the field was left empty over a saved one.
fn typed_secret(typed: String, saved: bool) -> Option<String> {
    (!(typed.is_empty() && saved)).then_some(typed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::oauth::TokenMapping;

    fn saved() -> OAuthOut {
        OAuthOut {
            settings: OAuthSettings {
                grant: GrantType::Password,
                client_id: "hookline".into(),
                username: "ops".into(),
                scopes: "read write".into(),
                access_token_url: "https://auth.example/token".into(),
                refresh_token_url: "https://auth.example/refresh".into(),
                client_auth: ClientAuthentication::RequestBody,
                mapping: TokenMapping {
                    access_token: "data.token".into(),
                    ..Default::default()
                },
                ..Default::default()
            },
            client_secret_set: true,
            password_set: true,
            public_key: None,
        }
    }

    #[test]
    fn a_saved_template_comes_back_with_its_secrets_kept() {
        Owner::new_root(None).with(|| {
            let out = saved();
            let input = OAuthState::new(Some(&out)).to_input();
            assert_eq!(input.settings, out.settings);
            assert_eq!((input.client_secret, input.password), (None, None));
        });
    }

    #[test]
    fn typed_secrets_are_sent_and_empty_ones_are_flagged_when_none_is_saved() {
        Owner::new_root(None).with(|| {
            let state = OAuthState::new(Some(&saved()));
            state.client_secret.set("new secret".into());
            state.password.set("new password".into());
            let input = state.to_input();
            assert_eq!(input.client_secret.as_deref(), Some("new secret"));
            assert_eq!(input.password.as_deref(), Some("new password"));

            let fresh = OAuthState::new(None).to_input();
            assert_eq!(fresh.settings, OAuthSettings::default());
            assert_eq!(
                fresh.client_secret.as_deref(),
                Some(""),
                "checked as missing"
            );
            assert_eq!(fresh.password, None, "not the password grant");
        });
    }

    #[test]
    fn secrets_go_only_with_the_grants_that_use_them() {
        Owner::new_root(None).with(|| {
            let state = OAuthState::new(None);
            state.client_secret.set("s".into());
            state.password.set("p".into());
            state.grant.set(GrantType::ClientCredentialsJwt);
            let input = state.to_input();
            assert_eq!((input.client_secret, input.password), (None, None));
            state.grant.set(GrantType::Password);
            let input = state.to_input();
            assert_eq!(input.client_secret.as_deref(), Some("s"));
            assert_eq!(input.password.as_deref(), Some("p"));
        });
    }
}
