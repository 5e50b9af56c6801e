//! The form-level part of an `ApiError`: what went wrong, and for a destination's answer its status and
//! the start of its body. Field messages are shown next to their fields instead.

use leptos::prelude::*;

use crate::sync_hydrated::IntoSyncAny;

use crate::model::ApiError;

#[component]
pub fn ErrorBanner(#[prop(into)] error: Signal<Option<ApiError>>) -> impl IntoView {
    move || {
        error.get().map(|e| {
            let detail = match &e {
                ApiError::Upstream { status, body_excerpt, .. } => Some(view! {
                    <dl class="upstream">
                        <dt>"Status"</dt>
                        <dd>{status.map_or_else(|| "no response".to_owned(), |s| s.to_string())}</dd>
                        {(!body_excerpt.is_empty()).then(|| view! {
                            <dt>"Response body"</dt>
                            <dd><pre>{body_excerpt.clone()}</pre></dd>
                        })}
                    </dl>
                }),
                _ => None,
            };
            view! {
                <div class="notice notice-error" role="alert">
                    <p>{e.to_string()}</p>
                    {detail}
                </div>
            }
        })
    }
}

/// The message for one field of a validation error, following the error as it changes.
pub fn field_error(
    error: RwSignal<Option<ApiError>>,
    field: impl Into<String>,
) -> Signal<Option<String>> {
    let field = field.into();
    Signal::derive(move || error.with(|e| field_message(e.as_ref(), &field)))
}

pub fn field_message(error: Option<&ApiError>, field: &str) -> Option<String> {
    error
        .and_then(ApiError::fields)
        .and_then(|f| f.get(field))
        .map(str::to_owned)
}

/// What a page shows when what it loads failed: the error, or (signed out) the way to login.
pub fn load_failed(error: ApiError) -> AnyView {
    redirect_if_signed_out(&error);
    view! { <ErrorBanner error=Signal::stored(Some(error))/> }.into_sync_any()
}

/// A loaded list: `empty` when it has nothing, `list` with its items, or what `load_failed` shows.
pub fn loaded_list<T>(
    loaded: Result<Vec<T>, ApiError>,
    empty: impl FnOnce() -> AnyView,
    list: impl FnOnce(Vec<T>) -> AnyView,
) -> AnyView {
    match loaded {
        Ok(items) if items.is_empty() => empty(),
        Ok(items) => list(items),
        Err(e) => load_failed(e),
    }
}

/// In the browser: a server function answered "not signed in" (the session ended), so go to login.
pub fn redirect_if_signed_out(error: &ApiError) {
    if matches!(error, ApiError::Unauthorized { .. }) {
        #[cfg(feature = "hydrate")]
        {
            let _ = window().location().set_href("/login");
        }
    }
}
