//! The engine's own error type. Services return it; it becomes the API's `ApiError` in one place
//! (`backend.rs`), where internal details are logged and replaced by a plain message.

use app::model::FieldErrors;

#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    /// Input that breaks a rule; which field and why.
    #[error("invalid input: {0:?}")]
    Invalid(FieldErrors),
    #[error("{0}")]
    NotFound(String),
    /// The thing is in a state that does not allow this (a running campaign, a taken name).
    #[error("{0}")]
    Conflict(String),
    #[error("{0}")]
    Unauthorized(String),
    /// Too many attempts: try again after this many seconds.
    #[error("too many attempts; wait {0} s")]
    TooManyRequests(u64),
    /// A destination or authorization server did not answer as it should.
    #[error("{message}")]
    Upstream {
        message: String,
        status: Option<u16>,
        body_excerpt: String,
    },
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    /// Something that should not happen; the message is for the log only.
    #[error("{0}")]
    Internal(String),
}

pub type EngineResult<T> = Result<T, EngineError>;

impl EngineError {
    pub fn field(field: impl Into<String>, message: impl Into<String>) -> Self {
        let mut fields = FieldErrors::default();
        fields.add(field, message);
        Self::Invalid(fields)
    }

    pub fn not_found(message: impl Into<String>) -> Self {
        Self::NotFound(message.into())
    }

    pub fn conflict(message: impl Into<String>) -> Self {
        Self::Conflict(message.into())
    }

    pub fn internal(error: impl std::fmt::Display) -> Self {
        Self::Internal(error.to_string())
    }

    /// A database error where a name must be unique: a clash becomes `message` at the `name` field.
    pub fn or_name_taken(error: sqlx::Error, message: &str) -> Self {
        if is_unique_violation(&error) {
            Self::field("name", message)
        } else {
            error.into()
        }
    }
}

/// Whether an error is a UNIQUE constraint violation (SQLITE_CONSTRAINT_UNIQUE / _PRIMARYKEY).
fn is_unique_violation(error: &sqlx::Error) -> bool {
    matches!(error, sqlx::Error::Database(e) if matches!(e.code().as_deref(), Some("2067") | Some("1555")))
}

impl From<FieldErrors> for EngineError {
    fn from(fields: FieldErrors) -> Self {
        Self::Invalid(fields)
    }
}
