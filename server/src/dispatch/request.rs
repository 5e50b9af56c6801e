//! A template's request: its method, URL, custom headers and Basic credentials around a JSON payload.

use reqwest::Method;

use super::client::OutboundRequest;
use crate::auth::outgoing::basic_authorization;
use crate::templates::stored::{Auth, Template};

/// The request for `payload`. GET and DELETE requests carry no body.
pub fn build(template: &Template, payload: &[u8]) -> OutboundRequest {
    let mut headers: Vec<(String, String)> = template
        .headers
        .iter()
        .map(|h| (h.name.clone(), h.value.clone()))
        .collect();
    match &template.auth {
        // The bearer token is attached when sending (`dispatch::authorized`).
        Auth::None | Auth::OAuth2(_) => {}
        Auth::Basic { username, password } => {
            headers.push((
                "Authorization".to_owned(),
                basic_authorization(username, password),
            ));
        }
    }
    let method = Method::from_bytes(template.method.as_str().as_bytes()).unwrap_or(Method::POST);
    let body = template
        .method
        .has_body()
        .then(|| ("application/json", payload.to_vec()));
    OutboundRequest {
        method,
        url: template.url.clone(),
        headers,
        body,
    }
}

#[cfg(test)]
mod tests {
    use app::model::TemplateId;
    use app::model::webhook::{Header, HttpMethod};

    use super::*;

    fn template(method: HttpMethod, auth: Auth) -> Template {
        Template {
            id: TemplateId(1),
            name: "t".into(),
            url: "https://x.example/in".into(),
            method,
            headers: vec![Header {
                name: "X-Key".into(),
                value: "k".into(),
            }],
            auth,
            created_at: 0,
            updated_at: 0,
        }
    }

    #[test]
    fn basic_auth_and_headers_are_attached() {
        let r = build(
            &template(
                HttpMethod::Post,
                Auth::Basic {
                    username: "u".into(),
                    password: "p".into(),
                },
            ),
            b"{}",
        );
        assert_eq!(r.method, Method::POST);
        assert!(r.headers.contains(&("X-Key".into(), "k".into())));
        assert!(
            r.headers
                .contains(&("Authorization".into(), "Basic dTpw".into()))
        );
        assert_eq!(r.body, Some(("application/json", b"{}".to_vec())));
    }

    #[test]
    fn get_has_no_body() {
        let r = build(&template(HttpMethod::Get, Auth::None), b"{}");
        assert_eq!(r.method, Method::GET);
        assert!(r.body.is_none());
        assert!(!r.headers.iter().any(|(n, _)| n == "Authorization"));
    }
}
