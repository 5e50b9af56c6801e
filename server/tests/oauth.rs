//! OAuth 2.0 templates against a local authorization server that checks everything it gets: client
//! authentication, password and refresh grants, JWT client assertions verified with the key the product
//! publishes, and a destination that accepts only the tokens that server issued.

mod support;

use std::time::Duration;

use axum::http::StatusCode;
use serde_json::{Value, json};
use support::flow::{self, event, finished, ingest, launch, now_secs};
use support::oauth_server::{
    CLIENT_ID, CLIENT_SECRET, ClientAuth, OAuthServer, PASSWORD, TokenRequest, USERNAME,
};
use support::{Client, TestServer};

const WAIT: Duration = Duration::from_secs(20);

/// OAuth settings for `grant` against `oauth`, secrets included.
fn oauth_auth(oauth: &OAuthServer, grant: &str, client_auth: &str) -> Value {
    json!({
        "type": "oauth2",
        "settings": {
            "grant": grant,
            "client_id": CLIENT_ID,
            "username": USERNAME,
            "scopes": "hooks:write",
            "access_token_url": oauth.token_url(),
            "client_auth": client_auth,
        },
        "client_secret": CLIENT_SECRET,
        "password": PASSWORD,
    })
}

async fn create_template(
    server: &Client,
    cookie: &str,
    name: &str,
    url: &str,
    auth: &Value,
) -> (StatusCode, Value) {
    server
        .api(
            cookie,
            "webhooks/create",
            &json!({"name": name, "url": url, "auth": auth}),
        )
        .await
}

async fn saved_template(server: &Client, cookie: &str, oauth: &OAuthServer, auth: &Value) -> i64 {
    let (status, saved) = create_template(server, cookie, "CRM", &oauth.hook_url(), auth).await;
    assert_eq!(status, StatusCode::OK, "{saved}");
    assert_eq!(saved["test"]["status"], 200);
    saved["template"]["id"].as_i64().unwrap()
}

fn grants(requests: &[TokenRequest]) -> Vec<(String, bool)> {
    requests
        .iter()
        .map(|r| (r.grant_type.clone(), r.outcome.is_ok()))
        .collect()
}

/// A draft campaign for one user that sends with `template`, for `campaigns/send_test`.
async fn test_campaign(server: &Client, cookie: &str, template: i64) -> (i64, Value) {
    ingest(
        server,
        vec![event("u1", "Signed Up", now_secs() - 60, json!({}))],
    )
    .await;
    let draft = flow::draft(template, "Signed Up");
    (flow::create(server, cookie, &draft).await, draft)
}

async fn send_test(server: &Client, cookie: &str, campaign: &(i64, Value)) -> (StatusCode, Value) {
    server
        .api(
            cookie,
            "campaigns/send_test",
            &json!({"id": campaign.0, "draft": campaign.1}),
        )
        .await
}

