//! Settings > Webhooks: the list of templates and the form to add or edit one.

pub mod edit;
pub mod form;
pub mod list;
pub mod new;
