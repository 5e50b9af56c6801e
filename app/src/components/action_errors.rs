//! Where the error of a button's server call goes: field errors beside their fields (the form's error),
//! any other error next to the button that caused it.

use leptos::prelude::*;

use super::error_banner::redirect_if_signed_out;
use crate::model::ApiError;

/// Follows `action`'s answers: a validation error goes to `error` (the form's), any other to `shown`,
/// and a success clears `shown`.
pub fn follow_errors<I, T>(
    action: Action<I, Result<T, ApiError>>,
    error: RwSignal<Option<ApiError>>,
    shown: RwSignal<Option<ApiError>>,
) where
    I: Send + Sync + 'static,
    T: Send + Sync + 'static,
{
    Effect::new(move |_| {
        let failure = action.value().with(|a| match a {
            Some(Err(e)) => Some(e.clone()),
            _ => None,
        });
        match failure {
            Some(e) if e.fields().is_some() => {
                shown.set(None);
                error.set(Some(e));
            }
            Some(e) => {
                redirect_if_signed_out(&e);
                shown.set(Some(e));
            }
            None => shown.set(None),
        }
    });
}
