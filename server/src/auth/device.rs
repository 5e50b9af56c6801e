//! The device cookie: set when a browser signs in, it names the account (sealed with the server's
//! secret key, so it can be neither read nor forged) and lets that browser through the account's
//! sign-in throttle, which strangers can trip by failing with the account's e-mail.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use crate::secrets::SecretBox;

/// How long a browser stays known: a year.
const MAX_AGE_SECS: u64 = 365 * 86_400;

/// A device cookie value for `user_id`.
pub fn issue(secrets: &SecretBox, user_id: i64) -> String {
    URL_SAFE_NO_PAD.encode(secrets.seal(&user_id.to_be_bytes()))
}

/// The account a device cookie value was issued for, if it is one of ours.
pub fn user_of(secrets: &SecretBox, value: &str) -> Option<i64> {
    let sealed = URL_SAFE_NO_PAD.decode(value).ok()?;
    let plain = secrets.open(&sealed).ok()?;
    Some(i64::from_be_bytes(plain.try_into().ok()?))
}

/// The `Set-Cookie` value; sent only to the sign-in endpoints.
pub fn cookie(value: &str, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!(
        "{}={value}; Path=/api/auth; HttpOnly; SameSite=Strict; Max-Age={MAX_AGE_SECS}{secure}",
        app::model::session::DEVICE_COOKIE
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_device_cookie_names_its_account_and_cannot_be_forged() {
        let secrets = SecretBox::new([7; 32]);
        let value = issue(&secrets, 42);
        assert_eq!(user_of(&secrets, &value), Some(42));
        assert_eq!(user_of(&SecretBox::new([8; 32]), &value), None);
        assert_eq!(user_of(&secrets, "forged"), None);
        assert!(cookie(&value, true).ends_with("; Secure"));
    }
}
