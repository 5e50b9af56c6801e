//! `/campaigns/:id`: one campaign's facts, counts, failures by reason and delivery log, refreshed every
//! two seconds while it is scheduled or running; with Stop (while it can be stopped), Continue editing
//! (drafts) and Delete (drafts, stopped and completed campaigns).

use std::time::Duration;

use leptos::prelude::*;

use crate::sync_hydrated::IntoSyncAny;
use leptos_router::hooks::{use_navigate, use_params_map};

use super::activity::ActivityChart;
use super::circuit::CampaignCircuit;
use super::delivery_log::{DeliveryLog, FailuresByReason};
use super::runs::{LiveDays, RunsTable};
use super::{is_live, status_badge};
use crate::api::campaigns::{
    campaign_report, delete_campaign, duplicate_campaign, pause_campaign, resume_campaign,
    stop_campaign,
};
use crate::components::conversion_rates::ConversionRates;
use crate::components::error_banner::{ErrorBanner, load_failed, redirect_if_signed_out};
use crate::components::flash::use_flash;
use crate::components::format::format_time_or_dash;
use crate::components::page_header::PageHeader;
use crate::components::stat_cards::StatCards;
use crate::components::timing::poll_while;
use crate::model::campaign::{CampaignOut, CampaignStatus};
use crate::model::campaign_report::CampaignReportOut;
use crate::model::live;
use crate::model::time_fmt::ZoneClock;
use crate::model::{ApiError, CampaignId};

const REFRESH_EVERY: Duration = Duration::from_secs(2);

#[component]
pub fn CampaignPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || {
        params.with(|p| {
            p.get("id")
                .and_then(|id| id.parse::<i64>().ok())
                .map(CampaignId)
        })
    };
    let report = Resource::new(id, |id| async move {
        match id {
            Some(id) => campaign_report(id).await,
            None => Err(ApiError::not_found("There is no campaign at this address.")),
        }
    });
    view! {
        <nav class="breadcrumbs" aria-label="Breadcrumb"><a href="/campaigns">"Campaigns"</a>" / Campaign"</nav>
        <Transition fallback=|| view! { <p class="muted">"Loading\u{2026}"</p> }>
            {move || Suspend::new(async move {
                match report.await {
                    Ok(report) => view! { <Report initial=report/> }.into_sync_any(),
                    Err(e) => load_failed(e)
                }
            })}
        </Transition>
    }
}

#[component]
fn Report(initial: CampaignReportOut) -> impl IntoView {
    let id = initial.campaign.id;
    let data = RwSignal::new(initial);
    let error = RwSignal::new(None::<ApiError>);
    let refresh = Action::new(move |_: &()| campaign_report(id));
    Effect::new(move |_| match refresh.value().get() {
        Some(Ok(latest)) => data.set(latest),
        Some(Err(e)) => {
            redirect_if_signed_out(&e);
            error.set(Some(e));
        }
        None => {}
    });
    poll_while(
        move || data.with(|r| is_live(r.campaign.status)),
        REFRESH_EVERY,
        move || {
            if !refresh.pending().get_untracked() {
                refresh.dispatch(());
            }
        },
    );
    let clock = data.with_untracked(|r| r.clock.clone());
    let clock_for_circuit = clock.clone();
    let campaign = Signal::derive(move || data.with(|r| r.campaign.clone()));
    let title = Signal::derive(move || campaign.with(|c| c.draft.name.clone()));
    let lead = Signal::derive(move || {
        format!(
            "Webhook campaign \u{b7} {}",
            campaign.with(|c| c.status.label())
        )
    });
    view! {
        <PageHeader title lead>
            <Actions campaign error on_stopped=move |c| {
                data.update(|r| r.campaign = c);
                refresh.dispatch(());
            }/>
        </PageHeader>
        <ErrorBanner error/>
        <Facts campaign clock=clock.clone()/>
        <StatCards stats=Signal::derive(move || campaign.with(|c| c.stats))/>
        {move || {
            let goal = campaign.with(|c| {
                let goal = c.draft.goal_event.trim().to_owned();
                let w = c.draft.conversion_window;
                (!goal.is_empty()).then(|| format!("{goal} within {} {}", w.value, w.unit.as_str()))
            });
            goal.map(|goal| view! { <ConversionRates stats=Signal::derive(move || campaign.with(|c| c.stats)) goal/> })
        }}
        {campaign.with_untracked(|c| {
            let goal = !c.draft.goal_event.trim().is_empty();
            if c.draft.recurrence().is_some() {
                let runs = Signal::derive(move || data.with(|r| r.runs.clone()));
                Some(view! { <RunsTable runs clock=clock.clone() goal/> }.into_sync_any())
            } else if c.draft.is_live() {
                let days = Signal::derive(move || data.with(|r| r.days.clone()));
                Some(view! { <LiveDays days zone=clock.name().to_owned()/> }.into_sync_any())
            } else {
                None
            }
        })}
        <ActivityChart activity=Signal::derive(move || data.with(|r| r.activity.clone()))
            latency=Signal::derive(move || data.with(|r| r.latency))/>
        <FailuresByReason failures=Signal::derive(move || data.with(|r| r.failures.clone()))/>
        {move || {
            let circuit = data.with(|r| r.circuit.clone())?;
            let template = campaign.with(|c| c.draft.template_id)?;
            Some(view! {
                <CampaignCircuit circuit template clock=clock_for_circuit.clone()
                    on_closed=move || { refresh.dispatch(()); }/>
            })
        }}
        <DeliveryLog campaign=id clock=clock.clone()
            paused_since=Signal::derive(move || data.with(|r| r.circuit.as_ref().and_then(|c| c.open.as_ref()).map(|o| o.since)))
            reasons=Signal::derive(move || data.with(|r| r.failures.iter().map(|f| f.reason.clone()).collect::<Vec<_>>()))
            any_failed=Signal::derive(move || campaign.with(|c| c.stats.failed > 0))
            refreshed=Signal::derive(move || refresh.version().get())
            on_replayed=move || { refresh.dispatch(()); }/>
    }
}

