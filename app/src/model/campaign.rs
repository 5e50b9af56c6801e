//! A webhook campaign as the wizard builds it: Setup (name, template, goal), Who (segment and cap),
//! What (query parameters, profile variables, key_values) and When (now or later), and its lifecycle.

use serde::{Deserialize, Serialize};

use super::live::{DeliveryType, LiveSettings};
use super::recurrence::Recurrence;
use super::segment::{Segment, Within};
use super::{CampaignId, SegmentId, TemplateId};

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CampaignStatus {
    #[default]
    Draft,
    /// Published to run later; can still be stopped.
    Scheduled,
    /// Its deliveries are being written to the outbox (the first ones are already being sent).
    Preparing,
    /// Its deliveries are being sent.
    Running,
    /// Every delivery was delivered or failed.
    Completed,
    /// Stopped by a person: nothing more is sent.
    Stopped,
    /// Paused by a person (while scheduled, preparing or running): nothing is sent until resumed.
    Paused,
}

impl CampaignStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Scheduled => "scheduled",
            Self::Preparing => "preparing",
            Self::Running => "running",
            Self::Completed => "completed",
            Self::Stopped => "stopped",
            Self::Paused => "paused",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [
            Self::Draft,
            Self::Scheduled,
            Self::Preparing,
            Self::Running,
            Self::Completed,
            Self::Stopped,
            Self::Paused,
        ]
        .into_iter()
        .find(|v| v.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Draft => "Draft",
            Self::Scheduled => "Scheduled",
            Self::Preparing => "Preparing",
            Self::Running => "Running",
            Self::Completed => "Completed",
            Self::Stopped => "Stopped",
            Self::Paused => "Paused",
        }
    }

    /// Whether a person can still stop it.
    pub fn can_stop(self) -> bool {
        matches!(
            self,
            Self::Scheduled | Self::Preparing | Self::Running | Self::Paused
        )
    }

    /// Whether a person can pause it.
    pub fn can_pause(self) -> bool {
        matches!(self, Self::Scheduled | Self::Preparing | Self::Running)
    }
}

/// Everything the wizard collects. A draft may be incomplete; publishing checks it all.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CampaignDraft {
    pub name: String,
    #[serde(default)]
    pub template_id: Option<TemplateId>,
    /// An event counted as a conversion (e.g. `Charged`); empty for none.
    #[serde(default)]
    pub goal_event: String,
    /// How long after the campaign is sent a goal event still counts as a conversion.
    #[serde(default)]
    pub conversion_window: Within,
    #[serde(default)]
    pub who: Who,
    #[serde(default)]
    pub what: What,
    #[serde(default)]
    pub when: When,
    /// Specific time (`when`) or specific event (live: the fields below).
    #[serde(default)]
    pub delivery: DeliveryType,
    /// A live campaign's When (`trigger`, `delay`, `unless`, `frequency_cap`, `start`, `end`),
    /// written at the draft's top level.
    #[serde(flatten)]
    pub live: LiveSettings,
}

impl CampaignDraft {
    pub fn is_live(&self) -> bool {
        self.delivery == DeliveryType::SpecificEvent
    }

    /// Its recurring schedule, if it is sent on one.
    pub fn recurrence(&self) -> Option<&Recurrence> {
        match &self.when {
            When::Recurring(r) if !self.is_live() => Some(r),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Who {
    /// The segment targeted: built here, or a copy of the saved segment `segment_id` (refreshed when
    /// the draft is saved and when it is published; a published campaign keeps its copy).
    #[serde(default)]
    pub segment: Segment,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub segment_id: Option<SegmentId>,
    /// At most this many users are targeted per run (chosen at random among those who qualify).
    #[serde(default)]
    pub cap: Option<u32>,
    /// This share (0–90 %) of the targeted users, chosen at random, is held out: recorded as the
    /// control group and sent nothing, so conversions can be compared.
    #[serde(default)]
    pub control_group_percent: u8,
}

/// How many of `targeted` users a control group of `percent` % holds out (rounded to the nearest).
pub fn control_size(targeted: u64, percent: u8) -> u64 {
    (targeted.saturating_mul(u64::from(percent)) + 50) / 100
}

/// A named value: a URL query parameter or a campaign key_value.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Param {
    pub name: String,
    pub value: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct What {
    /// Added to the template's URL; values may use Liquid.
    #[serde(default)]
    pub query: Vec<Param>,
    #[serde(default)]
    pub format: BodyFormat,
    /// With a custom body: how it is sent.
    #[serde(default)]
    pub content_type: ContentType,
    /// With a custom body: the Liquid template of the body.
    #[serde(default)]
    pub template: String,
    /// With Profile variables: what each entry of `profiles` carries.
    #[serde(default)]
    pub profile_fields: ProfileFields,
    /// With Profile variables: sent as the payload's `key_values` object.
    #[serde(default)]
    pub key_values: Vec<Param>,
}

/// What the body of a campaign's requests is.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BodyFormat {
    /// The payload of SPEC §4: `targetId`, `key_values` and the ticked variables of each profile.
    #[default]
    ProfileVariables,
    /// A Liquid template written in the What step.
    Custom,
}

impl BodyFormat {
    pub fn label(self) -> &'static str {
        match self {
            Self::ProfileVariables => "Profile variables",
            Self::Custom => "Custom",
        }
    }
}

/// The content type of a custom body.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ContentType {
    /// `application/json`; each rendered body must parse as JSON.
    #[default]
    Json,
    /// `text/plain; charset=utf-8`.
    Text,
}

