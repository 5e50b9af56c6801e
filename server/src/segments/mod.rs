//! Segments evaluated on the segment index: each rule gives a set of users, the segment's `match`
//! intersects or unites them. Reach estimates, previews and publishing all use this one evaluator.

pub mod column;
pub mod index;
pub mod load;
pub mod predicate;
pub mod rules;
pub mod users;
pub mod value;
pub mod window;

use std::sync::Arc;

use app::model::segment::{Match, Segment};
use jiff::tz::TimeZone;

pub use index::{SegmentIndex, SharedIndex};
pub use rules::Context;
pub use users::UserSet;

/// The users `segment` holds for at `cx.now_ms`.
pub fn evaluate(segment: &Segment, index: &SegmentIndex, cx: Context<'_>) -> UserSet {
    let mut result: Option<UserSet> = None;
    for rule in &segment.rules {
        if segment.match_ == Match::All && result.as_ref().is_some_and(|r| r.count() == 0) {
            break;
        }
        let users = rules::users(rule, index, cx);
        match &mut result {
            None => result = Some(users),
            Some(acc) if segment.match_ == Match::All => acc.intersect(&users),
            Some(acc) => acc.unite(&users),
        }
    }
    result.unwrap_or_else(|| UserSet::empty(index.users()))
}

/// What an evaluation found: how many users, and (when asked for) their profile ids in increasing
/// order.
#[derive(Debug, Clone, Default)]
pub struct Found {
    pub count: u64,
    pub profile_ids: Vec<i64>,
}

/// Evaluates `segment` off the async runtime (a scan can take tens of milliseconds). `ids` says how
/// many profile ids to return (`usize::MAX` for all).
pub async fn find(
    index: Arc<SharedIndex>,
    segment: Segment,
    now_ms: i64,
    zone: TimeZone,
    ids: usize,
) -> Found {
    off_runtime(move || {
        let index = index.blocking_read();
        let cx = Context {
            now_ms,
            zone: &zone,
        };
        let users = evaluate(&segment, &index, cx);
        Found {
            count: users.count(),
            profile_ids: users
                .iter()
                .take(ids)
                .map(|n| index.profile_id(n))
                .collect(),
        }
    })
    .await
}

/// How many users each segment holds now (the Segments list).
pub async fn count_each(
    index: Arc<SharedIndex>,
    segments: Vec<Segment>,
    now_ms: i64,
    zone: TimeZone,
) -> Vec<u64> {
    off_runtime(move || {
        let cx = Context {
            now_ms,
            zone: &zone,
        };
        // The read lock is taken per segment, so uploads waiting to update the index wait for one
        // evaluation at most, not for the whole list.
        segments
            .iter()
            .map(|segment| evaluate(segment, &index.blocking_read(), cx).count())
            .collect()
    })
    .await
}

async fn off_runtime<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> T {
    match tokio::task::spawn_blocking(work).await {
        Ok(done) => done,
        // The evaluation panicked (a bug): resume it here so the caller sees the same panic.
        Err(e) => std::panic::resume_unwind(e.into_panic()),
    }
}
