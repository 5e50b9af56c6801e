//! The one-time setup code (as Grafana and Jenkins have): while no admin exists and the server
//! listens on an address other computers can reach, whoever opens `/setup` first would own the
//! installation. So setup then asks for a code printed to the server's log at start, which only the
//! person who started the server can read.

use std::net::SocketAddr;
use std::sync::OnceLock;

use rand::Rng;

/// Letters and digits that cannot be mistaken for one another when read from a terminal.
const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

#[derive(Default)]
pub struct SetupCode(OnceLock<String>);

impl SetupCode {
    /// Makes the code, unless setup is already done or only this computer can reach the server (and
    /// the code is not `always` asked for). Returns it (for the log) when one was made.
    pub fn issue_if_exposed(
        &self,
        listening: SocketAddr,
        admin_exists: bool,
        always: bool,
    ) -> Option<&str> {
        if admin_exists || (listening.ip().is_loopback() && !always) {
            return None;
        }
        Some(self.0.get_or_init(generate))
    }

    pub fn required(&self) -> bool {
        self.0.get().is_some()
    }

    /// Whether `given` is the code (case, spaces and dashes aside). `true` when none is required.
    pub fn accepts(&self, given: Option<&str>) -> bool {
        let Some(expected) = self.0.get() else {
            return true;
        };
        let normal = |s: &str| -> Vec<u8> {
            s.bytes()
                .filter(|b| b.is_ascii_alphanumeric())
                .map(|b| b.to_ascii_uppercase())
                .collect()
        };
        let (expected, given) = (normal(expected), normal(given.unwrap_or_default()));
        // Compared in full whatever the first difference, so timing tells nothing.
        expected.len() == given.len()
            && expected
                .iter()
                .zip(&given)
                .fold(0u8, |diff, (a, b)| diff | (a ^ b))
                == 0
    }
}

/// `XXXX-XXXX-XXXX`: 60 bits.
fn generate() -> String {
    let mut rng = rand::rngs::OsRng;
    (0..3)
        .map(|_| {
            (0..4)
                .map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char)
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join("-")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_an_exposed_server_without_an_admin_asks_for_a_code() {
        let local = SetupCode::default();
        assert!(
            local
                .issue_if_exposed("127.0.0.1:3000".parse().unwrap(), false, false)
                .is_none()
        );
        assert!(!local.required() && local.accepts(None));
        let done = SetupCode::default();
        assert!(
            done.issue_if_exposed("0.0.0.0:3000".parse().unwrap(), true, true)
                .is_none()
        );

        let proxied = SetupCode::default();
        let local: SocketAddr = "127.0.0.1:3000".parse().unwrap();
        assert!(proxied.issue_if_exposed(local, false, true).is_some());

        let exposed = SetupCode::default();
        let code = exposed
            .issue_if_exposed("0.0.0.0:3000".parse().unwrap(), false, false)
            .unwrap()
            .to_owned();
        assert_eq!(code.len(), 14);
        assert!(exposed.required());
        assert!(exposed.accepts(Some(&code)));
        assert!(exposed.accepts(Some(&code.to_lowercase().replace('-', " "))));
        assert!(!exposed.accepts(Some("AAAA-AAAA-AAAA")));
        assert!(!exposed.accepts(None));
    }
}
