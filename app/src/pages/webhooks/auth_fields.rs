//! The Authentication part of the template form: the type, then that type's fields, and what they
//! hold. Every authentication type keeps its own fields, so switching types loses nothing typed.

use leptos::prelude::*;

use crate::sync_hydrated::IntoSyncAny;

use super::oauth_actions::OAuthActions;
use super::oauth_fields::OAuthFields;
use super::oauth_state::OAuthState;
use crate::components::error_banner::field_error;
use crate::components::field::TextField;
use crate::components::select_field::SelectField;
use crate::model::ApiError;
use crate::model::webhook::{AuthIn, AuthOut};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum AuthKind {
    None,
    Basic,
    OAuth2,
}

impl AuthKind {
    const ALL: [AuthKind; 3] = [Self::None, Self::Basic, Self::OAuth2];

    fn label(self) -> &'static str {
        match self {
            Self::None => "No authentication",
            Self::Basic => "Basic",
            Self::OAuth2 => "OAuth 2.0",
        }
    }
}

/// The authentication fields of the form.
#[derive(Clone, Copy)]
pub struct AuthState {
    kind: RwSignal<AuthKind>,
    username: RwSignal<String>,
    password: RwSignal<String>,
    /// Editing a template whose password is stored: an empty password field keeps it.
    password_saved: bool,
    pub oauth: OAuthState,
}

impl AuthState {
    pub fn new(saved: Option<&AuthOut>) -> Self {
        let (kind, username, password_saved) = match saved {
            Some(AuthOut::Basic {
                username,
                password_set,
            }) => (AuthKind::Basic, username.clone(), *password_set),
            Some(AuthOut::OAuth2(_)) => (AuthKind::OAuth2, String::new(), false),
            _ => (AuthKind::None, String::new(), false),
        };
        let oauth = match saved {
            Some(AuthOut::OAuth2(o)) => Some(o.as_ref()),
            _ => None,
        };
        Self {
            kind: RwSignal::new(kind),
            username: RwSignal::new(username),
            password: RwSignal::new(String::new()),
            password_saved,
            oauth: OAuthState::new(oauth),
        }
    }

    pub fn to_input(self) -> AuthIn {
        let password = self.password.get();
        match self.kind.get() {
            AuthKind::None => AuthIn::None,
            AuthKind::Basic => AuthIn::Basic {
                username: self.username.get(),
                password: (!(password.is_empty() && self.password_saved)).then_some(password),
            },
            AuthKind::OAuth2 => AuthIn::OAuth2(Box::new(self.oauth.to_input())),
        }
    }
}

#[component]
pub fn AuthFields(
    auth: AuthState,
    oauth_actions: OAuthActions,
    error: RwSignal<Option<ApiError>>,
) -> impl IntoView {
    let form = auth;
    let auth = form.kind;
    let password_hint = form.password_saved.then(|| {
        "A password is saved (••••). Leave this empty to keep it, or type a new one.".to_owned()
    });
    let kinds = AuthKind::ALL.map(|k| (k, k.label().to_owned())).to_vec();
    view! {
        <SelectField id="auth-type" label="Authentication type" value=auth choices=kinds narrow=true/>
        {move || match auth.get() {
            AuthKind::None => view! {
                <p class="hint">"No credentials are added; put any the destination needs in a header."</p>
            }.into_sync_any(),
            AuthKind::Basic => view! {
                <p class="hint">"Every request carries "<code>"Authorization: Basic base64(user:password)"</code>"."</p>
                <div class="field-row">
                    <TextField id="auth-username" label="Username" value=form.username autocomplete="off"
                        error=field_error(error, "auth.username")/>
                    <TextField id="auth-password" label="Password" value=form.password input_type="password"
                        autocomplete="new-password" placeholder=form.password_saved.then(|| "••••".to_owned())
                        hint=password_hint.clone() error=field_error(error, "auth.password")/>
                </div>
            }.into_sync_any(),
            AuthKind::OAuth2 => view! {
                <p class="hint">
                    "Every request carries "<code>"Authorization: Bearer <access token>"</code>
                    "; Hookline fetches the token, keeps it until shortly before it expires, and fetches a new one when the destination answers 401."
                </p>
                <OAuthFields oauth=form.oauth actions=oauth_actions error/>
            }.into_sync_any(),
        }}
    }
}
