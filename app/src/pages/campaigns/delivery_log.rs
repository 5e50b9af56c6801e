//! The campaign page's tables: failures by reason, and the delivery log — paged, filtered, exported as
//! CSV — with every attempt of each request (time, status code, latency, error, the start of the answer).

use leptos::prelude::*;

use crate::sync_hydrated::IntoSyncAny;

use super::delivery_filters::{LogFilterForm, Pager, Pages};
use super::replay::{Replay, ReplayBar};
use crate::api::campaigns::campaign_deliveries;
use crate::components::error_banner::{ErrorBanner, redirect_if_signed_out};
use crate::components::format::format_count;
use crate::model::campaign_report::{
    AttemptOut, DISPATCH_FAILED, DeliveryOut, DeliveryStatus, FailureReasonOut,
};
use crate::model::delivery_log::{DELIVERY_PAGE_SIZE, DeliveryFilter, DeliveryPageOut};
use crate::model::time_fmt::ZoneClock;
use crate::model::{ApiError, CampaignId};

const DASH: &str = "\u{2014}";

#[component]
pub fn FailuresByReason(#[prop(into)] failures: Signal<Vec<FailureReasonOut>>) -> impl IntoView {
    view! {
        <section class="card" aria-labelledby="failures-heading">
            <h2 id="failures-heading">"Failures by reason"</h2>
            <p class="hint">"Requests whose last attempt failed, by the reason of that failure."</p>
            {move || {
                let rows = failures.get();
                if rows.is_empty() {
                    return view! { <p class="muted">"No failures."</p> }.into_sync_any();
                }
                view! {
                    <div class="table-card inner">
                        <table>
                            <caption>{DISPATCH_FAILED}</caption>
                            <thead>
                                <tr>
                                    <th scope="col">"Reason"</th>
                                    <th scope="col" class="num">"Requests"</th>
                                    <th scope="col" class="num">"Users"</th>
                                </tr>
                            </thead>
                            <tbody>
                                {rows.into_iter().map(|f| view! {
                                    <tr>
                                        <td>{f.reason}</td>
                                        <td class="num">{format_count(f.requests)}</td>
                                        <td class="num">{format_count(f.users)}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }
                .into_sync_any()
            }}
        </section>
    }
}

#[component]
pub fn DeliveryLog(
    campaign: CampaignId,
    /// The project time zone, the log's times are shown in.
    clock: ZoneClock,
    /// Since when the destination's circuit is open (pending deliveries wait for it).
    #[prop(into)]
    paused_since: Signal<Option<i64>>,
    /// The failure reasons to filter by.
    #[prop(into)]
    reasons: Signal<Vec<String>>,
    /// Whether the campaign has failed deliveries (to replay).
    #[prop(into)]
    any_failed: Signal<bool>,
    /// Changes whenever the campaign page refreshed: the page of the log shown reloads with it.
    #[prop(into)]
    refreshed: Signal<usize>,
    /// Called after failed deliveries were put back in the outbox.
    on_replayed: impl Fn() + Send + Sync + 'static,
) -> impl IntoView {
    let clock = StoredValue::new(clock);
    let replay = Replay::new(campaign, on_replayed);
    let filter = RwSignal::new(DeliveryFilter::default());
    let pages = Pages::new();
    let loaded = LocalResource::new(move || {
        let (filter, before, _) = (filter.get(), pages.before(), refreshed.get());
        campaign_deliveries(campaign, filter, before, Some(DELIVERY_PAGE_SIZE))
    });
    // The last page loaded stays shown while the next one loads (no flicker while refreshing).
    let shown = RwSignal::new(None::<DeliveryPageOut>);
    let error = RwSignal::new(None::<ApiError>);
    Effect::new(move |_| match loaded.get() {
        Some(Ok(page)) => {
            error.set(None);
            shown.set(Some(page));
        }
        Some(Err(e)) => {
            redirect_if_signed_out(&e);
            error.set(Some(e));
        }
        None => {}
    });
    let csv_href = move || {
        let query = filter.with(DeliveryFilter::to_query);
        let path = format!("/campaigns/{}/deliveries.csv", campaign.0);
        if query.is_empty() {
            path
        } else {
            format!("{path}?{query}")
        }
    };
    view! {
        <section class="card" aria-labelledby="deliveries-heading">
            <h2 id="deliveries-heading">"Delivery log"</h2>
            <p class="hint">"Every request, newest first. Each keeps its webhook-id on every attempt."</p>
            <Show when=move || any_failed.get()>
                <ReplayBar replay/>
            </Show>
            <LogFilterForm reasons on_apply=move |f| {
                filter.set(f);
                pages.first();
            }/>
            <p><a class="btn-secondary btn-small" href=csv_href download="">"Export CSV"</a></p>
            <ErrorBanner error/>
            {move || match shown.get() {
                None => view! { <p class="muted">"Loading the delivery log\u{2026}"</p> }.into_sync_any(),
                Some(page) => view! {
                    <Pager pages shown=page.deliveries.len() total=page.total next=page.next/>
                    <DeliveryTable deliveries=page.deliveries clock=clock.get_value() paused_since replay/>
                }.into_sync_any(),
            }}
        </section>
    }
}

#[component]
fn DeliveryTable(
    deliveries: Vec<DeliveryOut>,
    clock: ZoneClock,
    paused_since: Signal<Option<i64>>,
    replay: Replay,
) -> impl IntoView {
    if deliveries.is_empty() {
        return view! { <p class="muted">"No requests here."</p> }.into_sync_any();
    }
    let clock = StoredValue::new(clock);
    let deliveries = StoredValue::new(deliveries);
    view! {
        <div class="table-card inner">
            <table class="delivery-log">
                <thead>
                    <tr>
                        <th scope="col">"Webhook ID"</th>
                        <th scope="col">"Status"</th>
                        <th scope="col" class="num">"Users"</th>
                        <th scope="col" class="num">"Attempts"</th>
                        <th scope="col">"Failure reason"</th>
                    </tr>
                </thead>
                <tbody>
                    <For
                        each=move || {
                            let paused = paused_since.get();
                            deliveries.get_value().into_iter().map(move |d| (d, paused))
                        }
                        key=|(d, paused)| (d.id, d.status, d.attempts.len(), *paused)
                        children=move |(d, paused)| view! {
                            <DeliveryRow delivery=d clock=clock.get_value() paused replay/>
                        }
                    />
                </tbody>
            </table>
        </div>
    }
    .into_sync_any()
}

/// A failed delivery that was sent (one that could not be rendered is never sent, so never replayed).
fn replayable(d: &DeliveryOut) -> bool {
    d.status == DeliveryStatus::Failed && !d.attempts.is_empty()
}

/// Two rows: the delivery, then (full width) its attempts behind a disclosure.
#[component]
fn DeliveryRow(
    delivery: DeliveryOut,
    clock: ZoneClock,
    paused: Option<i64>,
    replay: Replay,
) -> impl IntoView {
    let pending = delivery.status == DeliveryStatus::Pending;
    let next_try = match (pending, paused, delivery.next_attempt_at) {
        (false, _, _) => None,
        (true, Some(since), _) => Some(format!(
            "paused: destination failing since {}",
            clock.format_minutes(since)
        )),
        (true, None, at) => at.map(|at| format!("next try {}", clock.format_minutes(at))),
    }
    .map(|text| view! { <span class="hint">{text}</span> });
    let count = delivery.attempts.len();
    let id = delivery.id;
    let webhook_id = delivery.webhook_id.clone();
    let can_replay = replayable(&delivery);
    let attempts = if delivery.pruned_at.is_some() {
        view! { <span class="muted">"Body and attempts deleted after the retention period"</span> }
            .into_sync_any()
    } else if delivery.attempts.is_empty() {
        view! { <span class="muted">"Not tried yet"</span> }.into_sync_any()
    } else {
        view! {
            <details>
                <summary>{format!("Attempts of {}", delivery.webhook_id)}</summary>
                <AttemptTable attempts=delivery.attempts clock=clock.clone()/>
            </details>
        }
        .into_sync_any()
    };
    let name = if can_replay {
        let checkbox_id = format!("select-{}", id.0);
        view! {
            <span class="check-field">
                <input type="checkbox" id=checkbox_id.clone()
                    prop:checked=move || replay.selected.with(|s| s.contains(&id))
                    on:change=move |_| replay.toggle(id)/>
                <label for=checkbox_id><code>{webhook_id.clone()}</code></label>
            </span>
        }
        .into_sync_any()
    } else {
        view! { <code>{webhook_id.clone()}</code> }.into_sync_any()
    };
    view! {
        <tr class="delivery">
            <td>{name}</td>
            <td>
                <span class=format!("status status-{}", delivery.status.as_str())>{delivery.status.label()}</span>
                {next_try}
                {can_replay.then(|| view! {
                    <button type="button" class="btn-secondary btn-small" aria-label=format!("Replay {webhook_id}")
                        on:click=move |_| replay.ask(Some(vec![id]))>"Replay"</button>
                })}
            </td>
            <td class="num">{delivery.users}</td>
            <td class="num">{count}</td>
            <td>{delivery.failure_reason.unwrap_or_else(|| DASH.to_owned())}</td>
        </tr>
        <tr class="delivery-attempts">
            <td colspan="5">{attempts}</td>
        </tr>
    }
}

#[component]
fn AttemptTable(attempts: Vec<AttemptOut>, clock: ZoneClock) -> impl IntoView {
    let rows = attempts
        .into_iter()
        .map(|a| {
            let excerpt = if a.response_excerpt.is_empty() {
                view! { <span>{DASH}</span> }.into_sync_any()
            } else {
                view! { <pre>{a.response_excerpt}</pre> }.into_sync_any()
            };
            view! {
                <tr>
                    <td class="num">{a.number}</td>
                    <td>{clock.format_minutes(a.at)}</td>
                    <td>{a.status.map_or_else(|| DASH.to_owned(), |s| s.to_string())}</td>
                    <td>{a.latency_ms.map_or_else(|| DASH.to_owned(), |ms| format!("{ms} ms"))}</td>
                    <td>{a.error.unwrap_or_else(|| DASH.to_owned())}</td>
                    <td>{excerpt}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <table class="attempts">
            <thead>
                <tr>
                    <th scope="col">"Attempt"</th>
                    <th scope="col">"Time"</th>
                    <th scope="col">"Status code"</th>
                    <th scope="col">"Latency"</th>
                    <th scope="col">"Error"</th>
                    <th scope="col">"Response"</th>
                </tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
    }
}
