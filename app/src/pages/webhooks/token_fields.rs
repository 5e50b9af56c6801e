//! The access token: Generate fetches one now with the settings as typed and shows the (masked) answer;
//! the mapping says which response fields hold the tokens and how long a token is used. The last
//! response's fields are offered as suggestions.

use leptos::prelude::*;

use crate::sync_hydrated::IntoSyncAny;

use super::mapping_state::{ExpiryKind, MappingState};
use super::oauth_actions::OAuthActions;
use super::oauth_state::OAuthState;
use crate::components::error_banner::{ErrorBanner, field_error};
use crate::components::field::TextField;
use crate::components::select_field::SelectField;
use crate::model::ApiError;
use crate::model::oauth::{ExpiryUnit, GrantType, TokenProbeOut};

/// The `<datalist>` of the last response's field paths.
const FIELDS_LIST: &str = "oauth-response-fields";

#[component]
pub fn TokenFields(
    oauth: OAuthState,
    actions: OAuthActions,
    error: RwSignal<Option<ApiError>>,
) -> impl IntoView {
    let pending = actions.token.pending();
    let shown = move || match actions.token.value().get() {
        Some(Ok(probe)) => Some(view! { <TokenProbe probe/> }),
        _ => None,
    };
    let is_password = Memo::new(move |_| oauth.grant.get() == GrantType::Password);
    view! {
        <fieldset>
            <legend>"Access token"</legend>
            <div class="probe">
                <button type="button" class="btn-secondary" disabled=move || pending.get()
                    on:click=move |_| actions.fetch_token()>
                    {move || if pending.get() { "Requesting a token\u{2026}" } else { "Generate token" }}
                </button>
                <p class="hint">"Requests a token now with the settings above, to check them and to see which fields the response has."</p>
                <ErrorBanner error=actions.token_error/>
                {shown}
            </div>
            <MappingFields mapping=oauth.mapping is_password error/>
            <datalist id=FIELDS_LIST>
                {move || actions.response_fields.get().into_iter().map(|f| view! { <option value=f/> }).collect_view()}
            </datalist>
        </fieldset>
    }
}

#[component]
fn MappingFields(
    mapping: MappingState,
    is_password: Memo<bool>,
    error: RwSignal<Option<ApiError>>,
) -> impl IntoView {
    let kinds = [ExpiryKind::FromResponse, ExpiryKind::Fixed]
        .map(|k| (k, k.label().to_owned()))
        .to_vec();
    let units = ExpiryUnit::ALL.map(|u| (u, u.as_str().to_owned())).to_vec();
    let expiry = mapping.expiry;
    view! {
        <div class="field-row">
            <TextField id="oauth-map-access-token" label="Access token field" value=mapping.access_token
                list=FIELDS_LIST error=field_error(error, "auth.mapping.access_token")/>
            {move || is_password.get().then(|| view! {
                <TextField id="oauth-map-refresh-token" label="Refresh token field" value=mapping.refresh_token
                    list=FIELDS_LIST error=field_error(error, "auth.mapping.refresh_token")/>
            })}
        </div>
        <div class="field-row">
            <SelectField id="oauth-expiry" label="Expiry" value=expiry choices=kinds narrow=true/>
            {move || match expiry.get() {
                ExpiryKind::FromResponse => view! {
                    <TextField id="oauth-map-expires-in" label="Expires-in field" value=mapping.expires_in
                        list=FIELDS_LIST
                        error=field_error(error, "auth.mapping.expires_in")/>
                }.into_sync_any(),
                ExpiryKind::Fixed => view! {
                    <TextField id="oauth-expiry-value" label="Fixed expiry" value=mapping.fixed_value
                        input_type="number" min="1" error=field_error(error, "auth.mapping.expiry")/>
                    <SelectField id="oauth-expiry-unit" label="Unit" value=mapping.fixed_unit
                        choices=units.clone() narrow=true/>
                }.into_sync_any(),
            }}
        </div>
    }
}

#[component]
fn TokenProbe(probe: TokenProbeOut) -> impl IntoView {
    view! {
        <div class="notice notice-ok probe-result" role="status">
            <p>{format!("The token endpoint answered {} in {} ms.", probe.status, probe.latency_ms)}</p>
            <dl class="pairs">
                <dt>"Access token"</dt>
                <dd><code>{probe.access_token}</code></dd>
                {probe.refresh_token.map(|t| view! {
                    <dt>"Refresh token"</dt>
                    <dd><code>{t}</code></dd>
                })}
                <dt>"Expires in"</dt>
                <dd>{format!("{} seconds", probe.expires_in_secs)}</dd>
            </dl>
            <figure>
                <figcaption>"Response"</figcaption>
                <pre>{probe.response}</pre>
            </figure>
        </div>
    }
}
