//! The Authentication part of the template form: the type, then that type's fields.

use leptos::prelude::*;

use super::form::FormState;
use super::oauth_actions::OAuthActions;
use super::oauth_fields::OAuthFields;
use crate::components::error_banner::field_error;
use crate::components::field::TextField;
use crate::components::select_field::SelectField;
use crate::model::ApiError;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthKind {
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

#[component]
pub fn AuthFields(
    form: FormState,
    oauth_actions: OAuthActions,
    error: RwSignal<Option<ApiError>>,
) -> impl IntoView {
    let auth = form.auth;
    let password_hint = form.password_saved.then(|| {
        "A password is saved (••••). Leave this empty to keep it, or type a new one.".to_owned()
    });
    let kinds = AuthKind::ALL.map(|k| (k, k.label().to_owned())).to_vec();
    view! {
        <SelectField id="auth-type" label="Authentication type" value=auth choices=kinds narrow=true/>
        {move || match auth.get() {
            AuthKind::None => view! {
                <p class="hint">"No credentials are added; put any the destination needs in a header."</p>
            }.into_any(),
            AuthKind::Basic => view! {
                <p class="hint">"Every request carries "<code>"Authorization: Basic base64(user:password)"</code>"."</p>
                <div class="field-row">
                    <TextField id="auth-username" label="Username" value=form.username autocomplete="off"
                        error=field_error(error, "auth.username")/>
                    <TextField id="auth-password" label="Password" value=form.password input_type="password"
                        autocomplete="new-password" placeholder=form.password_saved.then(|| "••••".to_owned())
                        hint=password_hint.clone() error=field_error(error, "auth.password")/>
                </div>
            }.into_any(),
            AuthKind::OAuth2 => view! {
                <p class="hint">
                    "Every request carries "<code>"Authorization: Bearer <access token>"</code>
                    "; Hookline fetches the token, keeps it until shortly before it expires, and fetches a new one when the destination answers 401."
                </p>
                <OAuthFields oauth=form.oauth actions=oauth_actions error/>
            }.into_any(),
        }}
    }
}
