//! Custom-body campaigns as the content tests build them: users with profiles, templates by method,
//! custom drafts, and what a receiver got from campaigns.

use axum::http::StatusCode;
use serde_json::{Value, json};

use super::flow::{event, ingest, now_secs};
use super::{Received, Receiver, TestServer};

/// Users `u0…` who launched the app, each with a profile (`Name`, `City`).
pub async fn users(server: &TestServer, profiles: &[(&str, &str)]) {
    let now = now_secs();
    let mut records = Vec::new();
    for (i, (name, city)) in profiles.iter().enumerate() {
        let identity = format!("u{i}");
        records.push(
            json!({"identity": identity, "ts": now - 120, "type": "profile",
            "profileData": {"Name": name, "City": city, "Email": format!("u{i}@example.com")}}),
        );
        records.push(event(&identity, "App Launched", now - 60, json!({})));
    }
    ingest(server, records).await;
}

pub async fn template_with(server: &TestServer, cookie: &str, url: &str, method: &str) -> i64 {
    let (status, saved) = server
        .api(
            cookie,
            "webhooks/create",
            &json!({"name": format!("{method} hook"), "url": url, "method": method}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{saved}");
    saved["template"]["id"].as_i64().unwrap()
}

pub fn custom(template: i64, content_type: &str, body: &str, query: Value) -> Value {
    json!({
        "name": "Personal",
        "template_id": template,
        "who": {"segment": {"event": "App Launched"}},
        "what": {"format": "custom", "content_type": content_type, "template": body, "query": query},
        "when": {"type": "now"}
    })
}

/// The requests a receiver got from campaigns (not the template's test request on save).
pub fn campaign_requests(receiver: &Receiver) -> Vec<Received> {
    receiver
        .received()
        .into_iter()
        .filter(|r| r.path.contains("src=campaign"))
        .collect()
}

pub fn query_of(path: &str) -> Vec<(String, String)> {
    let query = path.split_once('?').map_or("", |(_, q)| q);
    url::form_urlencoded::parse(query.as_bytes())
        .into_owned()
        .collect()
}
