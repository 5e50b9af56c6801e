//! The fields of each kind of rule, one file per kind.

pub mod date_property;
pub mod did;
pub mod did_not;
pub mod did_not_within;
pub mod profile;
