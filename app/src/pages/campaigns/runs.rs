//! The campaign page's runs: for a recurring campaign one row per run with its own statistics (a
//! one-off campaign's single run is the page's cards), for a live campaign its triggers day by day.

use leptos::prelude::*;

use crate::sync_hydrated::IntoSyncAny;

use crate::components::format::format_count;
use crate::model::campaign_report::{LIVE_DAYS, LiveDayOut, RunOut};
use crate::model::time_fmt::ZoneClock;

#[component]
pub fn RunsTable(
    #[prop(into)] runs: Signal<Vec<RunOut>>,
    clock: ZoneClock,
    /// Whether the campaign has a goal (conversion columns).
    goal: bool,
) -> impl IntoView {
    let clock = StoredValue::new(clock);
    move || {
        let runs = runs.get();
        if runs.is_empty() {
            return view! {
                <section class="card" aria-labelledby="runs-heading">
                    <h2 id="runs-heading">"Runs"</h2>
                    <p class="muted">"No run yet."</p>
                </section>
            }
            .into_sync_any();
        }
        let rows = runs
            .into_iter()
            .map(|run| {
                let s = run.stats;
                let started = clock.with_value(|c| c.format_minutes(run.started_at));
                view! {
                    <tr>
                        <th scope="row">{format!("Run {}", run.number)}</th>
                        <td>{started}</td>
                        <td class="num">{format_count(s.targeted)}</td>
                        <td class="num">{format_count(s.control)}</td>
                        <td class="num">{format_count(s.sent)}</td>
                        <td class="num">{format_count(s.delivered)}</td>
                        <td class="num">{format_count(s.failed)}</td>
                        <td class="num">{format_count(s.pending_requests)}</td>
                        {goal.then(|| view! {
                            <td class="num">{format_count(s.conversions)}</td>
                            <td class="num">{format_count(s.control_conversions)}</td>
                        })}
                    </tr>
                }
            })
            .collect_view();
        view! {
            <section class="card" aria-labelledby="runs-heading">
                <h2 id="runs-heading">"Runs"</h2>
                <p class="hint">"Each run evaluates the segment again and sends to the users it holds then."</p>
                <div class="table-card inner">
                    <table>
                        <thead>
                            <tr>
                                <th scope="col">"Run"</th>
                                <th scope="col">"Started"</th>
                                <th scope="col" class="num">"Targeted"</th>
                                <th scope="col" class="num">"Control"</th>
                                <th scope="col" class="num">"Sent"</th>
                                <th scope="col" class="num">"Delivered"</th>
                                <th scope="col" class="num">"Failed"</th>
                                <th scope="col" class="num">"Pending requests"</th>
                                {goal.then(|| view! {
                                    <th scope="col" class="num">"Conversions"</th>
                                    <th scope="col" class="num">"Control conversions"</th>
                                })}
                            </tr>
                        </thead>
                        <tbody>{rows}</tbody>
                    </table>
                </div>
            </section>
        }
        .into_sync_any()
    }
}

#[component]
pub fn LiveDays(#[prop(into)] days: Signal<Vec<LiveDayOut>>, zone: String) -> impl IntoView {
    let hint =
        format!("Triggers of the last {LIVE_DAYS} days, by day in {zone} (the project time zone).");
    view! {
        <section class="card" aria-labelledby="days-heading">
            <h2 id="days-heading">"By day"</h2>
            <p class="hint">{hint}</p>
            {move || {
                let days = days.get();
                if days.is_empty() {
                    return view! { <p class="muted">"No event has triggered it yet."</p> }.into_sync_any();
                }
                view! {
                    <div class="table-card inner">
                        <table>
                            <thead>
                                <tr>
                                    <th scope="col">"Day"</th>
                                    <th scope="col" class="num">"Triggered"</th>
                                    <th scope="col" class="num">"Sent"</th>
                                    <th scope="col" class="num">"Control"</th>
                                    <th scope="col" class="num">"Skipped"</th>
                                    <th scope="col" class="num">"Waiting"</th>
                                </tr>
                            </thead>
                            <tbody>
                                {days.into_iter().map(|d| view! {
                                    <tr>
                                        <th scope="row">{d.day}</th>
                                        <td class="num">{format_count(d.triggered)}</td>
                                        <td class="num">{format_count(d.sent)}</td>
                                        <td class="num">{format_count(d.control)}</td>
                                        <td class="num">{format_count(d.skipped)}</td>
                                        <td class="num">{format_count(d.waiting)}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_sync_any()
            }}
        </section>
    }
}
