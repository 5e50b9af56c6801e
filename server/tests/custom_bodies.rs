//! Custom bodies against a real local receiver: Liquid bodies and query parameters rendered per user,
//! invalid JSON failing only its user, plain text, GET and DELETE campaigns with per-user query
//! parameters, what a save refuses, and the preview for a chosen user. Linked content is in
//! `linked_content.rs`.

mod support;

use std::time::Duration;

use axum::http::StatusCode;
use serde_json::{Value, json};
use support::content::{campaign_requests, custom, query_of, template_with, users};
use support::flow::{self, finished};
use support::{Behaviour, Receiver, TestServer};

#[tokio::test]
async fn a_custom_json_body_and_liquid_query_arrive_as_rendered_and_invalid_json_is_never_sent() {
    let server = TestServer::start().await;
    let cookie = server.login().await;
    let receiver = Receiver::start(Behaviour::status(200, "ok")).await;
    // u1's name breaks the JSON when written unescaped.
    users(
        &server,
        &[
            ("Ana", "Porto"),
            ("Jo \"JJ\"", "Lisbon"),
            ("Li", "Faro & Co"),
        ],
    )
    .await;
    let template = flow::template(&server, &cookie, &receiver).await;
    let body = r#"{"name": "{{ Profile.Name }}", "city": {{ Profile.City | json }}, "campaign": {{ Campaign.id }}, "tags": [{% for t in (1..2) %}"{{ Campaign.name | downcase }}-{{ t }}"{% unless forloop.last %},{% endunless %}{% endfor %}]}"#;
    let draft = custom(
        template,
        "json",
        body,
        json!([{"name": "src", "value": "campaign"}, {"name": "city", "value": "{{ Profile.City }}"}]),
    );
    let id = flow::launch(&server, &cookie, &draft).await;
    let report = finished(&server, &cookie, id, Duration::from_secs(10)).await;

    let stats = &report["campaign"]["stats"];
    assert_eq!(stats["targeted"], 3, "{report}");
    assert_eq!(stats["delivered"], 2, "{report}");
    assert_eq!(stats["failed"], 1, "{report}");
    let failures = report["failures"].as_array().unwrap();
    assert_eq!(failures.len(), 1, "{report}");
    let reason = failures[0]["reason"].as_str().unwrap();
    assert!(
        reason.starts_with("Invalid JSON after rendering: ") && reason.contains("line 1 column"),
        "{reason}"
    );
    assert_eq!(failures[0]["users"], 1);

    let mut got = campaign_requests(&receiver);
    got.sort_by_key(|r| r.json()["city"].as_str().unwrap().to_owned());
    assert_eq!(got.len(), 2, "u1 is never sent");
    for (request, (name, city)) in got.iter().zip([("Li", "Faro & Co"), ("Ana", "Porto")]) {
        assert_eq!(request.header("content-type"), Some("application/json"));
        assert_eq!(
            request.json(),
            json!({"name": name, "city": city, "campaign": id, "tags": ["personal-1", "personal-2"]})
        );
        assert_eq!(
            query_of(&request.path),
            [
                ("src".into(), "campaign".into()),
                ("city".into(), city.to_owned())
            ]
        );
        assert!(request.header("webhook-id").unwrap().starts_with("msg_"));
    }
}

#[tokio::test]
async fn plain_text_arrives_as_text_plain() {
    let server = TestServer::start().await;
    let cookie = server.login().await;
    let receiver = Receiver::start(Behaviour::status(200, "ok")).await;
    users(&server, &[("Ana", "Porto")]).await;
    let template = flow::template(&server, &cookie, &receiver).await;
    let draft = custom(
        template,
        "text",
        "Hello {{ Profile.Name }} from {{ Profile.City | upcase }}!\n{{ Profile.Nickname | default: \"no nickname\" }}",
        json!([{"name": "src", "value": "campaign"}]),
    );
    let id = flow::launch(&server, &cookie, &draft).await;
    finished(&server, &cookie, id, Duration::from_secs(10)).await;
    let got = campaign_requests(&receiver);
    assert_eq!(got.len(), 1);
    assert_eq!(
        got[0].header("content-type"),
        Some("text/plain; charset=utf-8")
    );
    assert_eq!(&got[0].body[..], b"Hello Ana from PORTO!\nno nickname");
}

