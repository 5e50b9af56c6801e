//! Webhook templates through the public API: the test request on save against a real receiver, secrets
//! kept server-side and encrypted, validation and the SSRF guard.

mod support;

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::{Value, json};
use support::{Behaviour, Receiver, TestServer, refused_url};

fn template(name: &str, url: &str) -> Value {
    json!({"name": name, "url": url, "method": "POST", "headers": [{"name": "X-Team", "value": "growth"}], "auth": {"type": "none"}})
}

#[tokio::test]
async fn create_sends_the_test_request_and_saves_on_2xx() {
    let server = TestServer::start().await;
    let cookie = server.login().await;
    let receiver = Receiver::start(Behaviour::status(200, "ok")).await;

    let (status, saved) = server
        .api(&cookie, "webhooks/create", &template("CRM", &receiver.url))
        .await;
    assert_eq!(status, StatusCode::OK, "{saved}");
    assert_eq!(saved["template"]["name"], "CRM");
    assert_eq!(saved["test"]["status"], 200);
    assert_eq!(saved["test"]["body_excerpt"], "ok");

    let received = receiver.received();
    assert_eq!(received.len(), 1);
    let request = &received[0];
    assert_eq!(request.method, "POST");
    assert_eq!(request.header("x-team"), Some("growth"));
    assert_eq!(request.header("content-type"), Some("application/json"));
    let body = request.json();
    assert_eq!(body["is_test"], true);
    assert_eq!(body["profiles"].as_array().unwrap().len(), 5);
    assert!(body["profiles"][0]["Identity"].is_string());

    let (status, list) = server.api(&cookie, "webhooks/list", &json!({})).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_eq!(list[0]["url"], receiver.url.as_str());
}

#[tokio::test]
async fn a_failing_destination_is_reported_and_nothing_is_saved() {
    let server = TestServer::start().await;
    let cookie = server.login().await;
    let receiver = Receiver::start(Behaviour::status(500, "database down")).await;

    let (status, error) = server
        .api(&cookie, "webhooks/create", &template("CRM", &receiver.url))
        .await;
    assert_eq!(status, StatusCode::BAD_GATEWAY, "{error}");
    assert_eq!(error["error"], "upstream");
    assert_eq!(error["status"], 500);
    assert_eq!(error["body_excerpt"], "database down");
    assert!(error["message"].as_str().unwrap().contains("500"));

    receiver.set(Behaviour::slow(Duration::from_millis(2500)));
    let (status, error) = server
        .api(&cookie, "webhooks/create", &template("CRM", &receiver.url))
        .await;
    assert_eq!(status, StatusCode::BAD_GATEWAY);
    assert!(
        error["message"].as_str().unwrap().contains("timeout"),
        "{error}"
    );
    assert_eq!(error["status"], Value::Null);

    let (status, error) = server
        .api(
            &cookie,
            "webhooks/create",
            &template("CRM", &refused_url().await),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_GATEWAY);
    assert!(
        error["message"]
            .as_str()
            .unwrap()
            .contains("could not connect"),
        "{error}"
    );

    let (_, list) = server.api(&cookie, "webhooks/list", &json!({})).await;
    assert_eq!(list, json!([]));
}

