//! The circuit breaker per destination host: a destination that keeps failing opens it, after which
//! its deliveries stop being attempted (no retries spent) apart from one probe per cool-down; once the
//! host answers again the probe closes it and everything is delivered, none failed for the time it
//! was open. The campaign and template pages show it, and an operator can close it by hand.

mod support;

use std::time::{Duration, Instant};

use axum::http::StatusCode;
use serde_json::{Value, json};
use support::flow;
use support::{Behaviour, Receiver, TestServer};

const WAIT: Duration = Duration::from_secs(30);

async fn start(cool_down_ms: u64) -> TestServer {
    TestServer::start_with(|c| {
        c.batch_size = 1;
        c.breaker_failures = 3;
        c.breaker_cool_down_ms = cool_down_ms;
        c.breaker_max_cool_down_ms = cool_down_ms * 2;
        c.retry_delays_ms = vec![50, 50];
    })
    .await
}

/// Polls the campaign report until `done` holds.
async fn report_until(
    server: &TestServer,
    cookie: &str,
    id: i64,
    done: impl Fn(&Value) -> bool,
) -> Value {
    let deadline = Instant::now() + WAIT;
    loop {
        let report = flow::report(server, cookie, id).await;
        if done(&report) {
            return report;
        }
        assert!(Instant::now() < deadline, "{report}");
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

#[tokio::test]
async fn a_failing_destination_opens_the_circuit_and_its_deliveries_wait_until_a_probe_succeeds() {
    let server = start(700).await;
    let cookie = server.login().await;
    let receiver = Receiver::start(Behaviour::status(200, "ok")).await;
    let template = flow::template(&server, &cookie, &receiver).await;
    flow::users_who_launched(&server, 10).await;
    receiver.set(Behaviour::status(503, "down for maintenance"));
    let id = flow::launch(&server, &cookie, &flow::draft(template, "App Launched")).await;

    let report = report_until(&server, &cookie, id, |r| r["circuit"]["open"].is_object()).await;
    let open = &report["circuit"]["open"];
    assert!(open["failures"].as_u64().unwrap() >= 3, "{report}");
    let (_, circuit) = server
        .api(&cookie, "webhooks/circuit", &json!({"id": template}))
        .await;
    assert_eq!(circuit["open"]["since"], open["since"], "{circuit}");
    assert!(circuit["host"].as_str().unwrap().starts_with("127.0.0.1:"));

    // Open: the retries (50 ms apart) are not attempted; only a probe goes per cool-down.
    tokio::time::sleep(Duration::from_millis(1200)).await;
    let while_down = flow::deliveries(&receiver).len();
    assert!(
        (10..=12).contains(&while_down),
        "10 first attempts and at most two probes, not 30 attempts: {while_down}"
    );
    let report = flow::report(&server, &cookie, id).await;
    assert_eq!(report["campaign"]["stats"]["failed"], 0, "{report}");
    assert_eq!(report["campaign"]["status"], "running");

    receiver.set(Behaviour::status(200, "ok"));
    let report = flow::finished(&server, &cookie, id, WAIT).await;
    let stats = &report["campaign"]["stats"];
    assert_eq!(
        (stats["delivered"].clone(), stats["failed"].clone()),
        (json!(10), json!(0)),
        "{report}"
    );
    assert!(report["circuit"].is_null(), "closed by the probe: {report}");
    // Failed probes were logged without using up their delivery's retries: three attempts each at
    // most would have failed a delivery probed twice after its first failure.
    let attempts: usize = report["deliveries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["attempts"].as_array().unwrap().len())
        .sum();
    assert_eq!(attempts, flow::deliveries(&receiver).len(), "{report}");
}

#[tokio::test]
async fn an_operator_closes_the_circuit_by_hand() {
    // A cool-down far longer than the test: only closing by hand lets the deliveries go.
    let server = start(600_000).await;
    let cookie = server.login().await;
    let receiver = Receiver::start(Behaviour::status(200, "ok")).await;
    let template = flow::template(&server, &cookie, &receiver).await;
    flow::users_who_launched(&server, 4).await;
    receiver.set(Behaviour::status(500, "broken"));
    let id = flow::launch(&server, &cookie, &flow::draft(template, "App Launched")).await;
    report_until(&server, &cookie, id, |r| r["circuit"]["open"].is_object()).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(flow::deliveries(&receiver).len(), 4, "held, not retried");

    receiver.set(Behaviour::status(200, "ok"));
    let (status, closed) = server
        .api(&cookie, "webhooks/close_circuit", &json!({"id": template}))
        .await;
    assert_eq!(status, StatusCode::OK, "{closed}");
    assert!(closed["open"].is_null(), "{closed}");
    let report = flow::finished(&server, &cookie, id, Duration::from_secs(5)).await;
    assert_eq!(report["campaign"]["stats"]["delivered"], 4, "{report}");

    let (status, missing) = server
        .api(&cookie, "webhooks/close_circuit", &json!({"id": 999}))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{missing}");
}
