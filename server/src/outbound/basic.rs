//! HTTP Basic credentials (RFC 7617), as webhook requests and token requests send them.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;

/// `Authorization` value for HTTP Basic authentication (RFC 7617).
pub fn basic_authorization(username: &str, password: &str) -> String {
    format!("Basic {}", B64.encode(format!("{username}:{password}")))
}

#[cfg(test)]
mod tests {
    #[test]
    fn rfc_7617_example() {
        assert_eq!(
            super::basic_authorization("Aladdin", "open sesame"),
            "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ=="
        );
    }
}
