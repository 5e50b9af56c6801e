//! `POST /1/upload` and `GET /1/profile.json` over real HTTP against a real SQLite file.

mod support;

use reqwest::StatusCode;
use serde_json::{Value, json};
use support::{ACCOUNT_ID, PASSCODE, TestServer, json_of};

fn event(identity: &str, name: &str, ts: i64, data: Value) -> Value {
    json!({"identity": identity, "ts": ts, "type": "event", "evtName": name, "evtData": data})
}

async fn profile(server: &TestServer, query: &str) -> (StatusCode, Value) {
    let response = server
        .http
        .get(server.url(&format!("/1/profile.json?{query}")))
        .header("X-CleverTap-Account-Id", ACCOUNT_ID)
        .header("X-CleverTap-Passcode", PASSCODE)
        .send()
        .await
        .unwrap();
    json_of(response).await
}

#[tokio::test]
async fn a_good_batch_is_stored_and_summarised_per_profile() {
    let server = TestServer::start().await;
    let (status, answer) = server
        .upload(&json!({"d": [
            {"identity": "u1", "ts": 1_700_000_000, "type": "profile",
             "profileData": {"Email": "ana@example.com", "Plan": "gold", "Age": 31, "Member": true}},
            event("u1", "App Launched", 1_700_000_100, json!({"Source": "push"})),
            event("u1", "App Launched", 1_700_000_500, json!({})),
            event("u1", "Charged", 1_700_000_300, json!({"Amount": 12.5})),
            event("u2", "App Launched", 1_700_000_200, json!({})),
        ]}))
        .await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert_eq!(
        answer,
        json!({"status": "success", "processed": 5, "unprocessed": []})
    );

    let (status, found) = profile(&server, "identity=u1").await;
    assert_eq!(status, StatusCode::OK);
    let record = &found["record"];
    assert_eq!(found["status"], "success");
    assert_eq!(record["identity"], "u1");
    assert_eq!(record["email"], "ana@example.com");
    assert_eq!(
        record["profileData"],
        json!({"Plan": "gold", "Age": 31, "Member": true})
    );
    let object_id = record["objectId"].as_str().unwrap();
    assert!(
        object_id.starts_with("__") && object_id.len() == 34,
        "{object_id}"
    );
    assert_eq!(
        record["events"]["App Launched"],
        json!({"count": 2, "first_seen": 1_700_000_100, "last_seen": 1_700_000_500})
    );
    assert_eq!(record["events"]["Charged"]["count"], 1);

    let (_, by_email) = profile(&server, "email=ANA@example.com").await;
    assert_eq!(
        by_email["record"]["identity"], "u1",
        "e-mail lookup ignores case"
    );
    let (_, by_object_id) = profile(&server, &format!("objectId={object_id}")).await;
    assert_eq!(by_object_id["record"]["identity"], "u1");
}