#[tokio::test]
async fn client_credentials_with_the_secret_in_a_basic_header_or_in_the_body() {
    let server = TestServer::start().await;
    let cookie = server.login().await;
    let oauth = OAuthServer::start().await;
    for (n, (client_auth, expected)) in [
        ("basic_header", ClientAuth::BasicHeader),
        ("request_body", ClientAuth::RequestBody),
    ]
    .into_iter()
    .enumerate()
    {
        let auth = oauth_auth(&oauth, "client_credentials", client_auth);
        let (status, saved) = create_template(
            &server,
            &cookie,
            &format!("CRM {n}"),
            &oauth.hook_url(),
            &auth,
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{saved}");
        let request = oauth.token_requests().pop().unwrap();
        assert_eq!(request.client_auth, Some(expected));
        assert_eq!(request.grant_type, "client_credentials");
        assert_eq!(request.scope.as_deref(), Some("hooks:write"));
        let issued = request.outcome.unwrap();
        let hook = oauth.hook_requests().pop().unwrap();
        assert!(hook.accepted);
        assert_eq!(hook.token.as_deref(), Some(issued.as_str()));
        assert_eq!(hook.body["is_test"], true);

        // Shown back without the secret.
        let id = saved["template"]["id"].clone();
        let (_, shown) = server
            .api(&cookie, "webhooks/get", &json!({"id": id}))
            .await;
        assert_eq!(shown["auth"]["type"], "oauth2");
        assert_eq!(shown["auth"]["client_secret_set"], true);
        assert_eq!(shown["auth"]["settings"]["client_auth"], client_auth);
        assert!(!shown.to_string().contains(CLIENT_SECRET));
    }
    // Encrypted at rest: neither the secret nor a token is in the database files.
    let mut stored = Vec::new();
    for entry in std::fs::read_dir(server.data_dir()).unwrap() {
        stored.extend(std::fs::read(entry.unwrap().path()).unwrap_or_default());
    }
    let issued = oauth.token_requests()[0].outcome.clone().unwrap();
    for secret in [CLIENT_SECRET, issued.as_str()] {
        assert!(
            !stored.windows(secret.len()).any(|w| w == secret.as_bytes()),
            "{secret} stored in the clear"
        );
    }
}

#[tokio::test]
async fn password_grant_refreshes_after_expiry_and_falls_back_when_refreshing_fails() {
    let server = TestServer::start().await;
    let cookie = server.login().await;
    let oauth = OAuthServer::start().await;
    oauth.set_lifetime(2);
    let mut auth = oauth_auth(&oauth, "password", "basic_header");
    auth["settings"]["refresh_token_url"] = json!(oauth.token_url());
    let template = saved_template(&server, &cookie, &oauth, &auth).await;
    let campaign = test_campaign(&server, &cookie, template).await;

    // First send: a password grant; the second uses the same token.
    for _ in 0..2 {
        let (status, answer) = send_test(&server, &cookie, &campaign).await;
        assert_eq!(status, StatusCode::OK, "{answer}");
    }
    assert_eq!(
        grants(&oauth.token_requests()),
        [("password".into(), true), ("password".into(), true)]
    );

    // Expired: refreshed with the refresh token.
    tokio::time::sleep(Duration::from_millis(2_100)).await;
    let (status, answer) = send_test(&server, &cookie, &campaign).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert_eq!(
        oauth.token_requests().last().unwrap().grant_type,
        "refresh_token"
    );

    // Refreshing fails: a new password grant instead.
    oauth.set_refresh_fails(true);
    tokio::time::sleep(Duration::from_millis(2_100)).await;
    let (status, answer) = send_test(&server, &cookie, &campaign).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert_eq!(
        grants(&oauth.token_requests())[2..],
        [
            ("refresh_token".into(), true),
            ("refresh_token".into(), false),
            ("password".into(), true),
        ]
    );
    assert!(oauth.hook_requests().iter().all(|h| h.accepted));
    assert_eq!(oauth.hook_requests().len(), 5);
}

#[tokio::test]
async fn a_401_from_the_destination_gets_a_new_token_and_repeats_once() {
    let server = TestServer::start().await;
    let cookie = server.login().await;
    let oauth = OAuthServer::start().await;
    let auth = oauth_auth(&oauth, "client_credentials", "request_body");
    let template = saved_template(&server, &cookie, &oauth, &auth).await;
    let campaign = test_campaign(&server, &cookie, template).await;
    let (status, _) = send_test(&server, &cookie, &campaign).await;
    assert_eq!(status, StatusCode::OK);
    let before = oauth.token_requests().len();

    oauth.revoke_all();
    let (status, answer) = send_test(&server, &cookie, &campaign).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert_eq!(oauth.token_requests().len(), before + 1);
    let hooks = oauth.hook_requests();
    let last_two: Vec<bool> = hooks[hooks.len() - 2..]
        .iter()
        .map(|h| h.accepted)
        .collect();
    assert_eq!(last_two, [false, true]);

    // A destination that refuses every token: one repeat, then the 401 is the answer.
    oauth.set_lifetime(0);
    let hooks_before = oauth.hook_requests().len();
    oauth.revoke_all();
    let (status, answer) = send_test(&server, &cookie, &campaign).await;
    assert_eq!(status, StatusCode::BAD_GATEWAY, "{answer}");
    assert_eq!(answer["status"], 401);
    assert_eq!(oauth.hook_requests().len(), hooks_before + 2);
}

#[tokio::test]
async fn twenty_concurrent_deliveries_share_one_token_request() {
    let server = TestServer::start_with(|c| c.batch_size = 1).await;
    let cookie = server.login().await;
    let oauth = OAuthServer::start().await;
    let auth = oauth_auth(&oauth, "client_credentials", "basic_header");
    let template = saved_template(&server, &cookie, &oauth, &auth).await;
    let ts = now_secs() - 60;
    ingest(
        &server,
        (0..20)
            .map(|i| event(&format!("u{i}"), "Signed Up", ts, json!({})))
            .collect(),
    )
    .await;
    let before = oauth.token_requests().len();
    // A slow token endpoint: all twenty deliveries are waiting for a token at once.
    oauth.set_token_delay(Duration::from_millis(300));
    let id = launch(&server, &cookie, &flow::draft(template, "Signed Up")).await;
    let report = finished(&server, &cookie, id, WAIT).await;
    assert_eq!(report["campaign"]["stats"]["delivered"], 20, "{report}");
    assert_eq!(oauth.token_requests().len(), before + 1);
    let campaign_hooks: Vec<_> = oauth
        .hook_requests()
        .into_iter()
        .filter(|h| h.body["is_test"] == false)
        .collect();
    assert_eq!(campaign_hooks.len(), 20);
    assert!(campaign_hooks.iter().all(|h| h.accepted));
}

/// A key pair for Client Credentials with JWT, trusted by `oauth`.
async fn trusted_key(server: &TestServer, cookie: &str, oauth: &OAuthServer) -> Value {
    let (status, key) = server
        .api(cookie, "webhooks/generate_key", &json!({"bits": 2048}))
        .await;
    assert_eq!(status, StatusCode::OK, "{key}");
    assert!(
        key["pem"]
            .as_str()
            .unwrap()
            .starts_with("-----BEGIN PUBLIC KEY-----")
    );
    oauth.trust_jwks(&server.url(key["jwks_path"].as_str().unwrap()));
    key
}

fn jwt_auth(oauth: &OAuthServer, key_set: &Value, alg: &str) -> Value {
    let mut auth = oauth_auth(oauth, "client_credentials_jwt", "basic_header");
    auth["settings"]["jwt"] = json!({
        "key_set": key_set,
        "header": {"alg": alg, "typ": "JWT", "cty": "", "crit": []},
        "claims": {"lifetime_secs": 120, "jti_prefix": "hl-", "use_iat": true},
    });
    auth.as_object_mut().unwrap().remove("client_secret");
    auth
}

#[tokio::test]
async fn jwt_assertions_verify_with_the_published_key_for_every_algorithm() {
    let server = TestServer::start().await;
    let cookie = server.login().await;
    let oauth = OAuthServer::start().await;
    let key = trusted_key(&server, &cookie, &oauth).await;
    for alg in ["RS256", "RS384", "RS512"] {
        let auth = jwt_auth(&oauth, &key["key_set"], alg);
        let (status, saved) = create_template(
            &server,
            &cookie,
            &format!("JWT {alg}"),
            &oauth.hook_url(),
            &auth,
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{alg}: {saved}");
        let request = oauth.token_requests().pop().unwrap();
        assert_eq!(request.client_auth, Some(ClientAuth::Assertion));
        let (header, claims) = request.assertion.unwrap();
        assert_eq!(header["alg"], alg);
        assert_eq!(header["kid"], key["kid"]);
        assert_eq!(claims["aud"], oauth.token_url());
        assert_eq!(
            (claims["iss"].as_str(), claims["sub"].as_str()),
            (Some(CLIENT_ID), Some(CLIENT_ID))
        );
        let exp = claims["exp"].as_i64().unwrap();
        assert!(
            (now_secs() + 100..=now_secs() + 121).contains(&exp),
            "{claims}"
        );
        assert!(claims["iat"].as_i64().is_some());
        assert!(claims["jti"].as_str().unwrap().starts_with("hl-"));
        assert!(oauth.hook_requests().pop().unwrap().accepted);
    }

    // Generate Client Assertion signs what a token request would; a replayed jti is refused.
    let (status, shown) = server
        .api(
            &cookie,
            "webhooks/client_assertion",
            &json!({"auth": jwt_auth(&oauth, &key["key_set"], "RS256")}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{shown}");
    let claims: Value = serde_json::from_str(shown["claims"].as_str().unwrap()).unwrap();
    assert_eq!(claims["aud"], oauth.token_url());
    let jwt = shown["jwt"].as_str().unwrap();
    assert_eq!(post_assertion(&oauth, jwt).await.0, StatusCode::OK);
    let (status, refused) = post_assertion(&oauth, jwt).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(
        refused["error_description"]
            .as_str()
            .unwrap()
            .contains("already used"),
        "{refused}"
    );
}

/// A client credentials request with `jwt`, as the customer's server would receive it.
async fn post_assertion(oauth: &OAuthServer, jwt: &str) -> (StatusCode, Value) {
    let response = reqwest::Client::new()
        .post(oauth.token_url())
        .form(&[
            ("grant_type", "client_credentials"),
            (
                "client_assertion_type",
                "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
            ),
            ("client_assertion", jwt),
        ])
        .send()
        .await
        .unwrap();
    support::json_of(response).await
}

#[tokio::test]
async fn a_regenerated_key_replaces_the_old_one_at_once() {
    let server = TestServer::start().await;
    let cookie = server.login().await;
    let oauth = OAuthServer::start().await;
    let key = trusted_key(&server, &cookie, &oauth).await;
    let auth = jwt_auth(&oauth, &key["key_set"], "RS256");
    let template = saved_template(&server, &cookie, &oauth, &auth).await;
    let (_, old) = server
        .api(&cookie, "webhooks/client_assertion", &json!({"auth": auth}))
        .await;

    let (status, new_key) = server
        .api(
            &cookie,
            "webhooks/generate_key",
            &json!({"key_set": key["key_set"], "bits": 3072}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{new_key}");
    assert_eq!(new_key["key_set"], key["key_set"]);
    assert_eq!(
        new_key["jwks_path"], key["jwks_path"],
        "the JWKS URL stays the same"
    );
    assert_ne!(new_key["kid"], key["kid"]);
    let jwks: Value = reqwest::get(server.url(key["jwks_path"].as_str().unwrap()))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(jwks["keys"].as_array().unwrap().len(), 1);
    assert_eq!(jwks["keys"][0]["kid"], new_key["kid"]);

    let (status, refused) = post_assertion(&oauth, old["jwt"].as_str().unwrap()).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(
        refused["error_description"]
            .as_str()
            .unwrap()
            .contains("Unknown key id"),
        "{refused}"
    );

    // The saved template signs with the new key from now on.
    let (status, token) = server
        .api(
            &cookie,
            "webhooks/generate_token",
            &json!({"id": template, "auth": auth}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{token}");
    let (header, _) = oauth.token_requests().pop().unwrap().assertion.unwrap();
    assert_eq!(header["kid"], new_key["kid"]);
    let (_, shown) = server
        .api(&cookie, "webhooks/get", &json!({"id": template}))
        .await;
    assert_eq!(shown["auth"]["public_key"]["kid"], new_key["kid"]);
    assert_eq!(shown["auth"]["public_key"]["bits"], 3072);
}

#[tokio::test]
async fn generate_shows_the_response_masked_and_maps_its_fields() {
    let server = TestServer::start().await;
    let cookie = server.login().await;
    let oauth = OAuthServer::start().await;
    let mut auth = oauth_auth(&oauth, "password", "request_body");
    let (status, probe) = server
        .api(&cookie, "webhooks/generate_token", &json!({"auth": auth}))
        .await;
    assert_eq!(status, StatusCode::OK, "{probe}");
    let issued = oauth.token_requests().pop().unwrap().outcome.unwrap();
    assert_eq!(probe["status"], 200);
    assert_eq!(probe["expires_in_secs"], 3600);
    assert!(
        !probe.to_string().contains(&issued),
        "the token is masked: {probe}"
    );
    assert!(
        probe["response"]
            .as_str()
            .unwrap()
            .contains("\"token_type\": \"Bearer\"")
    );
    let fields: Vec<&str> = probe["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f.as_str().unwrap())
        .collect();
    assert_eq!(
        fields,
        ["access_token", "expires_in", "refresh_token", "token_type"]
    );

    // A field the response lacks, and a fixed expiry instead of the response's.
    auth["settings"]["mapping"] = json!({"access_token": "token", "expiry": {"type": "from_response"}, "expires_in": "expires_in"});
    let (status, error) = server
        .api(&cookie, "webhooks/generate_token", &json!({"auth": auth}))
        .await;
    assert_eq!(status, StatusCode::BAD_GATEWAY);
    assert!(
        error["message"]
            .as_str()
            .unwrap()
            .contains("no \u{201c}token\u{201d} field"),
        "{error}"
    );
    auth["settings"]["mapping"] = json!({"access_token": "access_token", "expiry": {"type": "fixed", "value": 10, "unit": "minutes"}});
    let (_, probe) = server
        .api(&cookie, "webhooks/generate_token", &json!({"auth": auth}))
        .await;
    assert_eq!(probe["expires_in_secs"], 600);

    // Bad input gets field errors.
    auth["settings"]["access_token_url"] = json!("not a url");
    auth["settings"]["client_id"] = json!("");
    let (status, error) = server
        .api(&cookie, "webhooks/generate_token", &json!({"auth": auth}))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{error}");
    assert!(error["fields"]["auth.access_token_url"].is_array());
    assert!(error["fields"]["auth.client_id"].is_array());
}

#[tokio::test]
async fn token_endpoint_errors_surface_verbatim_in_the_form_and_the_delivery_log() {
    let server = TestServer::start().await;
    let cookie = server.login().await;
    let oauth = OAuthServer::start().await;
    let auth = oauth_auth(&oauth, "client_credentials", "basic_header");
    let template = saved_template(&server, &cookie, &oauth, &auth).await;
    ingest(
        &server,
        vec![event("u1", "Signed Up", now_secs() - 60, json!({}))],
    )
    .await;

    let description = "Client authentication failed: the client is disabled";
    oauth.force_error(Some((
        401,
        json!({"error": "invalid_client", "error_description": description}),
    )));
    let expected = format!("invalid_client \u{2014} {description}");
    let (status, error) = server
        .api(&cookie, "webhooks/generate_token", &json!({"auth": auth}))
        .await;
    assert_eq!(status, StatusCode::BAD_GATEWAY);
    assert!(
        error["message"].as_str().unwrap().contains(&expected),
        "{error}"
    );
    assert_eq!(error["status"], 401);
    let (status, error) =
        create_template(&server, &cookie, "Other", &oauth.hook_url(), &auth).await;
    assert_eq!(status, StatusCode::BAD_GATEWAY);
    assert!(
        error["message"].as_str().unwrap().contains("not saved"),
        "{error}"
    );

    let id = launch(&server, &cookie, &flow::draft(template, "Signed Up")).await;
    let report = finished(&server, &cookie, id, WAIT).await;
    assert_eq!(report["campaign"]["stats"]["failed"], 1, "{report}");
    let reason = report["failures"][0]["reason"].as_str().unwrap();
    assert!(reason.contains(&expected), "{reason}");
    // Not retryable: one attempt, and the destination never called.
    assert_eq!(
        report["deliveries"][0]["attempts"]
            .as_array()
            .unwrap()
            .len(),
        1,
        "{report}"
    );
    assert!(
        oauth
            .hook_requests()
            .iter()
            .all(|h| h.body["is_test"] == true)
    );

    // An unreachable token endpoint says so.
    let mut unreachable = auth.clone();
    unreachable["settings"]["access_token_url"] = json!(support::refused_url().await);
    let (_, error) = server
        .api(
            &cookie,
            "webhooks/generate_token",
            &json!({"auth": unreachable}),
        )
        .await;
    assert!(
        error["message"]
            .as_str()
            .unwrap()
            .contains("could not connect"),
        "{error}"
    );
}
