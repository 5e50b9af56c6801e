//! Campaigns: the list with each campaign's counts, and the campaign page with its statistics, failures
//! by reason and delivery log.

mod activity;
mod circuit;
mod delivery_filters;
mod delivery_log;
pub mod list;
mod replay;
pub mod report;
mod runs;

use leptos::prelude::*;

use crate::model::campaign::CampaignStatus;

/// Scheduled, preparing and running campaigns change on their own; their pages refresh while they are.
fn is_live(status: CampaignStatus) -> bool {
    status.can_stop()
}

/// A campaign's status as a coloured label.
fn status_badge(status: CampaignStatus) -> impl IntoView {
    view! { <span class=format!("status status-{}", status.as_str())>{status.label()}</span> }
}
