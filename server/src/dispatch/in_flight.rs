//! The deliveries this dispatcher claimed whose result is not recorded yet. They are left out of
//! further claims, so a delivery whose lease ran out while its request was slow, or while its result
//! waited for the database, is never sent a second time by this process.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};

#[derive(Clone, Default)]
pub struct InFlight(Arc<Mutex<HashSet<i64>>>);

impl InFlight {
    pub fn add(&self, ids: impl IntoIterator<Item = i64>) {
        self.set().extend(ids);
    }

    pub fn remove(&self, ids: impl IntoIterator<Item = i64>) {
        let mut set = self.set();
        for id in ids {
            set.remove(&id);
        }
    }

    pub fn ids(&self) -> Vec<i64> {
        self.set().iter().copied().collect()
    }

    fn set(&self) -> std::sync::MutexGuard<'_, HashSet<i64>> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
}
