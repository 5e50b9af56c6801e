//! The campaign wizard: choose a channel, then Setup, Who, What, When and Overview, one screen each,
//! saving the draft at every step, and Publish.

pub mod channel;
mod flow;
mod form;
mod issues;
mod live_form;
pub mod page;
mod preview;
mod recurring_form;
mod review;
mod setup;
mod steps;
mod what;
mod when;
mod when_live;
mod when_recurring;
mod who;
