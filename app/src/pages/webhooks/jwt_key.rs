//! The key pair of Client Credentials with JWT: Generate Public Key (later Regenerate, after a
//! confirmation, since the old key stops working at once), and the public key to hand to the
//! authorization server, as PEM and as a JWKS URL.

use leptos::prelude::*;

use super::jwt_state::JwtState;
use super::oauth_actions::OAuthActions;
use crate::components::copy_button::CopyButton;
use crate::components::error_banner::{ErrorBanner, field_error};
use crate::components::select_field::SelectField;
use crate::model::ApiError;
use crate::model::oauth::{KEY_SIZES, PublicKeyOut};
use crate::model::time_fmt::format_utc_minutes;

#[component]
pub fn KeyPairFields(
    jwt: JwtState,
    actions: OAuthActions,
    error: RwSignal<Option<ApiError>>,
) -> impl IntoView {
    let confirming = RwSignal::new(false);
    let has_key = Memo::new(move |_| jwt.key_set.with(|k| !k.is_empty()));
    let pending = actions.key.pending();
    let missing = field_error(error, "auth.jwt.key_set");
    let sizes = KEY_SIZES
        .map(|bits| (bits, format!("{bits} bits")))
        .to_vec();
    let generate = move |_| {
        confirming.set(false);
        actions.generate_key();
    };
    let ask = move |_| {
        if has_key.get_untracked() {
            confirming.update(|c| *c = !*c);
        } else {
            actions.generate_key();
        }
    };
    let label = move || match (pending.get(), has_key.get()) {
        (true, _) => "Generating key pair\u{2026}",
        (false, true) => "Regenerate Public Key",
        (false, false) => "Generate Public Key",
    };
    view! {
        <fieldset>
            <legend>"Key pair"</legend>
            <p class="hint">
                "Hookline signs every client assertion with a private key that never leaves the server. "
                "Register the public key with your authorization server, as PEM or by its JWKS URL."
            </p>
            <div class="field-row field-row-end">
                <SelectField id="oauth-key-size" label="Key size" value=jwt.bits choices=sizes narrow=true/>
                <div class="field-buttons">
                    <button type="button" class="btn-secondary" disabled=move || pending.get()
                        aria-expanded=move || has_key.get().then(|| confirming.get().to_string())
                        aria-describedby=move || missing.get().map(|_| "oauth-key-error") on:click=ask>
                        {label}
                    </button>
                </div>
            </div>
            {move || confirming.get().then(|| view! {
                <div class="confirm-box" role="group" aria-label="Confirm regenerating the key pair">
                    <p>"The current key stops working at once: your authorization server must fetch the new one. Regenerate?"</p>
                    <button type="button" class="btn-danger" on:click=generate>"Yes, regenerate"</button>
                    <button type="button" class="btn-secondary" on:click=move |_| confirming.set(false)>"Cancel"</button>
                </div>
            })}
            {move || missing.get().map(|m| view! { <p class="field-error" id="oauth-key-error">{m}</p> })}
            <ErrorBanner error=actions.key_error/>
            {move || jwt.public_key.get().map(|key| view! { <PublicKey key/> })}
        </fieldset>
    }
}

#[component]
fn PublicKey(key: PublicKeyOut) -> impl IntoView {
    // The page's own origin, known only in the browser; the server renders the path alone.
    let origin = RwSignal::new(String::new());
    Effect::new(move |_| origin.set(window().location().origin().unwrap_or_default()));
    let path = key.jwks_path.clone();
    let jwks_url = Signal::derive(move || format!("{}{path}", origin.get()));
    let pem = key.pem.clone();
    view! {
        <div class="field">
            <label for="oauth-public-key">"Public key (PEM)"</label>
            <textarea id="oauth-public-key" class="code" rows="9" readonly prop:value=pem.clone()>{pem.clone()}</textarea>
            <CopyButton text=pem label="Copy public key"/>
        </div>
        <div class="field">
            <label for="oauth-jwks-url">"JWKS URL"</label>
            <p class="hint" id="oauth-jwks-url-hint">"Serves the current public key as a JSON Web Key Set."</p>
            <input id="oauth-jwks-url" type="text" readonly aria-describedby="oauth-jwks-url-hint"
                value=key.jwks_path.clone() prop:value=jwks_url/>
            <CopyButton text=jwks_url label="Copy JWKS URL"/>
        </div>
        <dl class="pairs">
            <dt>"Key ID"</dt>
            <dd><code>{key.kid}</code></dd>
            <dt>"Size"</dt>
            <dd>{format!("{} bits", key.bits)}</dd>
            <dt>"Generated"</dt>
            <dd>{format_utc_minutes(key.created_at)}</dd>
        </dl>
    }
}
