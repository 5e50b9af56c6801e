//! Dashboard authentication: accounts, password hashing, sign-in throttling, first-run setup, sessions
//! and the gate that keeps anonymous callers out. (What Hookline attaches to outgoing requests is in
//! `outgoing` and `oauth`.)

pub mod device;
pub mod gate;
pub mod password;
pub mod session_token;
pub mod sessions;
pub mod setup_code;
pub mod sign_in;
pub mod throttle;
