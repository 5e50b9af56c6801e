//! Settings > Webhooks: the list of templates and the form to add or edit one.

mod auth_fields;
pub mod circuit;
pub mod edit;
pub mod form;
mod jwt_fields;
mod jwt_key;
mod jwt_state;
mod limit_fields;
pub mod list;
mod mapping_state;
pub mod new;
mod oauth_actions;
mod oauth_fields;
mod oauth_state;
mod signing_secret;
mod token_fields;
