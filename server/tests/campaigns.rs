//! Campaign delivery end to end: segment → outbox → dispatcher → a real receiver, with retries and
//! statistics.

mod support;

use std::collections::HashSet;
use std::time::Duration;

use serde_json::{Value, json};
use support::flow::{
    self, attempt_statuses, deliveries, draft, event, finished, ingest, launch, now_secs,
};
use support::{Behaviour, Receiver, TestServer};

const WAIT: Duration = Duration::from_secs(20);

#[tokio::test]
async fn a_campaign_reaches_exactly_the_qualifying_users_in_batches() {
    let server = TestServer::start().await;
    let cookie = server.login().await;
    let now = now_secs();
    let mut records = Vec::new();
    // 250 users charged twice over 50 recently, 40 charged once, 30 charged small amounts, 20 only
    // launched the app; one qualifying-looking event is too old.
    for i in 0..250 {
        let id = format!("buyer-{i:03}");
        records.push(event(&id, "Charged", now - 3600, json!({"amount": 60 + i})));
        records.push(event(&id, "Charged", now - 7200, json!({"amount": 75.5})));
    }
    for i in 0..40 {
        records.push(event(
            &format!("once-{i}"),
            "Charged",
            now - 60,
            json!({"amount": 99}),
        ));
    }
    for i in 0..30 {
        let id = format!("small-{i}");
        records.push(event(&id, "Charged", now - 60, json!({"amount": 5})));
        records.push(event(&id, "Charged", now - 90, json!({"amount": 7})));
    }
    for i in 0..20 {
        records.push(event(
            &format!("launcher-{i}"),
            "App Launched",
            now - 60,
            json!({}),
        ));
    }
    records.push(event(
        "old-0",
        "Charged",
        now - 40 * 86_400,
        json!({"amount": 500}),
    ));
    records.push(event(
        "old-0",
        "Charged",
        now - 41 * 86_400,
        json!({"amount": 500}),
    ));
    records.push(
        json!({"identity": "buyer-007", "ts": now, "type": "profile",
        "profileData": {"Email": "b7@example.com", "Plan": "gold", "push_token": "tok-7"}}),
    );
    ingest(&server, records).await;
    let receiver = Receiver::start(Behaviour::status(200, "ok")).await;
    let template = flow::template(&server, &cookie, &receiver).await;
    let mut campaign = draft(template, "Charged");
    campaign["who"]["segment"] = json!({
        "event": "Charged", "min_count": 2, "window": {"type": "last_days", "days": 30},
        "filter": {"property": "amount", "op": "greater_than", "value": "50"}
    });

    let (_, reach) = server
        .api(
            &cookie,
            "segments/reach",
            &json!({"segment": campaign["who"]["segment"]}),
        )
        .await;
    assert_eq!(reach, json!({"qualifying": 250, "targeted": 250}));

    let id = launch(&server, &cookie, &campaign).await;
    let report = finished(&server, &cookie, id, WAIT).await;

    let requests = deliveries(&receiver);
    let sizes: Vec<usize> = requests
        .iter()
        .map(|r| r.json()["profiles"].as_array().unwrap().len())
        .collect();
    assert_eq!(sizes.iter().sum::<usize>(), 250);
    assert_eq!(sizes.len(), 3, "{sizes:?}");
    assert!(sizes.iter().all(|n| *n <= 100));
    let identities: HashSet<String> = requests
        .iter()
        .flat_map(|r| r.json()["profiles"].as_array().unwrap().clone())
        .map(|p| p["Identity"].as_str().unwrap().to_owned())
        .collect();
    let expected: HashSet<String> = (0..250).map(|i| format!("buyer-{i:03}")).collect();
    assert_eq!(identities, expected);
    let ids: HashSet<&str> = requests
        .iter()
        .map(|r| r.header("webhook-id").unwrap())
        .collect();
    assert_eq!(ids.len(), 3, "every request has its own webhook-id");

    let first = &requests[0];
    assert_eq!(first.method, "POST");
    assert_eq!(first.path, "/hook?source=hookline");
    assert_eq!(first.header("x-api-key"), Some("k1"));
    assert_eq!(first.header("content-type"), Some("application/json"));
    let body = first.json();
    assert_eq!(body["targetId"], id);
    assert_eq!(body["key_values"], json!({"coupon": "WELCOME10"}));
    let buyer7 = requests
        .iter()
        .flat_map(|r| r.json()["profiles"].as_array().unwrap().clone())
        .find(|p| p["Identity"] == "buyer-007")
        .unwrap();
    assert_eq!(buyer7["Email"], "b7@example.com");
    assert_eq!(buyer7["Push_token"], "tok-7");
    assert_eq!(buyer7["ProfileData"]["Plan"], "gold");
    assert!(buyer7["ObjectId"].is_string());

    let stats = &report["campaign"]["stats"];
    assert_eq!(stats["targeted"], 250);
    assert_eq!(stats["sent"], 250);
    assert_eq!(stats["delivered"], 250);
    assert_eq!(stats["failed"], 0);
    assert_eq!(stats["requests"], 3);
    assert_eq!(stats["pending_requests"], 0);
    assert!(report["campaign"]["completed_at"].is_i64());
}

