//! Segments: a segment definition compiled to SQL over the events table, with its time window resolved
//! in the project time zone.

pub mod sql;
pub mod window;

pub use crate::store::segments::{Bind, SegmentQuery};
pub use sql::compile;
