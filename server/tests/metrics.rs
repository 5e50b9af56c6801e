//! `GET /metrics`: refused without the token (and off without one configured); with it, the text a
//! Prometheus parser reads, counting ingested events, deliveries by outcome, attempt durations, the
//! outbox and open circuits.

mod support;

use std::time::Duration;

use axum::http::StatusCode;
use prometheus_parse::{Sample, Scrape, Value};
use serde_json::json;
use support::flow::{self, event};
use support::{Behaviour, Receiver, TestServer};

const TOKEN: &str = "scrape-me-0123456789";

async fn scrape(server: &TestServer, token: Option<&str>) -> reqwest::Response {
    let mut request = reqwest::Client::new().get(server.url("/metrics"));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    request.send().await.unwrap()
}

async fn parsed(server: &TestServer) -> Scrape {
    let response = scrape(server, Some(TOKEN)).await;
    assert_eq!(response.status(), StatusCode::OK);
    let content_type = response.headers()["content-type"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(content_type.starts_with("text/plain"), "{content_type}");
    let text = response.text().await.unwrap();
    Scrape::parse(text.lines().map(|l| Ok(l.to_owned()))).expect("Prometheus text format")
}

fn find<'a>(scrape: &'a Scrape, metric: &str, label: Option<(&str, &str)>) -> &'a Sample {
    scrape
        .samples
        .iter()
        .find(|s| {
            s.metric == metric
                && label.is_none_or(|(name, value)| s.labels.get(name) == Some(value))
        })
        .unwrap_or_else(|| panic!("{metric} {label:?} in {:?}", scrape.samples))
}

fn number(sample: &Sample) -> f64 {
    match sample.value {
        Value::Counter(v) | Value::Gauge(v) | Value::Untyped(v) => v,
        ref other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn metrics_need_the_token_and_count_what_happened() {
    let server = TestServer::start_with(|c| {
        c.metrics_token = Some(TOKEN.into());
        c.batch_size = 1;
        c.retry_delays_ms = vec![];
    })
    .await;
    for token in [None, Some("wrong"), Some("")] {
        let response = scrape(&server, token).await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "{token:?}");
        assert!(!response.text().await.unwrap().contains("hookline_"));
    }

    let cookie = server.login().await;
    let receiver = Receiver::start(Behaviour::status(200, "ok")).await;
    let template = flow::template(&server, &cookie, &receiver).await;
    let now = flow::now_secs();
    flow::ingest(
        &server,
        vec![
            event("ann", "App Launched", now - 60, json!({})),
            event("bob", "App Launched", now - 60, json!({})),
            event("cat", "App Launched", now - 60, json!({})),
        ],
    )
    .await;
    receiver.script(vec![Behaviour::status(400, "no such user")]);
    let id = flow::launch(&server, &cookie, &flow::draft(template, "App Launched")).await;
    let report = flow::finished(&server, &cookie, id, Duration::from_secs(20)).await;
    let stats = &report["campaign"]["stats"];
    assert_eq!(
        (stats["delivered"].clone(), stats["failed"].clone()),
        (json!(2), json!(1)),
        "{report}"
    );

    let scrape = parsed(&server).await;
    assert_eq!(
        number(find(&scrape, "hookline_ingested_events_total", None)),
        3.0
    );
    assert_eq!(
        number(find(
            &scrape,
            "hookline_deliveries_total",
            Some(("outcome", "delivered"))
        )),
        2.0
    );
    assert_eq!(
        number(find(
            &scrape,
            "hookline_deliveries_total",
            Some(("outcome", "failed"))
        )),
        1.0
    );
    let Value::Histogram(buckets) =
        &find(&scrape, "hookline_delivery_duration_seconds", None).value
    else {
        panic!("a histogram");
    };
    let total = buckets
        .iter()
        .find(|b| b.less_than.is_infinite())
        .expect("+Inf bucket");
    assert_eq!(total.count, 3.0);
    assert_eq!(number(find(&scrape, "hookline_outbox_pending", None)), 0.0);
    assert_eq!(number(find(&scrape, "hookline_circuit_open", None)), 0.0);
}

#[tokio::test]
async fn metrics_are_off_without_a_token() {
    let server = TestServer::start().await;
    let response = scrape(&server, Some("anything")).await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
}
