//! The list of saved segments: name, rules in words, who qualifies now, which campaigns target it.

use leptos::prelude::*;

use crate::sync_hydrated::IntoSyncAny;

use crate::api::segments::{delete_segment, list_segments};
use crate::components::error_banner::{ErrorBanner, loaded_list};
use crate::components::flash::use_flash;
use crate::components::format::format_count;
use crate::components::page_header::PageHeader;
use crate::components::row_actions::{RowActions, on_deleted};
use crate::model::saved_segment::SavedSegmentOut;
use crate::model::{ApiError, SegmentId};

#[component]
pub fn SegmentsPage() -> impl IntoView {
    let version = RwSignal::new(0u32);
    let segments = Resource::new(move || version.get(), |_| list_segments());
    view! {
        <PageHeader title="Segments" lead="Groups of users defined by the events they did, or did not do, and their profile properties.">
            <a class="btn-primary" href="/segments/new">"+ New segment"</a>
        </PageHeader>
        <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                loaded_list(
                    segments.await,
                    || view! {
                        <section class="card empty-state">
                            <h2>"No segments yet"</h2>
                            <p>"Save a segment to target it from several campaigns. Segments are built from the events your apps send to "<code>"POST /1/upload"</code>"; the credentials are under "<a href="/settings">"Settings"</a>"."</p>
                            <a class="btn-primary" href="/segments/new">"+ New segment"</a>
                        </section>
                    }.into_sync_any(),
                    |list| view! { <SegmentTable segments=list version/> }.into_sync_any(),
                )
            })}
        </Transition>
    }
}

#[component]
fn SegmentTable(segments: Vec<SavedSegmentOut>, version: RwSignal<u32>) -> impl IntoView {
    let confirming = RwSignal::new(None::<SegmentId>);
    let error = RwSignal::new(None::<ApiError>);
    let flash = use_flash();
    let delete = Action::new(|id: &SegmentId| delete_segment(*id));
    on_deleted(delete, confirming, error, move || {
        flash.set("/segments", "The segment was deleted.");
        version.update(|v| *v += 1);
    });
    let rows = segments
        .into_iter()
        .map(|s| {
            let id = s.id;
            let name = s.name.clone();
            let used_by = if s.used_by.is_empty() {
                "\u{2014}".to_owned()
            } else {
                s.used_by.join(", ")
            };
            view! {
                <tr>
                    <th scope="row"><a href=format!("/segments/{id}")>{s.name.clone()}</a></th>
                    <td>{s.description.clone()}</td>
                    <td class="number">{format_count(s.qualifying)}</td>
                    <td>{used_by}</td>
                    <td class="actions">
                        <RowActions id name edit_href=format!("/segments/{id}") confirming delete/>
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
                        <th scope="col">"Rules"</th>
                        <th scope="col">"Users now"</th>
                        <th scope="col">"Used by"</th>
                        <th scope="col"><span class="visually-hidden">"Actions"</span></th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}
