//! Plain data types shared by the browser and the server, with their validation. Serde only: this module
//! compiles for WASM and the server alike.

pub mod campaign;
pub mod campaign_list;
pub mod campaign_report;
pub mod campaign_validation;
pub mod charts;
pub mod circuit;
pub mod delivery_log;
pub mod error;
pub mod ids;
pub mod linked;
pub mod live;
pub mod local_time;
pub mod oauth;
pub mod oauth_validation;
pub mod recurrence;
pub mod saved_segment;
pub mod segment;
pub mod session;
pub mod settings;
pub mod template_uses;
pub mod time_fmt;
pub mod webhook;
pub mod webhook_validation;

pub use error::{ApiError, FieldErrors};
pub use ids::{CampaignId, DeliveryId, LinkedId, SegmentId, TemplateId, UserId};
