//! Saved segments: a named segment that campaigns can target by id (Segments page, Who step).

use serde::{Deserialize, Serialize};

use super::segment::Segment;
use super::{FieldErrors, SegmentId};

pub const MAX_NAME_LEN: usize = 200;

/// `segments/create` and `segments/update`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedSegmentIn {
    pub name: String,
    pub segment: Segment,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedSegmentOut {
    pub id: SegmentId,
    pub name: String,
    /// Exactly as saved.
    pub segment: Segment,
    /// The segment in words.
    pub description: String,
    /// Users who qualify now.
    pub qualifying: u64,
    /// Names of the campaigns that target it.
    pub used_by: Vec<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

/// What the segment builder offers to pick from: the names seen in ingested data (typing others is
/// allowed).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SegmentSuggestions {
    /// Event names, each with the property names seen on it, both sorted.
    pub events: Vec<EventSuggestion>,
    /// Profile property names (with `Identity` and `Email`), sorted.
    pub profile_properties: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventSuggestion {
    pub name: String,
    pub properties: Vec<String>,
}

impl SavedSegmentIn {
    /// Messages are keyed `name` and `segment.rules...`.
    pub fn check(&self) -> Result<(), FieldErrors> {
        let mut errors = FieldErrors::default();
        let name = self.name.trim();
        if name.is_empty() {
            errors.add("name", "Give the segment a name.");
        } else if name.chars().count() > MAX_NAME_LEN {
            errors.add("name", format!("Use at most {MAX_NAME_LEN} characters."));
        }
        self.segment.check("segment", &mut errors);
        errors.into_result()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_and_a_valid_segment_are_needed() {
        let blank = SavedSegmentIn::default();
        let errors = blank.check().unwrap_err();
        assert!(errors.get("name").is_some());
        assert!(errors.get("segment.rules.0.event").is_some());
    }
}