/// One user who did "App Launched" and a template posting to `receiver` (its test request answered 200);
/// the caller then sets the receiver's answers for the campaign.
async fn one_user_and_template(server: &TestServer, receiver: &Receiver) -> (String, i64) {
    let cookie = server.login().await;
    ingest(
        server,
        vec![event("u1", "App Launched", now_secs(), json!({}))],
    )
    .await;
    let template = flow::template(server, &cookie, receiver).await;
    (cookie, template)
}

#[tokio::test]
async fn a_receiver_failing_twice_then_succeeding_gets_it_on_attempt_3() {
    let server = TestServer::start().await;
    let receiver = Receiver::start(Behaviour::status(200, "ok")).await;
    let (cookie, template) = one_user_and_template(&server, &receiver).await;
    receiver.script(vec![
        Behaviour::status(500, "boom"),
        Behaviour::status(503, "busy"),
    ]);
    let id = launch(&server, &cookie, &draft(template, "App Launched")).await;
    let report = finished(&server, &cookie, id, WAIT).await;
    assert_eq!(
        attempt_statuses(&report),
        [json!(500), json!(503), json!(200)]
    );
    let delivery = &report["deliveries"][0];
    assert_eq!(delivery["status"], "delivered");
    assert_eq!(delivery["attempts"][0]["response_excerpt"], "boom");
    assert_eq!(report["campaign"]["stats"]["delivered"], 1);
    // The same webhook-id on every attempt.
    let ids: HashSet<String> = deliveries(&receiver)
        .iter()
        .map(|r| r.header("webhook-id").unwrap().to_owned())
        .collect();
    assert_eq!(ids.len(), 1);
    assert_eq!(deliveries(&receiver).len(), 3);
}

#[tokio::test]
async fn always_500_fails_after_three_attempts_as_webhook_dispatch_failed() {
    let server = TestServer::start().await;
    let receiver = Receiver::start(Behaviour::status(200, "ok")).await;
    let (cookie, template) = one_user_and_template(&server, &receiver).await;
    receiver.set(Behaviour::status(500, "down"));
    let id = launch(&server, &cookie, &draft(template, "App Launched")).await;
    let report = finished(&server, &cookie, id, WAIT).await;
    assert_eq!(
        attempt_statuses(&report),
        [json!(500), json!(500), json!(500)]
    );
    assert_eq!(report["deliveries"][0]["status"], "failed");
    assert_eq!(
        report["failures"],
        json!([{"reason": "HTTP 500 Internal Server Error", "requests": 1, "users": 1}])
    );
    let stats = &report["campaign"]["stats"];
    assert_eq!(
        (stats["sent"].clone(), stats["failed"].clone()),
        (json!(1), json!(1))
    );
    assert_eq!(stats["delivered"], 0);
    assert_eq!(report["campaign"]["status"], "completed");
}

