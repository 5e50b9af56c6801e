//! Replaying failed deliveries: one or all of a campaign's go back to the outbox under their original
//! webhook-id with a fresh retry budget, their new attempts numbered after the old ones, and the
//! statistics move from failed to delivered; what cannot be replayed is refused.

mod support;

use std::time::Duration;

use axum::http::StatusCode;
use serde_json::{Value, json};
use support::flow::{self, event};
use support::{Behaviour, Receiver, TestServer};

const WAIT: Duration = Duration::from_secs(20);

async fn replay(server: &TestServer, cookie: &str, body: Value) -> (StatusCode, Value) {
    server.api(cookie, "campaigns/replay", &body).await
}

#[tokio::test]
async fn failed_deliveries_are_replayed_one_or_all_under_their_webhook_id() {
    let server = TestServer::start_with(|c| c.batch_size = 1).await;
    let cookie = server.login().await;
    let receiver = Receiver::start(Behaviour::status(200, "ok")).await;
    let template = flow::template(&server, &cookie, &receiver).await;
    let now = flow::now_secs();
    let users = ["ann", "bob", "cat"];
    flow::ingest(
        &server,
        users
            .iter()
            .map(|u| event(u, "App Launched", now - 60, json!({})))
            .collect(),
    )
    .await;
    receiver.set(Behaviour::status(500, "down"));
    let id = flow::launch(&server, &cookie, &flow::draft(template, "App Launched")).await;
    let report = flow::finished(&server, &cookie, id, WAIT).await;
    assert_eq!(report["campaign"]["stats"]["failed"], 3, "{report}");
    let deliveries = report["deliveries"].as_array().unwrap().clone();
    assert_eq!(deliveries.len(), 3);

    // One delivery, once the destination is back.
    receiver.set(Behaviour::status(200, "ok"));
    let first = &deliveries[0];
    let (status, answer) = replay(
        &server,
        &cookie,
        json!({"id": id, "delivery_ids": [first["id"]]}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert_eq!(answer["replayed"], 1);
    let report = flow::finished(&server, &cookie, id, WAIT).await;
    let stats = &report["campaign"]["stats"];
    assert_eq!(
        (stats["delivered"].clone(), stats["failed"].clone()),
        (json!(1), json!(2)),
        "{report}"
    );
    let replayed = report["deliveries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["id"] == first["id"])
        .unwrap();
    assert_eq!(replayed["status"], "delivered");
    let numbers: Vec<i64> = replayed["attempts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["number"].as_i64().unwrap())
        .collect();
    assert_eq!(
        numbers.len(),
        4,
        "three failed attempts, then the replay: {replayed}"
    );
    assert_eq!(*numbers.iter().max().unwrap(), 4);
    let webhook_id = first["webhook_id"].as_str().unwrap();
    let sent = flow::deliveries(&receiver);
    let ok: Vec<_> = sent
        .iter()
        .filter(|r| r.header("webhook-id") == Some(webhook_id))
        .collect();
    assert_eq!(
        ok.len(),
        4,
        "every attempt, the replayed one included, under the same webhook-id"
    );

    // All the others.
    let (status, answer) = replay(&server, &cookie, json!({"id": id})).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert_eq!(answer["replayed"], 2);
    let report = flow::finished(&server, &cookie, id, WAIT).await;
    let stats = &report["campaign"]["stats"];
    assert_eq!(
        (stats["delivered"].clone(), stats["failed"].clone()),
        (json!(3), json!(0)),
        "{report}"
    );
    assert_eq!(
        stats["sent"], 3,
        "a replay does not count its users as sent twice"
    );
    assert_eq!(report["campaign"]["status"], "completed");
    let run = &report["runs"][0]["stats"];
    assert_eq!(
        (run["delivered"].clone(), run["failed"].clone()),
        (json!(3), json!(0))
    );

    // Nothing left to replay; a draft sends nothing.
    let (status, answer) = replay(&server, &cookie, json!({"id": id})).await;
    assert_eq!(status, StatusCode::CONFLICT, "{answer}");
    let draft = flow::create(&server, &cookie, &flow::draft(template, "App Launched")).await;
    let (status, answer) = replay(&server, &cookie, json!({"id": draft})).await;
    assert_eq!(status, StatusCode::CONFLICT, "{answer}");
    assert!(
        answer["message"].as_str().unwrap().contains("draft"),
        "{answer}"
    );
}
