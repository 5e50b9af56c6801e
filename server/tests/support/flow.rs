//! Campaign steps as a script would take them through the API: ingest events, add a template, build,
//! publish and wait for a campaign.

use std::time::{Duration, Instant};

use axum::http::StatusCode;
use serde_json::{Value, json};

use super::{Client, Received, Receiver};

/// An event record for `/1/upload` (`ts` in seconds, as CleverTap sends it).
pub fn event(identity: &str, name: &str, ts: i64, data: Value) -> Value {
    json!({"identity": identity, "ts": ts, "type": "event", "evtName": name, "evtData": data})
}

pub fn now_secs() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

/// Uploads `records` in requests of at most 1,000.
pub async fn ingest(server: &Client, records: Vec<Value>) {
    for chunk in records.chunks(1000) {
        let (status, answer) = server.upload(&json!({"d": chunk})).await;
        assert_eq!(status, StatusCode::OK, "{answer}");
        assert_eq!(answer["unprocessed"], json!([]), "{answer}");
    }
}

/// Users `user0`, `user1`… who each launched the app a minute ago.
pub async fn users_who_launched(server: &Client, n: usize) {
    let now = now_secs();
    ingest(
        server,
        (0..n)
            .map(|i| event(&format!("user{i}"), "App Launched", now - 60, json!({})))
            .collect(),
    )
    .await;
}

/// Signs in and makes a template posting to a new receiver answering 200: `(cookie, receiver, template)`.
pub async fn signed_in_with_template(server: &Client) -> (String, Receiver, i64) {
    let cookie = server.login().await;
    let receiver = Receiver::start(super::Behaviour::status(200, "ok")).await;
    let template = template(server, &cookie, &receiver).await;
    (cookie, receiver, template)
}

/// A template posting to `receiver` (its test request is answered with the receiver's behaviour).
pub async fn template(server: &Client, cookie: &str, receiver: &Receiver) -> i64 {
    let (status, saved) = server
        .api(
            cookie,
            "webhooks/create",
            &json!({"name": "CRM", "url": receiver.url, "headers": [{"name": "X-Api-Key", "value": "k1"}]}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{saved}");
    saved["template"]["id"].as_i64().unwrap()
}

/// A complete draft sending "now" to users who did `event` ever.
pub fn draft(template_id: i64, event: &str) -> Value {
    json!({
        "name": "Win-back",
        "template_id": template_id,
        "who": {"segment": {"event": event}},
        "what": {
            "query": [{"name": "source", "value": "hookline"}],
            "key_values": [{"name": "coupon", "value": "WELCOME10"}]
        },
        "when": {"type": "now"}
    })
}

pub async fn create(server: &Client, cookie: &str, draft: &Value) -> i64 {
    let (status, created) = server
        .api(cookie, "campaigns/create", &json!({"draft": draft}))
        .await;
    assert_eq!(status, StatusCode::OK, "{created}");
    created["id"].as_i64().unwrap()
}

pub async fn publish(server: &Client, cookie: &str, id: i64) -> Value {
    let (status, published) = server
        .api(cookie, "campaigns/publish", &json!({"id": id}))
        .await;
    assert_eq!(status, StatusCode::OK, "{published}");
    published
}

/// Creates and publishes `draft`; returns the campaign id.
pub async fn launch(server: &Client, cookie: &str, draft: &Value) -> i64 {
    let id = create(server, cookie, draft).await;
    publish(server, cookie, id).await;
    id
}

/// `campaigns/get`.
pub async fn campaign(server: &Client, cookie: &str, id: i64) -> Value {
    let (status, got) = server
        .api(cookie, "campaigns/get", &json!({"id": id}))
        .await;
    assert_eq!(status, StatusCode::OK, "{got}");
    got
}

pub async fn report(server: &Client, cookie: &str, id: i64) -> Value {
    let (status, report) = server
        .api(cookie, "campaigns/report", &json!({"id": id}))
        .await;
    assert_eq!(status, StatusCode::OK, "{report}");
    report
}

/// Polls until the campaign is completed (or stopped); returns its report.
pub async fn finished(server: &Client, cookie: &str, id: i64, within: Duration) -> Value {
    let deadline = Instant::now() + within;
    loop {
        let report = report(server, cookie, id).await;
        let status = report["campaign"]["status"].as_str().unwrap().to_owned();
        if status == "completed" || status == "stopped" {
            return report;
        }
        assert!(
            Instant::now() < deadline,
            "campaign {id} still {status} after {within:?}: {report}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The campaign requests a receiver got (test requests left out).
pub fn deliveries(receiver: &Receiver) -> Vec<Received> {
    receiver
        .received()
        .into_iter()
        .filter(|r| r.json()["is_test"] == false)
        .collect()
}

/// The statuses of the attempts of the report's only delivery.
pub fn attempt_statuses(report: &Value) -> Vec<Value> {
    let deliveries = report["deliveries"].as_array().unwrap();
    assert_eq!(deliveries.len(), 1, "{report}");
    deliveries[0]["attempts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["status"].clone())
        .collect()
}
