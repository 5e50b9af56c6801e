//! The campaign page's tables: failures by reason, and the delivery log with every attempt of each
//! request (time, status code, latency, error, the start of the answer).

use leptos::prelude::*;

use crate::components::format::format_count;
use crate::model::CampaignId;
use crate::model::campaign_report::{
    AttemptOut, DELIVERY_LOG_LIMIT, DISPATCH_FAILED, DeliveryOut, DeliveryStatus, FailureReasonOut,
};
use crate::model::time_fmt::ZoneClock;

use super::replay::{Replay, ReplayBar};

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
                    return view! { <p class="muted">"No failures."</p> }.into_any();
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
                .into_any()
            }}
        </section>
    }
}

#[component]
pub fn DeliveryLog(
    #[prop(into)] deliveries: Signal<Vec<DeliveryOut>>,
    /// The project time zone, the log's times are shown in.
    clock: ZoneClock,
    /// Since when the destination's circuit is open (pending deliveries wait for it).
    #[prop(into)]
    paused_since: Signal<Option<i64>>,
    campaign: CampaignId,
    /// Called after failed deliveries were put back in the outbox.
    on_replayed: impl Fn() + Send + Sync + 'static,
) -> impl IntoView {
    let clock = StoredValue::new(clock);
    let empty = move || deliveries.with(Vec::is_empty);
    let replay = Replay::new(campaign, on_replayed);
    let any_failed = move || deliveries.with(|all| all.iter().any(replayable));
    view! {
        <section class="card" aria-labelledby="deliveries-heading">
            <h2 id="deliveries-heading">"Delivery log"</h2>
            <p class="hint">{format!("The latest {DELIVERY_LOG_LIMIT} requests, newest first. Each keeps its webhook-id on every attempt.")}</p>
            <Show when=any_failed>
                <ReplayBar replay/>
            </Show>
            <Show when=move || !empty() fallback=|| view! { <p class="muted">"No requests yet."</p> }>
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
                                    deliveries.get().into_iter().map(move |d| (d, paused))
                                }
                                key=|(d, paused)| (d.id, d.status, d.attempts.len(), *paused)
                                children=move |(d, paused)| view! {
                                    <DeliveryRow delivery=d clock=clock.get_value() paused replay/>
                                }
                            />
                        </tbody>
                    </table>
                </div>
            </Show>
        </section>
    }
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
    let attempts = if delivery.attempts.is_empty() {
        view! { <span class="muted">"Not tried yet"</span> }.into_any()
    } else {
        view! {
            <details>
                <summary>{format!("Attempts of {}", delivery.webhook_id)}</summary>
                <AttemptTable attempts=delivery.attempts clock=clock.clone()/>
            </details>
        }
        .into_any()
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
        .into_any()
    } else {
        view! { <code>{webhook_id.clone()}</code> }.into_any()
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
                view! { <span>{DASH}</span> }.into_any()
            } else {
                view! { <pre>{a.response_excerpt}</pre> }.into_any()
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
