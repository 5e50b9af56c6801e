//! A template's authentication with its secrets: what the pipeline attaches to a request. Never
//! leaves the server (`Debug` leaves the secrets out).

use crate::oauth::OAuth;
use crate::redact;

#[derive(Clone, PartialEq, Eq)]
pub enum Credentials {
    None,
    Basic { username: String, password: String },
    OAuth2(Box<OAuth>),
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::None => f.write_str("None"),
            Self::Basic { username, .. } => {
                write!(f, "Basic {{ username: {username:?}, password: .. }}")
            }
            Self::OAuth2(oauth) => write!(f, "OAuth2({oauth:?})"),
        }
    }
}

impl Credentials {
    /// `text` with these credentials hidden, together with `others` (secret header values, a
    /// bearer token) and anything credential-like.
    pub fn redact(&self, text: &str, others: &[&str]) -> String {
        let mut secrets = others.to_vec();
        let basic = match self {
            Self::None => None,
            Self::Basic { username, password } => {
                secrets.push(password);
                Some((username.as_str(), password.as_str()))
            }
            Self::OAuth2(oauth) => {
                secrets.extend(oauth.secrets());
                None
            }
        };
        redact::redact_with_basic(text, &secrets, basic)
    }
}
