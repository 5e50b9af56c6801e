//! The campaign page's chart and latency percentiles, and the list's trends: counted as requests
//! succeed and fail, in buckets, with accessible SVG.

mod support;

use std::time::Duration;

use serde_json::{Value, json};
use support::flow;
use support::{Behaviour, TestServer};

fn sum(report: &Value, key: &str) -> u64 {
    report["activity"]["buckets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b[key].as_u64().unwrap())
        .sum()
}

#[tokio::test]
async fn the_chart_counts_users_sent_delivered_and_failed_and_the_list_draws_a_trend() {
    let server = TestServer::start_with(|c| {
        c.batch_size = 2;
        c.retry_delays_ms = vec![];
    })
    .await;
    let (cookie, receiver, template) = flow::signed_in_with_template(&server).await;
    flow::users_who_launched(&server, 5).await;
    let (_, untouched) = server.api(&cookie, "campaigns/trends", &json!({})).await;
    assert_eq!(untouched, json!([]));
    receiver.script(vec![Behaviour::status(500, "down")]);
    let id = flow::launch(&server, &cookie, &flow::draft(template, "App Launched")).await;
    let report = flow::finished(&server, &cookie, id, Duration::from_secs(20)).await;
    let stats = &report["campaign"]["stats"];
    assert_eq!(
        (stats["delivered"].as_u64(), stats["failed"].as_u64()),
        (Some(3), Some(2)),
        "{report}"
    );

    assert_eq!(report["activity"]["bucket"], "minute");
    assert_eq!(sum(&report, "sent"), 5);
    assert_eq!(sum(&report, "delivered"), 3);
    assert_eq!(sum(&report, "failed"), 2);
    let svg = report["activity"]["svg"].as_str().unwrap();
    assert!(
        svg.starts_with("<svg") && svg.contains("role=\"img\""),
        "{svg}"
    );
    assert!(
        svg.contains("<title") && svg.contains("5 sent, 3 delivered, 2 failed"),
        "{svg}"
    );
    let latency = &report["latency"];
    assert_eq!(latency["attempts"], 3, "{report}");
    assert!(latency["p50_ms"].as_u64().unwrap() <= latency["p99_ms"].as_u64().unwrap());
    assert!(latency["p99_ms"].as_u64().unwrap() <= latency["max_ms"].as_u64().unwrap());

    let (_, trends) = server.api(&cookie, "campaigns/trends", &json!({})).await;
    let trends = trends.as_array().unwrap();
    assert_eq!(trends.len(), 1, "{trends:?}");
    assert_eq!(trends[0]["id"], id);
    assert!(
        trends[0]["summary"]
            .as_str()
            .unwrap()
            .contains("3 users delivered, 2 failed")
    );
    assert!(trends[0]["svg"].as_str().unwrap().contains("aria-label="));

    // The list's one answer: the same campaign as a row with that trend, and the clock.
    let (status, overview) = server.api(&cookie, "campaigns/overview", &json!({})).await;
    assert_eq!(status, 200, "{overview}");
    let rows = overview["campaigns"].as_array().unwrap();
    assert_eq!(rows.len(), 1, "{overview}");
    assert_eq!(rows[0]["id"], id);
    assert_eq!(rows[0]["name"], "Win-back");
    assert_eq!(rows[0]["status"], "completed");
    assert_eq!(rows[0]["kind"], "once");
    assert_eq!(rows[0]["stats"], report["campaign"]["stats"]);
    assert_eq!(rows[0]["trend"], trends[0]);
    assert!(rows[0].get("draft").is_none(), "{overview}");
    assert!(overview["clock"]["offsets"].is_array(), "{overview}");
}
