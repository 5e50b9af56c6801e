//! The campaign page's chart: users sent, delivered and failed over time (drawn by the server, so it
//! shows without scripts), its numbers in a table behind a disclosure, and the latency percentiles of
//! the attempts.

use leptos::prelude::*;

use crate::sync_hydrated::IntoSyncAny;

use crate::components::format::format_count;
use crate::model::charts::{ActivityOut, LatencyOut};

#[component]
pub fn ActivityChart(
    #[prop(into)] activity: Signal<Option<ActivityOut>>,
    #[prop(into)] latency: Signal<Option<LatencyOut>>,
) -> impl IntoView {
    view! {
        <section class="card" aria-labelledby="activity-heading">
            <h2 id="activity-heading">"Over time"</h2>
            {move || match activity.get() {
                None => view! { <p class="muted">"Nothing sent yet."</p> }.into_sync_any(),
                Some(activity) => view! {
                    // The server's SVG carries only numbers and labels it wrote itself.
                    <figure class="chart-figure" inner_html=activity.svg.clone()></figure>
                    <ActivityTable activity/>
                }.into_sync_any(),
            }}
            {move || latency.get().map(|l| view! { <LatencyFacts latency=l/> })}
        </section>
    }
}

#[component]
fn ActivityTable(activity: ActivityOut) -> impl IntoView {
    let per = activity.bucket.as_str();
    view! {
        <details class="chart-table">
            <summary>"Show the numbers"</summary>
            <div class="table-card inner">
                <table>
                    <caption>{format!("Users per {per}")}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{format!("{}{} starting", per[..1].to_uppercase(), &per[1..])}</th>
                            <th scope="col" class="num">"Sent"</th>
                            <th scope="col" class="num">"Delivered"</th>
                            <th scope="col" class="num">"Failed"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {activity.buckets.into_iter().map(|b| view! {
                            <tr>
                                <th scope="row">{b.label}</th>
                                <td class="num">{format_count(b.sent)}</td>
                                <td class="num">{format_count(b.delivered)}</td>
                                <td class="num">{format_count(b.failed)}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </details>
    }
}

#[component]
fn LatencyFacts(latency: LatencyOut) -> impl IntoView {
    let ms = |v: u64| format!("{} ms", format_count(v));
    view! {
        <h3>"Latency of the attempts"</h3>
        <dl class="latency" aria-label="Latency percentiles">
            <div><dt>"Median"</dt><dd>{ms(latency.p50_ms)}</dd></div>
            <div><dt>"90th percentile"</dt><dd>{ms(latency.p90_ms)}</dd></div>
            <div><dt>"99th percentile"</dt><dd>{ms(latency.p99_ms)}</dd></div>
            <div><dt>"Slowest"</dt><dd>{ms(latency.max_ms)}</dd></div>
            <div><dt>"Attempts"</dt><dd>{format_count(latency.attempts)}</dd></div>
        </dl>
    }
}
