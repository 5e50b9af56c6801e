//! Campaigns stopped while this process runs. A stop cancels the deliveries no one has claimed in the
//! database; the dispatcher looks here right before each request leaves, so one it claimed earlier is
//! not sent either.

use std::collections::HashSet;
use std::sync::Mutex;

#[derive(Default)]
pub struct CampaignHalts(Mutex<HashSet<i64>>);

impl CampaignHalts {
    /// Marks the campaign stopped; `true` if it was not already.
    pub fn halt(&self, campaign_id: i64) -> bool {
        self.set().insert(campaign_id)
    }

    /// Forgets a halt: the stop failed, or the campaign is gone.
    pub fn forget(&self, campaign_id: i64) {
        self.set().remove(&campaign_id);
    }

    pub fn is_halted(&self, campaign_id: i64) -> bool {
        self.set().contains(&campaign_id)
    }

    fn set(&self) -> std::sync::MutexGuard<'_, HashSet<i64>> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
}
