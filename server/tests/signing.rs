//! Standard Webhooks signatures, checked by an independent implementation (the `standardwebhooks`
//! crate, used only here): the template's test request, campaign deliveries and a campaign's test
//! request verify with the template's secret; a changed body does not; after a rotation both secrets
//! verify for 24 hours, then only the new one signs.

mod support;

use std::sync::Arc;
use std::time::Duration;

use axum::http::StatusCode;
use serde_json::{Value, json};
use server::clock::ManualClock;
use standardwebhooks::Webhook;
use support::flow::{self, event};
use support::{Behaviour, Received, Receiver, TestServer};

async fn template_secret(
    server: &TestServer,
    cookie: &str,
    template: i64,
    endpoint: &str,
) -> String {
    let (status, answer) = server.api(cookie, endpoint, &json!({"id": template})).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    let secret = answer["secret"].as_str().unwrap().to_owned();
    assert!(secret.starts_with("whsec_"), "{secret}");
    secret
}

fn verifies(secret: &str, request: &Received) -> bool {
    Webhook::new(secret)
        .unwrap()
        .verify(&request.body, &request.headers)
        .is_ok()
}

/// A campaign to everyone who launched the app, sent now; waits for its requests.
async fn campaign_requests(
    server: &TestServer,
    cookie: &str,
    receiver: &Receiver,
    template: i64,
) -> Vec<Received> {
    let before = flow::deliveries(receiver).len();
    let id = flow::launch(server, cookie, &flow::draft(template, "App Launched")).await;
    flow::finished(server, cookie, id, Duration::from_secs(10)).await;
    flow::deliveries(receiver).split_off(before)
}

async fn launched(server: &TestServer, users: &[&str]) {
    let now = flow::now_secs();
    flow::ingest(
        server,
        users
            .iter()
            .map(|u| event(u, "App Launched", now - 60, json!({})))
            .collect(),
    )
    .await;
}

#[tokio::test]
async fn every_request_verifies_with_the_template_secret_and_a_changed_body_does_not() {
    let server = TestServer::start().await;
    let cookie = server.login().await;
    let receiver = Receiver::start(Behaviour::status(200, "ok")).await;
    let template = flow::template(&server, &cookie, &receiver).await;
    let secret = template_secret(&server, &cookie, template, "webhooks/signing_secret").await;

    // The test request sent when the template was saved.
    let test = &receiver.received()[0];
    assert!(verifies(&secret, test), "{:?}", test.headers);

    launched(&server, &["ann", "bob"]).await;
    let sent = campaign_requests(&server, &cookie, &receiver, template).await;
    assert!(!sent.is_empty());
    for request in &sent {
        assert!(request.header("webhook-id").unwrap().starts_with("msg_"));
        assert!(verifies(&secret, request), "{:?}", request.headers);
        let mut tampered = request.clone();
        let mut body: Value = tampered.json();
        body["key_values"]["coupon"] = json!("FREE100");
        tampered.body = serde_json::to_vec(&body).unwrap().into();
        assert!(
            !verifies(&secret, &tampered),
            "a changed body must not verify"
        );
        let other = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
        assert!(!verifies(other, request), "another secret must not verify");
    }
    // The secret is the template's own: another template's does not verify these requests.
    let (status, second) = server
        .api(
            &cookie,
            "webhooks/create",
            &json!({"name": "Other", "url": receiver.url}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{second}");
    let other_id = second["template"]["id"].as_i64().unwrap();
    let other_secret = template_secret(&server, &cookie, other_id, "webhooks/signing_secret").await;
    assert_ne!(other_secret, secret);
    assert!(!verifies(&other_secret, &sent[0]));

    // Unknown templates and signed-out callers are refused.
    let (status, _) = server
        .api(&cookie, "webhooks/signing_secret", &json!({"id": 999}))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = server
        .api("", "webhooks/signing_secret", &json!({"id": template}))
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn after_a_rotation_both_secrets_verify_for_a_day_then_only_the_new_one() {
    let clock = Arc::new(ManualClock::at(flow::now_secs() * 1000));
    let server = TestServer::start_with_clock(clock.clone(), |_| {}).await;
    let cookie = server.login().await;
    let receiver = Receiver::start(Behaviour::status(200, "ok")).await;
    let template = flow::template(&server, &cookie, &receiver).await;
    let old = template_secret(&server, &cookie, template, "webhooks/signing_secret").await;
    let new = template_secret(&server, &cookie, template, "webhooks/rotate_secret").await;
    assert_ne!(old, new);
    assert_eq!(
        template_secret(&server, &cookie, template, "webhooks/signing_secret").await,
        new
    );
    launched(&server, &["ann"]).await;
    let during = campaign_requests(&server, &cookie, &receiver, template).await;
    let request = &during[0];
    assert_eq!(
        request
            .header("webhook-signature")
            .unwrap()
            .split(' ')
            .count(),
        2,
        "{:?}",
        request.headers
    );
    assert!(verifies(&new, request), "the new secret verifies");
    assert!(verifies(&old, request), "the old secret still verifies");

    // A day later only the new secret signs. (Checked by signing as the library does: its verify
    // refuses a timestamp a day from the real clock.)
    clock.advance(24 * 3_600_000 + 1000);
    let cookie = server.login().await;
    let after = campaign_requests(&server, &cookie, &receiver, template).await;
    let request = &after[0];
    let id = request.header("webhook-id").unwrap();
    let ts: i64 = request
        .header("webhook-timestamp")
        .unwrap()
        .parse()
        .unwrap();
    let signed_with = |secret: &str| {
        Webhook::new(secret)
            .unwrap()
            .sign(id, ts, &request.body)
            .unwrap()
    };
    assert_eq!(
        request.header("webhook-signature").unwrap(),
        signed_with(&new)
    );
    assert_ne!(signed_with(&old), signed_with(&new));
}

#[tokio::test]
async fn a_template_saved_before_signing_gets_a_secret_when_the_server_starts() {
    let server = TestServer::start().await;
    let cookie = server.login().await;
    let receiver = Receiver::start(Behaviour::status(200, "ok")).await;
    let template = flow::template(&server, &cookie, &receiver).await;
    sqlx::query("UPDATE webhook_templates SET signing_secret = NULL")
        .execute(&server.engine.db)
        .await
        .unwrap();
    let server = server.restart_with(|_| {}).await;
    let cookie = server.login().await;
    let secret = template_secret(&server, &cookie, template, "webhooks/signing_secret").await;
    launched(&server, &["ann"]).await;
    let sent = campaign_requests(&server, &cookie, &receiver, template).await;
    assert!(verifies(&secret, &sent[0]));
}
