//! A table row's Edit link and Delete button; Delete asks "Delete “name”?" in place before it calls
//! the delete action. One row at a time asks (`confirming` holds which).

use leptos::prelude::*;

use crate::sync_hydrated::IntoSyncAny;

#[component]
pub fn RowActions<T>(
    id: T,
    #[prop(into)] name: String,
    #[prop(into)] edit_href: String,
    confirming: RwSignal<Option<T>>,
    delete: Action<T, Result<(), crate::model::ApiError>>,
) -> impl IntoView
where
    T: Copy + PartialEq + Send + Sync + 'static,
{
    move || {
        if confirming.get() == Some(id) {
            view! {
                <span class="confirm">
                    {format!("Delete \u{201c}{name}\u{201d}?")}
                    <button type="button" class="btn-danger" disabled=move || delete.pending().get()
                        on:click=move |_| { delete.dispatch(id); }>"Yes, delete"</button>
                    <button type="button" class="btn-secondary" on:click=move |_| confirming.set(None)>"Cancel"</button>
                </span>
            }
            .into_sync_any()
        } else {
            view! {
                <a class="btn-secondary" href=edit_href.clone()>"Edit"</a>
                <button type="button" class="btn-secondary" aria-label=format!("Delete {name}")
                    on:click=move |_| confirming.set(Some(id))>"Delete"</button>
            }
            .into_sync_any()
        }
    }
}

/// What a list does once a delete has answered: on success clear the question, say so, reload; on
/// failure show the error.
pub fn on_deleted<T: Send + Sync + 'static>(
    delete: Action<T, Result<(), crate::model::ApiError>>,
    confirming: RwSignal<Option<T>>,
    error: RwSignal<Option<crate::model::ApiError>>,
    done: impl Fn() + 'static,
) {
    Effect::new(move |_| match delete.value().get() {
        Some(Ok(())) => {
            confirming.set(None);
            done();
        }
        Some(Err(e)) => {
            crate::components::error_banner::redirect_if_signed_out(&e);
            confirming.set(None);
            error.set(Some(e));
        }
        None => {}
    });
}
