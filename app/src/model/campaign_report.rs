//! What the campaign page shows beyond the campaign itself: failures by reason, the delivery log with
//! every attempt, and the wizard's helpers (options, reach, preview).

use serde::{Deserialize, Serialize};

use super::campaign::{CampaignOut, CampaignStats};
use super::charts::{ActivityOut, LatencyOut};
use super::circuit::CircuitOut;
use super::time_fmt::ZoneClock;
use super::webhook::Header;
use super::{DeliveryId, TemplateId};

/// The error shown for a delivery whose last attempt failed (CleverTap's wording).
pub const DISPATCH_FAILED: &str = "Webhook Dispatch Failed";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeliveryStatus {
    /// Waiting for its first attempt or a retry.
    Pending,
    Delivered,
    /// Webhook Dispatch Failed.
    Failed,
    /// The campaign was stopped before it was sent.
    Cancelled,
}

impl DeliveryStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Delivered => "delivered",
            Self::Failed => "failed",
            Self::Cancelled => "cancelled",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [
            Self::Pending,
            Self::Delivered,
            Self::Failed,
            Self::Cancelled,
        ]
        .into_iter()
        .find(|v| v.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Pending => "Pending",
            Self::Delivered => "Delivered",
            Self::Failed => DISPATCH_FAILED,
            Self::Cancelled => "Cancelled",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttemptOut {
    /// 1 for the first try.
    pub number: u32,
    /// Unix ms.
    pub at: i64,
    pub status: Option<u16>,
    pub latency_ms: Option<u64>,
    pub error: Option<String>,
    pub response_excerpt: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeliveryOut {
    pub id: DeliveryId,
    /// The `webhook-id` header, the same on every attempt.
    pub webhook_id: String,
    pub status: DeliveryStatus,
    /// Users in this request.
    pub users: u32,
    pub failure_reason: Option<String>,
    /// Unix ms of the next try, while pending.
    pub next_attempt_at: Option<i64>,
    /// When it was written to the outbox, and when it finished (delivered, failed or cancelled).
    #[serde(default)]
    pub created_at: i64,
    #[serde(default)]
    pub finished_at: Option<i64>,
    /// When retention deleted its body and attempts (`HOOKLINE_RETENTION_DAYS`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pruned_at: Option<i64>,
    pub attempts: Vec<AttemptOut>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FailureReasonOut {
    pub reason: String,
    pub requests: u64,
    pub users: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CampaignReportOut {
    pub campaign: CampaignOut,
    pub failures: Vec<FailureReasonOut>,
    /// The most recent deliveries, newest first (at most `DELIVERY_LOG_LIMIT`).
    pub deliveries: Vec<DeliveryOut>,
    /// Its runs, newest first (at most `RUNS_LIMIT`): one for now/later, one per date of a recurring
    /// schedule; none for a live campaign.
    #[serde(default)]
    pub runs: Vec<RunOut>,
    /// A live campaign's triggers by day in the project time zone, newest first (the last
    /// `LIVE_DAYS` days that had any).
    #[serde(default)]
    pub days: Vec<LiveDayOut>,
    /// The project time zone, to show times in.
    #[serde(default)]
    pub clock: ZoneClock,
    /// Sent, delivered and failed over time (none before the first request).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub activity: Option<ActivityOut>,
    /// Latency percentiles of its attempts (none before the first answer).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latency: Option<LatencyOut>,
    /// The circuit of the destination host, when it is open: pending deliveries wait for it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub circuit: Option<CircuitOut>,
}

pub const DELIVERY_LOG_LIMIT: u32 = 200;

/// What `campaigns/replay` did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReplayOut {
    /// Failed deliveries put back in the outbox.
    pub replayed: u64,
}
pub const RUNS_LIMIT: u32 = 100;
pub const LIVE_DAYS: i64 = 30;

/// One run of a campaign with its own statistics.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunOut {
    /// 1, 2, … within the campaign.
    pub number: u32,
    /// When it was due (unix ms).
    pub scheduled_at: i64,
    pub started_at: i64,
    pub stats: CampaignStats,
}

/// A live campaign's triggers on one day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LiveDayOut {
    /// `YYYY-MM-DD` in the project time zone.
    pub day: String,
    /// Events that triggered the campaign.
    pub triggered: u64,
    /// Of those, how many were sent a request, held out (control group), skipped (not in the
    /// segment, "unless" event done, frequency cap) or are still waiting (delay).
    pub sent: u64,
    pub control: u64,
    pub skipped: u64,
    pub waiting: u64,
}

/// A template as the wizard's picker shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TemplateChoice {
    pub id: TemplateId,
    pub name: String,
    pub method: String,
    pub url: String,
}

/// What the wizard offers to choose from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WizardOptionsOut {
    pub templates: Vec<TemplateChoice>,
    /// Names of the events ingested so far.
    pub event_names: Vec<String>,
    /// The project time zone (IANA name) in which dates and times are read.
    pub time_zone: String,
    /// Users per request with Profile variables.
    pub batch_size: u32,
    /// The project time zone, to show times in, and the wall-clock time there now (`YYYY-MM-DDTHH:MM`)
    /// from which the next runs of a recurring schedule are shown.
    #[serde(default)]
    pub clock: ZoneClock,
    #[serde(default)]
    pub local_now: String,
}

/// The live reach estimate of a segment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReachOut {
    /// Users who qualify now.
    pub qualifying: u64,
    /// Of those, how many would be targeted (the cap applied).
    pub targeted: u64,
}

/// The exact request one delivery would make, rendered for a chosen user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PreviewOut {
    pub method: String,
    pub url: String,
    /// Secrets are masked.
    pub headers: Vec<Header>,
    /// Pretty-printed when it is JSON; empty for methods without a body.
    pub body: String,
    /// Whether each user gets a request of their own (else a request carries a batch of users).
    pub personal: bool,
    /// With a JSON body: whether it parsed (`None` for plain text or no body).
    pub json_valid: Option<bool>,
    /// Why this user would not be sent anything (invalid JSON, a Liquid error, linked content that
    /// failed); the request shown is then incomplete.
    pub problem: Option<String>,
    /// Whom it was rendered for (`None`: nobody qualifies and no user was chosen).
    pub user: Option<PreviewUser>,
    pub reach: ReachOut,
}

/// A user a preview can be rendered for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PreviewUser {
    /// The profile's id.
    pub id: i64,
    pub identity: Option<String>,
    pub email: Option<String>,
    pub object_id: String,
}

impl PreviewUser {
    /// How a person recognises the user: identity and e-mail, else the object id.
    pub fn label(&self) -> String {
        match (&self.identity, &self.email) {
            (Some(identity), Some(email)) => format!("{identity} ({email})"),
            (Some(one), None) | (None, Some(one)) => one.clone(),
            (None, None) => self.object_id.clone(),
        }
    }
}
