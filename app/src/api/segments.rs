//! Segments: the live reach estimate and the event properties offered by the segment builder.

use leptos::prelude::*;
use leptos::server_fn::codec::Json;

use crate::model::ApiError;
use crate::model::campaign_report::ReachOut;
use crate::model::segment::SingleAction;

/// `POST /api/segments/reach {"segment":{...},"cap":1000}`: users who qualify now, and how many the cap
/// leaves.
#[server(endpoint = "segments/reach", input = Json)]
pub async fn estimate_reach(
    segment: SingleAction,
    #[server(default)] cap: Option<u32>,
) -> Result<ReachOut, ApiError> {
    super::context::current_user()?;
    super::context::backend()?
        .estimate_reach(segment, cap)
        .await
}

/// `POST /api/segments/event_properties {"event":"Charged"}`: property names seen on recent events.
#[server(endpoint = "segments/event_properties", input = Json)]
pub async fn event_properties(event: String) -> Result<Vec<String>, ApiError> {
    super::context::current_user()?;
    super::context::backend()?.event_properties(event).await
}
