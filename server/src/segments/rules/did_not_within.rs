//! `did_not_within`: each user's latest `after` event in the window; the user qualifies once `within`
//! has passed since it and no matching `event` came strictly after it, within that time.

use app::model::segment::{DidNotWithin, TimeWindow};

use super::{Context, scan};
use crate::segments::index::SegmentIndex;
use crate::segments::users::UserSet;

pub fn users(rule: &DidNotWithin, index: &SegmentIndex, cx: Context<'_>) -> UserSet {
    let mut latest = vec![i64::MIN; index.users()];
    let after = &rule.after;
    scan(
        index,
        &after.event,
        &after.filters,
        &rule.window,
        cx,
        |user, ts| {
            let l = &mut latest[user as usize];
            *l = (*l).max(ts);
        },
    );
    let within = rule.within.millis();
    let mut followed = UserSet::empty(index.users());
    scan(
        index,
        &rule.event,
        &rule.filters,
        &TimeWindow::Ever,
        cx,
        |user, ts| {
            let a = latest[user as usize];
            if a != i64::MIN && ts > a && ts <= a.saturating_add(within) {
                followed.insert(user);
            }
        },
    );
    let mut users = UserSet::empty(index.users());
    for (user, &a) in latest.iter().enumerate() {
        let user = user as u32;
        if a != i64::MIN && a.saturating_add(within) <= cx.now_ms && !followed.contains(user) {
            users.insert(user);
        }
    }
    users
}
