//! The OAuth 2.0 part of the template form: the grant, the client's and resource owner's credentials and
//! the token endpoints, then the JWT settings (Client Credentials with JWT) and the token itself.

use leptos::prelude::*;

use super::jwt_fields::JwtFields;
use super::oauth_actions::OAuthActions;
use super::oauth_state::OAuthState;
use super::token_fields::TokenFields;
use crate::components::error_banner::field_error;
use crate::components::field::TextField;
use crate::components::select_field::SelectField;
use crate::model::ApiError;
use crate::model::oauth::{ClientAuthentication, GrantType};

/// The hint under a secret field when editing a template that has one saved.
fn keep_hint(saved: bool, what: &str) -> Option<String> {
    saved.then(|| {
        format!("A {what} is saved (••••). Leave this empty to keep it, or type a new one.")
    })
}

#[component]
pub fn OAuthFields(
    oauth: OAuthState,
    actions: OAuthActions,
    error: RwSignal<Option<ApiError>>,
) -> impl IntoView {
    let grant = oauth.grant;
    let uses_secret = Memo::new(move |_| grant.get().uses_secret());
    let is_password = Memo::new(move |_| grant.get() == GrantType::Password);
    let is_jwt = Memo::new(move |_| grant.get() == GrantType::ClientCredentialsJwt);
    let grants = GrantType::ALL.map(|g| (g, g.label().to_owned())).to_vec();
    let client_auths = ClientAuthentication::ALL
        .map(|c| (c, c.label().to_owned()))
        .to_vec();
    let saved_placeholder = |saved: bool| saved.then(|| "••••".to_owned());
    view! {
        <SelectField id="oauth-grant" label="Grant Type" value=grant choices=grants/>
        <div class="field-row">
            <TextField id="oauth-client-id" label="Client ID" value=oauth.client_id autocomplete="off"
                error=field_error(error, "auth.client_id")/>
            {move || uses_secret.get().then(|| view! {
                <TextField id="oauth-client-secret" label="Secret" value=oauth.client_secret input_type="password"
                    autocomplete="new-password" placeholder=saved_placeholder(oauth.secret_saved)
                    hint=keep_hint(oauth.secret_saved, "secret") error=field_error(error, "auth.client_secret")/>
            })}
        </div>
        {move || is_password.get().then(|| view! {
            <div class="field-row">
                <TextField id="oauth-username" label="Username" value=oauth.username autocomplete="off"
                    error=field_error(error, "auth.username")/>
                <TextField id="oauth-password" label="Password" value=oauth.password input_type="password"
                    autocomplete="new-password" placeholder=saved_placeholder(oauth.password_saved)
                    hint=keep_hint(oauth.password_saved, "password") error=field_error(error, "auth.password")/>
            </div>
        })}
        <TextField id="oauth-scopes" label="Scopes" value=oauth.scopes placeholder="read write"
            hint="Separated by spaces; leave empty when the authorization server needs none."
            error=field_error(error, "auth.scopes")/>
        <TextField id="oauth-access-token-url" label="Access Token URL" value=oauth.access_token_url
            input_type="url" placeholder="https://auth.example.com/oauth/token"
            error=field_error(error, "auth.access_token_url")/>
        {move || is_password.get().then(|| view! {
            <TextField id="oauth-refresh-token-url" label="Refresh Token URL" value=oauth.refresh_token_url
                input_type="url" placeholder="Same as the Access Token URL"
                hint="Where an expired access token is renewed with the refresh token."
                error=field_error(error, "auth.refresh_token_url")/>
        })}
        {move || uses_secret.get().then(|| view! {
            <SelectField id="oauth-client-auth" label="Client Authentication Type" value=oauth.client_auth
                choices=client_auths.clone()/>
        })}
        {move || is_jwt.get().then(|| view! { <JwtFields oauth actions error/> })}
        <TokenFields oauth actions error/>
    }
}
