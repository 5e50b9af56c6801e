//! One module per screen.

pub mod campaign_wizard;
pub mod campaigns;
pub mod linked;
pub mod login;
pub mod not_found;
pub mod segments;
pub mod settings;
pub mod setup;
pub mod webhooks;
