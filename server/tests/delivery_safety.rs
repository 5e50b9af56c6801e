//! The outbox under stress: Stop and Delete while requests are in flight, leases shorter than a send,
//! writers competing with a big send, a big publish, a failing scheduled campaign, and a second
//! process on the same database. Each test names the promise it holds the engine to.

mod support;

use std::collections::HashMap;
use std::time::{Duration, Instant};

use axum::http::StatusCode;
use serde_json::{Value, json};
use support::flow::{self, deliveries, draft, event, finished, now_secs};
use support::process::Process;
use support::{Behaviour, Receiver, TestServer};

/// `users` users who did "App Launched", a template posting to `receiver`, and a signed-in cookie.
async fn setup(server: &TestServer, receiver: &Receiver, users: usize) -> (String, i64) {
    let cookie = server.login().await;
    let records = (0..users)
        .map(|i| event(&format!("u{i}"), "App Launched", now_secs() - 5, json!({})))
        .collect();
    flow::ingest(server, records).await;
    let template = flow::template(server, &cookie, receiver).await;
    (cookie, template)
}

async fn wait_for(what: &str, within: Duration, mut done: impl AsyncFnMut() -> bool) {
    let deadline = Instant::now() + within;
    while !done().await {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

async fn status_of(server: &TestServer, cookie: &str, id: i64) -> String {
    let (_, campaign) = server
        .api(cookie, "campaigns/get", &json!({"id": id}))
        .await;
    campaign["status"].as_str().unwrap_or_default().to_owned()
}

/// Every webhook-id the receiver got, with how many times.
fn webhook_ids(receiver: &Receiver) -> HashMap<String, usize> {
    let mut ids = HashMap::new();
    for r in deliveries(receiver) {
        *ids.entry(r.header("webhook-id").unwrap().to_owned())
            .or_default() += 1;
    }
    ids
}

#[tokio::test]
async fn stop_and_delete_mid_send_then_a_new_campaign_completes() {
    let server = TestServer::start_with(|c| {
        c.batch_size = 1;
        c.dispatch_concurrency = 4;
    })
    .await;
    let receiver = Receiver::start(Behaviour::status(200, "ok")).await;
    let (cookie, template) = setup(&server, &receiver, 20).await;
    receiver.set(Behaviour::slow(Duration::from_millis(600)));
    let first = flow::launch(&server, &cookie, &draft(template, "App Launched")).await;
    wait_for("the first requests", Duration::from_secs(10), async || {
        !deliveries(&receiver).is_empty()
    })
    .await;
    let (status, _) = server
        .api(&cookie, "campaigns/stop", &json!({"id": first}))
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, refused) = server
        .api(&cookie, "campaigns/delete", &json!({"id": first}))
        .await;
    assert_eq!(
        status,
        StatusCode::CONFLICT,
        "requests are in flight: {refused}"
    );
    assert!(
        refused["message"].as_str().unwrap().contains("in flight"),
        "{refused}"
    );
    wait_for("the delete", Duration::from_secs(10), async || {
        let (status, _) = server
            .api(&cookie, "campaigns/delete", &json!({"id": first}))
            .await;
        status == StatusCode::OK
    })
    .await;

    // The same again, but the campaign's rows vanish under the dispatcher (as if deleted behind the
    // API's back): the results of its requests in flight must be dropped, not wedge the recorder.
    let second = flow::launch(&server, &cookie, &draft(template, "App Launched")).await;
    let before = deliveries(&receiver).len();
    wait_for(
        "the second campaign's requests",
        Duration::from_secs(10),
        async || deliveries(&receiver).len() > before,
    )
    .await;
    server.engine.halts.halt(second);
    sqlx::query("DELETE FROM campaigns WHERE id = ?1")
        .bind(second)
        .execute(&server.engine.db)
        .await
        .unwrap();

    receiver.set(Behaviour::status(200, "ok"));
    let third = flow::launch(&server, &cookie, &draft(template, "App Launched")).await;
    let report = finished(&server, &cookie, third, Duration::from_secs(20)).await;
    assert_eq!(report["campaign"]["status"], "completed");
    assert_eq!(report["campaign"]["stats"]["delivered"], 20);
    let health = reqwest::get(server.url("/healthz")).await.unwrap();
    assert_eq!(health.status(), 200);
}

#[tokio::test]
async fn a_lease_shorter_than_a_send_never_doubles_a_webhook_id_or_a_counter() {
    let server = TestServer::start_with(|c| {
        c.batch_size = 1;
        c.dispatch_concurrency = 3;
        c.claim_lease_ms = Some(30);
    })
    .await;
    let receiver = Receiver::start(Behaviour::status(200, "ok")).await;
    let (cookie, template) = setup(&server, &receiver, 9).await;
    receiver.set(Behaviour::slow(Duration::from_millis(300)));
    let id = flow::launch(&server, &cookie, &draft(template, "App Launched")).await;
    let report = finished(&server, &cookie, id, Duration::from_secs(20)).await;
    // Give a doubled send the time to show up.
    tokio::time::sleep(Duration::from_millis(400)).await;

    let ids = webhook_ids(&receiver);
    assert_eq!(ids.len(), 9);
    assert!(ids.values().all(|n| *n == 1), "{ids:?}");
    let stats = &report["campaign"]["stats"];
    assert_eq!(stats["sent"], 9, "{stats}");
    assert_eq!(stats["delivered"], 9, "{stats}");
    assert_eq!(stats["pending_requests"], 0, "{stats}");
    for d in report["deliveries"].as_array().unwrap() {
        assert_eq!(d["attempts"].as_array().unwrap().len(), 1, "{d}");
    }
}

#[tokio::test]
async fn after_stop_nothing_that_had_not_started_goes_out() {
    let concurrency = 2;
    let server = TestServer::start_with(|c| {
        c.batch_size = 1;
        c.dispatch_concurrency = concurrency;
    })
    .await;
    let receiver = Receiver::start(Behaviour::status(200, "ok")).await;
    let (cookie, template) = setup(&server, &receiver, 40).await;
    receiver.set(Behaviour::slow(Duration::from_millis(300)));
    let id = flow::launch(&server, &cookie, &draft(template, "App Launched")).await;
    wait_for("the first requests", Duration::from_secs(10), async || {
        deliveries(&receiver).len() >= 2
    })
    .await;
    let (status, _) = server
        .api(&cookie, "campaigns/stop", &json!({"id": id}))
        .await;
    assert_eq!(status, StatusCode::OK);
    let at_stop = deliveries(&receiver).len();
    // The requests in flight finish (300 ms); anything sent after the stop would arrive meanwhile.
    wait_for(
        "the stopped campaign to settle",
        Duration::from_secs(10),
        async || {
            let report = flow::report(&server, &cookie, id).await;
            report["campaign"]["stats"]["pending_requests"] == 0
        },
    )
    .await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let after = deliveries(&receiver).len();
    // One request per permit may have been on its way when Stop answered.
    assert!(
        after <= at_stop + concurrency as usize,
        "{} requests went out after the stop",
        after - at_stop
    );
    let report = flow::report(&server, &cookie, id).await;
    assert_eq!(report["campaign"]["status"], "stopped");
    let stats = &report["campaign"]["stats"];
    assert_eq!(stats["sent"], after, "{stats}");
    let cancelled = report["deliveries"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["status"] == "cancelled")
        .count();
    assert_eq!(cancelled + after, 40, "every delivery is sent or cancelled");
}

#[tokio::test]
async fn clients_uploading_during_a_big_send_get_no_error() {
    let server = TestServer::start_with(|c| {
        c.batch_size = 1;
        c.dispatch_concurrency = 64;
    })
    .await;
    let receiver = Receiver::start(Behaviour::status(200, "ok")).await;
    let (cookie, template) = setup(&server, &receiver, 20_000).await;
    let id = flow::launch(&server, &cookie, &draft(template, "App Launched")).await;
    let uploader = |client: usize| {
        let http = server.client.http.clone();
        let url = server.url("/1/upload");
        async move {
            let mut answers = Vec::new();
            for round in 0..15 {
                let records: Vec<Value> = (0..200)
                    .map(|i| {
                        event(
                            &format!("c{client}-{round}-{i}"),
                            "Browsed",
                            now_secs(),
                            json!({"n": i}),
                        )
                    })
                    .collect();
                let response = http
                    .post(&url)
                    .header("X-CleverTap-Account-Id", support::ACCOUNT_ID)
                    .header("X-CleverTap-Passcode", support::PASSCODE)
                    .json(&json!({"d": records}))
                    .send()
                    .await
                    .unwrap();
                answers.push((response.status().as_u16(), response.text().await.unwrap()));
            }
            answers
        }
    };
    let (a, b, c) = tokio::join!(uploader(0), uploader(1), uploader(2));
    let during = status_of(&server, &cookie, id).await;
    for (status, body) in a.iter().chain(&b).chain(&c) {
        assert_eq!(*status, 200, "{body}");
        assert!(body.contains("\"processed\":200"), "{body}");
    }
    let report = finished(&server, &cookie, id, Duration::from_secs(120)).await;
    assert_eq!(report["campaign"]["stats"]["delivered"], 20_000);
    assert_ne!(during, "completed", "the uploads did not overlap the send");
}

#[tokio::test]
async fn publishing_200k_recipients_leaves_logins_and_uploads_answering() {
    let server = TestServer::start_with(|c| c.batch_size = 1000).await;
    let receiver = Receiver::start(Behaviour::status(200, "ok")).await;
    let (cookie, template) = setup(&server, &receiver, 200_000).await;
    let id = flow::create(&server, &cookie, &draft(template, "App Launched")).await;
    let publish = {
        let http = server.client.http.clone();
        let url = server.url("/api/campaigns/publish");
        let cookie = cookie.clone();
        tokio::spawn(async move {
            http.post(url)
                .header("Cookie", cookie)
                .json(&json!({"id": id}))
                .send()
                .await
                .unwrap()
                .status()
        })
    };
    wait_for(
        "the campaign to be preparing",
        Duration::from_secs(30),
        async || status_of(&server, &cookie, id).await == "preparing",
    )
    .await;
    // While its outbox is being written, the rest of the product answers.
    server.login().await;
    let (status, answer) = server
        .upload(&json!({"d": [event("late", "App Launched", now_secs(), json!({}))]}))
        .await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert_eq!(
        status_of(&server, &cookie, id).await,
        "preparing",
        "the login and upload waited for the whole outbox"
    );
    assert_eq!(publish.await.unwrap(), 200);
    let report = finished(&server, &cookie, id, Duration::from_secs(300)).await;
    let stats = &report["campaign"]["stats"];
    assert_eq!(stats["targeted"], 200_000, "{stats}");
    assert_eq!(stats["delivered"], 200_000, "{stats}");
    assert_eq!(stats["requests"], 200, "{stats}");
}

#[tokio::test]
async fn one_failing_scheduled_campaign_does_not_hold_up_the_others() {
    let server = TestServer::start().await;
    let receiver = Receiver::start(Behaviour::status(200, "ok")).await;
    let (cookie, template) = setup(&server, &receiver, 3).await;
    let mut later = draft(template, "App Launched");
    later["when"] = json!({"type": "later", "at": "2099-01-01T09:00"});
    let broken = flow::launch(&server, &cookie, &later).await;
    let healthy = flow::launch(&server, &cookie, &later).await;
    sqlx::query("UPDATE campaigns SET scheduled_at = 0, definition = 'not a draft' WHERE id = ?1")
        .bind(broken)
        .execute(&server.engine.db)
        .await
        .unwrap();
    sqlx::query("UPDATE campaigns SET scheduled_at = 1 WHERE id = ?1")
        .bind(healthy)
        .execute(&server.engine.db)
        .await
        .unwrap();
    server.engine.schedule_wake.notify_one();
    let report = finished(&server, &cookie, healthy, Duration::from_secs(10)).await;
    assert_eq!(report["campaign"]["stats"]["delivered"], 3);
}

#[tokio::test]
async fn a_second_process_on_the_same_database_refuses_to_start() {
    let server = TestServer::start().await;
    let output = Process::run_expecting_exit(server.data_dir(), Duration::from_secs(20))
        .expect("the second process exits by itself");
    assert!(!output.status.success());
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(said.contains("another Hookline process"), "{said}");
    // The first one is untouched.
    let health = reqwest::get(server.url("/healthz")).await.unwrap();
    assert_eq!(health.status(), 200);
}
