//! Times in the project time zone: reading a wizard's local date-time, the day boundaries segment
//! windows use, recurring schedules' runs, and the offsets the dashboard shows times with.

pub mod local_time;
pub mod recurring;
pub mod zone_clock;
