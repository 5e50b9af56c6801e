//! OAuth 2.0 authentication of a webhook template: the grant used to get an access token, how the
//! client proves who it is (secret, or a JWT signed with a key pair the product generates), and which
//! fields of the token response hold the token and its expiry. Secrets travel only browser → server.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GrantType {
    /// Resource owner password credentials (RFC 6749 §4.3), refreshed with the refresh token.
    Password,
    /// Client credentials (RFC 6749 §4.4) authenticated with the client secret.
    #[default]
    ClientCredentials,
    /// Client credentials authenticated with a signed JWT (RFC 7523 `private_key_jwt`).
    ClientCredentialsJwt,
}

impl GrantType {
    pub const ALL: [GrantType; 3] = [
        Self::Password,
        Self::ClientCredentials,
        Self::ClientCredentialsJwt,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Self::Password => "Password Credentials",
            Self::ClientCredentials => "Client Credentials without JWT",
            Self::ClientCredentialsJwt => "Client Credentials with JWT",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Password => "password",
            Self::ClientCredentials => "client_credentials",
            Self::ClientCredentialsJwt => "client_credentials_jwt",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|g| g.as_str() == s)
    }

    /// Whether the client authenticates with its secret (and not with a JWT).
    pub fn uses_secret(self) -> bool {
        !matches!(self, Self::ClientCredentialsJwt)
    }
}

/// Where the client id and secret go in a token request (RFC 6749 §2.3.1).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClientAuthentication {
    /// `Authorization: Basic base64(client_id:secret)`.
    #[default]
    BasicHeader,
    /// `client_id` and `client_secret` form fields.
    RequestBody,
}

impl ClientAuthentication {
    pub const ALL: [ClientAuthentication; 2] = [Self::BasicHeader, Self::RequestBody];

    pub fn label(self) -> &'static str {
        match self {
            Self::BasicHeader => "Send Basic Authentication in Header",
            Self::RequestBody => "Send client credentials in the request body",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::BasicHeader => "basic_header",
            Self::RequestBody => "request_body",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == s)
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum JwtAlgorithm {
    #[default]
    RS256,
    RS384,
    RS512,
}

impl JwtAlgorithm {
    pub const ALL: [JwtAlgorithm; 3] = [Self::RS256, Self::RS384, Self::RS512];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::RS256 => "RS256",
            Self::RS384 => "RS384",
            Self::RS512 => "RS512",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.as_str() == s)
    }
}

/// The JWT header of a client assertion. Empty text fields are left out of the header, except `kid`,
/// which then is the key's id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct JwtHeaderSettings {
    pub alg: JwtAlgorithm,
    pub typ: String,
    pub kid: String,
    pub cty: String,
    /// Names the recipient must understand (`crit`); empty leaves `crit` out.
    pub crit: Vec<String>,
}

impl Default for JwtHeaderSettings {
    fn default() -> Self {
        Self {
            alg: JwtAlgorithm::RS256,
            typ: "JWT".to_owned(),
            kid: String::new(),
            cty: String::new(),
            crit: Vec::new(),
        }
    }
}

/// The claims of a client assertion. Empty `iss`/`sub` mean the client id, an empty `aud` the Access
/// Token URL. `jti` is unique per assertion: `jti_prefix` followed by 32 random hex digits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct JwtClaimsSettings {
    pub iss: String,
    pub sub: String,
    pub aud: String,
    /// Seconds from signing to `exp`.
    pub lifetime_secs: u32,
    pub jti_prefix: String,
    /// Whether the assertion carries `iat`.
    pub use_iat: bool,
}

impl Default for JwtClaimsSettings {
    fn default() -> Self {
        Self {
            iss: String::new(),
            sub: String::new(),
            aud: String::new(),
            lifetime_secs: 300,
            jti_prefix: String::new(),
            use_iat: true,
        }
    }
}

pub const MAX_ASSERTION_LIFETIME_SECS: u32 = 86_400;

