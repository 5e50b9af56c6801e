//! What the campaign list shows, in one answer: a row per campaign (its name, status, schedule and
//! counts, not its whole draft) with its trend, and the project's clock. The list page loads only
//! this, so the browser's code for it does not carry the decoding of segments, content and schedules.

use serde::{Deserialize, Serialize};

use super::CampaignId;
use super::campaign::{CampaignOut, CampaignStats, CampaignStatus};
use super::charts::TrendOut;
use super::time_fmt::ZoneClock;

/// How a campaign is sent, as far as its Schedule column needs to know.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SendKind {
    /// Now or at a later time, once.
    Once,
    /// On a recurring schedule.
    Recurring,
    /// When a user does an event (a live campaign).
    Live,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CampaignRowOut {
    pub id: CampaignId,
    pub name: String,
    pub status: CampaignStatus,
    pub kind: SendKind,
    /// Unix ms: when it runs (scheduled) or ran.
    pub scheduled_at: Option<i64>,
    pub started_at: Option<i64>,
    /// Unix ms of its next run, if it has one to come.
    pub next_run_at: Option<i64>,
    pub updated_at: i64,
    pub stats: CampaignStats,
    /// Its sparkline, when it has had activity.
    pub trend: Option<TrendOut>,
}

impl CampaignRowOut {
    pub fn new(campaign: CampaignOut, trend: Option<TrendOut>) -> Self {
        let kind = if campaign.draft.is_live() {
            SendKind::Live
        } else if campaign.draft.recurrence().is_some() {
            SendKind::Recurring
        } else {
            SendKind::Once
        };
        Self {
            id: campaign.id,
            name: campaign.draft.name,
            status: campaign.status,
            kind,
            scheduled_at: campaign.scheduled_at,
            started_at: campaign.started_at,
            next_run_at: campaign.next_run_at,
            updated_at: campaign.updated_at,
            stats: campaign.stats,
            trend,
        }
    }
}

/// `campaigns/overview`: every campaign's row, newest first, and the clock to show their times in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CampaignsOverviewOut {
    pub campaigns: Vec<CampaignRowOut>,
    pub clock: ZoneClock,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::campaign::{CampaignDraft, When};
    use crate::model::live::DeliveryType;
    use crate::model::recurrence::Recurrence;

    fn campaign(when: When, delivery: DeliveryType) -> CampaignOut {
        CampaignOut {
            id: CampaignId(7),
            status: CampaignStatus::Scheduled,
            draft: CampaignDraft {
                name: "Trial nudge".into(),
                when,
                delivery,
                ..CampaignDraft::default()
            },
            template_name: None,
            scheduled_at: Some(1_000),
            started_at: None,
            completed_at: None,
            created_at: 1,
            updated_at: 2,
            stats: CampaignStats::default(),
            next_run_at: Some(3_000),
        }
    }

    #[test]
    fn a_row_says_how_its_campaign_is_sent() {
        let kind = |when, delivery| CampaignRowOut::new(campaign(when, delivery), None).kind;
        let later = When::Later {
            at: "2026-12-24T09:00".into(),
        };
        let recurring = When::Recurring(Recurrence::default());
        assert_eq!(kind(When::Now, DeliveryType::SpecificTime), SendKind::Once);
        assert_eq!(kind(later, DeliveryType::SpecificTime), SendKind::Once);
        assert_eq!(
            kind(recurring.clone(), DeliveryType::SpecificTime),
            SendKind::Recurring
        );
        // A live campaign keeps the When it had before it was made live; it is live all the same.
        assert_eq!(kind(recurring, DeliveryType::SpecificEvent), SendKind::Live);
    }

    #[test]
    fn a_row_keeps_the_campaigns_name_times_counts_and_trend() {
        let trend = TrendOut {
            id: CampaignId(7),
            svg: "<svg/>".into(),
            summary: "3 delivered".into(),
        };
        let row = CampaignRowOut::new(
            campaign(When::Now, DeliveryType::SpecificTime),
            Some(trend.clone()),
        );
        assert_eq!(
            (row.id, row.name.as_str(), row.status),
            (CampaignId(7), "Trial nudge", CampaignStatus::Scheduled)
        );
        assert_eq!(
            (row.scheduled_at, row.next_run_at, row.updated_at),
            (Some(1_000), Some(3_000), 2)
        );
        assert_eq!(row.trend, Some(trend));
    }
}
