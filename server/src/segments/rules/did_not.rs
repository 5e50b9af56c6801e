//! `did_not`: everyone but the users with a matching event in the window.

use app::model::segment::DidNot;

use super::{Context, anyone_who_did};
use crate::segments::index::SegmentIndex;
use crate::segments::users::UserSet;

pub fn users(rule: &DidNot, index: &SegmentIndex, cx: Context<'_>) -> UserSet {
    anyone_who_did(index, &rule.event, &rule.filters, &rule.window, cx).complement()
}
