//! Cross-site request forgery: the dashboard API (`/api/...`) changes state on POST with the session
//! cookie, which a browser attaches to requests that other sites' pages make (SameSite=Lax still
//! sends it from sibling subdomains). A state-changing API request is refused when the browser says
//! it comes from another site (`Sec-Fetch-Site`) or another origin (`Origin` not this host), and when
//! its body is not declared JSON: a cross-site page cannot send `application/json` without a CORS
//! preflight, which Hookline never grants. Scripts (curl), which send neither header, are unaffected.

use app::model::ApiError;
use axum::Json;
use axum::extract::Request;
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

pub async fn guard(request: Request, next: Next) -> Response {
    let changes_state = !matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    if changes_state
        && request.uri().path().starts_with("/api/")
        && let Err((status, error)) = check(request.headers())
    {
        return (status, Json(error)).into_response();
    }
    next.run(request).await
}

fn check(headers: &HeaderMap) -> Result<(), (StatusCode, ApiError)> {
    let value = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    let forbidden = |message: &str| {
        (
            StatusCode::FORBIDDEN,
            ApiError::Forbidden {
                message: message.to_owned(),
            },
        )
    };
    // Browsers say where a request comes from and pages cannot change it; older ones send only
    // `Origin`, which is compared with the host asked for (as the client or a proxy in front saw it).
    match (value("sec-fetch-site"), value(header::ORIGIN.as_str())) {
        (Some(site), _) if !matches!(site, "same-origin" | "none") => {
            return Err(forbidden(
                "This request came from another site; the Hookline API only answers its own pages and scripts.",
            ));
        }
        (None, Some(origin)) => {
            let hosts = [value(header::HOST.as_str()), value("x-forwarded-host")];
            if !hosts
                .into_iter()
                .flatten()
                .any(|h| origin_host(origin) == Some(h))
            {
                return Err(forbidden(
                    "This request came from another origin; the Hookline API only answers its own pages and scripts.",
                ));
            }
        }
        _ => {}
    }
    let content_type = value(header::CONTENT_TYPE.as_str()).unwrap_or_default();
    let media_type = content_type.split(';').next().unwrap_or_default().trim();
    if !media_type.eq_ignore_ascii_case("application/json") {
        return Err((
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::bad_request("Send the body as JSON, with Content-Type: application/json."),
        ));
    }
    Ok(())
}

/// `host[:port]` of an `Origin` header (`null` and malformed origins have none).
fn origin_host(origin: &str) -> Option<&str> {
    let (scheme, rest) = origin.split_once("://")?;
    matches!(scheme, "http" | "https").then_some(rest.trim_end_matches('/'))
}

#[cfg(test)]
mod tests {
    use axum::http::HeaderValue;

    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, HeaderValue::from_str(value).unwrap());
        }
        map
    }

    #[test]
    fn same_origin_json_and_scripts_pass() {
        let json = ("content-type", "application/json");
        let host = ("host", "hookline.example:3000");
        assert!(check(&headers(&[json, host])).is_ok(), "a script");
        assert!(
            check(&headers(&[
                json,
                host,
                ("origin", "https://hookline.example:3000"),
                ("sec-fetch-site", "same-origin"),
            ]))
            .is_ok()
        );
        assert!(
            check(&headers(&[
                ("content-type", "application/json; charset=utf-8"),
                host
            ]))
            .is_ok()
        );
    }

    #[test]
    fn other_sites_origins_and_bodies_are_refused() {
        let json = ("content-type", "application/json");
        let host = ("host", "hookline.example");
        let refused = |pairs: &[(&'static str, &str)]| check(&headers(pairs)).unwrap_err().0;
        assert_eq!(refused(&[json, host, ("sec-fetch-site", "same-site")]), 403);
        assert_eq!(
            refused(&[json, host, ("sec-fetch-site", "cross-site")]),
            403
        );
        assert_eq!(
            refused(&[json, host, ("origin", "https://evil.example")]),
            403
        );
        assert_eq!(refused(&[json, host, ("origin", "null")]), 403);
        let proxied = [
            json,
            ("host", "127.0.0.1:3000"),
            ("x-forwarded-host", "hookline.example"),
        ];
        assert!(
            check(&headers(&[
                proxied[0],
                proxied[1],
                proxied[2],
                ("origin", "https://hookline.example")
            ]))
            .is_ok()
        );
        assert_eq!(refused(&[host, ("content-type", "text/plain")]), 415);
        assert_eq!(refused(&[host]), 415);
        assert_eq!(
            refused(&[host, ("content-type", "application/x-www-form-urlencoded")]),
            415
        );
    }
}
