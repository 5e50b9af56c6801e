//! Per-template delivery limits: a template limited to 5 requests a second never gets more at its
//! receiver in any second, while another template's campaign runs at full speed beside it; a
//! template limited in flight never has more requests waiting for an answer; bad limits are refused.

mod support;

use std::time::{Duration, Instant};

use axum::http::StatusCode;
use serde_json::{Value, json};
use support::flow;
use support::{Behaviour, Receiver, TestServer};

const WAIT: Duration = Duration::from_secs(30);
/// Requests may reach the receiver a little closer together than they left (scheduling of the
/// receiver's tasks); a second is measured as this much at the receiver.
const SECOND_AT_RECEIVER: Duration = Duration::from_millis(950);

async fn template(server: &TestServer, cookie: &str, name: &str, url: &str, limits: Value) -> i64 {
    let mut body = json!({"name": name, "url": url});
    body.as_object_mut()
        .unwrap()
        .extend(limits.as_object().unwrap().clone());
    let (status, saved) = server.api(cookie, "webhooks/create", &body).await;
    assert_eq!(status, StatusCode::OK, "{saved}");
    saved["template"]["id"].as_i64().unwrap()
}

fn arrivals(receiver: &Receiver) -> Vec<Instant> {
    let mut at: Vec<Instant> = flow::deliveries(receiver).iter().map(|r| r.at).collect();
    at.sort();
    at
}

#[tokio::test]
async fn a_template_limited_per_second_never_exceeds_it_while_another_runs_unthrottled() {
    let server = TestServer::start_with(|c| c.batch_size = 1).await;
    let cookie = server.login().await;
    let slow_lane = Receiver::start(Behaviour::status(200, "ok")).await;
    let fast_lane = Receiver::start(Behaviour::status(200, "ok")).await;
    let limited = template(
        &server,
        &cookie,
        "Small endpoint",
        &slow_lane.url,
        json!({"max_per_second": 5}),
    )
    .await;
    let unlimited = template(&server, &cookie, "Big endpoint", &fast_lane.url, json!({})).await;
    let (_, saved) = server
        .api(&cookie, "webhooks/get", &json!({"id": limited}))
        .await;
    assert_eq!(saved["max_per_second"], 5, "{saved}");
    flow::users_who_launched(&server, 20).await;

    let started = Instant::now();
    let throttled = flow::launch(&server, &cookie, &flow::draft(limited, "App Launched")).await;
    let free = flow::launch(&server, &cookie, &flow::draft(unlimited, "App Launched")).await;
    let report = flow::finished(&server, &cookie, free, WAIT).await;
    assert_eq!(report["campaign"]["stats"]["delivered"], 20, "{report}");
    let fast_done = Instant::now();
    let report = flow::finished(&server, &cookie, throttled, WAIT).await;
    assert_eq!(report["campaign"]["stats"]["delivered"], 20, "{report}");

    let slow = arrivals(&slow_lane);
    assert_eq!(slow.len(), 20);
    for window in slow.windows(6) {
        assert!(
            window[5] - window[0] >= SECOND_AT_RECEIVER,
            "six requests within {:?}",
            window[5] - window[0]
        );
    }
    // Evenly spaced: 20 requests at 5 a second take about 3.8 s from the first to the last.
    let spread = slow[19] - slow[0];
    assert!(spread >= Duration::from_millis(3600), "{spread:?}");
    assert!(spread < Duration::from_secs(8), "{spread:?}");
    // The other template did not wait behind the limited one.
    let fast = arrivals(&fast_lane);
    assert_eq!(fast.len(), 20);
    assert!(
        fast_done - started < Duration::from_secs(2),
        "{:?}",
        fast_done - started
    );
    assert!(fast[19] < slow[10], "the unlimited campaign finished first");
}

#[tokio::test]
async fn a_template_limited_in_flight_never_has_more_requests_waiting_for_an_answer() {
    let server = TestServer::start_with(|c| c.batch_size = 1).await;
    let cookie = server.login().await;
    let receiver = Receiver::start(Behaviour::status(200, "ok")).await;
    let id = template(
        &server,
        &cookie,
        "Slow endpoint",
        &receiver.url,
        json!({"max_in_flight": 2}),
    )
    .await;
    receiver.set(Behaviour::slow(Duration::from_millis(300)));
    flow::users_who_launched(&server, 8).await;
    let campaign = flow::launch(&server, &cookie, &flow::draft(id, "App Launched")).await;
    let report = flow::finished(&server, &cookie, campaign, WAIT).await;
    assert_eq!(report["campaign"]["stats"]["delivered"], 8, "{report}");
    let at = arrivals(&receiver);
    assert_eq!(at.len(), 8);
    // Each answer takes 300 ms: a third request starts only when one of the first two ended.
    for window in at.windows(3) {
        assert!(
            window[2] - window[0] >= Duration::from_millis(280),
            "three requests in flight: {:?}",
            window[2] - window[0]
        );
    }
}

#[tokio::test]
async fn limits_must_be_whole_positive_numbers() {
    let server = TestServer::start().await;
    let cookie = server.login().await;
    let receiver = Receiver::start(Behaviour::status(200, "ok")).await;
    for (limits, field) in [
        (json!({"max_per_second": 0}), "max_per_second"),
        (json!({"max_in_flight": 0}), "max_in_flight"),
        (json!({"max_per_second": 100_001}), "max_per_second"),
    ] {
        let mut body = json!({"name": "CRM", "url": receiver.url});
        body.as_object_mut()
            .unwrap()
            .extend(limits.as_object().unwrap().clone());
        let (status, answer) = server.api(&cookie, "webhooks/create", &body).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
        assert!(answer["fields"][field].is_array(), "{answer}");
    }
    let (status, answer) = server
        .api(
            &cookie,
            "webhooks/create",
            &json!({"name": "CRM", "url": receiver.url, "max_per_second": "fast"}),
        )
        .await;
    assert!(status.is_client_error(), "{answer}");
    assert!(
        receiver.received().is_empty(),
        "nothing is sent for a refused template"
    );
}
