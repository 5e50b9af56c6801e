//! `profile`: the users whose profile property passes the test.

use app::model::segment::Filter;

use crate::segments::index::SegmentIndex;
use crate::segments::predicate::Predicate;
use crate::segments::users::UserSet;

pub fn users(filter: &Filter, index: &SegmentIndex) -> UserSet {
    let column = index.profile_column(filter.property.trim());
    let pass = Predicate::new(filter).decide(column);
    let mut users = UserSet::empty(index.users());
    for user in 0..index.users() {
        if pass[column.map_or(0, |c| c.id_at(user)) as usize] {
            users.insert(user as u32);
        }
    }
    users
}
