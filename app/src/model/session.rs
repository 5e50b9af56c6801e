//! Dashboard accounts: login and first-run setup input, the signed-in user.

use serde::{Deserialize, Serialize};

use super::{FieldErrors, UserId};

/// Name of the HttpOnly cookie holding the dashboard session token.
pub const SESSION_COOKIE: &str = "hookline_session";
/// Name of the HttpOnly cookie marking a browser that signed in before (it is let through when
/// someone else's failed sign-ins slow its account down).
pub const DEVICE_COOKIE: &str = "hookline_device";

/// The value of cookie `name` in a `Cookie` request header, if any.
pub fn cookie_value<'a>(header: &'a str, name: &str) -> Option<&'a str> {
    header
        .split(';')
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(n, _)| *n == name)
        .map(|(_, value)| value.trim_matches('"'))
        .filter(|value| !value.is_empty())
}

/// The session token in a `Cookie` request header, if any.
pub fn session_token_from_cookies(header: &str) -> Option<&str> {
    cookie_value(header, SESSION_COOKIE)
}

/// Where to go after signing in: the `next` page if it is a path on this site, else the home page.
/// Anything else (`//evil.example`, `https://...`) is refused so the login page cannot redirect away,
/// and so is any path with a backslash, a space or a control character: browsers drop tabs and
/// newlines from URLs and read `\` as `/`, so `/\t/evil.example` would become `//evil.example`.
pub fn safe_next(next: Option<&str>) -> &str {
    let is_local_path = |n: &str| {
        n.starts_with('/')
            && !n.starts_with("//")
            && !n
                .chars()
                .any(|c| c == '\\' || c.is_whitespace() || c.is_control())
    };
    match next {
        Some(n) if is_local_path(n) => n,
        _ => "/campaigns",
    }
}

/// Shortest admin password accepted (NIST SP 800-63B's floor).
pub const MIN_PASSWORD_LEN: usize = 8;
/// Longest password accepted: hashing is deliberately slow, so unbounded input would be a denial of service.
pub const MAX_PASSWORD_LEN: usize = 1024;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoginIn {
    pub email: String,
    pub password: String,
}

/// First-run setup: the admin account, and the one-time setup code the server printed to its log
/// (needed when it listens on an address other computers can reach).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SetupIn {
    pub email: String,
    pub password: String,
    #[serde(default)]
    pub setup_code: Option<String>,
}

/// What the setup page needs to know before it asks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SetupInfoOut {
    /// Whether an admin account exists already (setup is over).
    pub admin_exists: bool,
    /// Whether setup asks for the code printed in the server's log.
    pub code_required: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserOut {
    pub id: UserId,
    pub email: String,
}

/// Is this a plausible e-mail address? Deliverability is not our concern; typos like a missing `@` are.
pub fn check_email(email: &str, errors: &mut FieldErrors) {
    let email = email.trim();
    let plausible = email.len() <= 254
        && email.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty() && domain.contains('.') && !domain.ends_with('.')
        })
        && !email.chars().any(char::is_whitespace);
    if email.is_empty() {
        errors.add("email", "Enter an e-mail address.");
    } else if !plausible {
        errors.add(
            "email",
            "Enter a valid e-mail address, like ops@example.com.",
        );
    }
}

impl LoginIn {
    /// Rules for a new account's credentials (first-run setup).
    pub fn validate_new_account(&self) -> Result<(), FieldErrors> {
        let mut errors = FieldErrors::default();
        check_email(&self.email, &mut errors);
        let len = self.password.chars().count();
        if len < MIN_PASSWORD_LEN {
            errors.add(
                "password",
                format!("Use at least {MIN_PASSWORD_LEN} characters."),
            );
        } else if self.password.len() > MAX_PASSWORD_LEN {
            errors.add(
                "password",
                format!("Use at most {MAX_PASSWORD_LEN} characters."),
            );
        }
        errors.into_result()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn account(email: &str, password: &str) -> LoginIn {
        LoginIn {
            email: email.into(),
            password: password.into(),
        }
    }

    #[test]
    fn reads_the_session_cookie() {
        assert_eq!(
            session_token_from_cookies("a=1; hookline_session=tok; b=2"),
            Some("tok")
        );
        assert_eq!(session_token_from_cookies("hookline_session="), None);
        assert_eq!(session_token_from_cookies("other=1"), None);
    }

    #[test]
    fn next_page_stays_on_site() {
        assert_eq!(safe_next(Some("/webhooks")), "/webhooks");
        assert_eq!(safe_next(Some("//evil.example")), "/campaigns");
        assert_eq!(safe_next(Some("/\\evil.example")), "/campaigns");
        assert_eq!(safe_next(Some("https://evil.example")), "/campaigns");
        assert_eq!(safe_next(Some("/\t/evil.example")), "/campaigns");
        assert_eq!(safe_next(Some("/\n/evil.example")), "/campaigns");
        assert_eq!(safe_next(Some("/ /evil.example")), "/campaigns");
        assert_eq!(safe_next(Some("/a\\b")), "/campaigns");
        assert_eq!(
            safe_next(Some("/campaigns/3?tab=log")),
            "/campaigns/3?tab=log"
        );
        assert_eq!(safe_next(None), "/campaigns");
    }

    #[test]
    fn new_account_rules() {
        assert!(
            account("ops@example.com", "long enough")
                .validate_new_account()
                .is_ok()
        );
        let err = account("ops", "short").validate_new_account().unwrap_err();
        assert!(err.get("email").is_some());
        assert!(err.get("password").is_some());
        assert!(
            account("a@b", "long enough")
                .validate_new_account()
                .is_err()
        );
        assert!(account("", "long enough").validate_new_account().is_err());
    }
}
