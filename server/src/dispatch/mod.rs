//! The outbox dispatcher: claims due deliveries, sends each through the outgoing pipeline, judges the
//! result (retry rules) and records it.

pub mod delivery;
mod in_flight;
mod plan;
pub mod recorder;
pub mod retry;
pub mod throttle;
pub mod worker;
