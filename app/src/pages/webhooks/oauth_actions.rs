//! The OAuth form's buttons that ask the server now: generate a key pair, sign a client assertion,
//! fetch a token. Created with the form, so their answers outlive switching the grant back and forth.

use leptos::prelude::*;

use super::oauth_state::OAuthState;
use crate::api::webhooks::{client_assertion, generate_key, generate_token};
use crate::components::action_errors::follow_errors;
use crate::components::focus::{FIRST_INVALID, focus_soon};
use crate::model::oauth::{AssertionOut, OAuthIn, PublicKeyOut, TokenProbeOut};
use crate::model::{ApiError, FieldErrors, TemplateId};

/// `(key set to replace, bits)`: no key set starts a new one.
pub type KeyRequest = (Option<String>, u32);

#[derive(Clone, Copy)]
pub struct OAuthActions {
    pub key: Action<KeyRequest, Result<PublicKeyOut, ApiError>>,
    pub assertion: Action<OAuthIn, Result<AssertionOut, ApiError>>,
    pub token: Action<OAuthIn, Result<TokenProbeOut, ApiError>>,
    /// Errors other than field errors, shown next to each button.
    pub key_error: RwSignal<Option<ApiError>>,
    pub assertion_error: RwSignal<Option<ApiError>>,
    pub token_error: RwSignal<Option<ApiError>>,
    /// The field paths of the last token response, offered for the mapping.
    pub response_fields: RwSignal<Vec<String>>,
    oauth: OAuthState,
    error: RwSignal<Option<ApiError>>,
}

impl OAuthActions {
    /// `error` is the form's: field errors from the server land there, beside their fields.
    pub fn new(
        id: Option<TemplateId>,
        oauth: OAuthState,
        error: RwSignal<Option<ApiError>>,
    ) -> Self {
        let response_fields = RwSignal::new(Vec::new());
        let assertion = Action::new(move |auth: &OAuthIn| client_assertion(id, auth.clone()));
        let key = Action::new(move |(key_set, bits): &KeyRequest| {
            let (key_set, bits) = (key_set.clone(), *bits);
            async move {
                let key = generate_key(key_set, bits).await?;
                oauth.jwt.set_key(key.clone());
                // An assertion shown was signed with the old key.
                assertion.clear();
                Ok(key)
            }
        });
        let token = Action::new(move |auth: &OAuthIn| {
            let auth = auth.clone();
            async move {
                let probe = generate_token(id, auth).await?;
                response_fields.set(probe.fields.clone());
                Ok(probe)
            }
        });
        let this = Self {
            key,
            assertion,
            token,
            key_error: RwSignal::new(None),
            assertion_error: RwSignal::new(None),
            token_error: RwSignal::new(None),
            response_fields,
            oauth,
            error,
        };
        follow_errors(key, error, this.key_error);
        follow_errors(assertion, error, this.assertion_error);
        follow_errors(token, error, this.token_error);
        this
    }

    /// Generate (or, with a key set, regenerate) the key pair.
    pub fn generate_key(&self) {
        let jwt = self.oauth.jwt;
        let key_set = jwt.key_set.get_untracked();
        self.key.dispatch((
            (!key_set.is_empty()).then_some(key_set),
            jwt.bits.get_untracked(),
        ));
    }

    pub fn sign_assertion(&self) {
        if let Some(auth) = self.checked_input() {
            self.assertion.dispatch(auth);
        }
    }

    pub fn fetch_token(&self) {
        if let Some(auth) = self.checked_input() {
            self.token.dispatch(auth);
        }
    }

    /// The OAuth settings as typed, checked as a save would check them; when something is wrong its
    /// field says so and gets the focus, and nothing is sent.
    fn checked_input(&self) -> Option<OAuthIn> {
        let auth = untrack(|| self.oauth.to_input());
        let mut fields = FieldErrors::default();
        auth.check(&mut fields);
        let ok = fields.is_empty();
        self.error
            .update(|e| *e = with_auth_errors(e.take(), fields));
        if ok {
            Some(auth)
        } else {
            focus_soon(FIRST_INVALID);
            None
        }
    }
}

/// The form's error with its `auth.*` field messages replaced by `auth` (other fields keep theirs);
/// an error that is not about fields stays unless there are field messages to show.
fn with_auth_errors(current: Option<ApiError>, auth: FieldErrors) -> Option<ApiError> {
    let mut fields = current
        .as_ref()
        .and_then(ApiError::fields)
        .cloned()
        .unwrap_or_default();
    fields.0.retain(|field, _| !field.starts_with("auth."));
    fields.0.extend(auth.0);
    if fields.is_empty() {
        current.filter(|e| e.fields().is_none())
    } else {
        Some(fields.into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(pairs: &[(&str, &str)]) -> FieldErrors {
        let mut fields = FieldErrors::default();
        for (field, message) in pairs {
            fields.add(*field, *message);
        }
        fields
    }

    #[test]
    fn auth_messages_are_replaced_and_others_kept() {
        let current = ApiError::from(fields(&[
            ("name", "Enter a name."),
            ("auth.client_id", "x"),
        ]));
        let merged = with_auth_errors(Some(current), fields(&[("auth.scopes", "y")])).unwrap();
        let merged = merged.fields().unwrap();
        assert_eq!(merged.get("name"), Some("Enter a name."));
        assert_eq!(merged.get("auth.client_id"), None);
        assert_eq!(merged.get("auth.scopes"), Some("y"));
    }

    #[test]
    fn fixed_auth_fields_clear_the_error_but_not_a_destination_failure() {
        let current = ApiError::from(fields(&[("auth.client_id", "x")]));
        assert_eq!(
            with_auth_errors(Some(current), FieldErrors::default()),
            None
        );
        let upstream = ApiError::Upstream {
            message: "The destination answered 500.".into(),
            status: Some(500),
            body_excerpt: String::new(),
        };
        let kept = with_auth_errors(Some(upstream.clone()), FieldErrors::default());
        assert_eq!(kept, Some(upstream.clone()));
        let replaced = with_auth_errors(Some(upstream), fields(&[("auth.client_id", "x")]));
        assert!(replaced.unwrap().fields().is_some());
    }
}