impl ContentType {
    pub fn mime(self) -> &'static str {
        match self {
            Self::Json => "application/json",
            Self::Text => "text/plain; charset=utf-8",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Json => "JSON",
            Self::Text => "Plain text",
        }
    }
}

impl What {
    /// What the templates use: the body (when custom) and the query parameters' values.
    pub fn uses(&self) -> super::template_uses::Uses {
        let mut found = super::template_uses::Uses::default();
        if self.format == BodyFormat::Custom {
            found.add(super::template_uses::of(&self.template));
        }
        for p in &self.query {
            found.add(super::template_uses::of(&p.value));
        }
        found
    }

    /// The content type requests are sent with.
    pub fn content_type(&self) -> ContentType {
        match self.format {
            BodyFormat::ProfileVariables => ContentType::Json,
            BodyFormat::Custom => self.content_type,
        }
    }
}

/// Which profile variables each entry of the payload's `profiles` carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ProfileFields {
    pub email: bool,
    pub identity: bool,
    pub object_id: bool,
    pub profile_data: bool,
    #[serde(rename = "Push_token")]
    pub push_token: bool,
}

impl Default for ProfileFields {
    fn default() -> Self {
        Self {
            email: true,
            identity: true,
            object_id: true,
            profile_data: true,
            push_token: true,
        }
    }
}

impl ProfileFields {
    /// The payload key and the flag of each variable, in payload order.
    pub fn entries(self) -> [(&'static str, bool); 5] {
        [
            ("Email", self.email),
            ("Identity", self.identity),
            ("ObjectId", self.object_id),
            ("ProfileData", self.profile_data),
            ("Push_token", self.push_token),
        ]
    }

    pub fn any(self) -> bool {
        self.entries().iter().any(|(_, on)| *on)
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum When {
    /// As soon as it is published.
    #[default]
    Now,
    /// At a wall-clock time in the project time zone, `YYYY-MM-DDTHH:MM`.
    Later { at: String },
    /// On a recurring schedule; each run re-evaluates the segment.
    Recurring(Recurrence),
}

/// The wizard's screens, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WizardStep {
    Setup,
    Who,
    What,
    When,
    Review,
}

impl WizardStep {
    pub const ALL: [WizardStep; 5] = [Self::Setup, Self::Who, Self::What, Self::When, Self::Review];

    pub fn slug(self) -> &'static str {
        match self {
            Self::Setup => "setup",
            Self::Who => "who",
            Self::What => "what",
            Self::When => "when",
            Self::Review => "review",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Setup => "Setup",
            Self::Who => "Who",
            Self::What => "What",
            Self::When => "When",
            Self::Review => "Overview",
        }
    }

    pub fn parse(slug: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.slug() == slug)
    }

    pub fn next(self) -> Option<Self> {
        Self::ALL.get(self as usize + 1).copied()
    }

    pub fn previous(self) -> Option<Self> {
        (self as usize).checked_sub(1).map(|i| Self::ALL[i])
    }
}

/// Counts of users (a request may carry many) and of requests, for lists and the campaign page.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CampaignStats {
    /// Users the segment selected (after the cap), without the control group.
    pub targeted: u64,
    /// Users held out as the control group: recorded, sent nothing.
    #[serde(default)]
    pub control: u64,
    /// Targeted users who did the goal event within the conversion window after the send.
    #[serde(default)]
    pub conversions: u64,
    /// Control users who did it within the window after the moment they would have been sent.
    #[serde(default)]
    pub control_conversions: u64,
    /// Users in requests that were sent at least once.
    pub sent: u64,
    /// Users in requests the destination accepted (2xx).
    pub delivered: u64,
    /// Users in requests that ended as "Webhook Dispatch Failed".
    pub failed: u64,
    /// Requests (deliveries) written for the campaign.
    pub requests: u64,
    /// Requests still waiting to be sent or retried.
    pub pending_requests: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CampaignOut {
    pub id: CampaignId,
    pub status: CampaignStatus,
    pub draft: CampaignDraft,
    /// The template's name, if it still exists.
    pub template_name: Option<String>,
    /// Unix ms: when it runs (scheduled) or ran.
    pub scheduled_at: Option<i64>,
    pub started_at: Option<i64>,
    pub completed_at: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
    pub stats: CampaignStats,
    /// Unix ms of its next run (scheduled), or of its next delayed request (live); `None` when none.
    #[serde(default)]
    pub next_run_at: Option<i64>,
}
