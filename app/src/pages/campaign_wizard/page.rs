//! The wizard's pages: `/campaigns/new/setup` (Setup of a campaign not yet saved) and
//! `/campaigns/:id/:step` (a saved draft). Each loads what it needs, then shows one step at a time with
//! the step indicator and the Back / Next bar. Published campaigns are not edited here.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;

use crate::sync_hydrated::IntoSyncAny;
use leptos_router::hooks::use_params_map;

use super::flow::WizardFlow;
use super::form::WizardForm;
use super::issues::StepIssues;
use super::review::ReviewStep;
use super::setup::SetupStep;
use super::steps::{StepActions, StepIndicator};
use super::what::WhatStep;
use super::when::WhenStep;
use super::who::WhoStep;
use crate::api::campaigns::{get_campaign, wizard_options};
use crate::components::error_banner::{ErrorBanner, load_failed};
use crate::components::focus::focus_soon;
use crate::components::page_header::PageHeader;
use crate::model::campaign::{CampaignOut, CampaignStatus, WizardStep};
use crate::model::campaign_report::WizardOptionsOut;
use crate::model::{ApiError, CampaignId};

#[component]
pub fn NewCampaignSetupPage() -> impl IntoView {
    let options = Resource::new(|| (), |_| wizard_options());
    view! {
        <Breadcrumbs current="New campaign"/>
        <PageHeader title="New campaign" lead="A webhook campaign: Setup, Who, What, When, then publish."/>
        <Transition fallback=|| view! { <p class="muted">"Loading\u{2026}"</p> }>
            {move || Suspend::new(async move {
                match options.await {
                    Ok(options) => view! { <Wizard campaign=None options step=WizardStep::Setup/> }.into_sync_any(),
                    Err(e) => load_failed(e),
                }
            })}
        </Transition>
    }
}

#[component]
pub fn WizardPage() -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| {
        params.with(|p| {
            p.get("id")
                .and_then(|id| id.parse::<i64>().ok())
                .map(CampaignId)
        })
    });
    let step =
        Memo::new(move |_| params.with(|p| p.get("step").and_then(|s| WizardStep::parse(&s))));
    let loaded = Resource::new(
        move || id.get(),
        |id| async move {
            let Some(id) = id else {
                return Err(ApiError::not_found("There is no campaign at this address."));
            };
            Ok((get_campaign(id).await?, wizard_options().await?))
        },
    );
    view! {
        <Breadcrumbs current="Edit campaign"/>
        <Transition fallback=|| view! { <p class="muted">"Loading\u{2026}"</p> }>
            {move || Suspend::new(async move {
                let (campaign, options) = match loaded.await {
                    Ok(loaded) => loaded,
                    Err(e) => return load_failed(e),
                };
                if campaign.status != CampaignStatus::Draft {
                    return view! { <Published campaign/> }.into_sync_any();
                }
                let step = Signal::derive(move || step.get().unwrap_or(WizardStep::Setup));
                let name = campaign.draft.name.clone();
                view! {
                    <PageHeader title=name lead="Draft webhook campaign"/>
                    <Wizard campaign=Some(campaign) options step/>
                }
                .into_sync_any()
            })}
        </Transition>
    }
}

#[component]
fn Breadcrumbs(current: &'static str) -> impl IntoView {
    view! {
        <nav class="breadcrumbs" aria-label="Breadcrumb"><a href="/campaigns">"Campaigns"</a>" / "{current}</nav>
    }
}

/// Shown instead of the wizard for a campaign that is no longer a draft.
#[component]
fn Published(campaign: CampaignOut) -> impl IntoView {
    view! {
        <PageHeader title=campaign.draft.name.clone() lead="Webhook campaign"/>
        <div class="notice notice-info">
            <p>
                {format!("This campaign is {} and can no longer be edited. ", campaign.status.label().to_lowercase())}
                <a href=format!("/campaigns/{}", campaign.id)>"See the campaign"</a>
            </p>
        </div>
    }
}

#[component]
fn Wizard(
    campaign: Option<CampaignOut>,
    options: WizardOptionsOut,
    #[prop(into)] step: Signal<WizardStep>,
) -> impl IntoView {
    let id = campaign.as_ref().map(|c| c.id);
    let draft = campaign.map(|c| c.draft).unwrap_or_default();
    let form = WizardForm::new(&draft);
    let flow = WizardFlow::new(id, form, options.clock.clone());
    let error = flow.error;
    let options = StoredValue::new(options);
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        match step.get_untracked() {
            WizardStep::Review => flow.publish(),
            current => flow.next(current),
        }
    };
    // A new step replaces the button that was pressed: carry the keyboard focus to its heading.
    Effect::new(move |previous: Option<WizardStep>| {
        let current = step.get();
        if previous.is_some_and(|p| p != current) {
            focus_soon("#step-heading");
        }
        current
    });
    let screen = move || {
        let options = options.get_value();
        match (step.get(), id) {
            (WizardStep::Setup, _) | (_, None) => {
                view! { <SetupStep form options error/> }.into_sync_any()
            }
            (WizardStep::Who, _) => view! { <WhoStep form error/> }.into_sync_any(),
            (WizardStep::What, Some(id)) => {
                view! { <WhatStep id form templates=options.templates batch_size=options.batch_size error/> }
                    .into_sync_any()
            }
            (WizardStep::When, _) => {
                view! { <WhenStep form options error/> }.into_sync_any()
            }
            (WizardStep::Review, Some(id)) => view! { <ReviewStep id form options/> }.into_sync_any(),
        }
    };
    view! {
        <StepIndicator flow step/>
        <form class="card form wizard-step" method="post" on:submit=submit novalidate>
            <h2 id="step-heading" tabindex="-1">{move || step.get().label()}</h2>
            <ErrorBanner error/>
            <StepIssues id step error/>
            {screen}
            <StepActions flow step/>
        </form>
    }
}
