//! Retention: deliveries made before `HOOKLINE_RETENTION_DAYS` lose their body and attempts — and only
//! those, and only finished ones: a newer campaign's deliveries and a paused campaign's pending ones
//! keep theirs. Statistics and failures by reason stay; a pruned delivery cannot be replayed.

mod support;

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::http::StatusCode;
use serde_json::{Value, json};
use server::clock::ManualClock;
use support::flow;
use support::{Behaviour, Receiver, TestServer};

const DAY_MS: i64 = 86_400_000;
const WAIT: Duration = Duration::from_secs(20);

fn deliveries(report: &Value) -> Vec<Value> {
    report["deliveries"].as_array().unwrap().clone()
}

#[tokio::test]
async fn retention_deletes_the_bodies_and_attempts_of_old_finished_deliveries_only() {
    let clock = Arc::new(ManualClock::at(flow::now_secs() * 1000));
    let server = TestServer::start_with_clock(clock.clone(), |c| {
        c.batch_size = 1;
        c.retention_days = 30;
        // An hour of the manual clock: a failed attempt waits for its retry while the test runs.
        c.retry_delays_ms = vec![3_600_000];
    })
    .await;
    let (cookie, receiver, template) = flow::signed_in_with_template(&server).await;
    flow::users_who_launched(&server, 3).await;

    // Old and finished: two delivered, one refused for good.
    receiver.script(vec![Behaviour::status(400, "unknown user")]);
    let old = flow::launch(&server, &cookie, &flow::draft(template, "App Launched")).await;
    let report = flow::finished(&server, &cookie, old, WAIT).await;
    assert_eq!(report["campaign"]["stats"]["failed"], 1, "{report}");
    let old_stats = report["campaign"]["stats"].clone();

    // Old but still pending: its destination fails, it waits for a retry, and it is paused.
    let down = Receiver::start(Behaviour::status(200, "ok")).await;
    let (_, saved) = server
        .api(
            &cookie,
            "webhooks/create",
            &json!({"name": "Down", "url": down.url}),
        )
        .await;
    let down_template = saved["template"]["id"].as_i64().unwrap();
    down.set(Behaviour::status(503, "maintenance"));
    let waiting = flow::launch(
        &server,
        &cookie,
        &flow::draft(down_template, "App Launched"),
    )
    .await;
    let deadline = Instant::now() + WAIT;
    while flow::deliveries(&down).len() < 3 {
        assert!(
            Instant::now() < deadline,
            "the paused campaign's first attempts"
        );
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    let (status, paused) = server
        .api(&cookie, "campaigns/pause", &json!({"id": waiting}))
        .await;
    assert_eq!(status, StatusCode::OK, "{paused}");

    // A month later, a new campaign.
    clock.advance(31 * DAY_MS);
    let cookie = server.login().await;
    let new = flow::launch(&server, &cookie, &flow::draft(template, "App Launched")).await;
    flow::finished(&server, &cookie, new, WAIT).await;

    let pruned = server::retention::pass(&server.engine, None).await.unwrap();
    assert_eq!(pruned, 3, "the old campaign's three deliveries");
    assert_eq!(
        server::retention::pass(&server.engine, None).await.unwrap(),
        0,
        "each is visited once"
    );

    let report = flow::report(&server, &cookie, old).await;
    assert_eq!(report["campaign"]["stats"], old_stats, "statistics stay");
    assert_eq!(
        report["failures"][0]["requests"], 1,
        "failures by reason stay"
    );
    for d in deliveries(&report) {
        assert!(d["pruned_at"].is_i64(), "{d}");
        assert_eq!(d["attempts"], json!([]), "{d}");
    }
    let (status, refused) = server
        .api(&cookie, "campaigns/replay", &json!({"id": old}))
        .await;
    assert_eq!(
        status,
        StatusCode::CONFLICT,
        "no body to send again: {refused}"
    );

    let report = flow::report(&server, &cookie, waiting).await;
    for d in deliveries(&report) {
        assert_eq!(d["status"], "pending");
        assert!(d["pruned_at"].is_null(), "{d}");
        assert_eq!(d["attempts"].as_array().unwrap().len(), 1, "{d}");
    }
    let report = flow::report(&server, &cookie, new).await;
    for d in deliveries(&report) {
        assert!(d["pruned_at"].is_null(), "{d}");
        assert_eq!(d["attempts"].as_array().unwrap().len(), 1, "{d}");
    }
}
