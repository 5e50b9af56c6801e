//! Authentication. Dashboard side: accounts, password hashing, sessions and the gate that keeps anonymous
//! callers out. Outgoing side: the credentials Hookline attaches to webhook requests.

pub mod device;
pub mod gate;
pub mod outgoing;
pub mod password;
pub mod session_token;
pub mod sessions;
pub mod setup_code;
pub mod sign_in;
pub mod throttle;
