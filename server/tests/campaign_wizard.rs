//! The wizard's API: drafts checked step by step, the preview and test request, publishing later,
//! stopping, and what is refused.

mod support;

use std::time::Duration;

use axum::http::StatusCode;
use serde_json::json;
use support::flow::{self, create, deliveries, draft, event, finished, ingest, now_secs};
use support::{Behaviour, Receiver, TestServer};

async fn setup() -> (TestServer, String, Receiver, i64) {
    let server = TestServer::start().await;
    let cookie = server.login().await;
    let receiver = Receiver::start(Behaviour::status(200, "ok")).await;
    let now = now_secs();
    ingest(
        &server,
        (0..5)
            .map(|i| {
                event(
                    &format!("u{i}"),
                    "App Launched",
                    now - 60,
                    json!({"os": "ios"}),
                )
            })
            .collect(),
    )
    .await;
    let template = flow::template(&server, &cookie, &receiver).await;
    (server, cookie, receiver, template)
}

#[tokio::test]
async fn steps_are_checked_in_order_and_bad_input_gets_field_errors() {
    let (server, cookie, _receiver, template) = setup().await;
    let (status, error) = server
        .api(
            &cookie,
            "campaigns/create",
            &json!({"draft": {"name": " "}}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(error["fields"]["name"].is_array(), "{error}");
    assert!(error["fields"]["template_id"].is_array(), "{error}");

    let (status, error) = server
        .api(
            &cookie,
            "campaigns/create",
            &json!({"draft": {"name": "X", "template_id": 999}}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        error["fields"]["template_id"][0]
            .as_str()
            .unwrap()
            .contains("no longer exists")
    );

    let id = create(
        &server,
        &cookie,
        &json!({"name": "Draft", "template_id": template}),
    )
    .await;
    // Back (no step) saves an incomplete draft; Next on Who refuses it.
    let incomplete =
        json!({"name": "Draft", "template_id": template, "who": {"segment": {"event": ""}}});
    let (status, _) = server
        .api(
            &cookie,
            "campaigns/save",
            &json!({"id": id, "draft": incomplete}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, error) = server
        .api(
            &cookie,
            "campaigns/save",
            &json!({"id": id, "draft": incomplete, "step": "who"}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        error["fields"]["who.segment.rules.0.event"].is_array(),
        "{error}"
    );

    let mut past = draft(template, "App Launched");
    past["when"] = json!({"type": "later", "at": "2020-01-01T09:00"});
    let (status, error) = server
        .api(
            &cookie,
            "campaigns/save",
            &json!({"id": id, "draft": past, "step": "when"}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        error["fields"]["when.at"][0]
            .as_str()
            .unwrap()
            .contains("has passed"),
        "{error}"
    );

    // Publishing checks everything again.
    let (status, error) = server
        .api(&cookie, "campaigns/publish", &json!({"id": id}))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{error}");

    let (status, error) = server
        .api(&cookie, "campaigns/get", &json!({"id": 4242}))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{error}");
    let (status, _) = server
        .api(
            &cookie,
            "campaigns/save",
            &json!({"id": id, "draft": "not a draft"}),
        )
        .await;
    assert!(status.is_client_error(), "{status}");
}

#[tokio::test]
async fn preview_shows_the_exact_request_and_send_test_reaches_the_destination() {
    let (server, cookie, receiver, template) = setup().await;
    let id = create(&server, &cookie, &draft(template, "App Launched")).await;
    let (status, preview) = server
        .api(
            &cookie,
            "campaigns/preview",
            &json!({"id": id, "draft": draft(template, "App Launched")}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{preview}");
    assert_eq!(preview["method"], "POST");
    assert_eq!(preview["url"], format!("{}?source=hookline", receiver.url));
    assert_eq!(preview["reach"], json!({"qualifying": 5, "targeted": 5}));
    assert_eq!(preview["personal"], false);
    assert_eq!(preview["json_valid"], true);
    assert_eq!(preview["problem"], serde_json::Value::Null);
    let body: serde_json::Value = serde_json::from_str(preview["body"].as_str().unwrap()).unwrap();
    assert_eq!(body["targetId"], id);
    // Rendered for the first user who qualifies, as that user's batch would carry them.
    let profiles = body["profiles"].as_array().unwrap();
    assert_eq!(profiles.len(), 1);
    assert_eq!(profiles[0]["Identity"], preview["user"]["identity"]);
    assert!(
        preview["headers"]
            .as_array()
            .unwrap()
            .contains(&json!({"name": "X-Api-Key", "value": "k1"}))
    );

    let (status, answer) = server
        .api(
            &cookie,
            "campaigns/send_test",
            &json!({"id": id, "draft": draft(template, "App Launched")}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert_eq!(answer["status"], 200);
    let test = receiver.received().pop().unwrap();
    assert_eq!(test.json()["is_test"], true);
    assert_eq!(test.path, "/hook?source=hookline");

    receiver.set(Behaviour::status(422, "nope"));
    let (status, error) = server
        .api(
            &cookie,
            "campaigns/send_test",
            &json!({"id": id, "draft": draft(template, "App Launched")}),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_GATEWAY, "{error}");
    assert_eq!(error["status"], 422);
    assert_eq!(error["body_excerpt"], "nope");
    // Nothing was published by any of this.
    assert!(deliveries(&receiver).is_empty());
}

#[tokio::test]
async fn a_cap_limits_the_users_targeted() {
    let (server, cookie, receiver, template) = setup().await;
    let mut capped = draft(template, "App Launched");
    capped["who"]["cap"] = json!(2);
    let (_, reach) = server
        .api(
            &cookie,
            "segments/reach",
            &json!({"segment": capped["who"]["segment"], "cap": 2}),
        )
        .await;
    assert_eq!(reach, json!({"qualifying": 5, "targeted": 2}));
    let id = flow::launch(&server, &cookie, &capped).await;
    let report = finished(&server, &cookie, id, Duration::from_secs(10)).await;
    assert_eq!(report["campaign"]["stats"]["targeted"], 2);
    let sent: usize = deliveries(&receiver)
        .iter()
        .map(|r| r.json()["profiles"].as_array().unwrap().len())
        .sum();
    assert_eq!(sent, 2);
}

#[tokio::test]
async fn a_later_campaign_waits_runs_when_due_and_can_be_stopped_before() {
    let (server, cookie, receiver, template) = setup().await;
    let mut later = draft(template, "App Launched");
    later["when"] = json!({"type": "later", "at": "2099-01-01T09:00"});
    let stopped = create(&server, &cookie, &later).await;
    let published = flow::publish(&server, &cookie, stopped).await;
    assert_eq!(published["status"], "scheduled");
    let (status, after) = server
        .api(&cookie, "campaigns/stop", &json!({"id": stopped}))
        .await;
    assert_eq!(status, StatusCode::OK, "{after}");
    assert_eq!(after["status"], "stopped");
    let (status, _) = server
        .api(&cookie, "campaigns/stop", &json!({"id": stopped}))
        .await;
    assert_eq!(status, StatusCode::CONFLICT);

    // A second one whose time comes: move it to now and wake the scheduler as a publish would.
    let due = create(&server, &cookie, &later).await;
    flow::publish(&server, &cookie, due).await;
    let (status, _) = server
        .api(
            &cookie,
            "campaigns/save",
            &json!({"id": due, "draft": later}),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::CONFLICT,
        "a scheduled campaign is no longer a draft"
    );
    sqlx::query("UPDATE campaigns SET scheduled_at = 0 WHERE id = ?1")
        .bind(due)
        .execute(&server.engine.db)
        .await
        .unwrap();
    server.engine.schedule_wake.notify_one();
    let report = finished(&server, &cookie, due, Duration::from_secs(10)).await;
    assert_eq!(report["campaign"]["stats"]["delivered"], 5);
    assert!(
        deliveries(&receiver)
            .iter()
            .all(|r| r.json()["targetId"] == due)
    );
}

#[tokio::test]
async fn templates_in_use_cannot_be_deleted_and_running_campaigns_cannot_be_deleted() {
    let (server, cookie, _receiver, template) = setup().await;
    let id = create(&server, &cookie, &draft(template, "App Launched")).await;
    let (status, error) = server
        .api(&cookie, "webhooks/delete", &json!({"id": template}))
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(
        error["message"].as_str().unwrap().contains("Win-back"),
        "{error}"
    );
    let (status, _) = server
        .api(&cookie, "campaigns/delete", &json!({"id": id}))
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = server
        .api(&cookie, "webhooks/delete", &json!({"id": template}))
        .await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn the_wizard_lists_event_names_and_properties() {
    let (server, cookie, _receiver, _template) = setup().await;
    let (status, options) = server.api(&cookie, "campaigns/options", &json!({})).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(options["event_names"], json!(["App Launched"]));
    assert_eq!(options["time_zone"], "UTC");
    assert_eq!(options["templates"][0]["name"], "CRM");
    let (_, properties) = server
        .api(
            &cookie,
            "segments/event_properties",
            &json!({"event": "App Launched"}),
        )
        .await;
    assert_eq!(properties, json!(["os"]));
}

#[tokio::test]
async fn a_control_group_is_held_out_at_random_and_sent_nothing() {
    let (server, cookie, receiver, template) = setup().await;
    let mut held = draft(template, "App Launched");
    held["who"]["control_group_percent"] = json!(91);
    let id = create(&server, &cookie, &held).await;
    let (status, error) = server
        .api(
            &cookie,
            "campaigns/save",
            &json!({"id": id, "draft": held, "step": "who"}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        error["fields"]["who.control_group_percent"][0],
        "Enter a whole percentage from 0 to 90."
    );

    // 40 % of 5 users: 2 held out, 3 sent to.
    held["who"]["control_group_percent"] = json!(40);
    let id = flow::launch(&server, &cookie, &held).await;
    let report = finished(&server, &cookie, id, Duration::from_secs(10)).await;
    let stats = &report["campaign"]["stats"];
    assert_eq!(stats["targeted"], 3, "{report}");
    assert_eq!(stats["control"], 2, "{report}");
    assert_eq!(stats["delivered"], 3, "{report}");
    let mut sent: Vec<String> = deliveries(&receiver)
        .iter()
        .flat_map(|r| r.json()["profiles"].as_array().unwrap().clone())
        .map(|p| p["Identity"].as_str().unwrap().to_owned())
        .collect();
    sent.sort();
    sent.dedup();
    assert_eq!(sent.len(), 3, "each sent user once: {sent:?}");
    let (_, listed) = server.api(&cookie, "campaigns/list", &json!({})).await;
    assert_eq!(listed[0]["stats"]["control"], 2, "{listed}");
}

#[tokio::test]
async fn duplicating_makes_a_new_draft_with_the_same_choices() {
    let (server, cookie, _receiver, template) = setup().await;
    let mut original = draft(template, "App Launched");
    original["who"]["control_group_percent"] = json!(20);
    original["when"] = json!({"type": "later", "at": "2099-01-01T09:00"});
    let id = flow::launch(&server, &cookie, &original).await;
    let (status, copy) = server
        .api(&cookie, "campaigns/duplicate", &json!({"id": id}))
        .await;
    assert_eq!(status, StatusCode::OK, "{copy}");
    assert_ne!(copy["id"], id);
    assert_eq!(copy["status"], "draft");
    assert_eq!(copy["draft"]["name"], "Copy of Win-back");
    let (_, first) = server
        .api(&cookie, "campaigns/get", &json!({"id": id}))
        .await;
    for part in ["template_id", "who", "what", "when"] {
        assert_eq!(copy["draft"][part], first["draft"][part], "{part}");
    }
    assert_eq!(copy["stats"]["targeted"], 0);
    let (status, _) = server
        .api(&cookie, "campaigns/duplicate", &json!({"id": 4242}))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn conversions_are_goal_events_within_the_window_after_the_send_for_each_group() {
    let (server, cookie, _receiver, template) = setup().await;
    let mut goal = draft(template, "App Launched");
    goal["goal_event"] = json!("Charged");
    goal["conversion_window"] = json!({"value": 1, "unit": "hours"});
    goal["who"]["control_group_percent"] = json!(40);
    let id = flow::launch(&server, &cookie, &goal).await;
    let report = finished(&server, &cookie, id, Duration::from_secs(10)).await;
    assert_eq!(report["campaign"]["stats"]["conversions"], 0);
    // u0–u3 charge within the hour after the send; u4 an hour before it and two hours after.
    let now = now_secs() + 1;
    let mut charges: Vec<_> = (0..4)
        .map(|i| event(&format!("u{i}"), "Charged", now, json!({"amount": 10})))
        .collect();
    charges.push(event("u4", "Charged", now - 3600, json!({})));
    charges.push(event("u4", "Charged", now + 7200, json!({})));
    charges.push(event("u0", "App Opened", now, json!({})));
    ingest(&server, charges).await;
    let (_, campaign) = server
        .api(&cookie, "campaigns/get", &json!({"id": id}))
        .await;
    let stats = &campaign["stats"];
    let (sent, control) = (
        stats["conversions"].as_u64().unwrap(),
        stats["control_conversions"].as_u64().unwrap(),
    );
    assert_eq!(sent + control, 4, "{stats}");
    assert!(sent <= 3 && control <= 2, "{stats}");
    let (_, listed) = server.api(&cookie, "campaigns/list", &json!({})).await;
    assert_eq!(listed[0]["stats"]["conversions"], sent);

    // A window longer than 90 days is refused at its field.
    goal["conversion_window"] = json!({"value": 91, "unit": "days"});
    let (status, error) = server
        .api(&cookie, "campaigns/create", &json!({"draft": goal}))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(error["fields"]["conversion_window"].is_array(), "{error}");
}
