//! Charts drawn on the server as SVG, so they show without any script: a campaign's users sent,
//! delivered and failed over time, its attempts' latency percentiles, and the list's small trends.
//! Each picture has a title and a description; the page puts the numbers in a table beside it.

pub mod activity;
pub mod svg;
