//! The dashboard and its API against an attacker: requests from other sites, password guessing,
//! first-run setup on an exposed server, saved secrets pointed at another host, and credentials that
//! destinations echo back.

mod support;

use std::sync::Arc;
use std::time::Duration;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use reqwest::StatusCode;
use serde_json::{Value, json};
use server::clock::ManualClock;
use support::flow::{self, draft, event, finished, now_secs};
use support::{ADMIN_EMAIL, ADMIN_PASSWORD, Behaviour, Receiver, TestServer, json_of};

async fn post(
    server: &TestServer,
    endpoint: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> (StatusCode, Value) {
    let mut request = server
        .http
        .post(server.url(&format!("/api/{endpoint}")))
        .body(body.to_owned());
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    json_of(request.send().await.unwrap()).await
}

#[tokio::test]
async fn api_calls_from_other_sites_or_without_json_are_refused() {
    let server = TestServer::start().await;
    let cookie = server.login().await;
    let host = server.base.trim_start_matches("http://").to_owned();
    let json = ("Content-Type", "application/json");
    let draft = json!({"draft": {"name": "Forged"}}).to_string();
    let forged = [
        vec![
            ("Cookie", cookie.as_str()),
            json,
            ("Origin", "https://evil.example"),
        ],
        vec![
            ("Cookie", cookie.as_str()),
            json,
            ("Sec-Fetch-Site", "cross-site"),
        ],
        vec![
            ("Cookie", cookie.as_str()),
            json,
            ("Sec-Fetch-Site", "same-site"),
        ],
        vec![("Cookie", cookie.as_str()), json, ("Origin", "null")],
    ];
    for headers in &forged {
        let (status, error) = post(&server, "campaigns/create", headers, &draft).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{headers:?}: {error}");
        assert_eq!(error["error"], "forbidden");
    }
    for content_type in [
        "text/plain",
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    ] {
        let headers = [("Cookie", cookie.as_str()), ("Content-Type", content_type)];
        let (status, error) = post(&server, "campaigns/create", &headers, &draft).await;
        assert_eq!(
            status,
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "{content_type}: {error}"
        );
    }
    let (status, error) = post(
        &server,
        "auth/login",
        &[("Content-Type", "text/plain")],
        "{}",
    )
    .await;
    assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE, "{error}");
    let (_, campaigns) = server.api(&cookie, "campaigns/list", &json!({})).await;
    assert_eq!(campaigns, json!([]), "nothing forged was created");

    // The dashboard's own pages: same origin, JSON.
    let origin = server.base.clone();
    let own = [
        ("Cookie", cookie.as_str()),
        json,
        ("Origin", origin.as_str()),
        ("Host", host.as_str()),
        ("Sec-Fetch-Site", "same-origin"),
    ];
    let (status, _) = post(&server, "campaigns/list", &own, "{}").await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn failed_sign_ins_are_slowed_down_with_429_and_retry_after_but_not_for_good() {
    let clock = Arc::new(ManualClock::at(flow::now_secs() * 1000));
    let server = TestServer::start_with_clock(clock.clone(), |_| {}).await;
    let wrong = json!({"email": ADMIN_EMAIL, "password": "not the password"});
    for _ in 0..5 {
        let (status, _) = server.api("", "auth/login", &wrong).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }
    let response = server
        .http
        .post(server.url("/api/auth/login"))
        .json(&json!({"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    let retry_after: u64 = response.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(retry_after >= 1, "{retry_after}");
    let (_, error) = json_of(response).await;
    assert_eq!(error["error"], "too_many_requests");
    assert!(error["message"].as_str().unwrap().contains("Try again in"));

    clock.advance(i64::try_from(retry_after).unwrap() * 1000);
    server.login().await;
}

#[tokio::test]
async fn setup_on_an_exposed_server_asks_for_the_code_from_the_log() {
    let server = TestServer::start_with(|c| {
        c.admin_email = None;
        c.admin_password = None;
    })
    .await;
    let code = server
        .engine
        .setup_code
        .issue_if_exposed(
            "0.0.0.0:3000".parse().unwrap(),
            server.engine.admin_exists(),
            false,
        )
        .expect("a code for a server others can reach")
        .to_owned();
    let (status, info) = server.api("", "auth/setup_info", &json!({})).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(info, json!({"admin_exists": false, "code_required": true}));

    let account = json!({"email": "owner@example.com", "password": "a long password"});
    let (status, error) = server.api("", "auth/setup", &account).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{error}");
    assert!(error["fields"]["setup_code"].is_array(), "{error}");
    let mut guessed = account.clone();
    guessed["setup_code"] = json!("AAAA-BBBB-CCCC");
    let (status, _) = server.api("", "auth/setup", &guessed).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);

    let mut right = account.clone();
    right["setup_code"] = json!(code.to_lowercase());
    let (status, user) = server.api("", "auth/setup", &right).await;
    assert_eq!(status, StatusCode::OK, "{user}");
    let (status, _) = server.api("", "auth/setup", &right).await;
    assert_eq!(status, StatusCode::CONFLICT, "setup happens once");
    let (_, info) = server.api("", "auth/setup_info", &json!({})).await;
    assert_eq!(info, json!({"admin_exists": true, "code_required": false}));
}

#[tokio::test]
async fn a_saved_password_is_not_sent_to_a_new_host() {
    let server = TestServer::start().await;
    let cookie = server.login().await;
    let first = Receiver::start(Behaviour::status(200, "ok")).await;
    let second = Receiver::start(Behaviour::status(200, "ok")).await;
    let template = |url: &str, password: Option<&str>| {
        let mut auth = json!({"type": "basic", "username": "ops"});
        if let Some(password) = password {
            auth["password"] = json!(password);
        }
        json!({"name": "CRM", "url": url, "auth": auth})
    };
    let (status, saved) = server
        .api(
            &cookie,
            "webhooks/create",
            &template(&first.url, Some("hunter2!")),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{saved}");
    let id = saved["template"]["id"].clone();

    // Same host, other path: the saved password goes along.
    let moved_path = format!("{}/v2", first.url);
    let (status, _) = server
        .api(
            &cookie,
            "webhooks/update",
            &json!({"id": id, "template": template(&moved_path, None)}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);

    let (status, error) = server
        .api(
            &cookie,
            "webhooks/update",
            &json!({"id": id, "template": template(&second.url, None)}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{error}");
    assert!(
        error["fields"]["auth.password"][0]
            .as_str()
            .unwrap()
            .contains("another server"),
        "{error}"
    );
    assert!(second.received().is_empty(), "nothing reached the new host");

    let (status, _) = server
        .api(
            &cookie,
            "webhooks/update",
            &json!({"id": id, "template": template(&second.url, Some("hunter3!"))}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "typed again, it is used");
    let sent = second.received()[0]
        .header("authorization")
        .unwrap()
        .to_owned();
    assert_eq!(sent, format!("Basic {}", B64.encode("ops:hunter3!")));
}

#[tokio::test]
async fn a_saved_client_secret_is_not_sent_to_a_new_token_host() {
    let server = TestServer::start().await;
    let cookie = server.login().await;
    let token_host = Receiver::start(Behaviour::status(
        200,
        r#"{"access_token":"token-one","expires_in":3600}"#,
    ))
    .await;
    let other_host = Receiver::start(Behaviour::status(200, r#"{"access_token":"x"}"#)).await;
    let destination = Receiver::start(Behaviour::status(200, "ok")).await;
    let oauth = |token_url: &str, secret: Option<&str>| {
        let mut auth = json!({"type": "oauth2", "settings": {
            "grant": "client_credentials", "client_id": "hookline", "access_token_url": token_url,
            "client_auth": "request_body"}});
        if let Some(secret) = secret {
            auth["client_secret"] = json!(secret);
        }
        json!({"name": "CRM", "url": destination.url, "auth": auth})
    };
    let (status, saved) = server
        .api(
            &cookie,
            "webhooks/create",
            &oauth(&token_host.url, Some("s3cret-s3cret")),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{saved}");
    let id = saved["template"]["id"].clone();
    let (status, error) = server
        .api(
            &cookie,
            "webhooks/update",
            &json!({"id": id, "template": oauth(&other_host.url, None)}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{error}");
    assert!(error["fields"]["auth.client_secret"].is_array(), "{error}");
    let (status, error) = server
        .api(
            &cookie,
            "webhooks/generate_token",
            &json!({"id": id, "auth": oauth(&other_host.url, None)["auth"]}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{error}");
    assert!(other_host.received().is_empty(), "the secret never left");

    // The token a saved secret obtains goes to the destination: a new destination host asks again.
    let elsewhere = Receiver::start(Behaviour::status(200, "ok")).await;
    let mut moved = oauth(&token_host.url, None);
    moved["url"] = json!(elsewhere.url);
    let (status, error) = server
        .api(
            &cookie,
            "webhooks/update",
            &json!({"id": id, "template": moved}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{error}");
    assert!(error["fields"]["auth.client_secret"].is_array(), "{error}");
    assert!(
        elsewhere.received().is_empty(),
        "no token reached the new host"
    );
}

#[tokio::test]
async fn credentials_echoed_by_destinations_are_masked_in_every_excerpt() {
    let server = TestServer::start_with(|c| c.batch_size = 1).await;
    let cookie = server.login().await;
    let basic = B64.encode("ops:hunter2-hunter2");
    let jwt = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ0ZXN0In0.c2lnbmF0dXJlLXNpZ25hdHVyZQ";
    let echo = format!(
        r#"{{"you_sent":"Basic {basic}","password":"hunter2-hunter2","session":"{jwt}","x_api_key":"k-9876543210"}}"#
    );
    let receiver = Receiver::start(Behaviour::status(200, &echo)).await;
    let input = json!({"name": "CRM", "url": receiver.url,
        "headers": [{"name": "X-Api-Key", "value": "k-9876543210"}],
        "auth": {"type": "basic", "username": "ops", "password": "hunter2-hunter2"}});
    let (status, saved) = server.api(&cookie, "webhooks/create", &input).await;
    assert_eq!(status, StatusCode::OK, "{saved}");
    let leaks = |text: &str| {
        ["hunter2-hunter2", basic.as_str(), jwt, "k-9876543210"]
            .into_iter()
            .filter(|secret| text.contains(secret))
            .map(str::to_owned)
            .collect::<Vec<_>>()
    };
    let excerpt = saved["test"]["body_excerpt"].as_str().unwrap();
    assert_eq!(leaks(excerpt), Vec::<String>::new(), "{excerpt}");

    // The destination fails and echoes: the error's excerpt is masked too.
    receiver.set(Behaviour::status(400, &echo));
    let update = json!({"id": saved["template"]["id"], "template": input});
    let (status, error) = server.api(&cookie, "webhooks/update", &update).await;
    assert_eq!(status, StatusCode::BAD_GATEWAY);
    let excerpt = error["body_excerpt"].as_str().unwrap();
    assert_eq!(leaks(excerpt), Vec::<String>::new(), "{excerpt}");

    // And in the delivery log.
    receiver.set(Behaviour::status(200, &echo));
    flow::ingest(
        &server,
        vec![event("u1", "App Launched", now_secs() - 5, json!({}))],
    )
    .await;
    let template = saved["template"]["id"].as_i64().unwrap();
    let id = flow::launch(&server, &cookie, &draft(template, "App Launched")).await;
    let report = finished(&server, &cookie, id, Duration::from_secs(10)).await;
    let excerpt = report["deliveries"][0]["attempts"][0]["response_excerpt"]
        .as_str()
        .unwrap();
    assert!(excerpt.contains("you_sent"), "{excerpt}");
    assert_eq!(leaks(excerpt), Vec::<String>::new(), "{excerpt}");

    // A token endpoint whose answer the mapping cannot read: its error shows no raw token.
    let token_host = Receiver::start(Behaviour::status(
        200,
        r#"{"token":"tok-0123456789abcdefghijklmnopqrstuvwxyz","expires_in":60}"#,
    ))
    .await;
    let probe = json!({"auth": {"settings": {"grant": "client_credentials", "client_id": "c",
        "access_token_url": token_host.url, "client_auth": "request_body"},
        "client_secret": "another-s3cret"}});
    let (status, error) = server.api(&cookie, "webhooks/generate_token", &probe).await;
    assert_eq!(status, StatusCode::BAD_GATEWAY, "{error}");
    let shown = error.to_string();
    assert!(
        !shown.contains("0123456789abcdefghijklmnopqrstuvwxyz"),
        "{shown}"
    );
    assert!(
        shown.contains("access_token"),
        "the message still says what is missing: {shown}"
    );
}