#[tokio::test]
async fn campaign_variables_alone_keep_batching() {
    let server = TestServer::start().await;
    let cookie = server.login().await;
    let receiver = Receiver::start(Behaviour::status(200, "ok")).await;
    users(&server, &[("A", "x"), ("B", "y"), ("C", "z")]).await;
    let template = flow::template(&server, &cookie, &receiver).await;
    let draft = custom(
        template,
        "json",
        r#"{"text": {{ "Campaign " | append: Campaign.name | json }}}"#,
        json!([{"name": "src", "value": "campaign"}]),
    );
    let id = flow::launch(&server, &cookie, &draft).await;
    let report = finished(&server, &cookie, id, Duration::from_secs(10)).await;
    assert_eq!(report["campaign"]["stats"]["requests"], 1, "{report}");
    assert_eq!(report["campaign"]["stats"]["delivered"], 3, "{report}");
    let got = campaign_requests(&receiver);
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].json(), json!({"text": "Campaign Personal"}));
}

#[tokio::test]
async fn get_and_delete_campaigns_carry_per_user_query_parameters() {
    let server = TestServer::start().await;
    let cookie = server.login().await;
    let receiver = Receiver::start(Behaviour::status(200, "ok")).await;
    users(&server, &[("Ana", "Porto"), ("Li", "Faro")]).await;
    for method in ["GET", "DELETE"] {
        let template = template_with(&server, &cookie, &receiver.url, method).await;
        let mut draft = flow::draft(template, "App Launched");
        draft["what"]["query"] = json!([
            {"name": "src", "value": "campaign"},
            {"name": "method", "value": method},
            {"name": "user", "value": "{{ Profile.Identity }}"},
            {"name": "name", "value": "{{ Profile.Name | downcase }}"}
        ]);
        let id = flow::launch(&server, &cookie, &draft).await;
        finished(&server, &cookie, id, Duration::from_secs(10)).await;
        let mut got: Vec<Vec<(String, String)>> = campaign_requests(&receiver)
            .into_iter()
            .filter(|r| r.method == method)
            .inspect(|r| assert!(r.body.is_empty(), "{method} carries no body"))
            .map(|r| query_of(&r.path))
            .collect();
        got.sort();
        let expected = |user: &str, name: &str| {
            [
                ("src", "campaign"),
                ("method", method),
                ("user", user),
                ("name", name),
            ]
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .to_vec()
        };
        assert_eq!(
            got,
            [expected("u0", "ana"), expected("u1", "li")],
            "{method}"
        );
    }
}

#[tokio::test]
async fn saving_refuses_templates_that_cannot_work_with_the_error_at_the_field() {
    let server = TestServer::start().await;
    let cookie = server.login().await;
    let receiver = Receiver::start(Behaviour::status(200, "ok")).await;
    users(&server, &[("Ana", "Porto")]).await;
    let template = flow::template(&server, &cookie, &receiver).await;
    let id = flow::create(
        &server,
        &cookie,
        &json!({"name": "Draft", "template_id": template}),
    )
    .await;
    let save = |draft: Value| {
        let (server, cookie) = (&server, &cookie);
        async move {
            server
                .api(
                    cookie,
                    "campaigns/save",
                    &json!({"id": id, "draft": draft, "step": "what"}),
                )
                .await
        }
    };
    // (body, query value, the field with the error, how its message starts)
    let refused = [
        (
            "{\n  \"a\": 1,\n  {% if Profile.Vip %}\n}",
            None,
            "what.template",
            "Line 4: Unclosed block. {% endif %} tag expected.",
        ),
        (
            "{}",
            Some("{{ x | nope }}"),
            "what.query.0.value",
            "Line 1: Unknown filter \u{201c}nope\u{201d}.",
        ),
        (
            r#"{"t": {{ Linked.news.title | json }}}"#,
            None,
            "what.template",
            "There is no linked content named \u{201c}news\u{201d}",
        ),
        // The same for everyone, so checked now.
        (
            r#"{"c": {{ Campaign.name }}}"#,
            None,
            "what.template",
            "Invalid JSON after rendering",
        ),
        (
            "{}",
            Some("{{ Event.Amount }}"),
            "what.query.0.value",
            "Event variables hold the event that triggers a live campaign",
        ),
        (
            "{% for i in (1..Profile.Count) %}{% endfor %}",
            None,
            "what.template",
            "Line 1: Ranges need whole-number bounds",
        ),
        ("  ", None, "what.template", "Write the body to send."),
    ];
    for (body, query, field, message) in refused {
        let query = query.map_or(json!([]), |v| json!([{"name": "a", "value": v}]));
        let (status, error) = save(custom(template, "json", body, query)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}: {error}");
        let got = error["fields"][field][0].as_str().unwrap_or_default();
        assert!(got.starts_with(message), "{body}: {error}");
    }
    let (status, saved) = save(custom(
        template,
        "json",
        r#"{"n": {{ Profile.Name | json }}}"#,
        json!([]),
    ))
    .await;
    assert_eq!(status, StatusCode::OK, "{saved}");
    assert_eq!(saved["draft"]["what"]["format"], "custom");
}

