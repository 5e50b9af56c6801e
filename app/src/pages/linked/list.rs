//! The list of linked content: name (as used in templates), method and URL, cache time.

use leptos::prelude::*;

use crate::sync_hydrated::IntoSyncAny;

use crate::api::linked::{delete_linked, list_linked};
use crate::components::error_banner::{ErrorBanner, loaded_list};
use crate::components::flash::use_flash;
use crate::components::page_header::PageHeader;
use crate::components::row_actions::{RowActions, on_deleted};
use crate::model::linked::LinkedContentOut;
use crate::model::{ApiError, LinkedId};

#[component]
pub fn LinkedContentPage() -> impl IntoView {
    let version = RwSignal::new(0u32);
    let items = Resource::new(move || version.get(), |_| list_linked());
    view! {
        <nav class="breadcrumbs" aria-label="Breadcrumb"><a href="/settings">"Settings"</a>" / Linked content"</nav>
        <PageHeader title="Linked content" lead="External sources fetched for each user when a campaign sends, usable in custom bodies as Linked.<name>.">
            <a class="btn-primary" href="/settings/linked/new">"+ New linked content"</a>
        </PageHeader>
        <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                loaded_list(
                    items.await,
                    || view! {
                        <section class="card empty-state">
                            <h2>"No linked content yet"</h2>
                            <p>"Linked content brings data from your own APIs into a webhook's body: the weather in the user's city, their loyalty points. Its URL may use the user's profile, such as "<code>"{{ Profile.City }}"</code>"."</p>
                            <a class="btn-primary" href="/settings/linked/new">"+ New linked content"</a>
                        </section>
                    }.into_sync_any(),
                    |list| view! { <LinkedTable items=list version/> }.into_sync_any(),
                )
            })}
        </Transition>
    }
}

#[component]
fn LinkedTable(items: Vec<LinkedContentOut>, version: RwSignal<u32>) -> impl IntoView {
    let confirming = RwSignal::new(None::<LinkedId>);
    let error = RwSignal::new(None::<ApiError>);
    let flash = use_flash();
    let delete = Action::new(|id: &LinkedId| delete_linked(*id));
    on_deleted(delete, confirming, error, move || {
        flash.set("/settings/linked", "The linked content was deleted.");
        version.update(|v| *v += 1);
    });
    let rows = items
        .into_iter()
        .map(|l| {
            let id = l.id;
            let name = l.content.name.clone();
            let cache = match l.content.cache_secs {
                0 => "Not cached".to_owned(),
                s => format!("{s} s"),
            };
            view! {
                <tr>
                    <th scope="row"><a href=format!("/settings/linked/{id}")>{format!("Linked.{}", l.content.name)}</a></th>
                    <td><span class="method">{l.content.method.as_str()}</span>" "<code class="url">{l.content.url.clone()}</code></td>
                    <td>{cache}</td>
                    <td class="actions">
                        <RowActions id name edit_href=format!("/settings/linked/{id}") confirming delete/>
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <ErrorBanner error=error/>
        <div class="card table-card">
            <table>
                <thead>
                    <tr>
                        <th scope="col">"Name"</th>
                        <th scope="col">"Request"</th>
                        <th scope="col">"Cache"</th>
                        <th scope="col"><span class="visually-hidden">"Actions"</span></th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}
