//! A campaign row as the API shows it: the draft parsed back from its JSON definition, the counters as
//! statistics.

use app::model::campaign::{CampaignDraft, CampaignOut, CampaignStats, CampaignStatus};
use app::model::{CampaignId, TemplateId};

use crate::store::campaigns::{CampaignRow, DraftWrite};

pub fn to_out(row: CampaignRow) -> Result<CampaignOut, String> {
    let mut draft: CampaignDraft = serde_json::from_str(&row.definition)
        .map_err(|e| format!("campaign {} has an unreadable definition: {e}", row.id))?;
    // The columns are the truth for what other rows point at.
    draft.name = row.name;
    draft.template_id = row.template_id.map(TemplateId);
    let status = CampaignStatus::parse(&row.status)
        .ok_or_else(|| format!("campaign {} has an unknown status {}", row.id, row.status))?;
    let status = match row.paused_at {
        Some(_) if status.can_pause() => CampaignStatus::Paused,
        _ => status,
    };
    let count = |n: i64| u64::try_from(n).unwrap_or(0);
    Ok(CampaignOut {
        id: CampaignId(row.id),
        status,
        draft,
        template_name: row.template_name,
        scheduled_at: row.scheduled_at,
        started_at: row.started_at,
        completed_at: row.completed_at,
        created_at: row.created_at,
        updated_at: row.updated_at,
        stats: CampaignStats {
            targeted: count(row.targeted_users),
            sent: count(row.sent_users),
            delivered: count(row.delivered_users),
            failed: count(row.failed_users),
            requests: count(row.requests),
            pending_requests: count(row.pending_requests),
            control: count(row.control_users),
            // Counted from the events when read (`campaigns::get`, `campaigns::list`).
            conversions: 0,
            control_conversions: 0,
        },
        // Found when read (`campaigns::get`, `campaigns::list`).
        next_run_at: None,
    })
}

/// The draft's JSON definition (name and template live in their own columns too).
pub fn definition(draft: &CampaignDraft) -> String {
    serde_json::to_string(draft).expect("a draft serialises")
}

pub fn write<'a>(draft: &'a CampaignDraft, definition: &'a str) -> DraftWrite<'a> {
    DraftWrite {
        name: draft.name.trim(),
        template_id: draft.template_id.map(|t| t.0),
        definition,
    }
}