#[tokio::test]
async fn basic_auth_reaches_the_receiver_and_the_password_stays_on_the_server() {
    let server = TestServer::start().await;
    let cookie = server.login().await;
    let receiver = Receiver::start(Behaviour::status(204, "")).await;
    let mut input = template("Zendesk", &receiver.url);
    input["auth"] = json!({"type": "basic", "username": "ops", "password": "hunter2!"});

    let (status, saved) = server.api(&cookie, "webhooks/create", &input).await;
    assert_eq!(status, StatusCode::OK, "{saved}");
    assert_eq!(
        receiver.received()[0].header("authorization"),
        Some("Basic b3BzOmh1bnRlcjIh")
    );
    assert_eq!(
        saved["template"]["auth"],
        json!({"type": "basic", "username": "ops", "password_set": true})
    );
    assert!(!saved.to_string().contains("hunter2"));

    let id = saved["template"]["id"].clone();
    let (_, fetched) = server
        .api(&cookie, "webhooks/get", &json!({"id": id}))
        .await;
    assert!(!fetched.to_string().contains("hunter2"));
    let db = std::fs::read(server.data_dir().join("hookline.db")).unwrap();
    let wal = std::fs::read(server.data_dir().join("hookline.db-wal")).unwrap_or_default();
    for bytes in [db, wal] {
        assert!(
            !bytes.windows(8).any(|w| w == b"hunter2!"),
            "the password is encrypted at rest"
        );
    }

    // An edit that leaves the password out keeps the stored one.
    let mut edit = input.clone();
    edit["name"] = json!("Zendesk EU");
    edit["auth"] = json!({"type": "basic", "username": "ops"});
    let (status, updated) = server
        .api(
            &cookie,
            "webhooks/update",
            &json!({"id": id, "template": edit}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{updated}");
    assert_eq!(updated["template"]["name"], "Zendesk EU");
    assert_eq!(
        receiver.received()[1].header("authorization"),
        Some("Basic b3BzOmh1bnRlcjIh")
    );
}

#[tokio::test]
async fn get_requests_carry_no_body() {
    let server = TestServer::start().await;
    let cookie = server.login().await;
    let receiver = Receiver::start(Behaviour::status(200, "")).await;
    let mut input = template("Lookup", &receiver.url);
    input["method"] = json!("GET");
    let (status, _) = server.api(&cookie, "webhooks/create", &input).await;
    assert_eq!(status, StatusCode::OK);
    let request = &receiver.received()[0];
    assert_eq!(request.method, "GET");
    assert!(request.body.is_empty());
}

#[tokio::test]
async fn invalid_input_gets_field_errors_and_sends_nothing() {
    let server = TestServer::start().await;
    let cookie = server.login().await;
    let receiver = Receiver::start(Behaviour::status(200, "")).await;
    let input = json!({
        "name": " ",
        "url": "ftp://example.com",
        "method": "POST",
        "headers": [{"name": "Bad Header", "value": "x"}, {"name": "X-Ok", "value": "line\nbreak"}],
        "auth": {"type": "basic", "username": "a:b"}
    });
    let (status, error) = server.api(&cookie, "webhooks/create", &input).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields = &error["fields"];
    for key in [
        "name",
        "url",
        "headers.0.name",
        "headers.1.value",
        "auth.username",
    ] {
        assert!(fields[key].is_array(), "missing error for {key}: {error}");
    }
    let (status, error) = server
        .api(
            &cookie,
            "webhooks/create",
            &json!({"name": "x", "url": receiver.url, "method": "PATCH"}),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{error}");
    assert!(receiver.received().is_empty());

    let mut no_password = template("New", &receiver.url);
    no_password["auth"] = json!({"type": "basic", "username": "ops"});
    let (status, error) = server.api(&cookie, "webhooks/create", &no_password).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(error["fields"]["auth.password"].is_array());
}

#[tokio::test]
async fn names_are_unique_ignoring_case() {
    let server = TestServer::start().await;
    let cookie = server.login().await;
    let receiver = Receiver::start(Behaviour::status(200, "")).await;
    assert_eq!(
        server
            .api(&cookie, "webhooks/create", &template("CRM", &receiver.url))
            .await
            .0,
        StatusCode::OK
    );
    let (status, error) = server
        .api(&cookie, "webhooks/create", &template("crm", &receiver.url))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        error["fields"]["name"][0]
            .as_str()
            .unwrap()
            .contains("name")
    );
    assert_eq!(
        receiver.received().len(),
        1,
        "no test request for a name that cannot be saved"
    );
}

#[tokio::test]
async fn non_public_destinations_are_refused_unless_allowed() {
    let strict = TestServer::start_with(|c| c.allow_destinations.clear()).await;
    let cookie = strict.login().await;
    let receiver = Receiver::start(Behaviour::status(200, "")).await;
    let port = receiver
        .url
        .trim_start_matches("http://127.0.0.1:")
        .trim_end_matches("/hook")
        .to_owned();
    for url in [
        receiver.url.clone(),
        format!("http://localhost:{port}/hook"),
        format!("http://[::ffff:127.0.0.1]:{port}/hook"),
        format!("http://2130706433:{port}/hook"),
        "http://169.254.169.254/latest/meta-data".to_owned(),
        "http://10.0.0.1/".to_owned(),
    ] {
        let (status, error) = strict
            .api(&cookie, "webhooks/create", &template("Internal", &url))
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{url}: {error}");
        let message = error["fields"]["url"][0].as_str().unwrap();
        assert!(
            message.contains("HOOKLINE_ALLOW_DESTINATIONS"),
            "{url}: {message}"
        );
    }
    assert!(
        receiver.received().is_empty(),
        "nothing reached the loopback receiver"
    );

    let open = TestServer::start().await;
    let cookie = open.login().await;
    let (status, _) = open
        .api(
            &cookie,
            "webhooks/create",
            &template("Local", &format!("http://localhost:{port}/hook")),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::OK,
        "allow-listed 127.0.0.0/8 is reachable by name too"
    );
}

#[tokio::test]
async fn delete_removes_the_template() {
    let server = TestServer::start().await;
    let cookie = server.login().await;
    let receiver = Receiver::start(Behaviour::status(200, "")).await;
    let (_, saved) = server
        .api(&cookie, "webhooks/create", &template("CRM", &receiver.url))
        .await;
    let id = saved["template"]["id"].clone();
    assert_eq!(
        server
            .api(&cookie, "webhooks/delete", &json!({"id": id}))
            .await
            .0,
        StatusCode::OK
    );
    assert_eq!(
        server
            .api(&cookie, "webhooks/delete", &json!({"id": id}))
            .await
            .0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        server
            .api(&cookie, "webhooks/get", &json!({"id": id}))
            .await
            .0,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn the_generated_key_survives_a_restart_and_a_changed_key_asks_for_the_password_again() {
    let first = TestServer::start().await;
    let cookie = first.login().await;
    let receiver = Receiver::start(Behaviour::status(200, "")).await;
    let mut input = template("CRM", &receiver.url);
    input["auth"] = json!({"type": "basic", "username": "ops", "password": "hunter2!"});
    let (_, saved) = first.api(&cookie, "webhooks/create", &input).await;
    let id = saved["template"]["id"].clone();
    let keep_password = json!({"id": id, "template": {"name": "CRM", "url": receiver.url, "auth": {"type": "basic", "username": "ops"}}});

    let restarted = first.restart_with(|_| {}).await;
    let cookie = restarted.login().await;
    let (status, _) = restarted
        .api(&cookie, "webhooks/update", &keep_password)
        .await;
    assert_eq!(
        status,
        StatusCode::OK,
        "the key generated on first run is read back"
    );
    assert_eq!(
        receiver.received()[1].header("authorization"),
        Some("Basic b3BzOmh1bnRlcjIh")
    );

    let rekeyed = restarted
        .restart_with(|c| c.secret_key = Some("ab".repeat(32)))
        .await;
    let cookie = rekeyed.login().await;
    let (status, list) = rekeyed.api(&cookie, "webhooks/list", &json!({})).await;
    assert_eq!(status, StatusCode::OK, "listing needs no secret: {list}");
    assert_eq!(list[0]["auth"]["password_set"], true);
    let (status, error) = rekeyed
        .api(&cookie, "webhooks/update", &keep_password)
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{error}");
    assert!(error["fields"]["auth.password"].is_array());
    let mut retyped = keep_password.clone();
    retyped["template"]["auth"]["password"] = json!("hunter2!");
    assert_eq!(
        rekeyed.api(&cookie, "webhooks/update", &retyped).await.0,
        StatusCode::OK
    );
}
