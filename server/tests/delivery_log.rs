//! The delivery log beyond its latest page: paging through every delivery, filtering by status, by
//! failure reason and by the user a delivery went to (in a batch or alone), and the CSV export of
//! what the filter matches.

mod support;

use std::time::Duration;

use axum::http::StatusCode;
use serde_json::{Value, json};
use support::flow;
use support::{Behaviour, TestServer};

async fn page(server: &TestServer, cookie: &str, body: Value) -> Value {
    let (status, page) = server.api(cookie, "campaigns/deliveries", &body).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    page
}

fn webhook_ids(page: &Value) -> Vec<String> {
    page["deliveries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["webhook_id"].as_str().unwrap().to_owned())
        .collect()
}

async fn csv(server: &TestServer, cookie: &str, id: i64, query: &str) -> (StatusCode, String) {
    let response = reqwest::Client::new()
        .get(server.url(&format!("/campaigns/{id}/deliveries.csv?{query}")))
        .header("Cookie", cookie)
        .send()
        .await
        .unwrap();
    let status = response.status();
    (status, response.text().await.unwrap())
}

#[tokio::test]
async fn the_log_pages_through_every_delivery_filters_them_and_exports_csv() {
    let server = TestServer::start_with(|c| {
        c.batch_size = 2;
        c.retry_delays_ms = vec![];
    })
    .await;
    let (cookie, receiver, template) = flow::signed_in_with_template(&server).await;
    flow::users_who_launched(&server, 5).await;
    receiver.script(vec![Behaviour::status(400, "unknown list")]);
    let id = flow::launch(&server, &cookie, &flow::draft(template, "App Launched")).await;
    let report = flow::finished(&server, &cookie, id, Duration::from_secs(20)).await;
    assert_eq!(report["campaign"]["stats"]["requests"], 3, "{report}");

    // Two pages of two, newest first, covering every delivery once.
    let first = page(&server, &cookie, json!({"id": id, "limit": 2})).await;
    assert_eq!(first["total"], 3);
    assert_eq!(webhook_ids(&first).len(), 2);
    assert!(first["deliveries"][0]["attempts"].as_array().unwrap().len() == 1);
    let second = page(
        &server,
        &cookie,
        json!({"id": id, "limit": 2, "before": first["next"]}),
    )
    .await;
    assert_eq!(webhook_ids(&second).len(), 1);
    assert!(second["next"].is_null(), "{second}");
    let mut all: Vec<String> = [webhook_ids(&first), webhook_ids(&second)].concat();
    all.sort();
    all.dedup();
    assert_eq!(all.len(), 3);

    // By status and by reason: the one the receiver refused.
    let failed = page(
        &server,
        &cookie,
        json!({"id": id, "filter": {"status": "failed"}}),
    )
    .await;
    assert_eq!(failed["total"], 1, "{failed}");
    let reason = failed["deliveries"][0]["failure_reason"].clone();
    assert_eq!(reason, "HTTP 400 Bad Request");
    let by_reason = page(
        &server,
        &cookie,
        json!({"id": id, "filter": {"reason": reason}}),
    )
    .await;
    assert_eq!(webhook_ids(&by_reason), webhook_ids(&failed));
    let delivered = page(
        &server,
        &cookie,
        json!({"id": id, "filter": {"status": "delivered"}}),
    )
    .await;
    assert_eq!(delivered["total"], 2);

    // By user: the batch that carried user2, as the receiver saw it.
    let carried_user2: Vec<String> = flow::deliveries(&receiver)
        .iter()
        .filter(|r| {
            r.json()["profiles"]
                .as_array()
                .unwrap()
                .iter()
                .any(|p| p["Identity"] == "user2")
        })
        .map(|r| r.header("webhook-id").unwrap().to_owned())
        .collect();
    assert_eq!(carried_user2.len(), 1);
    let user2 = page(
        &server,
        &cookie,
        json!({"id": id, "filter": {"user": " user2 "}}),
    )
    .await;
    assert_eq!(webhook_ids(&user2), carried_user2, "{user2}");
    let nobody = page(
        &server,
        &cookie,
        json!({"id": id, "filter": {"user": "zed"}}),
    )
    .await;
    assert_eq!(nobody["total"], 0);

    // The export: a header and a row per delivery, filtered like the log.
    let (status, text) = csv(&server, &cookie, id, "").await;
    assert_eq!(status, StatusCode::OK);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 4, "{text}");
    assert!(lines[0].starts_with("webhook_id,status,users,attempts,last_status_code"));
    for webhook_id in &all {
        assert!(text.contains(webhook_id.as_str()));
    }
    let (_, failed_csv) = csv(&server, &cookie, id, "status=failed").await;
    let rows: Vec<&str> = failed_csv.lines().skip(1).collect();
    assert_eq!(rows.len(), 1, "{failed_csv}");
    assert!(rows[0].contains(",failed,2,1,400,"), "{}", rows[0]);
    assert!(rows[0].contains("HTTP 400 Bad Request"));
    let (_, user2_csv) = csv(&server, &cookie, id, "user=user2").await;
    assert!(user2_csv.contains(carried_user2[0].as_str()));
    assert_eq!(user2_csv.lines().count(), 2);

    // Bad requests.
    let (status, _) = csv(&server, &cookie, id, "status=lost").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, _) = csv(&server, &cookie, 999, "").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, answer) = server
        .api(&cookie, "campaigns/deliveries", &json!({"id": 999}))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{answer}");
    let (status, answer) = server
        .api(
            &cookie,
            "campaigns/deliveries",
            &json!({"id": id, "filter": {"status": "lost"}}),
        )
        .await;
    assert!(status.is_client_error(), "{answer}");
    let anonymous = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .get(server.url(&format!("/campaigns/{id}/deliveries.csv")))
        .send()
        .await
        .unwrap();
    assert_ne!(
        anonymous.status(),
        StatusCode::OK,
        "the export needs a session"
    );
}
