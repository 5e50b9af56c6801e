//! Token responses as Generate shows them: every token-like value partly masked.

use serde_json::Value;

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

fn names_secret(key: &str) -> bool {
    let key = key.to_ascii_lowercase();
    ["token", "secret", "password", "assertion"]
        .iter()
        .any(|word| key.contains(word))
        && key != "token_type"
}

/// `eyJh…k2x9`: enough to tell tokens apart, not enough to use one.
pub fn mask(token: &str) -> String {
    let chars: Vec<char> = token.chars().collect();
    if chars.len() < 16 {
        return "••••••••".to_owned();
    }
    let head: String = chars[..4].iter().collect();
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!("{head}…{tail}")
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
