//! Segments: the live reach estimate, the event properties offered by the segment builder, and saved
//! segments.

use leptos::prelude::*;

use crate::json_text::Json;
use crate::model::campaign_report::ReachOut;
use crate::model::saved_segment::{SavedSegmentOut, SegmentSuggestions};
use crate::model::segment::Segment;
use crate::model::{ApiError, SegmentId};

/// `POST /api/segments/reach {"segment":{...},"cap":1000}`: users who qualify now, and how many the cap
/// leaves.
#[server(endpoint = "segments/reach", input = Json, output = Json)]
pub async fn estimate_reach(
    segment: Segment,
    #[server(default)] cap: Option<u32>,
) -> Result<ReachOut, ApiError> {
    super::context::current_user()?;
    super::context::backend()?
        .estimate_reach(segment, cap)
        .await
}

/// `POST /api/segments/event_properties {"event":"Charged"}`: property names seen on recent events.
#[server(endpoint = "segments/event_properties", input = Json, output = Json)]
pub async fn event_properties(event: String) -> Result<Vec<String>, ApiError> {
    super::context::current_user()?;
    super::context::backend()?.event_properties(event).await
}

/// `POST /api/segments/suggestions {}`: event names with their property names, and profile property
/// names, as seen in ingested data.
#[server(endpoint = "segments/suggestions", input = Json, output = Json)]
pub async fn segment_builder_names() -> Result<SegmentSuggestions, ApiError> {
    super::context::current_user()?;
    super::context::backend()?.segment_suggestions().await
}

/// `POST /api/segments/list {}`: saved segments by name, with who qualifies now.
#[server(endpoint = "segments/list", input = Json, output = Json)]
pub async fn list_segments() -> Result<Vec<SavedSegmentOut>, ApiError> {
    super::context::current_user()?;
    super::context::backend()?.list_segments().await
}

/// `POST /api/segments/get {"id":1}`: one saved segment, its definition exactly as saved.
#[server(endpoint = "segments/get", input = Json, output = Json)]
pub async fn get_segment(id: SegmentId) -> Result<SavedSegmentOut, ApiError> {
    super::context::current_user()?;
    super::context::backend()?.get_segment(id).await
}

/// `POST /api/segments/create {"name":"Big spenders","segment":{"match":"all","rules":[...]}}`.
#[server(endpoint = "segments/create", input = Json, output = Json)]
pub async fn create_segment(name: String, segment: Segment) -> Result<SavedSegmentOut, ApiError> {
    super::context::current_user()?;
    super::context::backend()?
        .create_segment(crate::model::saved_segment::SavedSegmentIn { name, segment })
        .await
}

/// `POST /api/segments/update {"id":1,"name":...,"segment":{...}}`.
#[server(endpoint = "segments/update", input = Json, output = Json)]
pub async fn update_segment(
    id: SegmentId,
    name: String,
    segment: Segment,
) -> Result<SavedSegmentOut, ApiError> {
    super::context::current_user()?;
    super::context::backend()?
        .update_segment(
            id,
            crate::model::saved_segment::SavedSegmentIn { name, segment },
        )
        .await
}

/// `POST /api/segments/delete {"id":1}`: refused (409) while a campaign that may still run targets it.
#[server(endpoint = "segments/delete", input = Json, output = Json)]
pub async fn delete_segment(id: SegmentId) -> Result<(), ApiError> {
    super::context::current_user()?;
    super::context::backend()?.delete_segment(id).await
}
