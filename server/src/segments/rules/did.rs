//! `did`: count each user's matching events, keep those whose count the rule accepts.

use app::model::segment::{CountOp, Did};

use super::{Context, anyone_who_did, scan};
use crate::segments::index::SegmentIndex;
use crate::segments::users::UserSet;

pub fn users(rule: &Did, index: &SegmentIndex, cx: Context<'_>) -> UserSet {
    let (op, value) = (rule.count.op, rule.count.value);
    if op == CountOp::AtLeast && value <= 1 {
        return anyone_who_did(index, &rule.event, &rule.filters, &rule.window, cx);
    }
    let mut counts = vec![0u32; index.users()];
    scan(
        index,
        &rule.event,
        &rule.filters,
        &rule.window,
        cx,
        |user, _| {
            let count = &mut counts[user as usize];
            *count = count.saturating_add(1);
        },
    );
    let mut users = UserSet::empty(index.users());
    for (user, &count) in counts.iter().enumerate() {
        let accepted = count >= 1
            && match op {
                CountOp::AtLeast => count >= value,
                CountOp::AtMost => count <= value,
                CountOp::Exactly => count == value,
            };
        if accepted {
            users.insert(user as u32);
        }
    }
    users
}
