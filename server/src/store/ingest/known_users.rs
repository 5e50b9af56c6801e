//! The profile ids of users already stored, kept in memory so that an upload naming them skips
//! looking them up on the writer's thread. A user's profile id never changes once committed (the
//! ingest writer is the only one to create profiles, and none is deleted or renamed), so an entry
//! is only added once its upload is committed, and is never stale.

use std::sync::RwLock;

use foldhash::HashMap;

use super::{Record, UserRef};

/// Users remembered at most (about 100 bytes each): past it, the memory starts over empty, so it
/// holds the users seen lately.
const MAX_USERS: usize = 250_000;

#[derive(Default)]
pub(super) struct KnownUsers {
    ids: RwLock<HashMap<UserRef, i64>>,
}

impl KnownUsers {
    /// The profile id of each of `users`, where known.
    pub fn ids_of<'r>(&self, users: impl Iterator<Item = &'r UserRef>) -> Vec<Option<i64>> {
        let ids = self
            .ids
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        users.map(|user| ids.get(user).copied()).collect()
    }

    /// Remembers the profile of the user each of `records` names: `profile_ids`, as committed.
    pub fn learn(&self, records: &[Record], profile_ids: &[i64]) {
        let mut ids = self
            .ids
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        for (record, &id) in records.iter().zip(profile_ids) {
            if ids.contains_key(&record.user) {
                continue;
            }
            if ids.len() >= MAX_USERS {
                ids.clear();
            }
            ids.insert(record.user.clone(), id);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::ingest::users::tests;

    fn named(identity: &str) -> Record {
        tests::named(UserRef::Identity(identity.into()))
    }

    #[test]
    fn learns_committed_users_and_starts_over_when_full() {
        let known = KnownUsers::default();
        known.learn(&[named("a"), named("b"), named("a")], &[1, 2, 1]);
        let asked = [UserRef::Identity("b".into()), UserRef::Identity("c".into())];
        assert_eq!(known.ids_of(asked.iter()), [Some(2), None]);

        let many: Vec<Record> = (0..MAX_USERS).map(|i| named(&format!("u{i}"))).collect();
        let ids: Vec<i64> = (10..).take(MAX_USERS).collect();
        known.learn(&many, &ids);
        let len = known.ids.read().unwrap().len();
        assert!(len <= MAX_USERS, "{len}");
        // The last learned are kept.
        let last = [many[MAX_USERS - 1].user.clone()];
        assert_eq!(known.ids_of(last.iter()), [Some(ids[MAX_USERS - 1])]);
    }
}
