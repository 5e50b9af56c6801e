//! `/campaigns`: every campaign with its status, schedule and counts. While one is scheduled or running
//! the list refreshes itself, so delivered counts grow on screen.

use std::time::Duration;

use leptos::either::{Either, EitherOf3};
use leptos::prelude::*;

use super::{is_live, status_badge};
use crate::api::campaigns::campaigns_overview;
use crate::components::error_banner::{ErrorBanner, load_failed, redirect_if_signed_out};
use crate::components::format::{format_count, format_time_or_dash};
use crate::components::page_header::PageHeader;
use crate::components::timing::poll_while;
use crate::model::ApiError;
use crate::model::campaign::CampaignStatus;
use crate::model::campaign_list::{CampaignRowOut, CampaignsOverviewOut, SendKind};
use crate::model::time_fmt::ZoneClock;

const REFRESH_EVERY: Duration = Duration::from_secs(3);

#[component]
pub fn CampaignsPage() -> impl IntoView {
    let overview = Resource::new(|| (), |_| campaigns_overview());
    view! {
        <PageHeader title="Campaigns" lead="Send webhooks to the users of a segment, now or later.">
            <a class="btn-primary" href="/campaigns/new">"+ Campaign"</a>
        </PageHeader>
        <Transition fallback=|| view! { <p class="muted">"Loading\u{2026}"</p> }>
            {move || Suspend::new(async move {
                match overview.await {
                    Ok(overview) if overview.campaigns.is_empty() => EitherOf3::A(view! {
                        <section class="card empty-state">
                            <h2>"No campaigns yet"</h2>
                            <p>"A campaign sends a webhook for the users of a segment, through a webhook template."</p>
                            <a class="btn-primary" href="/campaigns/new">"+ Campaign"</a>
                        </section>
                    }),
                    Ok(overview) => EitherOf3::B(view! { <CampaignTable initial=overview/> }),
                    Err(e) => EitherOf3::C(load_failed(e)),
                }
            })}
        </Transition>
    }
}

#[component]
fn CampaignTable(initial: CampaignsOverviewOut) -> impl IntoView {
    // Rows read it when the list is drawn.
    let clock = StoredValue::new(initial.clock);
    let list = RwSignal::new(initial.campaigns);
    let error = RwSignal::new(None::<ApiError>);
    // One request at a time; an answer that arrives after the page has gone is dropped.
    let refreshing = StoredValue::new(false);
    let refresh = move || {
        if refreshing.get_value() {
            return;
        }
        refreshing.set_value(true);
        leptos::task::spawn_local(async move {
            let answer = campaigns_overview().await;
            if refreshing.try_update_value(|r| *r = false).is_none() {
                return;
            }
            match answer {
                Ok(latest) => {
                    clock.set_value(latest.clock);
                    error.set(None);
                    list.set(latest.campaigns);
                }
                Err(e) => {
                    redirect_if_signed_out(&e);
                    error.set(Some(e));
                }
            }
        });
    };
    poll_while(
        move || list.with(|l| l.iter().any(|c| is_live(c.status))),
        REFRESH_EVERY,
        refresh,
    );
    view! {
        <ErrorBanner error/>
        <div class="card table-card">
            <table>
                <thead>
                    <tr>
                        <th scope="col">"Name"</th>
                        <th scope="col">"Status"</th>
                        <th scope="col">"Schedule"</th>
                        <th scope="col" class="num">"Targeted"</th>
                        <th scope="col" class="num">"Control"</th>
                        <th scope="col" class="num">"Sent"</th>
                        <th scope="col" class="num">"Delivered"</th>
                        <th scope="col" class="num">"Failed"</th>
                        <th scope="col">"Trend"</th>
                    </tr>
                </thead>
                <tbody>
                    // Rebuilt in place on each refresh (a row's text changes; rows are few).
                    {move || {
                        list.get()
                            .into_iter()
                            .map(|c| view! { <CampaignRow campaign=c clock=clock.get_value()/> })
                            .collect_view()
                    }}
                </tbody>
            </table>
        </div>
    }
}

#[component]
fn CampaignRow(campaign: CampaignRowOut, clock: ZoneClock) -> impl IntoView {
    let href = if campaign.status == CampaignStatus::Draft {
        format!("/campaigns/{}/setup", campaign.id)
    } else {
        format!("/campaigns/{}", campaign.id)
    };
    let schedule = schedule_words(&campaign, &clock);
    let stats = campaign.stats;
    let name = if campaign.name.trim().is_empty() {
        "Untitled campaign".to_owned()
    } else {
        campaign.name
    };
    view! {
        <tr>
            <th scope="row"><a href=href>{name}</a></th>
            <td>{status_badge(campaign.status)}</td>
            <td>{schedule}</td>
            <td class="num">{format_count(stats.targeted)}</td>
            <td class="num">{format_count(stats.control)}</td>
            <td class="num">{format_count(stats.sent)}</td>
            <td class="num">{format_count(stats.delivered)}</td>
            <td class="num">{format_count(stats.failed)}</td>
            <td>{match campaign.trend {
                // Drawn by the server (numbers only): a picture, with its numbers as its accessible name.
                Some(trend) => Either::Left(view! { <span class="trend" inner_html=trend.svg></span> }),
                None => Either::Right(view! { <span class="muted">"\u{2014}"</span> }),
            }}</td>
        </tr>
    }
}

/// When it runs or ran: a recurring campaign's next run, a live one's start, else its time.
fn schedule_words(campaign: &CampaignRowOut, clock: &ZoneClock) -> String {
    if campaign.status == CampaignStatus::Draft {
        return format_time_or_dash(clock, None);
    }
    match campaign.kind {
        SendKind::Recurring => match campaign.next_run_at {
            Some(at) => format!("Recurring, next {}", clock.format_minutes(at)),
            None => "Recurring, no run to come".to_owned(),
        },
        SendKind::Live => format!(
            "Live since {}",
            format_time_or_dash(clock, campaign.started_at)
        ),
        SendKind::Once => format_time_or_dash(clock, campaign.scheduled_at.or(campaign.started_at)),
    }
}
