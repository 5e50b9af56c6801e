//! Token responses as Generate shows them: every token-like value partly masked.

use serde_json::Value;

pub use crate::redact::mask;
use crate::redact::names_secret;

/// Masks the string values at `paths` and under any key naming a token, secret or password.
pub fn masked(body: &Value, paths: &[&str]) -> Value {
    fn walk(value: &Value, path: &str, paths: &[&str]) -> Value {
        match value {
            Value::Object(map) => Value::Object(
                map.iter()
                    .map(|(key, inner)| {
                        let inner_path = if path.is_empty() {
                            key.clone()
                        } else {
                            format!("{path}.{key}")
                        };
                        let secret = paths.contains(&inner_path.as_str()) || names_secret(key);
                        let shown = match inner {
                            Value::String(s) if secret => Value::String(mask(s)),
                            _ => walk(inner, &inner_path, paths),
                        };
                        (key.clone(), shown)
                    })
                    .collect(),
            ),
            Value::Array(items) => {
                Value::Array(items.iter().map(|v| walk(v, path, paths)).collect())
            }
            other => other.clone(),
        }
    }
    walk(body, "", paths)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn tokens_are_masked_and_the_rest_shown() {
        let body = json!({
            "access_token": "eyJhbGciOiJSUzI1NiJ9.payload.sig",
            "refresh_token": "short",
            "token_type": "Bearer",
            "expires_in": 3600,
            "data": {"jwt": "abcdefghijklmnopqrstuvwxyz"}
        });
        let shown = masked(&body, &["data.jwt"]);
        assert_eq!(
            shown,
            json!({
                "access_token": "eyJh….sig",
                "refresh_token": "••••••••",
                "token_type": "Bearer",
                "expires_in": 3600,
                "data": {"jwt": "abcd…wxyz"}
            })
        );
    }
}
