//! Saved segments: create, list (with who qualifies now and which campaigns target each), update,
//! delete (refused while a campaign that may still run targets it), and the copy a campaign keeps.

use std::collections::HashMap;

use app::model::SegmentId;
use app::model::campaign::CampaignDraft;
use app::model::saved_segment::{SavedSegmentIn, SavedSegmentOut, SegmentSuggestions};
use app::model::segment::Segment;

use crate::Engine;
use crate::error::{EngineError, EngineResult};
use crate::quoted::quoted_list;
use crate::segments;
use crate::store::saved_segments as table;

pub async fn list(engine: &Engine) -> EngineResult<Vec<SavedSegmentOut>> {
    let rows = table::SEGMENTS.list(&engine.db).await?;
    // A definition that cannot be read (never written by this version) is left out, not the list.
    let saved: Vec<(table::SavedSegmentRow, Segment)> = rows
        .into_iter()
        .filter_map(|row| match parse(&row) {
            Ok(segment) => Some((row, segment)),
            Err(e) => {
                tracing::error!(error = %e, "saved segment left out of the list");
                None
            }
        })
        .collect();
    let counts = segments::count_each(
        engine.segment_index.clone(),
        saved.iter().map(|(_, s)| s.clone()).collect(),
        engine.clock.now_ms(),
        engine.zone.clone(),
    )
    .await;
    let mut used_by = campaigns_by_segment(engine).await?;
    Ok(saved
        .into_iter()
        .zip(counts)
        .map(|((row, segment), qualifying)| {
            let used_by = used_by.remove(&row.id).unwrap_or_default();
            out(row, segment, qualifying, used_by)
        })
        .collect())
}

pub async fn get(engine: &Engine, id: SegmentId) -> EngineResult<SavedSegmentOut> {
    let row = table::SEGMENTS
        .get(&engine.db, id.0)
        .await?
        .ok_or_else(|| not_found(id))?;
    let segment = parse(&row)?;
    let found = segments::find(
        engine.segment_index.clone(),
        segment.clone(),
        engine.clock.now_ms(),
        engine.zone.clone(),
        0,
    )
    .await;
    let used_by = campaigns_by_segment(engine)
        .await?
        .remove(&row.id)
        .unwrap_or_default();
    Ok(out(row, segment, found.count, used_by))
}

pub async fn create(engine: &Engine, input: SavedSegmentIn) -> EngineResult<SavedSegmentOut> {
    input.check()?;
    let id = table::SEGMENTS
        .insert(
            &engine.db,
            input.name.trim(),
            &definition(&input.segment),
            engine.clock.now_ms(),
        )
        .await
        .map_err(|e| EngineError::or_name_taken(e, NAME_TAKEN))?;
    tracing::info!(segment = id, "saved segment created");
    get(engine, SegmentId(id)).await
}

pub async fn update(
    engine: &Engine,
    id: SegmentId,
    input: SavedSegmentIn,
) -> EngineResult<SavedSegmentOut> {
    input.check()?;
    let updated = table::SEGMENTS
        .update(
            &engine.db,
            id.0,
            input.name.trim(),
            &definition(&input.segment),
            engine.clock.now_ms(),
        )
        .await
        .map_err(|e| EngineError::or_name_taken(e, NAME_TAKEN))?;
    if !updated {
        return Err(not_found(id));
    }
    get(engine, id).await
}

pub async fn delete(engine: &Engine, id: SegmentId) -> EngineResult<()> {
    match table::delete(&engine.db, id.0).await? {
        Ok(true) => {
            tracing::info!(segment = id.0, "saved segment deleted");
            Ok(())
        }
        Ok(false) => Err(not_found(id)),
        Err(campaigns) => Err(EngineError::conflict(format!(
            "Campaigns target this segment ({}). Choose another segment for them, or delete them, first.",
            quoted_list(&campaigns)
        ))),
    }
}

/// What the segment builder offers: names seen in ingested data.
pub async fn suggestions(engine: &Engine) -> SegmentSuggestions {
    engine.segment_index.read().await.suggestions()
}

/// A draft that targets a saved segment gets that segment's current definition as its copy.
pub async fn refresh_copy(engine: &Engine, draft: &mut CampaignDraft) -> EngineResult<()> {
    let Some(id) = draft.who.segment_id else {
        return Ok(());
    };
    let row = table::SEGMENTS
        .get(&engine.db, id.0)
        .await?
        .ok_or_else(|| {
            EngineError::field(
                "who.segment_id",
                "This saved segment no longer exists: choose another one.",
            )
        })?;
    draft.who.segment = parse(&row)?;
    Ok(())
}

fn definition(segment: &Segment) -> String {
    serde_json::to_string(segment).unwrap_or_default()
}

fn parse(row: &table::SavedSegmentRow) -> EngineResult<Segment> {
    serde_json::from_str(&row.definition)
        .map_err(|e| EngineError::Internal(format!("saved segment {} cannot be read: {e}", row.id)))
}

async fn campaigns_by_segment(engine: &Engine) -> EngineResult<HashMap<i64, Vec<String>>> {
    let mut by_segment: HashMap<i64, Vec<String>> = HashMap::new();
    for (segment, campaign) in table::used_by(&engine.db).await? {
        by_segment.entry(segment).or_default().push(campaign);
    }
    Ok(by_segment)
}

fn out(
    row: table::SavedSegmentRow,
    segment: Segment,
    qualifying: u64,
    used_by: Vec<String>,
) -> SavedSegmentOut {
    SavedSegmentOut {
        id: SegmentId(row.id),
        name: row.name,
        description: segment.describe(),
        segment,
        qualifying,
        used_by,
        created_at: row.created_at,
        updated_at: row.updated_at,
    }
}

fn not_found(id: SegmentId) -> EngineError {
    EngineError::not_found(format!("There is no saved segment {id}."))
}

const NAME_TAKEN: &str = "Another saved segment has this name.";
