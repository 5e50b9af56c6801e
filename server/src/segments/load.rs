//! Building the segment index from the database at start, a page of rows at a time (no read stays
//! open long, and memory holds only the index and one page).

use super::index::{ProfileState, SegmentIndex, properties_of_text};
use crate::store::{self, Db};

const PAGE: i64 = 20_000;

pub async fn from_db(db: &Db) -> sqlx::Result<SegmentIndex> {
    let started = std::time::Instant::now();
    let mut index = SegmentIndex::default();
    let mut after = 0;
    loop {
        let page = store::segments::profiles_after(db, after, PAGE).await?;
        let Some(last) = page.last() else { break };
        after = last.id;
        for p in &page {
            index.set_profile(&ProfileState {
                id: p.id,
                identity: p.identity.as_deref(),
                email: p.email.as_deref(),
                data: &p.profile_data,
            });
        }
    }
    let mut after = 0;
    let mut events = 0usize;
    loop {
        let page = store::segments::events_after(db, after, PAGE).await?;
        let Some(last) = page.last() else { break };
        after = last.id;
        events += page.len();
        for e in &page {
            index.add_event(e.profile_id, &e.name, e.ts, &properties_of_text(&e.data));
        }
    }
    tracing::info!(
        profiles = index.users(),
        events,
        ms = started.elapsed().as_millis() as u64,
        "segment index built"
    );
    Ok(index)
}
