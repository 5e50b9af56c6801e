//! The circuit breaker of a template's destination host, as the template and campaign pages show it.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CircuitOut {
    /// The host (with port) the template's requests go to; empty when its URL does not parse.
    pub host: String,
    /// Consecutive failed attempts that open it.
    pub failures_to_open: u32,
    /// Set while the circuit is open: the host's deliveries wait instead of spending their retries.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub open: Option<OpenCircuitOut>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpenCircuitOut {
    /// When it opened (unix ms).
    pub since: i64,
    /// When the next probe request may go (unix ms).
    pub probe_at: i64,
    /// Consecutive failed attempts when it opened, plus failed probes since.
    pub failures: u32,
}