#[component]
fn Facts(campaign: Signal<CampaignOut>, clock: ZoneClock) -> impl IntoView {
    view! {
        <section class="card" aria-label="Campaign facts">
            {move || campaign.with(|c| {
                let time = |at: Option<i64>| format_time_or_dash(&clock, at);
                let (when_label, when) = if c.draft.is_live() {
                    ("Next delayed request", time(c.next_run_at))
                } else if c.draft.recurrence().is_some() {
                    ("Next run", time(c.next_run_at))
                } else {
                    ("Scheduled for", time(c.scheduled_at))
                };
                view! {
                    <dl class="pairs">
                        <dt>"Status"</dt>
                        <dd>{status_badge(c.status)}</dd>
                        <dt>"Webhook template"</dt>
                        <dd>{c.template_name.clone().unwrap_or_else(|| "Deleted template".to_owned())}</dd>
                        <dt>"Segment"</dt>
                        <dd>{segment_words(c)}</dd>
                        {c.draft.is_live().then(|| view! {
                            <dt>"Trigger"</dt>
                            <dd>{live::describe(&c.draft.live)}</dd>
                        })}
                        {c.draft.recurrence().map(|r| view! {
                            <dt>"Schedule"</dt>
                            <dd>{format!("{} ({})", r.describe(), clock.name())}</dd>
                        })}
                        <dt>{when_label}</dt>
                        <dd>{when}</dd>
                        <dt>"Started"</dt>
                        <dd>{time(c.started_at)}</dd>
                        <dt>"Completed"</dt>
                        <dd>{time(c.completed_at)}</dd>
                    </dl>
                }
            })}
        </section>
    }
}

