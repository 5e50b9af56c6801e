//! Authentication. Dashboard side: accounts, password hashing, sessions and the gate that keeps anonymous
//! callers out. Outgoing side: the credentials Hookline attaches to webhook requests.

pub mod gate;
pub mod outgoing;
pub mod password;
pub mod session_token;
pub mod sessions;