#[tokio::test]
async fn a_partial_batch_stores_the_valid_records_and_lists_the_others() {
    let server = TestServer::start().await;
    let bad_type = json!({"identity": "u3", "ts": 1_700_000_000, "type": "click"});
    let (status, answer) = server
        .upload(&json!({"d": [
            event("u1", "App Launched", 1_700_000_000, json!({})),
            {"identity": "u2", "ts": 1_700_000_000, "type": "event"},
            bad_type,
            {"ts": 1_700_000_000, "type": "event", "evtName": "x"},
            {"identity": "u4", "ts": "noon", "type": "event", "evtName": "x"},
            {"objectId": "not valid!", "ts": 1_700_000_000, "type": "event", "evtName": "x"},
            event("u5", "Charged", 1_700_000_000, json!({})),
        ]}))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(answer["processed"], 2);
    let codes: Vec<u64> = answer["unprocessed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["code"].as_u64().unwrap())
        .collect();
    assert_eq!(codes, [509, 524, 523, 525, 526]);
    let first = &answer["unprocessed"][1];
    assert_eq!(first["status"], "fail");
    assert_eq!(
        first["record"], bad_type,
        "the refused record is echoed back"
    );
    assert!(first["error"].as_str().unwrap().contains("type"));
    assert_eq!(profile(&server, "identity=u1").await.0, StatusCode::OK);
    assert_eq!(profile(&server, "identity=u5").await.0, StatusCode::OK);
    assert_eq!(
        profile(&server, "identity=u2").await.0,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn profile_updates_merge_and_a_null_removes_a_property() {
    let server = TestServer::start().await;
    let p = |data: Value| json!({"identity": "u1", "ts": 1_700_000_000, "type": "profile", "profileData": data});
    server
        .upload(&json!({"d": [p(json!({"Plan": "gold", "City": "Lyon", "Email": "a@x.io"}))]}))
        .await;
    server
        .upload(&json!({"d": [p(json!({"Plan": "silver", "City": null}))]}))
        .await;
    let (_, found) = profile(&server, "identity=u1").await;
    assert_eq!(found["record"]["profileData"], json!({"Plan": "silver"}));
    assert_eq!(
        found["record"]["email"], "a@x.io",
        "an update without Email keeps it"
    );
}

#[tokio::test]
async fn wrong_or_missing_credentials_are_refused_and_nothing_is_stored() {
    let server = TestServer::start().await;
    let body = json!({"d": [event("u1", "App Launched", 1_700_000_000, json!({}))]});
    for (account, passcode) in [
        (Some(ACCOUNT_ID), Some("wrong")),
        (Some("other"), Some(PASSCODE)),
        (None, None),
    ] {
        let mut request = server.http.post(server.url("/1/upload")).json(&body);
        if let (Some(a), Some(p)) = (account, passcode) {
            request = request
                .header("X-CleverTap-Account-Id", a)
                .header("X-CleverTap-Passcode", p);
        }
        let (status, answer) = json_of(request.send().await.unwrap()).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        assert_eq!(answer["status"], "fail");
        assert!(answer["error"].is_string());
    }
    let response = server
        .http
        .get(server.url("/1/profile.json?identity=u1"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        profile(&server, "identity=u1").await.0,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn bodies_that_are_not_uploads_get_a_clear_error() {
    let server = TestServer::start_with(|c| c.max_upload_bytes = 4096).await;
    let send = |body: Vec<u8>| {
        server
            .http
            .post(server.url("/1/upload"))
            .header("X-CleverTap-Account-Id", ACCOUNT_ID)
            .header("X-CleverTap-Passcode", PASSCODE)
            .header("Content-Type", "application/json")
            .body(body)
            .send()
    };
    let (status, answer) = json_of(send(b"{not json".to_vec()).await.unwrap()).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(answer["error"].as_str().unwrap().contains("JSON"));

    let (status, answer) = json_of(send(br#"{"records": []}"#.to_vec()).await.unwrap()).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(answer["error"].as_str().unwrap().contains("\"d\""));

    let (status, answer) = json_of(send(vec![b' '; 5000]).await.unwrap()).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(answer["status"], "fail");
}

#[tokio::test]
async fn more_than_a_thousand_records_are_refused_whole() {
    let server = TestServer::start().await;
    let records: Vec<Value> = (0..1001)
        .map(|i| event(&format!("u{i}"), "App Launched", 1_700_000_000, json!({})))
        .collect();
    let (status, answer) = server.upload(&json!({"d": records})).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(answer["error"].as_str().unwrap().contains("1000"));
    assert_eq!(
        profile(&server, "identity=u0").await.0,
        StatusCode::NOT_FOUND,
        "nothing stored half-way"
    );
}

#[tokio::test]
async fn profile_lookup_needs_exactly_one_key() {
    let server = TestServer::start().await;
    assert_eq!(profile(&server, "").await.0, StatusCode::BAD_REQUEST);
    assert_eq!(
        profile(&server, "identity=a&email=b@c.d").await.0,
        StatusCode::BAD_REQUEST
    );
    let (status, answer) = profile(&server, "identity=nobody").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(answer["status"], "fail");
}

#[tokio::test]
async fn users_named_by_object_id_or_fbid_are_created_and_found_again() {
    let server = TestServer::start().await;
    let record = |key: &str, id: &str, name: &str| json!({key: id, "ts": 1_700_000_000, "type": "event", "evtName": name});
    let (_, answer) = server
        .upload(&json!({"d": [
            record("objectId", "__0123456789abcdef0123456789abcdef", "App Launched"),
            record("objectId", "__0123456789abcdef0123456789abcdef", "Charged"),
            record("FBID", "fb-42", "App Launched"),
        ]}))
        .await;
    assert_eq!(answer["processed"], 3);
    let (status, found) = profile(&server, "objectId=__0123456789abcdef0123456789abcdef").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(found["record"]["identity"], Value::Null);
    assert_eq!(found["record"]["events"]["Charged"]["count"], 1);
    assert_eq!(found["record"]["events"]["App Launched"]["count"], 1);
}
