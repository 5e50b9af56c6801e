//! Live campaigns (delivery "specific event") against a real receiver: triggers with property
//! filters, the triggering event in the request, the frequency cap, "unless … within" and delays on
//! an injected clock, pause and resume, the control group and conversions.

mod support;

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::http::StatusCode;
use serde_json::{Value, json};
use server::clock::{Clock, ManualClock};
use support::flow::{self, event};
use support::{Behaviour, Receiver, TestServer};

/// A live draft triggered by `event` (with `filters`), sent to everyone who does it.
fn live(template: i64, trigger: &str, filters: Value) -> Value {
    json!({
        "name": "Cart reminder",
        "template_id": template,
        "delivery": "specific_event",
        "trigger": {"event": trigger, "filters": filters},
        "who": {"segment": {"match": "all", "rules": []}},
        "what": {"key_values": [{"name": "coupon", "value": "CART10"}]}
    })
}

/// Waits until the receiver has `n` campaign requests; returns them.
async fn received(receiver: &Receiver, n: usize) -> Vec<support::Received> {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let got = flow::deliveries(receiver);
        if got.len() >= n {
            return got;
        }
        assert!(
            Instant::now() < deadline,
            "{} of {n} requests arrived",
            got.len()
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

/// Lets the engine run for a moment, then returns what the receiver has.
async fn settled(receiver: &Receiver) -> Vec<support::Received> {
    tokio::time::sleep(Duration::from_millis(400)).await;
    flow::deliveries(receiver)
}

/// Moves the injected clock on and wakes the live worker, as its timer would.
fn advance(server: &TestServer, clock: &ManualClock, ms: i64) {
    clock.advance(ms);
    server.engine.live_wake.notify_one();
}

/// `server` signed in, with a receiver answering 200 and a template posting to it.
async fn ready(server: TestServer) -> (TestServer, String, Receiver, i64) {
    let cookie = server.login().await;
    let receiver = Receiver::start(Behaviour::status(200, "ok")).await;
    let template = flow::template(&server, &cookie, &receiver).await;
    (server, cookie, receiver, template)
}

async fn start_with_clock() -> (TestServer, Arc<ManualClock>) {
    let clock = Arc::new(ManualClock::at(flow::now_secs() * 1000));
    let server = TestServer::start_with_clock(clock.clone(), |_| {}).await;
    (server, clock)
}

#[tokio::test]
async fn a_trigger_with_a_filter_sends_only_matching_events_with_the_event() {
    let (server, cookie, receiver, template) = ready(TestServer::start().await).await;
    let filters = json!([{"property": "amount", "op": "greater_than", "value": 100}]);
    let id = flow::launch(&server, &cookie, &live(template, "Added To Cart", filters)).await;
    let published = flow::campaign(&server, &cookie, id).await;
    assert_eq!(published["status"], "running", "{published}");

    let now = flow::now_secs();
    flow::ingest(
        &server,
        vec![
            event(
                "u1",
                "Added To Cart",
                now,
                json!({"amount": 250, "sku": "B-12"}),
            ),
            event("u2", "Added To Cart", now, json!({"amount": 20})),
            event("u3", "App Launched", now, json!({"amount": 900})),
        ],
    )
    .await;
    let got = received(&receiver, 1).await;
    let body = got[0].json();
    assert_eq!(body["targetId"], id);
    assert_eq!(body["key_values"]["coupon"], "CART10");
    let profile = &body["profiles"];
    assert_eq!(profile["Identity"], "u1", "{body}");
    assert_eq!(profile["Event_name"], "Added To Cart");
    assert_eq!(
        profile["Event_properties"],
        json!({"amount": 250, "sku": "B-12"})
    );
    assert_eq!(settled(&receiver).await.len(), 1, "u2 and u3 get nothing");
    // Events that happened long before the campaign went live (a backfill) trigger nothing.
    flow::ingest(
        &server,
        vec![event(
            "u4",
            "Added To Cart",
            now - 3600,
            json!({"amount": 500}),
        )],
    )
    .await;
    assert_eq!(settled(&receiver).await.len(), 1);
    let stats = &flow::campaign(&server, &cookie, id).await["stats"];
    assert_eq!(stats["targeted"], 1, "{stats}");
    assert_eq!(stats["delivered"], 1, "{stats}");
}

#[tokio::test]
async fn liquid_reads_the_triggering_event() {
    let (server, cookie, receiver, template) = ready(TestServer::start().await).await;
    let mut draft = live(template, "Added To Cart", json!([]));
    draft["what"] = json!({"format": "custom", "content_type": "json",
        "template": "{\"sku\": {{ Event.sku | json }}, \"user\": {{ Profile.Identity | json }}}"});
    flow::launch(&server, &cookie, &draft).await;
    let now = flow::now_secs();
    flow::ingest(
        &server,
        vec![event("u1", "Added To Cart", now, json!({"sku": "A \"1\""}))],
    )
    .await;
    let deadline = Instant::now() + Duration::from_secs(10);
    let custom = loop {
        // The template's test request on save is the only other one.
        let got: Vec<Value> = receiver.received().iter().map(|r| r.json()).collect();
        if let Some(body) = got.into_iter().find(|b| b.get("is_test").is_none()) {
            break body;
        }
        assert!(Instant::now() < deadline, "the request did not arrive");
        tokio::time::sleep(Duration::from_millis(10)).await;
    };
    assert_eq!(custom, json!({"sku": "A \"1\"", "user": "u1"}));
}

#[tokio::test]
async fn event_variables_are_refused_only_for_campaigns_sent_at_a_time() {
    let (server, cookie, _receiver, template) = ready(TestServer::start().await).await;
    let mut draft = flow::draft(template, "App Launched");
    draft["what"] = json!({"format": "custom", "template": "{\"sku\": {{ Event.sku | json }}}"});
    let (status, answer) = server
        .api(
            &cookie,
            "campaigns/create",
            &json!({"draft": draft, "step": "what"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    let id = answer["id"].as_i64().unwrap();
    let (status, answer) = server
        .api(&cookie, "campaigns/publish", &json!({"id": id}))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
    assert!(
        answer["fields"]["what.template"][0]
            .as_str()
            .unwrap()
            .contains("live campaign"),
        "{answer}"
    );
}

#[tokio::test]
async fn bad_live_settings_are_refused_at_their_field() {
    let (server, cookie, _receiver, template) = ready(TestServer::start().await).await;
    let mut draft = live(template, " ", json!([]));
    draft["delay"] = json!({"value": 0, "unit": "minutes"});
    draft["frequency_cap"] = json!({"max": 0, "per": "day"});
    draft["end"] = json!("2020-01-01T00:00");
    let id = flow::create(&server, &cookie, &draft).await;
    let (status, answer) = server
        .api(&cookie, "campaigns/publish", &json!({"id": id}))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
    for field in ["trigger.event", "delay.value", "frequency_cap.max"] {
        assert!(answer["fields"][field].is_array(), "{field}: {answer}");
    }
    draft["trigger"]["event"] = json!("Added To Cart");
    draft["delay"] = json!({"value": 5, "unit": "minutes"});
    draft["frequency_cap"] = json!({"max": 1, "per": "day"});
    let (status, answer) = server
        .api(
            &cookie,
            "campaigns/save",
            &json!({"id": id, "draft": draft, "step": "when"}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
    assert!(
        answer["fields"]["end"][0]
            .as_str()
            .unwrap()
            .contains("passed"),
        "{answer}"
    );
}

#[tokio::test]
async fn the_frequency_cap_holds_across_repeated_triggers() {
    let (server, cookie, receiver, template) = ready(TestServer::start().await).await;
    let mut draft = live(template, "Viewed", json!([]));
    draft["frequency_cap"] = json!({"max": 2, "per": "day"});
    let id = flow::launch(&server, &cookie, &draft).await;
    let now = flow::now_secs();
    // Five triggers of u1 (three in one upload, two more later) and one of u2.
    flow::ingest(
        &server,
        (0..3)
            .map(|i| event("u1", "Viewed", now, json!({"n": i})))
            .collect(),
    )
    .await;
    for i in 3..5 {
        flow::ingest(&server, vec![event("u1", "Viewed", now, json!({"n": i}))]).await;
    }
    flow::ingest(&server, vec![event("u2", "Viewed", now, json!({}))]).await;
    received(&receiver, 3).await;
    let got = settled(&receiver).await;
    let to = |identity: &str| {
        got.iter()
            .filter(|r| r.json()["profiles"]["Identity"] == identity)
            .count()
    };
    assert_eq!((to("u1"), to("u2")), (2, 1));
    let stats = &flow::campaign(&server, &cookie, id).await["stats"];
    assert_eq!(stats["targeted"], 3, "{stats}");
}

#[tokio::test]
async fn unless_within_sends_only_to_users_who_did_not_act_in_time() {
    let (server, clock) = start_with_clock().await;
    let (server, cookie, receiver, template) = ready(server).await;
    let mut draft = live(template, "Searched", json!([]));
    draft["unless"] = json!({"event": "Booked", "filters": [
        {"property": "route", "op": "equals", "value": "LIS-OPO"}],
        "within": {"value": 30, "unit": "minutes"}});
    let id = flow::launch(&server, &cookie, &draft).await;
    let t0 = clock.now_ms() / 1000;
    flow::ingest(
        &server,
        ["booker", "late", "other_route", "idle"]
            .iter()
            .map(|u| event(u, "Searched", t0, json!({})))
            .collect(),
    )
    .await;
    let next = flow::campaign(&server, &cookie, id).await["next_run_at"].clone();
    assert_eq!(
        next,
        json!(t0 * 1000 + 30 * 60_000),
        "decided when the wait ends"
    );
    flow::ingest(
        &server,
        vec![
            event("booker", "Booked", t0 + 600, json!({"route": "LIS-OPO"})),
            event(
                "other_route",
                "Booked",
                t0 + 600,
                json!({"route": "LIS-FAO"}),
            ),
            // Booked, but after the 30 minutes.
            event("late", "Booked", t0 + 31 * 60, json!({"route": "LIS-OPO"})),
        ],
    )
    .await;
    advance(&server, &clock, 29 * 60_000);
    assert!(
        settled(&receiver).await.is_empty(),
        "not before the time is up"
    );
    advance(&server, &clock, 2 * 60_000);
    received(&receiver, 3).await;
    let mut sent_to: Vec<String> = settled(&receiver)
        .await
        .iter()
        .map(|r| {
            r.json()["profiles"]["Identity"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    sent_to.sort();
    assert_eq!(sent_to, ["idle", "late", "other_route"]);
}

#[tokio::test]
async fn a_delay_holds_the_request_until_its_time() {
    let (server, clock) = start_with_clock().await;
    let (server, cookie, receiver, template) = ready(server).await;
    let mut draft = live(template, "Signed Up", json!([]));
    draft["delay"] = json!({"value": 10, "unit": "minutes"});
    let id = flow::launch(&server, &cookie, &draft).await;
    flow::ingest(
        &server,
        vec![event("u1", "Signed Up", clock.now_ms() / 1000, json!({}))],
    )
    .await;
    assert!(settled(&receiver).await.is_empty());
    advance(&server, &clock, 9 * 60_000);
    assert!(settled(&receiver).await.is_empty());
    advance(&server, &clock, 60_000);
    received(&receiver, 1).await;
    assert_eq!(
        flow::campaign(&server, &cookie, id).await["next_run_at"],
        json!(null)
    );
}

#[tokio::test]
async fn a_paused_live_campaign_sends_nothing_until_resumed() {
    let (server, cookie, receiver, template) = ready(TestServer::start().await).await;
    let id = flow::launch(&server, &cookie, &live(template, "Viewed", json!([]))).await;
    let (status, paused) = server
        .api(&cookie, "campaigns/pause", &json!({"id": id}))
        .await;
    assert_eq!(status, StatusCode::OK, "{paused}");
    assert_eq!(paused["status"], "paused");
    let (status, again) = server
        .api(&cookie, "campaigns/pause", &json!({"id": id}))
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{again}");
    let now = flow::now_secs();
    flow::ingest(&server, vec![event("u1", "Viewed", now, json!({}))]).await;
    assert!(settled(&receiver).await.is_empty());
    let (status, resumed) = server
        .api(&cookie, "campaigns/resume", &json!({"id": id}))
        .await;
    assert_eq!(status, StatusCode::OK, "{resumed}");
    assert_eq!(resumed["status"], "running");
    flow::ingest(&server, vec![event("u2", "Viewed", now, json!({}))]).await;
    let got = received(&receiver, 1).await;
    assert_eq!(got[0].json()["profiles"]["Identity"], "u2");
    assert_eq!(
        settled(&receiver).await.len(),
        1,
        "u1's event came while paused"
    );
    // Stopped, it listens no more.
    let (status, _) = server
        .api(&cookie, "campaigns/stop", &json!({"id": id}))
        .await;
    assert_eq!(status, StatusCode::OK);
    flow::ingest(&server, vec![event("u3", "Viewed", now, json!({}))]).await;
    assert_eq!(settled(&receiver).await.len(), 1);
}

#[tokio::test]
async fn the_segment_control_group_and_conversions_of_a_live_campaign() {
    let (server, cookie, receiver, template) = ready(TestServer::start().await).await;
    let now = flow::now_secs();
    // Only users in Portugal qualify.
    let mut profiles = Vec::new();
    for i in 0..60 {
        let country = if i < 50 { "PT" } else { "ES" };
        profiles.push(
            json!({"identity": format!("u{i}"), "ts": now - 60, "type": "profile",
            "profileData": {"Country": country}}),
        );
    }
    flow::ingest(&server, profiles).await;
    let mut draft = live(template, "Viewed", json!([]));
    draft["who"] = json!({"segment": {"match": "all", "rules": [
        {"type": "profile", "property": "Country", "op": "equals", "value": "PT"}]},
        "control_group_percent": 20});
    draft["goal_event"] = json!("Charged");
    let id = flow::launch(&server, &cookie, &draft).await;
    flow::ingest(
        &server,
        (0..60)
            .map(|i| event(&format!("u{i}"), "Viewed", now, json!({})))
            .collect(),
    )
    .await;
    let deadline = Instant::now() + Duration::from_secs(10);
    let stats = loop {
        let stats = flow::campaign(&server, &cookie, id).await["stats"].clone();
        if stats["targeted"].as_u64().unwrap() + stats["control"].as_u64().unwrap() == 50 {
            break stats;
        }
        assert!(Instant::now() < deadline, "{stats}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    let control = stats["control"].as_u64().unwrap();
    assert!((2..=20).contains(&control), "about 20 % of 50: {stats}");
    let got = received(&receiver, 50 - control as usize).await;
    let sent: Vec<String> = got
        .iter()
        .map(|r| {
            r.json()["profiles"]["Identity"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    assert!(
        sent.iter().all(|u| u[1..].parse::<u32>().unwrap() < 50),
        "only PT"
    );
    // Two of those sent to convert, and one held-out user.
    let held_out = (0..50)
        .map(|i| format!("u{i}"))
        .find(|u| !sent.contains(u))
        .unwrap();
    flow::ingest(
        &server,
        vec![
            event(&sent[0], "Charged", now + 5, json!({})),
            event(&sent[1], "Charged", now + 5, json!({})),
            event(&held_out, "Charged", now + 5, json!({})),
            // Far outside the one-day window.
            event(&sent[2], "Charged", now + 3 * 86_400, json!({})),
        ],
    )
    .await;
    let stats = &flow::campaign(&server, &cookie, id).await["stats"];
    assert_eq!(stats["conversions"], 2, "{stats}");
    assert_eq!(stats["control_conversions"], 1, "{stats}");
}

#[tokio::test]
async fn the_preview_of_a_live_campaign_carries_the_users_latest_trigger() {
    let (server, cookie, _receiver, template) = ready(TestServer::start().await).await;
    let now = flow::now_secs();
    flow::ingest(
        &server,
        vec![
            event("u1", "Added To Cart", now - 60, json!({"sku": "old"})),
            event("u1", "Added To Cart", now - 10, json!({"sku": "B-12"})),
            event("u2", "App Launched", now, json!({})),
        ],
    )
    .await;
    let draft = live(template, "Added To Cart", json!([]));
    let id = flow::create(&server, &cookie, &draft).await;
    // A user who never did the trigger is shown with an event without properties.
    for (identity, properties) in [("u1", json!({"sku": "B-12"})), ("u2", json!({}))] {
        let (_, users) = server
            .api(
                &cookie,
                "campaigns/preview_users",
                &json!({"text": identity}),
            )
            .await;
        let user = users[0]["id"].clone();
        let (status, preview) = server
            .api(
                &cookie,
                "campaigns/preview",
                &json!({"id": id, "draft": draft, "user": user}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{preview}");
        let body: Value = serde_json::from_str(preview["body"].as_str().unwrap()).unwrap();
        assert_eq!(body["profiles"]["Identity"], identity, "{body}");
        assert_eq!(body["profiles"]["Event_name"], "Added To Cart", "{body}");
        assert_eq!(body["profiles"]["Event_properties"], properties, "{body}");
    }
}
