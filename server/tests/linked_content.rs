//! Linked content against real local receivers: fetched once per distinct request within its cache
//! time, its failure failing only its user, the test fetch, what a save refuses, and delete refused
//! while a campaign uses it.

mod support;

use std::time::Duration;

use axum::http::StatusCode;
use serde_json::{Value, json};
use support::content::{campaign_requests, custom, users};
use support::flow::{self, finished};
use support::{Behaviour, Receiver, TestServer};

#[tokio::test]
async fn linked_content_is_fetched_once_per_distinct_request_and_its_failure_fails_only_its_user() {
    let server = TestServer::start().await;
    let cookie = server.login().await;
    let receiver = Receiver::start(Behaviour::status(200, "ok")).await;
    let weather = Receiver::start(Behaviour::status(200, r#"{"temp": 21, "sky": "clear"}"#)).await;
    // The source is down for Atlantis.
    weather.set_for("Atlantis", Behaviour::status(503, "down"));
    users(
        &server,
        &[
            ("Ana", "Porto"),
            ("Bo", "Porto"),
            ("Cy", "Lisbon"),
            ("Di", "Atlantis"),
            ("Ed", "Porto"),
        ],
    )
    .await;
    let url = format!("{}?city={{{{ Profile.City | url_encode }}}}", weather.url);
    let (status, linked) = server
        .api(
            &cookie,
            "linked/create",
            &json!({"content": {"name": "weather", "url": url, "cache_secs": 300,
                "headers": [{"name": "X-Source", "value": "{{ Campaign.name | default: \"hookline\" }}"}]}}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{linked}");

    // The test fetch renders the request for a chosen user.
    let (status, tested) = server
        .api(
            &cookie,
            "linked/test",
            &json!({"content": linked, "user": null}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{tested}");
    assert_eq!(tested["is_json"], true, "{tested}");
    assert!(
        tested["url"].as_str().unwrap().ends_with("?city=Porto"),
        "{tested}"
    );
    assert!(
        tested["value"].as_str().unwrap().contains("\"temp\": 21"),
        "{tested}"
    );
    let tests_made = weather.received().len();
    assert_eq!(tests_made, 1);

    let template = flow::template(&server, &cookie, &receiver).await;
    let draft = custom(
        template,
        "json",
        r#"{"user": {{ Profile.Identity | json }}, "temp": {{ Linked.weather.temp }}, "sky": {{ Linked["weather"].sky | json }}}"#,
        json!([{"name": "src", "value": "campaign"}]),
    );
    let id = flow::launch(&server, &cookie, &draft).await;
    let report = finished(&server, &cookie, id, Duration::from_secs(20)).await;
    assert_eq!(report["campaign"]["stats"]["delivered"], 4, "{report}");
    assert_eq!(report["campaign"]["stats"]["failed"], 1, "{report}");
    let reason = report["failures"][0]["reason"].as_str().unwrap();
    assert_eq!(
        reason,
        "Linked content \u{201c}weather\u{201d}: the server answered 503"
    );

    // Porto three times, Lisbon once: two distinct requests, each fetched once; Atlantis's 503 was
    // tried twice.
    let mut fetched: Vec<String> = weather.received()[tests_made..]
        .iter()
        .map(|r| r.path.clone())
        .collect();
    fetched.sort();
    assert_eq!(
        fetched,
        [
            "/hook?city=Atlantis",
            "/hook?city=Atlantis",
            "/hook?city=Lisbon",
            "/hook?city=Porto"
        ]
    );
    assert!(
        weather.received()[tests_made..]
            .iter()
            .all(|r| r.header("x-source") == Some("Personal")),
        "headers are rendered with the campaign's variables"
    );
    let mut got: Vec<Value> = campaign_requests(&receiver)
        .iter()
        .map(|r| r.json())
        .collect();
    got.sort_by_key(|v| v["user"].as_str().unwrap().to_owned());
    assert_eq!(got.len(), 4);
    assert_eq!(got[0], json!({"user": "u0", "temp": 21, "sky": "clear"}));
    assert_eq!(
        got.iter()
            .map(|v| v["user"].as_str().unwrap())
            .collect::<Vec<_>>(),
        ["u0", "u1", "u2", "u4"]
    );

    // A campaign that may still run keeps its linked content from being deleted.
    let draft_id = flow::create(&server, &cookie, &draft).await;
    let (status, error) = server
        .api(&cookie, "linked/delete", &json!({"id": linked["id"]}))
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{error}");
    assert!(
        error["message"].as_str().unwrap().contains("Personal"),
        "{error}"
    );
    let (status, _) = server
        .api(&cookie, "campaigns/delete", &json!({"id": draft_id}))
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, error) = server
        .api(&cookie, "linked/delete", &json!({"id": linked["id"]}))
        .await;
    assert_eq!(status, StatusCode::OK, "{error}");
}

#[tokio::test]
async fn linked_content_refuses_bad_input_with_a_message_per_field() {
    let server = TestServer::start().await;
    let cookie = server.login().await;
    let (status, error) = server
        .api(
            &cookie,
            "linked/create",
            &json!({"content": {"name": "my weather", "url": "ftp://x", "timeout_ms": 1,
                "method": "POST", "body": "{% if %}"}}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    for field in ["name", "url", "timeout_ms"] {
        assert!(error["fields"][field].is_array(), "{field}: {error}");
    }
    let (status, error) = server
        .api(
            &cookie,
            "linked/create",
            &json!({"content": {"name": "w", "url": "https://x.example/{{ Profile.Id", "method": "POST", "body": "{% if %}"}}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(error["fields"]["url"].is_array(), "{error}");
    assert!(
        error["fields"]["body"][0]
            .as_str()
            .unwrap()
            .starts_with("Line 1"),
        "{error}"
    );
    let (status, error) = server
        .api(
            &cookie,
            "linked/create",
            &json!({"content": {"name": "w", "url": "https://x.example/{{ Profile.Id | nope }}"}}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        error["fields"]["url"][0], "Line 1: Unknown filter \u{201c}nope\u{201d}.",
        "{error}"
    );
    let content = json!({"name": "w", "url": "https://x.example/a"});
    let (status, _) = server
        .api(&cookie, "linked/create", &json!({"content": content}))
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, error) = server
        .api(&cookie, "linked/create", &json!({"content": content}))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        error["fields"]["name"][0],
        "Another linked content has this name."
    );
    let (status, list) = server.api(&cookie, "linked/list", &json!({})).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(list[0]["name"], "w");
    assert_eq!(list[0]["cache_secs"], 300);
    assert_eq!(list[0]["method"], "GET");
}
