//! The distinct users an upload names, worked out on the caller's thread before the upload reaches
//! the writer, whose thread is the one every upload waits on.

use foldhash::HashMap;

use super::known_users::KnownUsers;
use super::{Record, UserRef};

/// Each record's user, and the upload's distinct users in key order: the writer looks them up (and
/// creates the new ones) in that order, so each lookup and each new entry of the id's index lands
/// next to the one before it, in pages already at hand.
#[derive(Debug)]
pub(super) struct UploadUsers {
    /// For each distinct user, the first record naming it.
    pub first_named: Vec<usize>,
    /// For each record, its user: an index into `first_named`.
    pub of_record: Vec<usize>,
    /// The users (indexes into `first_named`) in the order of the ids naming them.
    pub in_key_order: Vec<usize>,
    /// For each user, its profile id if it is known to be stored already.
    pub known: Vec<Option<i64>>,
}

impl UploadUsers {
    pub fn of(records: &[Record], known: &KnownUsers) -> Self {
        let mut first_named = Vec::new();
        let mut user_of: HashMap<&UserRef, usize> =
            HashMap::with_capacity_and_hasher(records.len(), Default::default());
        let of_record = records
            .iter()
            .enumerate()
            .map(|(at, record)| {
                *user_of.entry(&record.user).or_insert_with(|| {
                    first_named.push(at);
                    first_named.len() - 1
                })
            })
            .collect();
        let mut in_key_order: Vec<usize> = (0..first_named.len()).collect();
        in_key_order.sort_unstable_by_key(|&user| &records[first_named[user]].user);
        let known = known.ids_of(first_named.iter().map(|&at| &records[at].user));
        Self {
            first_named,
            of_record,
            in_key_order,
            known,
        }
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use crate::store::ingest::RecordBody;

    /// An event of the user `user` names.
    pub(in crate::store::ingest) fn named(user: UserRef) -> Record {
        Record {
            user,
            ts_ms: 1,
            body: RecordBody::Event {
                name: "e".into(),
                data: "{}".into(),
                properties: Vec::new(),
            },
        }
    }

    #[test]
    fn users_are_numbered_as_first_named_and_ordered_by_kind_then_id() {
        let records = [
            named(UserRef::ObjectId("__b".into())),
            named(UserRef::Identity("zed".into())),
            named(UserRef::ObjectId("__b".into())),
            named(UserRef::Identity("amy".into())),
            named(UserRef::Gpid("g".into())),
            named(UserRef::Identity("zed".into())),
        ];
        let known = KnownUsers::default();
        known.learn(&records[3..4], &[7]);
        let users = UploadUsers::of(&records, &known);
        assert_eq!(users.first_named, [0, 1, 3, 4]);
        assert_eq!(users.of_record, [0, 1, 0, 2, 3, 1]);
        // Identities first (amy, zed), then objectIds, then GPIDs, as the writer's `KINDS`.
        assert_eq!(users.in_key_order, [2, 1, 0, 3]);
        assert_eq!(users.known, [None, None, Some(7), None]);
    }
}