/// Client Credentials with JWT: the template's key set (its public keys are served as a JWKS at
/// `/oauth/jwks/<key_set>`) and how assertions are built.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct JwtSettings {
    /// Empty until a key pair has been generated.
    pub key_set: String,
    pub header: JwtHeaderSettings,
    pub claims: JwtClaimsSettings,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExpiryUnit {
    Seconds,
    #[default]
    Minutes,
    Hours,
    Days,
}

impl ExpiryUnit {
    pub const ALL: [ExpiryUnit; 4] = [Self::Seconds, Self::Minutes, Self::Hours, Self::Days];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Seconds => "seconds",
            Self::Minutes => "minutes",
            Self::Hours => "hours",
            Self::Days => "days",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|u| u.as_str() == s)
    }

    pub fn secs(self) -> u64 {
        match self {
            Self::Seconds => 1,
            Self::Minutes => 60,
            Self::Hours => 3_600,
            Self::Days => 86_400,
        }
    }
}

/// How long an access token is used.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum TokenExpiry {
    /// The seconds in the response field `TokenMapping::expires_in`.
    #[default]
    FromResponse,
    Fixed {
        value: u32,
        unit: ExpiryUnit,
    },
}

/// Which fields of the token response hold what. A dotted path (`data.token`) reaches into objects.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct TokenMapping {
    pub access_token: String,
    pub refresh_token: String,
    pub expires_in: String,
    pub expiry: TokenExpiry,
}

impl Default for TokenMapping {
    fn default() -> Self {
        Self {
            access_token: "access_token".to_owned(),
            refresh_token: "refresh_token".to_owned(),
            expires_in: "expires_in".to_owned(),
            expiry: TokenExpiry::FromResponse,
        }
    }
}

/// The non-secret OAuth settings: stored in the clear, shown back as they are.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct OAuthSettings {
    pub grant: GrantType,
    pub client_id: String,
    /// Password grant only.
    pub username: String,
    /// Space-separated, as sent in `scope`.
    pub scopes: String,
    pub access_token_url: String,
    /// Password grant only; empty means the Access Token URL.
    pub refresh_token_url: String,
    /// For the grants that use the client secret.
    pub client_auth: ClientAuthentication,
    /// Client Credentials with JWT only.
    pub jwt: JwtSettings,
    pub mapping: TokenMapping,
}

/// OAuth 2.0 as submitted. A secret left out (`None`) keeps the one stored for the template.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OAuthIn {
    pub settings: OAuthSettings,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_secret: Option<String>,
    /// The resource owner's password (password grant).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
}

/// OAuth 2.0 as shown: whether secrets are set, never the secrets.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OAuthOut {
    pub settings: OAuthSettings,
    pub client_secret_set: bool,
    pub password_set: bool,
    /// The current public key of `settings.jwt.key_set` (shown by `webhooks/get`, not in lists).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub public_key: Option<PublicKeyOut>,
}

pub const KEY_SIZES: [u32; 3] = [2048, 3072, 4096];

/// A generated key pair's public half. The private key never leaves the server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicKeyOut {
    /// Names the template's keys; stable across regeneration.
    pub key_set: String,
    /// The key's id (its RFC 7638 thumbprint): the assertion's default `kid`.
    pub kid: String,
    pub bits: u32,
    /// SubjectPublicKeyInfo PEM (`-----BEGIN PUBLIC KEY-----`).
    pub pem: String,
    /// Where the JWKS is served, relative to the product's address: `/oauth/jwks/<key_set>`.
    pub jwks_path: String,
    /// Unix milliseconds.
    pub created_at: i64,
}

/// A signed client assertion, as Generate Client Assertion shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssertionOut {
    pub jwt: String,
    /// The decoded header and claims, as pretty JSON.
    pub header: String,
    pub claims: String,
}

/// What Generate got from the token endpoint, with tokens partly masked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenProbeOut {
    pub status: u16,
    pub latency_ms: u64,
    /// The response body as pretty JSON, every token-like value masked.
    pub response: String,
    /// The paths of the response's fields, for mapping.
    pub fields: Vec<String>,
    pub access_token: String,
    pub refresh_token: Option<String>,
    /// How long the token will be used, after the mapping.
    pub expires_in_secs: u64,
}
