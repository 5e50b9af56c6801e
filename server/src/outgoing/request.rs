//! Step 1, build: a template's request, its method, URL, custom headers and Basic credentials around a
//! body of the given content type.

use reqwest::Method;

use super::{Credentials, Destination};
use crate::outbound::OutboundRequest;
use crate::outbound::basic::basic_authorization;

/// The request for `payload`, sent as `content_type`. GET and DELETE requests carry no body.
pub fn build(
    destination: &Destination<'_>,
    content_type: &'static str,
    payload: &[u8],
) -> OutboundRequest {
    let mut headers: Vec<(String, String)> = destination
        .headers
        .iter()
        .map(|h| (h.name.clone(), h.value.clone()))
        .collect();
    match destination.credentials {
        // The bearer token is attached when sending (`outgoing::send`).
        Credentials::None | Credentials::OAuth2(_) => {}
        Credentials::Basic { username, password } => {
            headers.push((
                "Authorization".to_owned(),
                basic_authorization(username, password),
            ));
        }
    }
    let method = Method::from_bytes(destination.method.as_str().as_bytes()).unwrap_or(Method::POST);
    let body = destination
        .method
        .has_body()
        .then(|| (content_type, payload.to_vec()));
    OutboundRequest {
        method,
        url: destination.url.to_owned(),
        headers,
        body,
    }
}

#[cfg(test)]
mod tests {
    use app::model::TemplateId;
    use app::model::webhook::{Header, HttpMethod};

    use super::*;
    use crate::outgoing::signing::{SigningKeys, SigningSecret};

    fn build_for(method: HttpMethod, credentials: Credentials) -> OutboundRequest {
        let headers = [Header {
            name: "X-Key".into(),
            value: "k".into(),
        }];
        let signing = SigningKeys::new(SigningSecret::generate());
        let destination = Destination {
            template: TemplateId(1),
            method,
            url: "https://x.example/in",
            headers: &headers,
            credentials: &credentials,
            signing: &signing,
        };
        build(&destination, "application/json", b"{}")
    }

    #[test]
    fn basic_auth_and_headers_are_attached() {
        let r = build_for(
            HttpMethod::Post,
            Credentials::Basic {
                username: "u".into(),
                password: "p".into(),
            },
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
        let r = build_for(HttpMethod::Get, Credentials::None);
        assert_eq!(r.method, Method::GET);
        assert!(r.body.is_none());
        assert!(!r.headers.iter().any(|(n, _)| n == "Authorization"));
    }
}
