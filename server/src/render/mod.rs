//! Building request bodies: the Profile variables payload, Liquid templates, and a campaign's content
//! rendered for each user.

pub mod content;
pub mod liquid;
pub mod payload;
pub mod pretty;
pub mod test_payload;
pub mod variables;
