//! Building request bodies.

pub mod payload;
pub mod test_payload;