#[tokio::test]
async fn a_400_is_not_retried() {
    let server = TestServer::start().await;
    let receiver = Receiver::start(Behaviour::status(200, "ok")).await;
    let (cookie, template) = one_user_and_template(&server, &receiver).await;
    receiver.set(Behaviour::status(400, "bad payload"));
    let id = launch(&server, &cookie, &draft(template, "App Launched")).await;
    let report = finished(&server, &cookie, id, WAIT).await;
    assert_eq!(attempt_statuses(&report), [json!(400)]);
    assert_eq!(
        report["deliveries"][0]["failure_reason"],
        "HTTP 400 Bad Request"
    );
    assert_eq!(deliveries(&receiver).len(), 1);
}

#[tokio::test]
async fn a_six_second_delay_times_out_and_is_retried() {
    let server = TestServer::start_with(|c| c.request_timeout_ms = 5000).await;
    let receiver = Receiver::start(Behaviour::status(200, "ok")).await;
    let (cookie, template) = one_user_and_template(&server, &receiver).await;
    receiver.script(vec![Behaviour::slow(Duration::from_secs(6))]);
    let id = launch(&server, &cookie, &draft(template, "App Launched")).await;
    let report = finished(&server, &cookie, id, WAIT).await;
    assert_eq!(attempt_statuses(&report), [Value::Null, json!(200)]);
    let first = &report["deliveries"][0]["attempts"][0];
    assert!(
        first["error"].as_str().unwrap().contains("timeout"),
        "{first}"
    );
    assert!(first["latency_ms"].as_i64().unwrap() >= 5000, "{first}");
    assert_eq!(report["deliveries"][0]["status"], "delivered");
}

#[tokio::test]
async fn retry_after_is_honoured() {
    let server = TestServer::start().await;
    let receiver = Receiver::start(Behaviour::status(200, "ok")).await;
    let (cookie, template) = one_user_and_template(&server, &receiver).await;
    receiver.script(vec![
        Behaviour::status(429, "slow down").with_header("retry-after", "1"),
    ]);
    let id = launch(&server, &cookie, &draft(template, "App Launched")).await;
    let report = finished(&server, &cookie, id, WAIT).await;
    assert_eq!(attempt_statuses(&report), [json!(429), json!(200)]);
    let attempts = &report["deliveries"][0]["attempts"];
    let gap = attempts[1]["at"].as_i64().unwrap() - attempts[0]["at"].as_i64().unwrap();
    // The schedule says 50 ms; the destination asked for a second.
    assert!(gap >= 1000, "retried after {gap} ms");
}

#[tokio::test]
async fn an_unreachable_destination_fails_with_the_network_reason() {
    let server = TestServer::start().await;
    let receiver = Receiver::start(Behaviour::status(200, "ok")).await;
    let (cookie, template) = one_user_and_template(&server, &receiver).await;
    let id = launch(&server, &cookie, &draft(template, "App Launched")).await;
    finished(&server, &cookie, id, WAIT).await;
    // Point the template somewhere nothing listens, then send a second campaign.
    let unreachable = support::refused_url().await;
    sqlx::query("UPDATE webhook_templates SET url = ?1 WHERE id = ?2")
        .bind(&unreachable)
        .bind(template)
        .execute(&server.engine.db)
        .await
        .unwrap();
    let second = launch(&server, &cookie, &draft(template, "App Launched")).await;
    let report = finished(&server, &cookie, second, WAIT).await;
    assert_eq!(
        attempt_statuses(&report),
        [Value::Null, Value::Null, Value::Null]
    );
    assert_eq!(
        report["failures"][0]["reason"], "Connection failed",
        "{report}"
    );
    let error = report["deliveries"][0]["attempts"][0]["error"]
        .as_str()
        .unwrap();
    assert!(error.contains("could not connect"), "{error}");
}
