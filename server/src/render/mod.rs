//! Building request bodies.

pub mod test_payload;
