//! Moving through the wizard. Next checks the step in the browser (errors at once), saves the draft with
//! the server checking the same step, then opens the next step; Back and the step links save without
//! checks; Publish publishes the saved draft. Errors stay in `error`, shown beside their fields.

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use super::form::WizardForm;
use crate::api::campaigns::{create_campaign, publish_campaign, save_campaign};
use crate::components::error_banner::redirect_if_signed_out;
use crate::components::flash::use_flash;
use crate::components::focus::{FIRST_INVALID, focus_soon};
use crate::model::campaign::{CampaignDraft, CampaignOut, CampaignStatus, WizardStep};
use crate::model::time_fmt::ZoneClock;
use crate::model::{ApiError, CampaignId};

/// The address of a step of a saved draft.
pub fn step_path(id: CampaignId, step: WizardStep) -> String {
    format!("/campaigns/{id}/{}", step.slug())
}

#[derive(Debug, Clone)]
struct SaveRequest {
    draft: CampaignDraft,
    /// The step the server checks through; none on Back.
    check: Option<WizardStep>,
    /// Where to go once saved.
    then: WizardStep,
}

type Saved = Result<(CampaignId, WizardStep), ApiError>;

#[derive(Clone, Copy)]
pub struct WizardFlow {
    /// `None` until the Setup step of a new campaign is saved.
    pub id: Option<CampaignId>,
    pub form: WizardForm,
    pub error: RwSignal<Option<ApiError>>,
    save: Action<SaveRequest, Saved>,
    publish: Action<CampaignId, Result<CampaignOut, ApiError>>,
}

impl WizardFlow {
    /// `clock`: the project time zone, to name the time of a scheduled campaign's first run.
    pub fn new(id: Option<CampaignId>, form: WizardForm, clock: ZoneClock) -> Self {
        let error = RwSignal::new(None::<ApiError>);
        let save = Action::new(move |req: &SaveRequest| {
            let SaveRequest { draft, check, then } = req.clone();
            async move {
                let saved = match id {
                    Some(id) => save_campaign(id, draft, check).await,
                    None => create_campaign(draft).await,
                };
                saved.map(|c| (c.id, then))
            }
        });
        let publish = Action::new(|id: &CampaignId| publish_campaign(*id));
        let navigate = use_navigate();
        let flash = use_flash();
        Effect::new({
            let navigate = navigate.clone();
            move |_| match save.value().get() {
                Some(Ok((id, step))) => {
                    error.set(None);
                    navigate(&step_path(id, step), Default::default());
                }
                Some(Err(e)) => fail(error, e),
                None => {}
            }
        });
        Effect::new(move |_| match publish.value().get() {
            Some(Ok(campaign)) => {
                let path = format!("/campaigns/{}", campaign.id);
                flash.set(&path, published_message(&campaign, &clock));
                navigate(&path, Default::default());
            }
            Some(Err(e)) => fail(error, e),
            None => {}
        });
        Self {
            id,
            form,
            error,
            save,
            publish,
        }
    }

    /// Checks `step`, then saves and opens the step after it.
    pub fn next(&self, step: WizardStep) {
        let Some(then) = step.next() else { return };
        let draft = self.form.draft();
        if let Err(fields) = draft.check_through(step) {
            self.error.set(Some(fields.into()));
            focus_soon(FIRST_INVALID);
            return;
        }
        self.save.dispatch(SaveRequest {
            draft,
            check: Some(step),
            then,
        });
    }

    /// Saves what was typed, unchecked, and opens `step` (Back, and the links of the step indicator).
    pub fn go_to(&self, step: WizardStep) {
        if self.id.is_none() {
            return;
        }
        self.save.dispatch(SaveRequest {
            draft: self.form.draft(),
            check: None,
            then: step,
        });
    }

    pub fn publish(&self) {
        if let Some(id) = self.id {
            self.publish.dispatch(id);
        }
    }

    pub fn saving(&self) -> Memo<bool> {
        self.save.pending()
    }

    pub fn publishing(&self) -> Memo<bool> {
        self.publish.pending()
    }
}

fn fail(error: RwSignal<Option<ApiError>>, e: ApiError) {
    redirect_if_signed_out(&e);
    error.set(Some(e));
    focus_soon(FIRST_INVALID);
}

fn published_message(campaign: &CampaignOut, clock: &ZoneClock) -> String {
    let name = &campaign.draft.name;
    match (campaign.status, campaign.scheduled_at) {
        (CampaignStatus::Scheduled, Some(at)) if campaign.draft.recurrence().is_some() => format!(
            "Published \u{201c}{name}\u{201d}: its first run is at {}.",
            clock.format_minutes(at)
        ),
        (CampaignStatus::Scheduled, Some(at)) => format!(
            "Published \u{201c}{name}\u{201d}: it will be sent at {}.",
            clock.format_minutes(at)
        ),
        _ if campaign.draft.is_live() => format!(
            "Published \u{201c}{name}\u{201d}: it is live, sending to each user who does \u{201c}{}\u{201d}.",
            campaign.draft.live.trigger.event.trim()
        ),
        _ => format!("Published \u{201c}{name}\u{201d}: sending has started."),
    }
}
