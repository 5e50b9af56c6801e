//! Reusable widgets.

pub mod action_errors;
pub mod copy_button;
pub mod error_banner;
pub mod field;
pub mod flash;
pub mod focus;
pub mod format;
pub mod key_value_editor;
pub mod page_header;
pub mod reach_estimate;
pub mod row_actions;
pub mod segment_builder;
pub mod select_field;
pub mod shell;
pub mod stat_cards;
pub mod timing;
