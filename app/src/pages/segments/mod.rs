//! Segments: saved groups of users (list, create, edit, delete), built with the Who step's builder.

pub mod edit;
pub mod form;
pub mod list;
