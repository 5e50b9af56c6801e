//! The server process killed (SIGKILL) while a campaign is being sent, then started again on the same
//! database: every delivery completes, and none is recorded as succeeding twice.

mod support;

use std::collections::{HashMap, HashSet};
use std::time::{Duration, Instant};

use serde_json::json;
use support::flow::{self, draft, event, finished, now_secs};
use support::process::Process;
use support::{Behaviour, Client, Receiver};

const USERS: usize = 40;

async fn client(process: &Process) -> (Client, String) {
    let server = Client::new(process.base.clone());
    let cookie = server.login().await;
    (server, cookie)
}

#[tokio::test]
async fn a_killed_server_resumes_and_completes_every_delivery_once() {
    let dir = tempfile::tempdir().unwrap();
    let receiver = Receiver::start(Behaviour::status(200, "ok")).await;
    let first = Process::start(dir.path()).await;
    let (server, cookie) = client(&first).await;
    let records = (0..USERS)
        .map(|i| event(&format!("u{i}"), "App Launched", now_secs() - 5, json!({})))
        .collect();
    flow::ingest(&server, records).await;
    let template = flow::template(&server, &cookie, &receiver).await;
    // Slow answers keep requests in flight when the process dies.
    receiver.set(Behaviour {
        status: 200,
        body: "ok".into(),
        delay: Duration::from_millis(300),
        headers: Vec::new(),
    });
    let id = flow::launch(&server, &cookie, &draft(template, "App Launched")).await;
    let deadline = Instant::now() + Duration::from_secs(10);
    while flow::deliveries(&receiver).len() < 10 {
        assert!(Instant::now() < deadline, "deliveries did not start");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    first.kill();
    let before_restart = flow::deliveries(&receiver).len();
    assert!(
        before_restart < USERS,
        "the kill came too late to test anything"
    );

    receiver.set(Behaviour::status(200, "ok"));
    let second = Process::start(dir.path()).await;
    let (server, cookie) = client(&second).await;
    let report = finished(&server, &cookie, id, Duration::from_secs(20)).await;

    let stats = &report["campaign"]["stats"];
    assert_eq!(stats["delivered"], USERS, "{stats}");
    assert_eq!(stats["pending_requests"], 0);
    // The receiver, de-duplicating on webhook-id, got every delivery.
    let received: Vec<String> = flow::deliveries(&receiver)
        .iter()
        .map(|r| r.header("webhook-id").unwrap().to_owned())
        .collect();
    let unique: HashSet<&String> = received.iter().collect();
    assert_eq!(unique.len(), USERS);
    // The server recorded exactly one success per delivery, each under the id the receiver saw.
    let deliveries = report["deliveries"].as_array().unwrap();
    assert_eq!(deliveries.len(), USERS);
    let mut successes: HashMap<&str, usize> = HashMap::new();
    for d in deliveries {
        assert_eq!(d["status"], "delivered", "{d}");
        let ok = d["attempts"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|a| a["status"] == json!(200))
            .count();
        *successes
            .entry(d["webhook_id"].as_str().unwrap())
            .or_default() += ok;
    }
    assert!(successes.values().all(|n| *n == 1), "{successes:?}");
    assert!(successes.keys().all(|id| unique.contains(&id.to_string())));
    second.kill();
}

/// A live campaign's trigger is durable once the upload answered: the process killed right after,
/// before the request went out, sends it when it starts again.
#[tokio::test]
async fn a_live_trigger_survives_a_kill_between_upload_and_send() {
    let dir = tempfile::tempdir().unwrap();
    let receiver = Receiver::start(Behaviour::status(200, "ok")).await;
    let first = Process::start(dir.path()).await;
    let (server, cookie) = client(&first).await;
    let template = flow::template(&server, &cookie, &receiver).await;
    let live = json!({
        "name": "Welcome",
        "template_id": template,
        "delivery": "specific_event",
        "trigger": {"event": "Signed Up"},
        "delay": {"value": 2, "unit": "seconds"},
        "who": {"segment": {"match": "all", "rules": []}}
    });
    flow::launch(&server, &cookie, &live).await;
    flow::ingest(
        &server,
        vec![event("u1", "Signed Up", now_secs(), json!({}))],
    )
    .await;
    first.kill();
    assert!(
        flow::deliveries(&receiver).is_empty(),
        "sent before the kill"
    );

    let second = Process::start(dir.path()).await;
    let deadline = Instant::now() + Duration::from_secs(15);
    while flow::deliveries(&receiver).is_empty() {
        assert!(Instant::now() < deadline, "the trigger was lost");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let got = flow::deliveries(&receiver);
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].json()["profiles"]["Event_name"], "Signed Up");
    second.kill();
}