#[tokio::test]
async fn the_preview_renders_for_a_chosen_user_and_shows_invalid_json() {
    let server = TestServer::start().await;
    let cookie = server.login().await;
    let receiver = Receiver::start(Behaviour::status(200, "ok")).await;
    users(&server, &[("Ana", "Porto"), ("Jo \"JJ\"", "Lisbon")]).await;
    let template = flow::template(&server, &cookie, &receiver).await;
    let draft = custom(
        template,
        "json",
        r#"{"name": "{{ Profile.Name }}"}"#,
        json!([{"name": "city", "value": "{{ Profile.City }}"}]),
    );
    let id = flow::create(&server, &cookie, &draft).await;

    let (status, found) = server
        .api(&cookie, "campaigns/preview_users", &json!({"text": "u1"}))
        .await;
    assert_eq!(status, StatusCode::OK, "{found}");
    assert_eq!(found[0]["identity"], "u1", "{found}");
    let jo = found[0]["id"].clone();
    let (_, found) = server
        .api(
            &cookie,
            "campaigns/preview_users",
            &json!({"text": "U0@EXAMPLE"}),
        )
        .await;
    assert_eq!(found.as_array().unwrap().len(), 1, "{found}");

    let preview = |user: Value| {
        let (server, cookie, draft) = (&server, &cookie, &draft);
        async move {
            server
                .api(
                    cookie,
                    "campaigns/preview",
                    &json!({"id": id, "draft": draft, "user": user}),
                )
                .await
        }
    };
    let (status, first) = preview(Value::Null).await;
    assert_eq!(status, StatusCode::OK, "{first}");
    assert_eq!(first["user"]["identity"], "u0");
    assert_eq!(first["personal"], true);
    assert_eq!(first["json_valid"], true);
    assert!(
        first["url"].as_str().unwrap().ends_with("/hook?city=Porto"),
        "{first}"
    );
    assert_eq!(first["body"], "{\n  \"name\": \"Ana\"\n}");

    let (_, chosen) = preview(jo.clone()).await;
    assert_eq!(chosen["user"]["identity"], "u1");
    assert_eq!(chosen["json_valid"], false);
    assert_eq!(chosen["body"], r#"{"name": "Jo "JJ""}"#);
    assert!(
        chosen["problem"]
            .as_str()
            .unwrap()
            .starts_with("Invalid JSON after rendering")
    );

    // Such a request is not sent as a test either.
    let before = receiver.received().len();
    let (status, error) = server
        .api(
            &cookie,
            "campaigns/send_test",
            &json!({"id": id, "draft": draft, "user": jo}),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{error}");
    assert!(
        error["message"]
            .as_str()
            .unwrap()
            .contains("Invalid JSON after rendering"),
        "{error}"
    );
    assert_eq!(receiver.received().len(), before);
    let (status, _) = server
        .api(
            &cookie,
            "campaigns/send_test",
            &json!({"id": id, "draft": draft}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let sent = receiver.received().pop().unwrap();
    assert_eq!(sent.json(), json!({"name": "Ana"}));
    assert!(sent.path.ends_with("?city=Porto"));
}

#[tokio::test]
async fn a_test_send_of_a_personal_profile_variables_campaign_is_marked_as_a_test() {
    let server = TestServer::start().await;
    let cookie = server.login().await;
    let receiver = Receiver::start(Behaviour::status(200, "ok")).await;
    users(&server, &[("Ana", "Porto")]).await;
    let template = flow::template(&server, &cookie, &receiver).await;
    let mut draft = flow::draft(template, "App Launched");
    draft["what"]["query"] = json!([{"name": "user", "value": "{{ Profile.Identity }}"}]);
    let id = flow::create(&server, &cookie, &draft).await;
    let (status, answer) = server
        .api(
            &cookie,
            "campaigns/send_test",
            &json!({"id": id, "draft": draft}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    let sent = receiver.received().pop().unwrap();
    assert!(sent.path.ends_with("/hook?user=u0"), "{}", sent.path);
    let body = sent.json();
    assert_eq!(body["is_test"], true);
    // One user per request: `profiles` is that user's object.
    assert_eq!(body["profiles"]["Identity"], "u0");
    assert_eq!(body["profiles"]["ProfileData"]["City"], "Porto");
}
