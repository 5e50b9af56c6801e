//! Settings → Linked content: named external sources fetched for each user at send time (list,
//! create, edit with a test fetch, delete).

pub mod edit;
pub mod form;
pub mod list;
