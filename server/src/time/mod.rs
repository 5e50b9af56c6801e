//! Times in the project time zone: reading a wizard's local date-time, and the day boundaries segment
//! windows use.

pub mod local_time;
