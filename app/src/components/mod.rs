//! Reusable widgets.

pub mod error_banner;
pub mod field;
pub mod flash;
pub mod key_value_editor;
pub mod page_header;
pub mod shell;
