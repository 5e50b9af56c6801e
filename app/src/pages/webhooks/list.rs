//! The list of webhook templates, with edit and delete.

use leptos::prelude::*;

use crate::sync_hydrated::IntoSyncAny;

use crate::api::settings::project_clock;
use crate::api::webhooks::{delete_template, list_templates};
use crate::components::error_banner::{ErrorBanner, loaded_list};
use crate::components::flash::use_flash;
use crate::components::page_header::PageHeader;
use crate::components::row_actions::{RowActions, on_deleted};
use crate::model::time_fmt::ZoneClock;
use crate::model::webhook::WebhookTemplateOut;
use crate::model::{ApiError, TemplateId};

#[component]
pub fn WebhooksPage() -> impl IntoView {
    let version = RwSignal::new(0u32);
    let templates = Resource::new(
        move || version.get(),
        |_| async { Ok::<_, ApiError>((list_templates().await?, project_clock().await?)) },
    );
    view! {
        <PageHeader title="Webhooks" lead="Templates say where campaign requests go, with which method, headers and authentication.">
            <a class="btn-primary" href="/webhooks/new">"+ Add Webhook"</a>
        </PageHeader>
        <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                let loaded = templates.await;
                let clock = loaded.as_ref().map(|(_, c)| c.clone()).unwrap_or_default();
                loaded_list(
                    loaded.map(|(list, _)| list),
                    || view! {
                        <section class="card empty-state">
                            <h2>"No webhook templates yet"</h2>
                            <p>"Add the endpoint your campaigns will call. Hookline sends it a test request before saving."</p>
                            <a class="btn-primary" href="/webhooks/new">"+ Add Webhook"</a>
                        </section>
                    }.into_sync_any(),
                    |list| view! { <TemplateTable templates=list clock version/> }.into_sync_any(),
                )
            })}
        </Transition>
    }
}

#[component]
fn TemplateTable(
    templates: Vec<WebhookTemplateOut>,
    /// The project time zone, times are shown in.
    clock: ZoneClock,
    version: RwSignal<u32>,
) -> impl IntoView {
    let confirming = RwSignal::new(None::<TemplateId>);
    let error = RwSignal::new(None::<ApiError>);
    let flash = use_flash();
    let delete = Action::new(|id: &TemplateId| delete_template(*id));
    on_deleted(delete, confirming, error, move || {
        flash.set("/webhooks", "The webhook template was deleted.");
        version.update(|v| *v += 1);
    });
    let rows = templates
        .into_iter()
        .map(|t| {
            let id = t.id;
            let name = t.name.clone();
            view! {
                <tr>
                    <th scope="row"><a href=format!("/webhooks/{id}")>{t.name.clone()}</a></th>
                    <td><span class="method">{t.method.as_str()}</span></td>
                    <td class="url"><code>{t.url.clone()}</code></td>
                    <td>{t.auth.label()}</td>
                    <td>{clock.format_minutes(t.updated_at)}</td>
                    <td class="actions">
                        <RowActions id name edit_href=format!("/webhooks/{id}") confirming delete/>
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
                        <th scope="col">"Method"</th>
                        <th scope="col">"Destination URL"</th>
                        <th scope="col">"Authentication"</th>
                        <th scope="col">"Updated"</th>
                        <th scope="col"><span class="visually-hidden">"Actions"</span></th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}
