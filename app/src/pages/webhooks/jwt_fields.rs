//! Client Credentials with JWT: the key pair, the client assertion's header and payload, and Generate
//! Client Assertion, which signs one now and shows it decoded.

use leptos::prelude::*;

use super::jwt_key::KeyPairFields;
use super::jwt_state::JwtState;
use super::oauth_actions::OAuthActions;
use super::oauth_state::OAuthState;
use crate::components::copy_button::CopyButton;
use crate::components::error_banner::{ErrorBanner, field_error};
use crate::components::field::TextField;
use crate::components::select_field::SelectField;
use crate::model::ApiError;
use crate::model::oauth::{AssertionOut, JwtAlgorithm};

#[component]
pub fn JwtFields(
    oauth: OAuthState,
    actions: OAuthActions,
    error: RwSignal<Option<ApiError>>,
) -> impl IntoView {
    let jwt = oauth.jwt;
    let pending = actions.assertion.pending();
    let shown = move || match actions.assertion.value().get() {
        Some(Ok(assertion)) => Some(view! { <Assertion assertion/> }),
        _ => None,
    };
    view! {
        <KeyPairFields jwt actions error/>
        <HeaderFields jwt error/>
        <PayloadFields jwt error/>
        <div class="probe">
            <button type="button" class="btn-secondary" disabled=move || pending.get()
                on:click=move |_| actions.sign_assertion()>
                {move || if pending.get() { "Signing\u{2026}" } else { "Generate Client Assertion" }}
            </button>
            <p class="hint">"Signs an assertion as a token request would, to check the header and payload."</p>
            <ErrorBanner error=actions.assertion_error/>
            {shown}
        </div>
    }
}

#[component]
fn HeaderFields(jwt: JwtState, error: RwSignal<Option<ApiError>>) -> impl IntoView {
    let algorithms = JwtAlgorithm::ALL
        .map(|a| (a, a.as_str().to_owned()))
        .to_vec();
    let kid_placeholder = Signal::derive(move || {
        jwt.public_key.with(|k| {
            Some(
                k.as_ref()
                    .map_or_else(|| "The key's id".to_owned(), |k| k.kid.clone()),
            )
        })
    });
    view! {
        <fieldset>
            <legend>"JWT header"</legend>
            <div class="field-row">
                <SelectField id="jwt-alg" label="Algorithm (alg)" value=jwt.alg choices=algorithms narrow=true/>
                <TextField id="jwt-typ" label="Type (typ)" value=jwt.typ placeholder="JWT"
                    error=field_error(error, "auth.jwt.header.typ")/>
                <TextField id="jwt-cty" label="Content Type (cty)" value=jwt.cty
                    error=field_error(error, "auth.jwt.header.cty")/>
            </div>
            <TextField id="jwt-kid" label="Key ID (kid)" value=jwt.kid placeholder=kid_placeholder
                hint="Leave empty to send the key's id." error=field_error(error, "auth.jwt.header.kid")/>
            <TextField id="jwt-crit" label="Critical (crit)" value=jwt.crit placeholder="exp, aud"
                hint="Names the recipient must understand, separated by commas."
                error=field_error(error, "auth.jwt.header.crit")/>
        </fieldset>
    }
}

#[component]
fn PayloadFields(jwt: JwtState, error: RwSignal<Option<ApiError>>) -> impl IntoView {
    view! {
        <fieldset>
            <legend>"JWT payload"</legend>
            <div class="field-row">
                <TextField id="jwt-iss" label="Issuer (iss)" value=jwt.iss placeholder="The client ID"
                    error=field_error(error, "auth.jwt.claims.iss")/>
                <TextField id="jwt-sub" label="Subject (sub)" value=jwt.sub placeholder="The client ID"
                    error=field_error(error, "auth.jwt.claims.sub")/>
            </div>
            <TextField id="jwt-aud" label="Audience (aud)" value=jwt.aud placeholder="The Access Token URL"
                error=field_error(error, "auth.jwt.claims.aud")/>
            <div class="field-row">
                <div class="field-medium">
                    <TextField id="jwt-lifetime" label="Lifetime in seconds" value=jwt.lifetime input_type="number"
                        min="1" hint="Sets the expiry (exp), counted from signing."
                        error=field_error(error, "auth.jwt.claims.lifetime_secs")/>
                </div>
            </div>
            <TextField id="jwt-jti-prefix" label="JWT ID (jti) prefix" value=jwt.jti_prefix
                hint="A unique random id is appended for every assertion."
                error=field_error(error, "auth.jwt.claims.jti_prefix")/>
            <div class="check-field">
                <input id="jwt-use-iat" type="checkbox" bind:checked=jwt.use_iat/>
                <label for="jwt-use-iat">"Use Issued At (iat)"</label>
            </div>
        </fieldset>
    }
}

#[component]
fn Assertion(assertion: AssertionOut) -> impl IntoView {
    let jwt = assertion.jwt.clone();
    view! {
        <div class="probe-result">
            <div class="field">
                <label for="oauth-assertion">"Client assertion (JWT)"</label>
                <textarea id="oauth-assertion" class="code" rows="4" readonly prop:value=jwt.clone()>{jwt.clone()}</textarea>
                <CopyButton text=jwt label="Copy client assertion"/>
            </div>
            <figure>
                <figcaption>"Decoded header"</figcaption>
                <pre class="code">{assertion.header}</pre>
            </figure>
            <figure>
                <figcaption>"Decoded claims"</figcaption>
                <pre class="code">{assertion.claims}</pre>
            </figure>
        </div>
    }
}