/// The segment in words; a live campaign without one sends to everyone who does its trigger.
fn segment_words(c: &CampaignOut) -> String {
    if c.draft.is_live() && c.draft.who.segment.rules.is_empty() {
        "Everyone who does the trigger event".to_owned()
    } else {
        c.draft.who.segment.describe()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Confirm {
    Stop,
    Delete,
}

#[component]
fn Actions(
    campaign: Signal<CampaignOut>,
    error: RwSignal<Option<ApiError>>,
    on_stopped: impl Fn(CampaignOut) + Send + Sync + 'static,
) -> impl IntoView {
    let id = campaign.with_untracked(|c| c.id);
    let confirming = RwSignal::new(None::<Confirm>);
    let stop = Action::new(move |_: &()| stop_campaign(id));
    // Pause (true) or resume (false).
    let pause = Action::new(move |pausing: &bool| {
        let pausing = *pausing;
        async move {
            if pausing {
                pause_campaign(id).await
            } else {
                resume_campaign(id).await
            }
        }
    });
    let delete = Action::new(move |_: &()| delete_campaign(id));
    let duplicate = Action::new(move |_: &()| duplicate_campaign(id));
    let flash = use_flash();
    let navigate = use_navigate();
    let to_copy = navigate.clone();
    Effect::new(move |_| match duplicate.value().get() {
        Some(Ok(copy)) => to_copy(&format!("/campaigns/{}/setup", copy.id), Default::default()),
        Some(Err(e)) => {
            redirect_if_signed_out(&e);
            error.set(Some(e));
        }
        None => {}
    });
    let on_changed = std::sync::Arc::new(on_stopped);
    let on_paused = on_changed.clone();
    Effect::new(move |_| match pause.value().get() {
        Some(Ok(changed)) => on_paused(changed),
        Some(Err(e)) => {
            redirect_if_signed_out(&e);
            error.set(Some(e));
        }
        None => {}
    });
    Effect::new(move |_| match stop.value().get() {
        Some(Ok(stopped)) => {
            confirming.set(None);
            on_changed(stopped);
        }
        Some(Err(e)) => {
            redirect_if_signed_out(&e);
            error.set(Some(e));
        }
        None => {}
    });
    Effect::new(move |_| match delete.value().get() {
        Some(Ok(())) => {
            let name = campaign.with_untracked(|c| c.draft.name.clone());
            flash.set("/campaigns", format!("Deleted \u{201c}{name}\u{201d}."));
            navigate("/campaigns", Default::default());
        }
        Some(Err(e)) => {
            redirect_if_signed_out(&e);
            error.set(Some(e));
        }
        None => {}
    });
    let busy = move || {
        stop.pending().get()
            || delete.pending().get()
            || duplicate.pending().get()
            || pause.pending().get()
    };
    move || {
        let status = campaign.with(|c| c.status);
        match confirming.get() {
            Some(Confirm::Stop) => view! {
                <span class="confirm" role="group" aria-label="Confirm stop">
                    "Stop sending this campaign? Requests not yet sent are cancelled."
                    <button type="button" class="btn-danger" disabled=busy on:click=move |_| { stop.dispatch(()); }>"Yes, stop"</button>
                    <button type="button" class="btn-secondary" on:click=move |_| confirming.set(None)>"Cancel"</button>
                </span>
            }.into_sync_any(),
            Some(Confirm::Delete) => view! {
                <span class="confirm" role="group" aria-label="Confirm delete">
                    "Delete this campaign and its delivery log?"
                    <button type="button" class="btn-danger" disabled=busy on:click=move |_| { delete.dispatch(()); }>"Yes, delete"</button>
                    <button type="button" class="btn-secondary" on:click=move |_| confirming.set(None)>"Cancel"</button>
                </span>
            }.into_sync_any(),
            None => view! {
                <div class="header-actions">
                    {(status == CampaignStatus::Draft).then(|| view! {
                        <a class="btn-primary" href=format!("/campaigns/{id}/setup")>"Continue editing"</a>
                    })}
                    {status.can_pause().then(|| view! {
                        <button type="button" class="btn-secondary" disabled=busy on:click=move |_| { pause.dispatch(true); }>"Pause"</button>
                    })}
                    {(status == CampaignStatus::Paused).then(|| view! {
                        <button type="button" class="btn-primary" disabled=busy on:click=move |_| { pause.dispatch(false); }>"Resume"</button>
                    })}
                    {status.can_stop().then(|| view! {
                        <button type="button" class="btn-danger" on:click=move |_| confirming.set(Some(Confirm::Stop))>"Stop campaign"</button>
                    })}
                    <button type="button" class="btn-secondary" disabled=busy on:click=move |_| { duplicate.dispatch(()); }>"Duplicate"</button>
                    {(!is_live(status)).then(|| view! {
                        <button type="button" class="btn-secondary" on:click=move |_| confirming.set(Some(Confirm::Delete))>"Delete"</button>
                    })}
                </div>
            }.into_sync_any(),
        }
    }
}
